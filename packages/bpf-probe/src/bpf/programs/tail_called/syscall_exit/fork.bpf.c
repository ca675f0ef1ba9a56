/* fork exit filler (SCAPE_FORK_X); emitted by the parent (res = child tid) and by the child (res = 0). */
#include "helpers/proc.h"

SEC("tp_btf/sys_exit")
int BPF_PROG(fork_x, struct pt_regs *regs, long ret)
{
	struct auxiliary_map *a = filler__start(SCAPE_FORK_X, SCAPE_FORK_X_NPARAMS);
	if (!a)
		return 0;
	/* Parameters 1-21; fork has no flags */
	proc__store_clone_params(a, ret, 0);
	auxmap__submit_event(a);
	return 0;
}
