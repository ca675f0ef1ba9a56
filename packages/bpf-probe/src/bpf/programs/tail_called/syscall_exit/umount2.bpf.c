/* umount2 exit filler (SCAPE_UMOUNT2_X). */
#include "helpers/filler.h"

SEC("tp_btf/sys_exit")
int BPF_PROG(umount2_x, struct pt_regs *regs, long ret)
{
	struct auxiliary_map *a = filler__start(SCAPE_UMOUNT2_X, SCAPE_UMOUNT2_X_NPARAMS);
	if (!a)
		return 0;
	/* Parameter 1: res (type: PT_ERRNO) */
	auxmap__store_s64_param(a, ret);
	/* Parameter 2: name (type: PT_FSPATH) */
	auxmap__store_charbuf_param(a, (void *)ARG(0), PROBE_MAX_PATH, true);
	/* Parameter 3: flags (type: PT_FLAGS32): PPM_MNT_* / PPM_UMOUNT_NOFOLLOW equal the kernel's bits */
	auxmap__store_u32_param(a, ARG(1) & 0xf);
	auxmap__submit_event(a);
	return 0;
}
