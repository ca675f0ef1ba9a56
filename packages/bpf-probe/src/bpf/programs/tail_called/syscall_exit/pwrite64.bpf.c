/* pwrite64 exit filler (SCAPE_PWRITE_X). */
#include "helpers/filler.h"

SEC("tp_btf/sys_exit")
int BPF_PROG(pwrite64_x, struct pt_regs *regs, long ret)
{
	struct auxiliary_map *a = filler__start(SCAPE_PWRITE_X, SCAPE_PWRITE_X_NPARAMS);
	if (!a)
		return 0;
	/* Parameter 1: res (type: PT_ERRNO) */
	auxmap__store_s64_param(a, ret);
	/* Parameter 2: data (type: PT_BYTEBUF) */
	auxmap__store_io_data_param(a, (void *)ARG(1), ret > 0 ? ret : (long)ARG(2));
	/* Parameter 3: fd (type: PT_FD) */
	auxmap__store_s64_param(a, (__s32)ARG(0));
	/* Parameter 4: size (type: PT_UINT32) */
	auxmap__store_u32_param(a, ARG(2));
	/* Parameter 5: pos (type: PT_UINT64) */
	auxmap__store_u64_param(a, ARG(3));
	auxmap__submit_event(a);
	return 0;
}
