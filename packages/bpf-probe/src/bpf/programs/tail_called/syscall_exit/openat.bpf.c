/* openat exit filler (SCAPE_OPENAT_X). */
#include "helpers/filler.h"

SEC("tp_btf/sys_exit")
int BPF_PROG(openat_x, struct pt_regs *regs, long ret)
{
	struct auxiliary_map *a = filler__start(SCAPE_OPENAT_X, SCAPE_OPENAT_X_NPARAMS);
	if (!a)
		return 0;
	struct file_facts ff;
	filler__file_facts(filler__new_file(ret), &ff);
	unsigned long flags = ARG(2);
	/* Parameter 1: fd (type: PT_FD) */
	auxmap__store_s64_param(a, ret);
	/* Parameter 2: dirfd (type: PT_FD) */
	auxmap__store_s64_param(a, (__s32)ARG(0));
	/* Parameter 3: name (type: PT_FSRELPATH) */
	auxmap__store_charbuf_param(a, (void *)ARG(1), PROBE_MAX_PATH, true);
	/* Parameter 4: flags (type: PT_FLAGS32) */
	auxmap__store_u32_param(a, flags__open_to_scap(flags) | filler__created_flag(&ff));
	/* Parameter 5: mode (type: PT_UINT32) */
	auxmap__store_u32_param(a, flags__open_mode_to_scap(flags, ARG(3)));
	/* Parameter 6: dev (type: PT_UINT32), Parameter 7: ino (type: PT_UINT64) */
	filler__store_file_dev_ino(a, &ff);
	auxmap__submit_event(a);
	return 0;
}
