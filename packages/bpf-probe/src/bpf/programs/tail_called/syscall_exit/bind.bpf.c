/* bind exit filler (SCAPE_BIND_X). */
#include "helpers/filler.h"

SEC("tp_btf/sys_exit")
int BPF_PROG(bind_x, struct pt_regs *regs, long ret)
{
	struct auxiliary_map *a = filler__start(SCAPE_BIND_X, SCAPE_BIND_X_NPARAMS);
	if (!a)
		return 0;
	/* Parameter 1: res (type: PT_ERRNO) */
	auxmap__store_s64_param(a, ret);
	/* Parameter 2: addr (type: PT_SOCKADDR) */
	auxmap__store_sockaddr_param(a, (void *)ARG(1), ARG(2));
	/* Parameter 3: fd (type: PT_FD) */
	auxmap__store_s64_param(a, (__s32)ARG(0));
	auxmap__submit_event(a);
	return 0;
}
