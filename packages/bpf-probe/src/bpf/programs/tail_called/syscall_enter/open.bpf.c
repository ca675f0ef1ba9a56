/* open enter filler (SCAPE_OPEN_E): the path as asked, before the kernel resolves it. */
#include "helpers/filler.h"
#include "helpers/enter.h"

static __always_inline int open_e_body(const unsigned long *args, struct task_struct *task)
{
	struct auxiliary_map *a = filler__start_tid(SCAPE_OPEN_E, SCAPE_OPEN_E_NPARAMS, task->pid);
	if (!a)
		return 0;
	unsigned long flags = args[1];
	/* Parameter 1: name (type: PT_FSPATH) */
	auxmap__store_charbuf_param(a, (void *)args[0], PROBE_MAX_PATH, true);
	/* Parameter 2: flags (type: PT_FLAGS32) */
	auxmap__store_u32_param(a, flags__open_to_scap(flags));
	/* Parameter 3: mode (type: PT_UINT32) */
	auxmap__store_u32_param(a, flags__open_mode_to_scap(flags, args[2]));
	auxmap__submit_event(a);
	return 0;
}

ENTER_PROGRAMS(open, 2)
