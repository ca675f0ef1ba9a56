/* creat exit filler (SCAPE_CREAT_X). */
#include "helpers/filler.h"

SEC("tp_btf/sys_exit")
int BPF_PROG(creat_x, struct pt_regs *regs, long ret)
{
	struct auxiliary_map *a = filler__start(SCAPE_CREAT_X, SCAPE_CREAT_X_NPARAMS);
	if (!a)
		return 0;
	struct file *f = filler__new_file(ret);
	/* Parameter 1: fd (type: PT_FD) */
	auxmap__store_s64_param(a, ret);
	/* Parameter 2: name (type: PT_FSPATH) */
	auxmap__store_charbuf_param(a, (void *)ARG(0), PROBE_MAX_PATH, true);
	/* Parameter 3: mode (type: PT_UINT32) */
	auxmap__store_u32_param(a, ARG(1) & 07777);
	/* Parameter 4: dev (type: PT_UINT32), Parameter 5: ino (type: PT_UINT64) */
	filler__store_dev_ino(a, f);
	/* Parameter 6: creat_flags (type: PT_FLAGS16): overlayfs layer bits, not tracked */
	auxmap__store_u16_param(a, 0);
	auxmap__submit_event(a);
	return 0;
}
