/* sendto exit filler (SCAPE_SENDTO_X). */
#include "helpers/filler.h"

SEC("tp_btf/sys_exit")
int BPF_PROG(sendto_x, struct pt_regs *regs, long ret)
{
	struct auxiliary_map *a = filler__start(SCAPE_SENDTO_X, SCAPE_SENDTO_X_NPARAMS);
	if (!a)
		return 0;
	__s32 fd = ARG(0);
	/* Parameter 1: res (type: PT_ERRNO) */
	auxmap__store_s64_param(a, ret);
	/* Parameter 2: data (type: PT_BYTEBUF) */
	auxmap__store_io_data_param(a, (void *)ARG(1), ret > 0 ? ret : (long)ARG(2));
	/* Parameter 3: fd (type: PT_FD) */
	auxmap__store_s64_param(a, fd);
	/* Parameter 4: size (type: PT_UINT32) */
	auxmap__store_u32_param(a, ARG(2));
	/* Parameter 5: tuple (type: PT_SOCKTUPLE) */
	auxmap__store_socktuple_param(a, fd, SOCKTUPLE_OUTBOUND, (void *)ARG(4));
	auxmap__submit_event(a);
	return 0;
}
