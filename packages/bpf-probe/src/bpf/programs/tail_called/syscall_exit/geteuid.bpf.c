/* geteuid exit filler (SCAPE_GETEUID_X). */
#include "helpers/filler.h"

SEC("tp_btf/sys_exit")
int BPF_PROG(geteuid_x, struct pt_regs *regs, long ret)
{
	struct auxiliary_map *a = filler__start(SCAPE_GETEUID_X, SCAPE_GETEUID_X_NPARAMS);
	if (!a)
		return 0;
	/* Parameter 1: euid (type: PT_UID) */
	auxmap__store_u32_param(a, ret);
	auxmap__submit_event(a);
	return 0;
}
