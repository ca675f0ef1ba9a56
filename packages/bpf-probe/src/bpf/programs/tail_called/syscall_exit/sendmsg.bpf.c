/* sendmsg exit filler (SCAPE_SENDMSG_X). */
#include "helpers/filler.h"

SEC("tp_btf/sys_exit")
int BPF_PROG(sendmsg_x, struct pt_regs *regs, long ret)
{
	struct auxiliary_map *a = filler__start(SCAPE_SENDMSG_X, SCAPE_SENDMSG_X_NPARAMS);
	if (!a)
		return 0;
	__s32 fd = ARG(0);
	struct user_msghdr m = {};
	bool have = !bpf_probe_read_user(&m, sizeof(m), (void *)ARG(1));
	__u32 size = have ? auxmap__iovec_total_len(m.msg_iov, m.msg_iovlen) : 0;
	/* Parameter 1: res (type: PT_ERRNO) */
	auxmap__store_s64_param(a, ret);
	/* Parameter 2: data (type: PT_BYTEBUF): what was sent (all of it when the call failed), up to snaplen */
	if (have)
		auxmap__store_msghdr_data_param(a, &m, ret > 0 ? ret : (long)size);
	else
		auxmap__store_empty_param(a);
	/* Parameter 3: fd (type: PT_FD) */
	auxmap__store_s64_param(a, fd);
	/* Parameter 4: size (type: PT_UINT32): the total of the vectors (the first PROBE_MAX_IOVCNT) */
	auxmap__store_u32_param(a, size);
	/* Parameter 5: tuple (type: PT_SOCKTUPLE): local -> remote; msg_name is the remote when not connected */
	auxmap__store_socktuple_param(a, fd, SOCKTUPLE_OUTBOUND, have ? m.msg_name : NULL);
	auxmap__submit_event(a);
	return 0;
}
