/* setpgid exit filler (SCAPE_SETPGID_X). */
#include "helpers/filler.h"

SEC("tp_btf/sys_exit")
int BPF_PROG(setpgid_x, struct pt_regs *regs, long ret)
{
	struct auxiliary_map *a = filler__start(SCAPE_SETPGID_X, SCAPE_SETPGID_X_NPARAMS);
	if (!a)
		return 0;
	/* Parameter 1: res (type: PT_ERRNO) */
	auxmap__store_s64_param(a, ret);
	/* Parameter 2: pid (type: PT_PID) */
	auxmap__store_s64_param(a, (__s32)ARG(0));
	/* Parameter 3: pgid (type: PT_PID) */
	auxmap__store_s64_param(a, (__s32)ARG(1));
	auxmap__submit_event(a);
	return 0;
}
