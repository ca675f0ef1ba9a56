/* clone exit filler (SCAPE_CLONE_X); emitted by the parent (res = child tid) and by the child (res = 0). */
#include "helpers/proc.h"

SEC("tp_btf/sys_exit")
int BPF_PROG(clone_x, struct pt_regs *regs, long ret)
{
	struct auxiliary_map *a = filler__start(SCAPE_CLONE_X, SCAPE_CLONE_X_NPARAMS);
	if (!a)
		return 0;
	/* Parameters 1-21; clone(flags, ...): the flags are argument 1 */
	proc__store_clone_params(a, ret, flags__clone_to_scap(ARG(0)));
	auxmap__submit_event(a);
	return 0;
}
