/* setreuid exit filler (SCAPE_SETREUID_X). */
#include "helpers/filler.h"

SEC("tp_btf/sys_exit")
int BPF_PROG(setreuid_x, struct pt_regs *regs, long ret)
{
	struct auxiliary_map *a = filler__start(SCAPE_SETREUID_X, SCAPE_SETREUID_X_NPARAMS);
	if (!a)
		return 0;
	/* Parameter 1: res (type: PT_ERRNO) */
	auxmap__store_s64_param(a, ret);
	/* Parameter 2: ruid (type: PT_UID) */
	auxmap__store_u32_param(a, ARG(0));
	/* Parameter 3: euid (type: PT_UID) */
	auxmap__store_u32_param(a, ARG(1));
	auxmap__submit_event(a);
	return 0;
}
