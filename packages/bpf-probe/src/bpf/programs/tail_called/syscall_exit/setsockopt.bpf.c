/* setsockopt exit filler (SCAPE_SETSOCKOPT_X). */
#include "helpers/filler.h"

SEC("tp_btf/sys_exit")
int BPF_PROG(setsockopt_x, struct pt_regs *regs, long ret)
{
	struct auxiliary_map *a = filler__start(SCAPE_SETSOCKOPT_X, SCAPE_SETSOCKOPT_X_NPARAMS);
	if (!a)
		return 0;
	int level = ARG(1), optname = ARG(2);
	int optlen = ARG(4);
	/* Parameter 1: res (type: PT_ERRNO) */
	auxmap__store_s64_param(a, ret);
	/* Parameter 2: fd (type: PT_FD) */
	auxmap__store_s64_param(a, (__s32)ARG(0));
	/* Parameter 3: level (type: PT_ENUMFLAGS8) */
	auxmap__store_u8_param(a, flags__sockopt_level_to_scap(level));
	/* Parameter 4: optname (type: PT_ENUMFLAGS8) */
	auxmap__store_u8_param(a, flags__sockopt_optname_to_scap(level, optname));
	/* Parameter 5: val (type: PT_DYN) */
	auxmap__store_sockopt_param(a, level, optname, optlen, (void *)ARG(3));
	/* Parameter 6: optlen (type: PT_UINT32) */
	auxmap__store_u32_param(a, optlen);
	auxmap__submit_event(a);
	return 0;
}
