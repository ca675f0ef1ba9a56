/* creat enter filler (SCAPE_CREAT_E). */
#include "helpers/filler.h"
#include "helpers/enter.h"

static __always_inline int creat_e_body(const unsigned long *args, struct task_struct *task)
{
	struct auxiliary_map *a = filler__start_tid(SCAPE_CREAT_E, SCAPE_CREAT_E_NPARAMS, task->pid);
	if (!a)
		return 0;
	/* Parameter 1: name (type: PT_FSPATH) */
	auxmap__store_charbuf_param(a, (void *)args[0], PROBE_MAX_PATH, true);
	/* Parameter 2: mode (type: PT_UINT32) */
	auxmap__store_u32_param(a, args[1] & 07777);
	auxmap__submit_event(a);
	return 0;
}

ENTER_PROGRAMS(creat, 85)
