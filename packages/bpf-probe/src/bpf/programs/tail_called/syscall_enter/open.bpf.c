/* open enter filler (SCAPE_OPEN_E): the path as asked, before the kernel resolves it. */
#include "helpers/filler.h"

SEC("tp_btf/sys_enter")
int BPF_PROG(open_e, struct pt_regs *regs, long id)
{
	struct auxiliary_map *a = filler__start(SCAPE_OPEN_E, SCAPE_OPEN_E_NPARAMS);
	if (!a)
		return 0;
	unsigned long flags = ARG(1);
	/* Parameter 1: name (type: PT_FSPATH) */
	auxmap__store_charbuf_param(a, (void *)ARG(0), PROBE_MAX_PATH, true);
	/* Parameter 2: flags (type: PT_FLAGS32) */
	auxmap__store_u32_param(a, flags__open_to_scap(flags));
	/* Parameter 3: mode (type: PT_UINT32) */
	auxmap__store_u32_param(a, flags__open_mode_to_scap(flags, ARG(2)));
	auxmap__submit_event(a);
	return 0;
}
