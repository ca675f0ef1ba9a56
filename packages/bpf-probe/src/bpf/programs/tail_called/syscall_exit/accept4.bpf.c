/* accept4 exit filler (SCAPE_ACCEPT4_X). */
#include "helpers/filler.h"

SEC("tp_btf/sys_exit")
int BPF_PROG(accept4_x, struct pt_regs *regs, long ret)
{
	struct auxiliary_map *a = filler__start(SCAPE_ACCEPT4_X, SCAPE_ACCEPT4_X_NPARAMS);
	if (!a)
		return 0;
	/* fd, tuple, queuepct, queuelen, queuemax: documented in filler__store_accept_params */
	filler__store_accept_params(a, (__s32)ARG(0), ret);
	/* Parameter 6: flags (type: PT_INT32): as passed (SOCK_NONBLOCK, SOCK_CLOEXEC) */
	auxmap__store_u32_param(a, (__s32)ARG(3));
	auxmap__submit_event(a);
	return 0;
}
