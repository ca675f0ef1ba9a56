/* setsockopt exit filler (SCAPE_SETSOCKOPT_X). */
#include "helpers/filler.h"

SEC("tp_btf/sys_exit")
int BPF_PROG(setsockopt_x, struct pt_regs *regs, long ret)
{
	struct auxiliary_map *a = filler__start(SCAPE_SETSOCKOPT_X, SCAPE_SETSOCKOPT_X_NPARAMS);
	if (!a)
		return 0;
	int level = ARG(1), optname = ARG(2);
	int optlen = ARG(4);
	/* res, fd, level, optname, val, optlen: documented in filler__store_sockopt_params */
	filler__store_sockopt_params(a, ret, (__s32)ARG(0), level, optname, optlen, (void *)ARG(3));
	auxmap__submit_event(a);
	return 0;
}
