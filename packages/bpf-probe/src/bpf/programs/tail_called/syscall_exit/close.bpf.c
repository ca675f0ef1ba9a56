/* close exit filler (SCAPE_CLOSE_X): fixed size, written straight into the ring. */
#include "helpers/filler.h"
#include "helpers/direct.h"

SEC("tp_btf/sys_exit")
int BPF_PROG(close_x, struct pt_regs *regs, long ret)
{
	direct__emit_2x64(SCAPE_CLOSE_X, SCAPE_CLOSE_X_NPARAMS,
			  /* Parameter 1: res (type: PT_ERRNO) */
			  ret,
			  /* Parameter 2: fd (type: PT_FD) */
			  (__s32)ARG(0));
	return 0;
}
