/* pipe2 exit filler (SCAPE_PIPE2_X). */
#include "helpers/filler.h"

SEC("tp_btf/sys_exit")
int BPF_PROG(pipe2_x, struct pt_regs *regs, long ret)
{
	struct auxiliary_map *a = filler__start(SCAPE_PIPE2_X, SCAPE_PIPE2_X_NPARAMS);
	if (!a)
		return 0;
	/* res, fd1, fd2, ino: documented in filler__store_pipe_params */
	filler__store_pipe_params(a, (void *)ARG(0), ret);
	/* Parameter 5: flags (type: PT_FLAGS32) */
	auxmap__store_u32_param(a, flags__fd_to_scap(ARG(1)));
	auxmap__submit_event(a);
	return 0;
}
