/* creat enter filler (SCAPE_CREAT_E). */
#include "helpers/filler.h"

SEC("tp_btf/sys_enter")
int BPF_PROG(creat_e, struct pt_regs *regs, long id)
{
	struct auxiliary_map *a = filler__start(SCAPE_CREAT_E, SCAPE_CREAT_E_NPARAMS);
	if (!a)
		return 0;
	/* Parameter 1: name (type: PT_FSPATH) */
	auxmap__store_charbuf_param(a, (void *)ARG(0), PROBE_MAX_PATH, true);
	/* Parameter 2: mode (type: PT_UINT32) */
	auxmap__store_u32_param(a, ARG(1) & 07777);
	auxmap__submit_event(a);
	return 0;
}
