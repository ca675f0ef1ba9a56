/* fcntl exit filler (SCAPE_FCNTL_X). */
#include "helpers/filler.h"

SEC("tp_btf/sys_exit")
int BPF_PROG(fcntl_x, struct pt_regs *regs, long ret)
{
	struct auxiliary_map *a = filler__start(SCAPE_FCNTL_X, SCAPE_FCNTL_X_NPARAMS);
	if (!a)
		return 0;
	/* Parameter 1: res (type: PT_FD): the new fd for F_DUPFD/F_DUPFD_CLOEXEC, else the command's result */
	auxmap__store_s64_param(a, ret);
	/* Parameter 2: fd (type: PT_FD) */
	auxmap__store_s64_param(a, (__s32)ARG(0));
	/* Parameter 3: cmd (type: PT_ENUMFLAGS8) */
	auxmap__store_u8_param(a, flags__fcntl_cmd_to_scap(ARG(1)));
	/* Parameter 4: arg (type: PT_UINT64) */
	auxmap__store_u64_param(a, ARG(2));
	auxmap__submit_event(a);
	return 0;
}
