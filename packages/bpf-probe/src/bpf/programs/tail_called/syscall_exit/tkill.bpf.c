/* tkill exit filler (SCAPE_TKILL_X). */
#include "helpers/filler.h"

SEC("tp_btf/sys_exit")
int BPF_PROG(tkill_x, struct pt_regs *regs, long ret)
{
	struct auxiliary_map *a = filler__start(SCAPE_TKILL_X, SCAPE_TKILL_X_NPARAMS);
	if (!a)
		return 0;
	/* Parameter 1: res (type: PT_ERRNO) */
	auxmap__store_s64_param(a, ret);
	/* Parameter 2: tid (type: PT_PID) */
	auxmap__store_s64_param(a, (__s32)ARG(0));
	/* Parameter 3: sig (type: PT_SIGTYPE) */
	auxmap__store_u8_param(a, ARG(1));
	auxmap__submit_event(a);
	return 0;
}
