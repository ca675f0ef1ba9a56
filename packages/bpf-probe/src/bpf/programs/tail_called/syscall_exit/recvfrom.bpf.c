/* recvfrom exit filler (SCAPE_RECVFROM_X). */
#include "helpers/filler.h"

SEC("tp_btf/sys_exit")
int BPF_PROG(recvfrom_x, struct pt_regs *regs, long ret)
{
	struct auxiliary_map *a = filler__start(SCAPE_RECVFROM_X, SCAPE_RECVFROM_X_NPARAMS);
	if (!a)
		return 0;
	__s32 fd = ARG(0);
	/* Parameter 1: res (type: PT_ERRNO) */
	auxmap__store_s64_param(a, ret);
	/* Parameter 2: data (type: PT_BYTEBUF) */
	auxmap__store_io_data_param(a, (void *)ARG(1), ret);
	/* Parameter 3: tuple (type: PT_SOCKTUPLE): remote -> local; the sender's address (src_addr, filled
	 * by the kernel) when the socket is not connected (UDP) */
	if (ret >= 0)
		auxmap__store_socktuple_param(a, fd, SOCKTUPLE_INBOUND, (void *)ARG(4));
	else
		auxmap__store_empty_param(a);
	/* Parameter 4: fd (type: PT_FD) */
	auxmap__store_s64_param(a, fd);
	/* Parameter 5: size (type: PT_UINT32) */
	auxmap__store_u32_param(a, ARG(2));
	auxmap__submit_event(a);
	return 0;
}
