/* init_module exit filler (SCAPE_INIT_MODULE_X). */
#include "helpers/filler.h"

SEC("tp_btf/sys_exit")
int BPF_PROG(init_module_x, struct pt_regs *regs, long ret)
{
	struct auxiliary_map *a = filler__start(SCAPE_INIT_MODULE_X, SCAPE_INIT_MODULE_X_NPARAMS);
	if (!a)
		return 0;
	/* Parameter 1: res (type: PT_ERRNO) */
	auxmap__store_s64_param(a, ret);
	/* Parameter 2: img (type: PT_BYTEBUF): the image's first bytes, up to snaplen */
	auxmap__store_io_data_param(a, (void *)ARG(0), ARG(1));
	/* Parameter 3: length (type: PT_UINT64) */
	auxmap__store_u64_param(a, ARG(1));
	/* Parameter 4: uargs (type: PT_CHARBUF) */
	auxmap__store_charbuf_param(a, (void *)ARG(2), PROBE_MAX_PATH, true);
	auxmap__submit_event(a);
	return 0;
}
