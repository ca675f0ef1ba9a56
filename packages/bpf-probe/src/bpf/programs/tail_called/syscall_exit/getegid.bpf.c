/* getegid exit filler (SCAPE_GETEGID_X). */
#include "helpers/filler.h"

SEC("tp_btf/sys_exit")
int BPF_PROG(getegid_x, struct pt_regs *regs, long ret)
{
	struct auxiliary_map *a = filler__start(SCAPE_GETEGID_X, SCAPE_GETEGID_X_NPARAMS);
	if (!a)
		return 0;
	/* Parameter 1: egid (type: PT_GID) */
	auxmap__store_u32_param(a, ret);
	auxmap__submit_event(a);
	return 0;
}
