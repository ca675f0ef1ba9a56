/* finit_module exit filler (SCAPE_FINIT_MODULE_X). */
#include "helpers/filler.h"

SEC("tp_btf/sys_exit")
int BPF_PROG(finit_module_x, struct pt_regs *regs, long ret)
{
	struct auxiliary_map *a = filler__start(SCAPE_FINIT_MODULE_X, SCAPE_FINIT_MODULE_X_NPARAMS);
	if (!a)
		return 0;
	/* Parameter 1: res (type: PT_ERRNO) */
	auxmap__store_s64_param(a, ret);
	/* Parameter 2: fd (type: PT_FD) */
	auxmap__store_s64_param(a, (__s32)ARG(0));
	/* Parameter 3: uargs (type: PT_CHARBUF) */
	auxmap__store_charbuf_param(a, (void *)ARG(1), PROBE_MAX_PATH, true);
	/* Parameter 4: flags (type: PT_FLAGS32): PPM_MODULE_INIT_* equal MODULE_INIT_* */
	auxmap__store_u32_param(a, ARG(2) & 0x7);
	auxmap__submit_event(a);
	return 0;
}
