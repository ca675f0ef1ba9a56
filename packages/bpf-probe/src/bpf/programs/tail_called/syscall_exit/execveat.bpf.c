/* execveat exit filler (SCAPE_EXECVEAT_X). */
#include "helpers/proc.h"

SEC("tp_btf/sys_exit")
int BPF_PROG(execveat_x, struct pt_regs *regs, long ret)
{
	struct auxiliary_map *a = filler__start(SCAPE_EXECVEAT_X, SCAPE_EXECVEAT_X_NPARAMS);
	if (!a)
		return 0;
	/* Parameters 1-30 (execveat(dirfd, path, argv, envp, flags)) */
	proc__store_execve_params(a, ret, (const char *const *)ARG(2), (const char *const *)ARG(3));
	auxmap__submit_event(a);
	return 0;
}
