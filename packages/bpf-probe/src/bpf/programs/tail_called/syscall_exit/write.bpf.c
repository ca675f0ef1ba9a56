/* write exit filler (SCAPE_WRITE_X). */
#include "helpers/filler.h"
#include "helpers/direct.h"

SEC("tp_btf/sys_exit")
int BPF_PROG(write_x, struct pt_regs *regs, long ret)
{
	/* Small snaplen: straight into the ring, same layout as below (res, data, fd, size). */
	if (direct__emit_io(SCAPE_WRITE_X, SCAPE_WRITE_X_NPARAMS, ret, (void *)ARG(1), ret > 0 ? ret : (long)ARG(2), (__s32)ARG(0), ARG(2)))
		return 0;
	struct auxiliary_map *a = filler__start(SCAPE_WRITE_X, SCAPE_WRITE_X_NPARAMS);
	if (!a)
		return 0;
	/* Parameter 1: res (type: PT_ERRNO) */
	auxmap__store_s64_param(a, ret);
	/* Parameter 2: data (type: PT_BYTEBUF): what was written, or asked to be written when it failed */
	auxmap__store_io_data_param(a, (void *)ARG(1), ret > 0 ? ret : (long)ARG(2));
	/* Parameter 3: fd (type: PT_FD) */
	auxmap__store_s64_param(a, (__s32)ARG(0));
	/* Parameter 4: size (type: PT_UINT32) */
	auxmap__store_u32_param(a, ARG(2));
	auxmap__submit_event(a);
	return 0;
}
