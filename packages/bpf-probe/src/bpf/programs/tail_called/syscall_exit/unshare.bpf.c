/* unshare exit filler (SCAPE_UNSHARE_X). */
#include "helpers/filler.h"

SEC("tp_btf/sys_exit")
int BPF_PROG(unshare_x, struct pt_regs *regs, long ret)
{
	struct auxiliary_map *a = filler__start(SCAPE_UNSHARE_X, SCAPE_UNSHARE_X_NPARAMS);
	if (!a)
		return 0;
	/* Parameter 1: res (type: PT_ERRNO) */
	auxmap__store_s64_param(a, ret);
	/* Parameter 2: flags (type: PT_FLAGS32): PPM_CL_* */
	auxmap__store_u32_param(a, flags__clone_to_scap(ARG(0)));
	auxmap__submit_event(a);
	return 0;
}
