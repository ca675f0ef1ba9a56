/* shutdown exit filler (SCAPE_SHUTDOWN_X). */
#include "helpers/filler.h"

SEC("tp_btf/sys_exit")
int BPF_PROG(shutdown_x, struct pt_regs *regs, long ret)
{
	struct auxiliary_map *a = filler__start(SCAPE_SHUTDOWN_X, SCAPE_SHUTDOWN_X_NPARAMS);
	if (!a)
		return 0;
	/* Parameter 1: res (type: PT_ERRNO) */
	auxmap__store_s64_param(a, ret);
	/* Parameter 2: fd (type: PT_FD) */
	auxmap__store_s64_param(a, (__s32)ARG(0));
	/* Parameter 3: how (type: PT_ENUMFLAGS8): PPM_SHUT_RD/WR/RDWR have the kernel's values 0/1/2 */
	auxmap__store_u8_param(a, ARG(1));
	auxmap__submit_event(a);
	return 0;
}
