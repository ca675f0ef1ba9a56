/* accept exit filler (SCAPE_ACCEPT_X). */
#include "helpers/filler.h"

SEC("tp_btf/sys_exit")
int BPF_PROG(accept_x, struct pt_regs *regs, long ret)
{
	struct auxiliary_map *a = filler__start(SCAPE_ACCEPT_X, SCAPE_ACCEPT_X_NPARAMS);
	if (!a)
		return 0;
	/* fd, tuple, queuepct, queuelen, queuemax: documented in filler__store_accept_params */
	filler__store_accept_params(a, (__s32)ARG(0), ret);
	auxmap__submit_event(a);
	return 0;
}
