/* getuid exit filler (SCAPE_GETUID_X). */
#include "helpers/filler.h"

SEC("tp_btf/sys_exit")
int BPF_PROG(getuid_x, struct pt_regs *regs, long ret)
{
	struct auxiliary_map *a = filler__start(SCAPE_GETUID_X, SCAPE_GETUID_X_NPARAMS);
	if (!a)
		return 0;
	/* Parameter 1: uid (type: PT_UID) */
	auxmap__store_u32_param(a, ret);
	auxmap__submit_event(a);
	return 0;
}
