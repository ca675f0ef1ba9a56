/* chroot exit filler (SCAPE_CHROOT_X). */
#include "helpers/filler.h"

SEC("tp_btf/sys_exit")
int BPF_PROG(chroot_x, struct pt_regs *regs, long ret)
{
	struct auxiliary_map *a = filler__start(SCAPE_CHROOT_X, SCAPE_CHROOT_X_NPARAMS);
	if (!a)
		return 0;
	/* Parameter 1: res (type: PT_ERRNO) */
	auxmap__store_s64_param(a, ret);
	/* Parameter 2: path (type: PT_FSPATH) */
	auxmap__store_charbuf_param(a, (void *)ARG(0), PROBE_MAX_PATH, true);
	auxmap__submit_event(a);
	return 0;
}
