/* poll exit filler (SCAPE_POLL_X). */
#include "helpers/filler.h"

SEC("tp_btf/sys_exit")
int BPF_PROG(poll_x, struct pt_regs *regs, long ret)
{
	struct auxiliary_map *a = filler__start(SCAPE_POLL_X, SCAPE_POLL_X_NPARAMS);
	if (!a)
		return 0;
	/* Parameter 1: res (type: PT_ERRNO) */
	auxmap__store_s64_param(a, ret);
	/* Parameter 2: fds (type: PT_FDLIST): the returned events */
	auxmap__store_fdlist_param(a, (const struct pollfd *)ARG(0), ARG(1), true);
	/* Parameter 3: timeout (type: PT_INT64): ms */
	auxmap__store_s64_param(a, (__s32)ARG(2));
	auxmap__submit_event(a);
	return 0;
}
