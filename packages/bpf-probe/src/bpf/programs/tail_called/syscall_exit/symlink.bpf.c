/* symlink exit filler (SCAPE_SYMLINK_X). */
#include "helpers/filler.h"

SEC("tp_btf/sys_exit")
int BPF_PROG(symlink_x, struct pt_regs *regs, long ret)
{
	struct auxiliary_map *a = filler__start(SCAPE_SYMLINK_X, SCAPE_SYMLINK_X_NPARAMS);
	if (!a)
		return 0;
	/* Parameter 1: res (type: PT_ERRNO) */
	auxmap__store_s64_param(a, ret);
	/* Parameter 2: target (type: PT_CHARBUF) */
	auxmap__store_charbuf_param(a, (void *)ARG(0), PROBE_MAX_PATH, true);
	/* Parameter 3: linkpath (type: PT_FSPATH) */
	auxmap__store_charbuf_param(a, (void *)ARG(1), PROBE_MAX_PATH, true);
	auxmap__submit_event(a);
	return 0;
}
