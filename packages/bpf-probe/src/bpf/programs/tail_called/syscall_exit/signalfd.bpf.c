/* signalfd exit filler (SCAPE_SIGNALFD_X). */
#include "helpers/filler.h"

SEC("tp_btf/sys_exit")
int BPF_PROG(signalfd_x, struct pt_regs *regs, long ret)
{
	struct auxiliary_map *a = filler__start(SCAPE_SIGNALFD_X, SCAPE_SIGNALFD_X_NPARAMS);
	if (!a)
		return 0;
	__u32 mask = 0;
	bpf_probe_read_user(&mask, sizeof(mask), (void *)ARG(1));
	/* Parameter 1: res (type: PT_FD) */
	auxmap__store_s64_param(a, ret);
	/* Parameter 2: fd (type: PT_FD): -1 = a new signalfd, else the one updated */
	auxmap__store_s64_param(a, (__s32)ARG(0));
	/* Parameter 3: mask (type: PT_UINT32): signals 1-32 of the mask */
	auxmap__store_u32_param(a, mask);
	/* Parameter 4: flags (type: PT_UINT8): signalfd(2) takes none */
	auxmap__store_u8_param(a, 0);
	auxmap__submit_event(a);
	return 0;
}
