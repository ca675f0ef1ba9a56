/* execve exit filler (SCAPE_EXECVE_X). */
#include "helpers/proc.h"

SEC("tp_btf/sys_exit")
int BPF_PROG(execve_x, struct pt_regs *regs, long ret)
{
	struct auxiliary_map *a = filler__start(SCAPE_EXECVE_X, SCAPE_EXECVE_X_NPARAMS);
	if (!a)
		return 0;
	/* Parameters 1-30 */
	proc__store_execve_params(a, ret, (const char *const *)ARG(1), (const char *const *)ARG(2));
	/* Parameter 31: filename (type: PT_FSPATH): on success the kernel copied it just above the new
	 * environment strings (bprm->exec == mm->env_end); on failure the argument still points at it. */
	const void *filename = (const void *)ARG(0);
	if (ret == 0) {
		struct mm_struct *mm = BPF_CORE_READ(bpf_get_current_task_btf(), mm);
		filename = mm ? (const void *)BPF_CORE_READ(mm, env_end) : NULL;
	}
	auxmap__store_charbuf_param(a, filename, PROBE_MAX_PATH, true);
	auxmap__submit_event(a);
	return 0;
}
