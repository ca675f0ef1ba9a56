/* open exit filler (SCAPE_OPEN_X). */
#include "helpers/filler.h"

SEC("tp_btf/sys_exit")
int BPF_PROG(open_x, struct pt_regs *regs, long ret)
{
	struct auxiliary_map *a = filler__start(SCAPE_OPEN_X, SCAPE_OPEN_X_NPARAMS);
	if (!a)
		return 0;
	struct file_facts ff;
	filler__file_facts(filler__new_file(ret), &ff);
	unsigned long flags = ARG(1);
	/* Parameter 1: fd (type: PT_FD) */
	auxmap__store_s64_param(a, ret);
	/* Parameter 2: name (type: PT_FSPATH) */
	auxmap__store_charbuf_param(a, (void *)ARG(0), PROBE_MAX_PATH, true);
	/* Parameter 3: flags (type: PT_FLAGS32) */
	auxmap__store_u32_param(a, flags__open_to_scap(flags) | filler__created_flag(&ff));
	/* Parameter 4: mode (type: PT_UINT32) */
	auxmap__store_u32_param(a, flags__open_mode_to_scap(flags, ARG(2)));
	/* Parameter 5: dev (type: PT_UINT32), Parameter 6: ino (type: PT_UINT64) */
	filler__store_file_dev_ino(a, &ff);
	auxmap__submit_event(a);
	return 0;
}
