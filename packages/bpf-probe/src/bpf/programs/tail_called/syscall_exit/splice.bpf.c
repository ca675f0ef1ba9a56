/* splice exit filler (SCAPE_SPLICE_X). */
#include "helpers/filler.h"

SEC("tp_btf/sys_exit")
int BPF_PROG(splice_x, struct pt_regs *regs, long ret)
{
	struct auxiliary_map *a = filler__start(SCAPE_SPLICE_X, SCAPE_SPLICE_X_NPARAMS);
	if (!a)
		return 0;
	/* Parameter 1: res (type: PT_ERRNO) */
	auxmap__store_s64_param(a, ret);
	/* Parameter 2: fd_in (type: PT_FD) */
	auxmap__store_s64_param(a, (__s32)ARG(0));
	/* Parameter 3: fd_out (type: PT_FD) */
	auxmap__store_s64_param(a, (__s32)ARG(2));
	/* Parameter 4: size (type: PT_UINT64) */
	auxmap__store_u64_param(a, ARG(4));
	/* Parameter 5: flags (type: PT_FLAGS32): PPM_SPLICE_F_* equal the kernel's SPLICE_F_* bits */
	auxmap__store_u32_param(a, ARG(5) & 0xf);
	auxmap__submit_event(a);
	return 0;
}
