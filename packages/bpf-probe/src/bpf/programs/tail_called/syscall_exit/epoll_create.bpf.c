/* epoll_create exit filler (SCAPE_EPOLL_CREATE_X). */
#include "helpers/filler.h"

SEC("tp_btf/sys_exit")
int BPF_PROG(epoll_create_x, struct pt_regs *regs, long ret)
{
	struct auxiliary_map *a = filler__start(SCAPE_EPOLL_CREATE_X, SCAPE_EPOLL_CREATE_X_NPARAMS);
	if (!a)
		return 0;
	/* Parameter 1: res (type: PT_ERRNO) */
	auxmap__store_s64_param(a, ret);
	/* Parameter 2: size (type: PT_INT32) */
	auxmap__store_u32_param(a, (__s32)ARG(0));
	auxmap__submit_event(a);
	return 0;
}
