/* inotify_init1 exit filler (SCAPE_INOTIFY_INIT1_X). */
#include "helpers/filler.h"

SEC("tp_btf/sys_exit")
int BPF_PROG(inotify_init1_x, struct pt_regs *regs, long ret)
{
	struct auxiliary_map *a = filler__start(SCAPE_INOTIFY_INIT1_X, SCAPE_INOTIFY_INIT1_X_NPARAMS);
	if (!a)
		return 0;
	/* Parameter 1: res (type: PT_FD) */
	auxmap__store_s64_param(a, ret);
	/* Parameter 2: flags (type: PT_FLAGS16): PPM_O_NONBLOCK / PPM_O_CLOEXEC (libs renders these with the
	 * file_flags table) */
	auxmap__store_u16_param(a, flags__fd_to_scap(ARG(0)) & (PPM_O_NONBLOCK | PPM_O_CLOEXEC));
	auxmap__submit_event(a);
	return 0;
}
