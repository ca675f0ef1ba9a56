/* unlinkat exit filler (SCAPE_UNLINKAT_X). */
#include "helpers/filler.h"
#include "helpers/flags.h"

SEC("tp_btf/sys_exit")
int BPF_PROG(unlinkat_x, struct pt_regs *regs, long ret)
{
	struct auxiliary_map *a = filler__start(SCAPE_UNLINKAT_X, SCAPE_UNLINKAT_X_NPARAMS);
	if (!a)
		return 0;
	/* Parameter 1: res (type: PT_ERRNO) */
	auxmap__store_s64_param(a, ret);
	/* Parameter 2: dirfd (type: PT_FD) */
	auxmap__store_s64_param(a, (__s32)ARG(0));
	/* Parameter 3: name (type: PT_FSRELPATH) */
	auxmap__store_charbuf_param(a, (void *)ARG(1), PROBE_MAX_PATH, true);
	/* Parameter 4: flags (type: PT_FLAGS32) */
	auxmap__store_u32_param(a, flags__unlinkat_to_scap(ARG(2)));
	auxmap__submit_event(a);
	return 0;
}
