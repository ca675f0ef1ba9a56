/* dup2 exit filler (SCAPE_DUP2_X). */
#include "helpers/filler.h"

SEC("tp_btf/sys_exit")
int BPF_PROG(dup2_x, struct pt_regs *regs, long ret)
{
	struct auxiliary_map *a = filler__start(SCAPE_DUP2_X, SCAPE_DUP2_X_NPARAMS);
	if (!a)
		return 0;
	/* Parameter 1: res (type: PT_FD) */
	auxmap__store_s64_param(a, ret);
	/* Parameter 2: oldfd (type: PT_FD) */
	auxmap__store_s64_param(a, (__s32)ARG(0));
	/* Parameter 3: newfd (type: PT_FD) */
	auxmap__store_s64_param(a, (__s32)ARG(1));
	auxmap__submit_event(a);
	return 0;
}
