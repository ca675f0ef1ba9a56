/* openat enter filler (SCAPE_OPENAT_E). */
#include "helpers/filler.h"

SEC("tp_btf/sys_enter")
int BPF_PROG(openat_e, struct pt_regs *regs, long id)
{
	struct auxiliary_map *a = filler__start(SCAPE_OPENAT_E, SCAPE_OPENAT_E_NPARAMS);
	if (!a)
		return 0;
	unsigned long flags = ARG(2);
	/* Parameter 1: dirfd (type: PT_FD) */
	auxmap__store_s64_param(a, (__s32)ARG(0));
	/* Parameter 2: name (type: PT_FSRELPATH) */
	auxmap__store_charbuf_param(a, (void *)ARG(1), PROBE_MAX_PATH, true);
	/* Parameter 3: flags (type: PT_FLAGS32) */
	auxmap__store_u32_param(a, flags__open_to_scap(flags));
	/* Parameter 4: mode (type: PT_UINT32) */
	auxmap__store_u32_param(a, flags__open_mode_to_scap(flags, ARG(3)));
	auxmap__submit_event(a);
	return 0;
}
