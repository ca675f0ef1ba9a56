/* ppoll exit filler (SCAPE_PPOLL_X). */
#include "helpers/filler.h"

SEC("tp_btf/sys_exit")
int BPF_PROG(ppoll_x, struct pt_regs *regs, long ret)
{
	struct auxiliary_map *a = filler__start(SCAPE_PPOLL_X, SCAPE_PPOLL_X_NPARAMS);
	if (!a)
		return 0;
	struct __kernel_timespec ts = {};
	__u64 timeout = 0;
	if (ARG(2) && !bpf_probe_read_user(&ts, sizeof(ts), (void *)ARG(2)))
		timeout = ts.tv_sec * 1000000000ULL + ts.tv_nsec;
	__u32 sigmask = 0;
	if (ARG(3))
		bpf_probe_read_user(&sigmask, sizeof(sigmask), (void *)ARG(3));
	/* Parameter 1: res (type: PT_ERRNO) */
	auxmap__store_s64_param(a, ret);
	/* Parameter 2: fds (type: PT_FDLIST): the returned events */
	auxmap__store_fdlist_param(a, (const struct pollfd *)ARG(0), ARG(1), true);
	/* Parameter 3: timeout (type: PT_RELTIME): ns, as the call left it (the kernel writes the time left
	 * back), 0 without a timeout (as libs) */
	auxmap__store_u64_param(a, timeout);
	/* Parameter 4: sigmask (type: PT_SIGSET): signals 1-32 */
	auxmap__store_u32_param(a, sigmask);
	auxmap__submit_event(a);
	return 0;
}
