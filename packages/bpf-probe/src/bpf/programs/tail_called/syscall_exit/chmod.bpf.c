/* chmod exit filler (SCAPE_CHMOD_X). */
#include "helpers/filler.h"

SEC("tp_btf/sys_exit")
int BPF_PROG(chmod_x, struct pt_regs *regs, long ret)
{
	struct auxiliary_map *a = filler__start(SCAPE_CHMOD_X, SCAPE_CHMOD_X_NPARAMS);
	if (!a)
		return 0;
	/* Parameter 1: res (type: PT_ERRNO) */
	auxmap__store_s64_param(a, ret);
	/* Parameter 2: filename (type: PT_FSPATH) */
	auxmap__store_charbuf_param(a, (void *)ARG(0), PROBE_MAX_PATH, true);
	/* Parameter 3: mode (type: PT_MODE): PPM_S_* have the kernel's mode bit values */
	auxmap__store_u32_param(a, ARG(1) & 07777);
	auxmap__submit_event(a);
	return 0;
}
