/* openat2 enter filler (SCAPE_OPENAT2_E). */
#include "helpers/filler.h"
#include "helpers/enter.h"

static __always_inline int openat2_e_body(const unsigned long *args, struct task_struct *task)
{
	struct auxiliary_map *a = filler__start_tid(SCAPE_OPENAT2_E, SCAPE_OPENAT2_E_NPARAMS, task->pid);
	if (!a)
		return 0;
	struct open_how how = {};
	bpf_probe_read_user(&how, sizeof(how), (void *)args[2]);
	/* Parameter 1: dirfd (type: PT_FD) */
	auxmap__store_s64_param(a, (__s32)args[0]);
	/* Parameter 2: name (type: PT_FSRELPATH) */
	auxmap__store_charbuf_param(a, (void *)args[1], PROBE_MAX_PATH, true);
	/* Parameter 3: flags (type: PT_FLAGS32) */
	auxmap__store_u32_param(a, flags__open_to_scap(how.flags));
	/* Parameter 4: mode (type: PT_UINT32) */
	auxmap__store_u32_param(a, flags__open_mode_to_scap(how.flags, how.mode));
	/* Parameter 5: resolve (type: PT_FLAGS32) */
	auxmap__store_u32_param(a, (__u32)how.resolve);
	auxmap__submit_event(a);
	return 0;
}

ENTER_PROGRAMS(openat2, 437)
