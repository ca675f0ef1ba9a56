/* renameat exit filler (SCAPE_RENAMEAT_X). */
#include "helpers/filler.h"

SEC("tp_btf/sys_exit")
int BPF_PROG(renameat_x, struct pt_regs *regs, long ret)
{
	struct auxiliary_map *a = filler__start(SCAPE_RENAMEAT_X, SCAPE_RENAMEAT_X_NPARAMS);
	if (!a)
		return 0;
	/* Parameter 1: res (type: PT_ERRNO) */
	auxmap__store_s64_param(a, ret);
	/* Parameter 2: olddirfd (type: PT_FD) */
	auxmap__store_s64_param(a, (__s32)ARG(0));
	/* Parameter 3: oldpath (type: PT_FSRELPATH) */
	auxmap__store_charbuf_param(a, (void *)ARG(1), PROBE_MAX_PATH, true);
	/* Parameter 4: newdirfd (type: PT_FD) */
	auxmap__store_s64_param(a, (__s32)ARG(2));
	/* Parameter 5: newpath (type: PT_FSRELPATH) */
	auxmap__store_charbuf_param(a, (void *)ARG(3), PROBE_MAX_PATH, true);
	auxmap__submit_event(a);
	return 0;
}
