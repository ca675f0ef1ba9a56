/* symlinkat exit filler (SCAPE_SYMLINKAT_X). */
#include "helpers/filler.h"

SEC("tp_btf/sys_exit")
int BPF_PROG(symlinkat_x, struct pt_regs *regs, long ret)
{
	struct auxiliary_map *a = filler__start(SCAPE_SYMLINKAT_X, SCAPE_SYMLINKAT_X_NPARAMS);
	if (!a)
		return 0;
	/* Parameter 1: res (type: PT_ERRNO) */
	auxmap__store_s64_param(a, ret);
	/* Parameter 2: target (type: PT_CHARBUF) */
	auxmap__store_charbuf_param(a, (void *)ARG(0), PROBE_MAX_PATH, true);
	/* Parameter 3: linkdirfd (type: PT_FD) */
	auxmap__store_s64_param(a, (__s32)ARG(1));
	/* Parameter 4: linkpath (type: PT_FSRELPATH) */
	auxmap__store_charbuf_param(a, (void *)ARG(2), PROBE_MAX_PATH, true);
	auxmap__submit_event(a);
	return 0;
}
