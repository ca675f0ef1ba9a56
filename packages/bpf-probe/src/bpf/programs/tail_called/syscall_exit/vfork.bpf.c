/* vfork exit filler (SCAPE_VFORK_X); emitted by the parent (res = child tid) and by the child (res = 0). */
#include "helpers/proc.h"

SEC("tp_btf/sys_exit")
int BPF_PROG(vfork_x, struct pt_regs *regs, long ret)
{
	struct auxiliary_map *a = filler__start(SCAPE_VFORK_X, SCAPE_VFORK_X_NPARAMS);
	if (!a)
		return 0;
	/* Parameters 1-21; vfork is clone(CLONE_VFORK | CLONE_VM) */
	proc__store_clone_params(a, ret, PPM_CL_CLONE_VFORK | PPM_CL_CLONE_VM);
	auxmap__submit_event(a);
	return 0;
}
