/* eventfd exit filler (SCAPE_EVENTFD_X). */
#include "helpers/filler.h"

SEC("tp_btf/sys_exit")
int BPF_PROG(eventfd_x, struct pt_regs *regs, long ret)
{
	struct auxiliary_map *a = filler__start(SCAPE_EVENTFD_X, SCAPE_EVENTFD_X_NPARAMS);
	if (!a)
		return 0;
	/* Parameter 1: res (type: PT_FD) */
	auxmap__store_s64_param(a, ret);
	/* Parameter 2: initval (type: PT_UINT64) */
	auxmap__store_u64_param(a, (__u32)ARG(0));
	/* Parameter 3: flags (type: PT_UINT32): eventfd(2) takes none */
	auxmap__store_u32_param(a, 0);
	auxmap__submit_event(a);
	return 0;
}
