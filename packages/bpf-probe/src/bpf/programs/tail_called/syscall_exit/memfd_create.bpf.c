/* memfd_create exit filler (SCAPE_MEMFD_CREATE_X). */
#include "helpers/filler.h"

SEC("tp_btf/sys_exit")
int BPF_PROG(memfd_create_x, struct pt_regs *regs, long ret)
{
	struct auxiliary_map *a = filler__start(SCAPE_MEMFD_CREATE_X, SCAPE_MEMFD_CREATE_X_NPARAMS);
	if (!a)
		return 0;
	/* Parameter 1: fd (type: PT_FD) */
	auxmap__store_s64_param(a, ret);
	/* Parameter 2: name (type: PT_CHARBUF) */
	auxmap__store_charbuf_param(a, (void *)ARG(0), PROBE_MAX_PATH, true);
	/* Parameter 3: flags (type: PT_FLAGS32) */
	auxmap__store_u32_param(a, flags__memfd_create_to_scap(ARG(1)));
	auxmap__submit_event(a);
	return 0;
}
