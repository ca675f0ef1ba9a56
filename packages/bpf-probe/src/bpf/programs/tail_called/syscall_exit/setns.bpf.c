/* setns exit filler (SCAPE_SETNS_X). */
#include "helpers/filler.h"

SEC("tp_btf/sys_exit")
int BPF_PROG(setns_x, struct pt_regs *regs, long ret)
{
	struct auxiliary_map *a = filler__start(SCAPE_SETNS_X, SCAPE_SETNS_X_NPARAMS);
	if (!a)
		return 0;
	/* Parameter 1: res (type: PT_ERRNO) */
	auxmap__store_s64_param(a, ret);
	/* Parameter 2: fd (type: PT_FD) */
	auxmap__store_s64_param(a, (__s32)ARG(0));
	/* Parameter 3: nstype (type: PT_FLAGS32): PPM_CL_CLONE_NEW* */
	auxmap__store_u32_param(a, flags__clone_to_scap(ARG(1)));
	auxmap__submit_event(a);
	return 0;
}
