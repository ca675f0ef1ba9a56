/* pipe exit filler (SCAPE_PIPE_X). */
#include "helpers/filler.h"

SEC("tp_btf/sys_exit")
int BPF_PROG(pipe_x, struct pt_regs *regs, long ret)
{
	struct auxiliary_map *a = filler__start(SCAPE_PIPE_X, SCAPE_PIPE_X_NPARAMS);
	if (!a)
		return 0;
	int fds[2] = {-1, -1};
	__u32 dev;
	__u64 ino = 0;
	if (ret == 0 && !bpf_probe_read_user(fds, sizeof(fds), (void *)ARG(0)))
		extract__file_dev_ino(extract__file_from_fd(fds[0]), &dev, &ino);
	/* Parameter 1: res (type: PT_ERRNO) */
	auxmap__store_s64_param(a, ret);
	/* Parameter 2: fd1 (type: PT_FD) */
	auxmap__store_s64_param(a, fds[0]);
	/* Parameter 3: fd2 (type: PT_FD) */
	auxmap__store_s64_param(a, fds[1]);
	/* Parameter 4: ino (type: PT_UINT64) */
	auxmap__store_u64_param(a, ino);
	auxmap__submit_event(a);
	return 0;
}
