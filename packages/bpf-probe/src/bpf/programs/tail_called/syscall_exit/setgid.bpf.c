/* setgid exit filler (SCAPE_SETGID_X). */
#include "helpers/filler.h"

SEC("tp_btf/sys_exit")
int BPF_PROG(setgid_x, struct pt_regs *regs, long ret)
{
	struct auxiliary_map *a = filler__start(SCAPE_SETGID_X, SCAPE_SETGID_X_NPARAMS);
	if (!a)
		return 0;
	/* Parameter 1: res (type: PT_ERRNO) */
	auxmap__store_s64_param(a, ret);
	/* Parameter 2: gid (type: PT_GID) */
	auxmap__store_u32_param(a, ARG(0));
	auxmap__submit_event(a);
	return 0;
}
