/* signalfd4 exit filler (SCAPE_SIGNALFD4_X). */
#include "helpers/filler.h"

SEC("tp_btf/sys_exit")
int BPF_PROG(signalfd4_x, struct pt_regs *regs, long ret)
{
	struct auxiliary_map *a = filler__start(SCAPE_SIGNALFD4_X, SCAPE_SIGNALFD4_X_NPARAMS);
	if (!a)
		return 0;
	__u32 mask = 0;
	bpf_probe_read_user(&mask, sizeof(mask), (void *)ARG(1));
	/* Parameter 1: res (type: PT_FD) */
	auxmap__store_s64_param(a, ret);
	/* Parameter 2: flags (type: PT_FLAGS16): PPM_O_NONBLOCK / PPM_O_CLOEXEC (libs renders these with the
	 * file_flags table) */
	auxmap__store_u16_param(a, flags__fd_to_scap(ARG(3)) & (PPM_O_NONBLOCK | PPM_O_CLOEXEC));
	/* Parameter 3: fd (type: PT_FD): -1 = a new signalfd, else the one updated */
	auxmap__store_s64_param(a, (__s32)ARG(0));
	/* Parameter 4: mask (type: PT_UINT32): signals 1-32 of the mask */
	auxmap__store_u32_param(a, mask);
	auxmap__submit_event(a);
	return 0;
}
