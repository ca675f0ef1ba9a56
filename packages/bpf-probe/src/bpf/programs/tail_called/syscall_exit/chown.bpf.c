/* chown exit filler (SCAPE_CHOWN_X). */
#include "helpers/filler.h"

SEC("tp_btf/sys_exit")
int BPF_PROG(chown_x, struct pt_regs *regs, long ret)
{
	struct auxiliary_map *a = filler__start(SCAPE_CHOWN_X, SCAPE_CHOWN_X_NPARAMS);
	if (!a)
		return 0;
	/* Parameter 1: res (type: PT_ERRNO) */
	auxmap__store_s64_param(a, ret);
	/* Parameter 2: path (type: PT_FSPATH) */
	auxmap__store_charbuf_param(a, (void *)ARG(0), PROBE_MAX_PATH, true);
	/* Parameter 3: uid (type: PT_UINT32) */
	auxmap__store_u32_param(a, ARG(1));
	/* Parameter 4: gid (type: PT_UINT32) */
	auxmap__store_u32_param(a, ARG(2));
	auxmap__submit_event(a);
	return 0;
}
