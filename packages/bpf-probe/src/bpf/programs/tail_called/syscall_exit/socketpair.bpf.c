/* socketpair exit filler (SCAPE_SOCKETPAIR_X). */
#include "helpers/filler.h"

SEC("tp_btf/sys_exit")
int BPF_PROG(socketpair_x, struct pt_regs *regs, long ret)
{
	struct auxiliary_map *a = filler__start(SCAPE_SOCKETPAIR_X, SCAPE_SOCKETPAIR_X_NPARAMS);
	if (!a)
		return 0;
	int fds[2] = {-1, -1};
	struct sock *sk = NULL, *peer = NULL;
	if (ret == 0 && !bpf_probe_read_user(fds, sizeof(fds), (void *)ARG(3))) {
		struct socket *sock = extract__socket_from_file(extract__file_from_fd(fds[0]));
		sk = sock ? BPF_CORE_READ(sock, sk) : NULL;
		/* The two ends of a unix pair are each other's peer. */
		peer = sk ? BPF_CORE_READ((struct unix_sock *)sk, peer) : NULL;
	}
	/* Parameter 1: res (type: PT_ERRNO) */
	auxmap__store_s64_param(a, ret);
	/* Parameter 2: fd1 (type: PT_FD) */
	auxmap__store_s64_param(a, fds[0]);
	/* Parameter 3: fd2 (type: PT_FD) */
	auxmap__store_s64_param(a, fds[1]);
	/* Parameter 4: source (type: PT_UINT64): the first end's kernel socket */
	auxmap__store_u64_param(a, (__u64)sk);
	/* Parameter 5: peer (type: PT_UINT64): the second end's */
	auxmap__store_u64_param(a, (__u64)peer);
	/* Parameter 6: domain (type: PT_ENUMFLAGS32) */
	auxmap__store_u32_param(a, ARG(0));
	/* Parameter 7: type (type: PT_UINT32) */
	auxmap__store_u32_param(a, ARG(1));
	/* Parameter 8: proto (type: PT_UINT32) */
	auxmap__store_u32_param(a, ARG(2));
	auxmap__submit_event(a);
	return 0;
}
