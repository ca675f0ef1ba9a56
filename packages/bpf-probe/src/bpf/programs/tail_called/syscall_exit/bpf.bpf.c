/* bpf exit filler (SCAPE_BPF_X). */
#include "helpers/filler.h"

SEC("tp_btf/sys_exit")
int BPF_PROG(bpf_x, struct pt_regs *regs, long ret)
{
	struct auxiliary_map *a = filler__start(SCAPE_BPF_X, SCAPE_BPF_X_NPARAMS);
	if (!a)
		return 0;
	/* Parameter 1: fd (type: PT_FD): the new fd, a result, or the error */
	auxmap__store_s64_param(a, ret);
	/* Parameter 2: cmd (type: PT_ENUMFLAGS32): PPM_BPF_* equal the kernel's bpf_cmd */
	auxmap__store_u32_param(a, (__s32)ARG(0));
	auxmap__submit_event(a);
	return 0;
}
