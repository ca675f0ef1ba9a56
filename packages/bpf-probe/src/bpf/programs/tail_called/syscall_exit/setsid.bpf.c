/* setsid exit filler (SCAPE_SETSID_X). */
#include "helpers/filler.h"

SEC("tp_btf/sys_exit")
int BPF_PROG(setsid_x, struct pt_regs *regs, long ret)
{
	struct auxiliary_map *a = filler__start(SCAPE_SETSID_X, SCAPE_SETSID_X_NPARAMS);
	if (!a)
		return 0;
	/* Parameter 1: res (type: PT_PID) */
	auxmap__store_s64_param(a, ret);
	auxmap__submit_event(a);
	return 0;
}
