/* eventfd2 exit filler (SCAPE_EVENTFD2_X). */
#include "helpers/filler.h"

SEC("tp_btf/sys_exit")
int BPF_PROG(eventfd2_x, struct pt_regs *regs, long ret)
{
	struct auxiliary_map *a = filler__start(SCAPE_EVENTFD2_X, SCAPE_EVENTFD2_X_NPARAMS);
	if (!a)
		return 0;
	/* Parameter 1: res (type: PT_FD) */
	auxmap__store_s64_param(a, ret);
	/* Parameter 2: flags (type: PT_FLAGS16): PPM_O_NONBLOCK / PPM_O_CLOEXEC (libs renders these with the
	 * file_flags table); EFD_SEMAPHORE has no bit there and is not recorded */
	auxmap__store_u16_param(a, flags__fd_to_scap(ARG(1)) & (PPM_O_NONBLOCK | PPM_O_CLOEXEC));
	/* Parameter 3: initval (type: PT_UINT64) */
	auxmap__store_u64_param(a, (__u32)ARG(0));
	auxmap__submit_event(a);
	return 0;
}
