/* seccomp exit filler (SCAPE_SECCOMP_X). */
#include "helpers/filler.h"

SEC("tp_btf/sys_exit")
int BPF_PROG(seccomp_x, struct pt_regs *regs, long ret)
{
	struct auxiliary_map *a = filler__start(SCAPE_SECCOMP_X, SCAPE_SECCOMP_X_NPARAMS);
	if (!a)
		return 0;
	/* Parameter 1: res (type: PT_ERRNO) */
	auxmap__store_s64_param(a, ret);
	/* Parameter 2: op (type: PT_UINT64) */
	auxmap__store_u64_param(a, ARG(0));
	/* Parameter 3: flags (type: PT_UINT64) */
	auxmap__store_u64_param(a, ARG(1));
	auxmap__submit_event(a);
	return 0;
}
