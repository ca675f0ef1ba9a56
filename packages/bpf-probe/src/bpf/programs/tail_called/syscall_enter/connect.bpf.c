/* connect enter filler (SCAPE_CONNECT_E): the address asked for, before the call can fail. */
#include "helpers/filler.h"

SEC("tp_btf/sys_enter")
int BPF_PROG(connect_e, struct pt_regs *regs, long id)
{
	struct auxiliary_map *a = filler__start(SCAPE_CONNECT_E, SCAPE_CONNECT_E_NPARAMS);
	if (!a)
		return 0;
	/* Parameter 1: fd (type: PT_FD) */
	auxmap__store_s64_param(a, (__s32)ARG(0));
	/* Parameter 2: addr (type: PT_SOCKADDR) */
	auxmap__store_sockaddr_param(a, (void *)ARG(1), ARG(2));
	auxmap__submit_event(a);
	return 0;
}
