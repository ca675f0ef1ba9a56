/* sendfile exit filler (SCAPE_SENDFILE_X). */
#include "helpers/filler.h"

SEC("tp_btf/sys_exit")
int BPF_PROG(sendfile_x, struct pt_regs *regs, long ret)
{
	struct auxiliary_map *a = filler__start(SCAPE_SENDFILE_X, SCAPE_SENDFILE_X_NPARAMS);
	if (!a)
		return 0;
	__u64 offset = 0;
	if (ARG(2))
		bpf_probe_read_user(&offset, sizeof(offset), (void *)ARG(2));
	/* Parameter 1: res (type: PT_ERRNO) */
	auxmap__store_s64_param(a, ret);
	/* Parameter 2: offset (type: PT_UINT64): *offset as the call left it (0 without one) */
	auxmap__store_u64_param(a, offset);
	/* Parameter 3: out_fd (type: PT_FD) */
	auxmap__store_s64_param(a, (__s32)ARG(0));
	/* Parameter 4: in_fd (type: PT_FD) */
	auxmap__store_s64_param(a, (__s32)ARG(1));
	/* Parameter 5: size (type: PT_UINT64) */
	auxmap__store_u64_param(a, ARG(3));
	auxmap__submit_event(a);
	return 0;
}
