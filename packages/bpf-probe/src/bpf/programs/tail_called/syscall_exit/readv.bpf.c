/* readv exit filler (SCAPE_READV_X). */
#include "helpers/filler.h"

SEC("tp_btf/sys_exit")
int BPF_PROG(readv_x, struct pt_regs *regs, long ret)
{
	struct auxiliary_map *a = filler__start(SCAPE_READV_X, SCAPE_READV_X_NPARAMS);
	if (!a)
		return 0;
	const struct iovec *iov = (const struct iovec *)ARG(1);
	__u32 iovcnt = ARG(2);
	/* Parameter 1: res (type: PT_ERRNO) */
	auxmap__store_s64_param(a, ret);
	/* Parameter 2: size (type: PT_UINT32): the total of the vectors (the first PROBE_MAX_IOVCNT) */
	auxmap__store_u32_param(a, auxmap__iovec_total_len(iov, iovcnt));
	/* Parameter 3: data (type: PT_BYTEBUF) */
	auxmap__store_iovec_data_param(a, iov, iovcnt, ret);
	/* Parameter 4: fd (type: PT_FD) */
	auxmap__store_s64_param(a, (__s32)ARG(0));
	auxmap__submit_event(a);
	return 0;
}
