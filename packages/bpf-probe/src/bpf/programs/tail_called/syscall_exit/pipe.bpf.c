/* pipe exit filler (SCAPE_PIPE_X). */
#include "helpers/filler.h"

SEC("tp_btf/sys_exit")
int BPF_PROG(pipe_x, struct pt_regs *regs, long ret)
{
	struct auxiliary_map *a = filler__start(SCAPE_PIPE_X, SCAPE_PIPE_X_NPARAMS);
	if (!a)
		return 0;
	/* res, fd1, fd2, ino: documented in filler__store_pipe_params */
	filler__store_pipe_params(a, (void *)ARG(0), ret);
	auxmap__submit_event(a);
	return 0;
}
