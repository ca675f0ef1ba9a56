/* accept4 exit filler (SCAPE_ACCEPT4_X). */
#include "helpers/filler.h"

SEC("tp_btf/sys_exit")
int BPF_PROG(accept4_x, struct pt_regs *regs, long ret)
{
	struct auxiliary_map *a = filler__start(SCAPE_ACCEPT4_X, SCAPE_ACCEPT4_X_NPARAMS);
	if (!a)
		return 0;
	/* The listening socket's accept queue, after this accept took its connection. */
	struct socket *listener = extract__socket_from_file(extract__file_from_fd((__s32)ARG(0)));
	struct sock *lsk = listener ? BPF_CORE_READ(listener, sk) : NULL;
	__u32 queuelen = lsk ? BPF_CORE_READ(lsk, sk_ack_backlog) : 0;
	__u32 queuemax = lsk ? BPF_CORE_READ(lsk, sk_max_ack_backlog) : 0;
	/* Parameter 1: fd (type: PT_FD) */
	auxmap__store_s64_param(a, ret);
	/* Parameter 2: tuple (type: PT_SOCKTUPLE): remote -> local of the new connection */
	if (ret >= 0)
		auxmap__store_socktuple_param(a, ret, SOCKTUPLE_INBOUND, NULL);
	else
		auxmap__store_empty_param(a);
	/* Parameter 3: queuepct (type: PT_UINT8) */
	auxmap__store_u8_param(a, queuemax ? (__u8)(queuelen * 100 / queuemax) : 0);
	/* Parameter 4: queuelen (type: PT_UINT32) */
	auxmap__store_u32_param(a, queuelen);
	/* Parameter 5: queuemax (type: PT_UINT32) */
	auxmap__store_u32_param(a, queuemax);
	/* Parameter 6: flags (type: PT_INT32): as passed (SOCK_NONBLOCK, SOCK_CLOEXEC) */
	auxmap__store_u32_param(a, (__s32)ARG(3));
	auxmap__submit_event(a);
	return 0;
}
