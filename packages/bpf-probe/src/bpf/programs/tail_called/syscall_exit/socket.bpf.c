/* socket exit filler (SCAPE_SOCKET_X). */
#include "helpers/filler.h"

SEC("tp_btf/sys_exit")
int BPF_PROG(socket_x, struct pt_regs *regs, long ret)
{
	struct auxiliary_map *a = filler__start(SCAPE_SOCKET_X, SCAPE_SOCKET_X_NPARAMS);
	if (!a)
		return 0;
	unsigned long type = ARG(1);
	/* Parameter 1: fd (type: PT_FD) */
	auxmap__store_s64_param(a, ret);
	/* Parameter 2: domain (type: PT_ENUMFLAGS32): PPM_AF_* equal the kernel AF_* values */
	auxmap__store_u32_param(a, ARG(0));
	/* Parameter 3: type (type: PT_UINT32): as passed, SOCK_NONBLOCK/SOCK_CLOEXEC bits included */
	auxmap__store_u32_param(a, type);
	/* Parameter 4: proto (type: PT_UINT32) */
	auxmap__store_u32_param(a, ARG(2));
	/* Parameter 5: flags (type: PT_FLAGS32): SOCK_NONBLOCK/SOCK_CLOEXEC (O_NONBLOCK/O_CLOEXEC) in PPM_O_* bits */
	auxmap__store_u32_param(a, flags__fd_to_scap(type & (O_NONBLOCK | O_CLOEXEC)));
	auxmap__submit_event(a);
	return 0;
}
