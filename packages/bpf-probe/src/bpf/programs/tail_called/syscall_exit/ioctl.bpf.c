/* ioctl exit filler (SCAPE_IOCTL_X). */
#include "helpers/filler.h"

SEC("tp_btf/sys_exit")
int BPF_PROG(ioctl_x, struct pt_regs *regs, long ret)
{
	struct auxiliary_map *a = filler__start(SCAPE_IOCTL_X, SCAPE_IOCTL_X_NPARAMS);
	if (!a)
		return 0;
	/* Parameter 1: res (type: PT_ERRNO) */
	auxmap__store_s64_param(a, ret);
	/* Parameter 2: fd (type: PT_FD) */
	auxmap__store_s64_param(a, (__s32)ARG(0));
	/* Parameter 3: request (type: PT_UINT64) */
	auxmap__store_u64_param(a, ARG(1));
	/* Parameter 4: argument (type: PT_UINT64) */
	auxmap__store_u64_param(a, ARG(2));
	auxmap__submit_event(a);
	return 0;
}
