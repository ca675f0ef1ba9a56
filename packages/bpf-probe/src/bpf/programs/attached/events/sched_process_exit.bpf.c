/* procexit (SCAPE_PROCEXIT_E): a thread ends. Runs in the exiting task. */
#include "helpers/filler.h"
#include "helpers/filter.h"

SEC("tp_btf/sched_process_exit")
int BPF_PROG(sched_process_exit, struct task_struct *task)
{
	if (filter__skip_current())
		return 0;
	struct auxiliary_map *a = filler__start(SCAPE_PROCEXIT_E, SCAPE_PROCEXIT_E_NPARAMS);
	if (!a)
		return 0;
	__s64 code = BPF_CORE_READ(task, exit_code);
	/* Parameter 1: status (type: PT_ERRNO): the wait status */
	auxmap__store_s64_param(a, code);
	/* Parameter 2: ret (type: PT_ERRNO): the exit status (WEXITSTATUS) */
	auxmap__store_s64_param(a, (code >> 8) & 0xff);
	/* Parameter 3: sig (type: PT_SIGTYPE): the terminating signal (WTERMSIG), 0 on a normal exit */
	auxmap__store_u8_param(a, code & 0x7f);
	/* Parameter 4: core (type: PT_UINT8) */
	auxmap__store_u8_param(a, (code & 0x80) ? 1 : 0);
	/* Parameter 5: reaper_tid (type: PT_PID): who inherits the children; not computed (0 = unknown) */
	auxmap__store_s64_param(a, 0);
	auxmap__submit_event(a);
	return 0;
}
