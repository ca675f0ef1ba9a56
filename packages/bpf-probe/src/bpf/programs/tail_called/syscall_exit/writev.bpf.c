/* writev exit filler (SCAPE_WRITEV_X). */
#include "helpers/filler.h"

SEC("tp_btf/sys_exit")
int BPF_PROG(writev_x, struct pt_regs *regs, long ret)
{
	struct auxiliary_map *a = filler__start(SCAPE_WRITEV_X, SCAPE_WRITEV_X_NPARAMS);
	if (!a)
		return 0;
	const struct iovec *iov = (const struct iovec *)ARG(1);
	__u32 iovcnt = ARG(2);
	__u32 size = auxmap__iovec_total_len(iov, iovcnt);
	/* Parameter 1: res (type: PT_ERRNO) */
	auxmap__store_s64_param(a, ret);
	/* Parameter 2: data (type: PT_BYTEBUF) */
	auxmap__store_iovec_data_param(a, iov, iovcnt, ret > 0 ? ret : (long)size);
	/* Parameter 3: fd (type: PT_FD) */
	auxmap__store_s64_param(a, (__s32)ARG(0));
	/* Parameter 4: size (type: PT_UINT32) */
	auxmap__store_u32_param(a, size);
	auxmap__submit_event(a);
	return 0;
}
