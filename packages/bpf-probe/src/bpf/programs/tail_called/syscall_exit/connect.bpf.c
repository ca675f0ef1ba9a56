/* connect exit filler (SCAPE_CONNECT_X). */
#include "helpers/filler.h"

SEC("tp_btf/sys_exit")
int BPF_PROG(connect_x, struct pt_regs *regs, long ret)
{
	struct auxiliary_map *a = filler__start(SCAPE_CONNECT_X, SCAPE_CONNECT_X_NPARAMS);
	if (!a)
		return 0;
	__s32 fd = ARG(0);
	/* Parameter 1: res (type: PT_ERRNO) */
	auxmap__store_s64_param(a, ret);
	/* Parameter 2: tuple (type: PT_SOCKTUPLE): only once connected (or connecting) */
	if (ret == 0 || ret == -115 /* EINPROGRESS */)
		auxmap__store_socktuple_param(a, fd, SOCKTUPLE_OUTBOUND, (void *)ARG(1));
	else
		auxmap__store_empty_param(a);
	/* Parameter 3: fd (type: PT_FD) */
	auxmap__store_s64_param(a, fd);
	/* Parameter 4: addr (type: PT_SOCKADDR) */
	auxmap__store_sockaddr_param(a, (void *)ARG(1), ARG(2));
	auxmap__submit_event(a);
	return 0;
}
