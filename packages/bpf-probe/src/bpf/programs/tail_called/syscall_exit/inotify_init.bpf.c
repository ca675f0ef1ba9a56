/* inotify_init exit filler (SCAPE_INOTIFY_INIT_X). */
#include "helpers/filler.h"

SEC("tp_btf/sys_exit")
int BPF_PROG(inotify_init_x, struct pt_regs *regs, long ret)
{
	struct auxiliary_map *a = filler__start(SCAPE_INOTIFY_INIT_X, SCAPE_INOTIFY_INIT_X_NPARAMS);
	if (!a)
		return 0;
	/* Parameter 1: res (type: PT_FD) */
	auxmap__store_s64_param(a, ret);
	/* Parameter 2: flags (type: PT_UINT8): inotify_init(2) takes none */
	auxmap__store_u8_param(a, 0);
	auxmap__submit_event(a);
	return 0;
}
