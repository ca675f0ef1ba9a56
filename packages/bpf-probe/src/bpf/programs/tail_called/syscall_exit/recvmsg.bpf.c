/* recvmsg exit filler (SCAPE_RECVMSG_X). */
#include "helpers/filler.h"

SEC("tp_btf/sys_exit")
int BPF_PROG(recvmsg_x, struct pt_regs *regs, long ret)
{
	struct auxiliary_map *a = filler__start(SCAPE_RECVMSG_X, SCAPE_RECVMSG_X_NPARAMS);
	if (!a)
		return 0;
	__s32 fd = ARG(0);
	struct user_msghdr m = {};
	bool have = ret >= 0 && !bpf_probe_read_user(&m, sizeof(m), (void *)ARG(1));
	/* Parameter 1: res (type: PT_ERRNO) */
	auxmap__store_s64_param(a, ret);
	/* Parameter 2: size (type: PT_UINT32): bytes received (0 on failure), as libs */
	auxmap__store_u32_param(a, ret > 0 ? ret : 0);
	/* Parameter 3: data (type: PT_BYTEBUF): up to snaplen */
	if (have)
		auxmap__store_msghdr_data_param(a, &m, ret);
	else
		auxmap__store_empty_param(a);
	/* Parameter 4: tuple (type: PT_SOCKTUPLE): remote -> local; msg_name (filled by the kernel) when not
	 * connected */
	if (have)
		auxmap__store_socktuple_param(a, fd, SOCKTUPLE_INBOUND, m.msg_name);
	else
		auxmap__store_empty_param(a);
	/* Parameter 5: msgcontrol (type: PT_BYTEBUF): ancillary data, msg_controllen bytes as returned */
	if (have)
		auxmap__store_msg_control_param(a, &m);
	else
		auxmap__store_empty_param(a);
	/* Parameter 6: fd (type: PT_FD) */
	auxmap__store_s64_param(a, fd);
	auxmap__submit_event(a);
	return 0;
}
