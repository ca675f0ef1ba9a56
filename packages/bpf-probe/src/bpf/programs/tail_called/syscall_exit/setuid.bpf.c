/* setuid exit filler (SCAPE_SETUID_X). */
#include "helpers/filler.h"

SEC("tp_btf/sys_exit")
int BPF_PROG(setuid_x, struct pt_regs *regs, long ret)
{
	struct auxiliary_map *a = filler__start(SCAPE_SETUID_X, SCAPE_SETUID_X_NPARAMS);
	if (!a)
		return 0;
	/* Parameter 1: res (type: PT_ERRNO) */
	auxmap__store_s64_param(a, ret);
	/* Parameter 2: uid (type: PT_UID) */
	auxmap__store_u32_param(a, ARG(0));
	auxmap__submit_event(a);
	return 0;
}
