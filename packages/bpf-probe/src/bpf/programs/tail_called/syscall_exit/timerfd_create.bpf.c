/* timerfd_create exit filler (SCAPE_TIMERFD_CREATE_X). */
#include "helpers/filler.h"

SEC("tp_btf/sys_exit")
int BPF_PROG(timerfd_create_x, struct pt_regs *regs, long ret)
{
	struct auxiliary_map *a = filler__start(SCAPE_TIMERFD_CREATE_X, SCAPE_TIMERFD_CREATE_X_NPARAMS);
	if (!a)
		return 0;
	/* Parameter 1: res (type: PT_FD) */
	auxmap__store_s64_param(a, ret);
	/* Parameter 2: clockid (type: PT_UINT8) */
	auxmap__store_u8_param(a, ARG(0));
	/* Parameter 3: flags (type: PT_UINT8): TFD_CLOEXEC/TFD_NONBLOCK do not fit 8 bits and libs has no
	 * encoding for them: 0, as libs sends */
	auxmap__store_u8_param(a, 0);
	auxmap__submit_event(a);
	return 0;
}
