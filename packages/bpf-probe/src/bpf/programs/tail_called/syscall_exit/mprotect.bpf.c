/* mprotect exit filler (SCAPE_MPROTECT_X). */
#include "helpers/filler.h"

SEC("tp_btf/sys_exit")
int BPF_PROG(mprotect_x, struct pt_regs *regs, long ret)
{
	struct auxiliary_map *a = filler__start(SCAPE_MPROTECT_X, SCAPE_MPROTECT_X_NPARAMS);
	if (!a)
		return 0;
	/* Parameter 1: res (type: PT_ERRNO) */
	auxmap__store_s64_param(a, ret);
	/* Parameter 2: addr (type: PT_UINT64) */
	auxmap__store_u64_param(a, ARG(0));
	/* Parameter 3: length (type: PT_UINT64) */
	auxmap__store_u64_param(a, ARG(1));
	/* Parameter 4: prot (type: PT_FLAGS32) */
	auxmap__store_u32_param(a, flags__prot_to_scap(ARG(2)));
	auxmap__submit_event(a);
	return 0;
}
