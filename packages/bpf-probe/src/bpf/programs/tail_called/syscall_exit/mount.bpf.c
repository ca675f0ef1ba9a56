/* mount exit filler (SCAPE_MOUNT_X). */
#include "helpers/filler.h"

SEC("tp_btf/sys_exit")
int BPF_PROG(mount_x, struct pt_regs *regs, long ret)
{
	struct auxiliary_map *a = filler__start(SCAPE_MOUNT_X, SCAPE_MOUNT_X_NPARAMS);
	if (!a)
		return 0;
	/* Parameter 1: res (type: PT_ERRNO) */
	auxmap__store_s64_param(a, ret);
	/* Parameter 2: dev (type: PT_CHARBUF) */
	auxmap__store_charbuf_param(a, (void *)ARG(0), PROBE_MAX_PATH, true);
	/* Parameter 3: dir (type: PT_FSPATH) */
	auxmap__store_charbuf_param(a, (void *)ARG(1), PROBE_MAX_PATH, true);
	/* Parameter 4: type (type: PT_CHARBUF) */
	auxmap__store_charbuf_param(a, (void *)ARG(2), PROBE_MAX_PATH, true);
	/* Parameter 5: flags (type: PT_FLAGS32) */
	auxmap__store_u32_param(a, flags__mount_to_scap(ARG(3)));
	auxmap__submit_event(a);
	return 0;
}
