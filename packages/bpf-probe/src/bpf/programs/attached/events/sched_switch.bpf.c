/* switch (SCAPE_SWITCH_E): a context switch, written for the task leaving the CPU. Off by default (a
 * busy box switches hundreds of thousands of times a second); the loader does not load it unless asked. */
#include "helpers/proc.h"
#include "helpers/filter.h"

SEC("tp_btf/sched_switch")
int BPF_PROG(sched_switch, bool preempt, struct task_struct *prev, struct task_struct *next)
{
	if (filter__skip_tgid(prev->tgid))
		return 0;
	struct auxiliary_map *a = filler__start_current(SCAPE_SWITCH_E, SCAPE_SWITCH_E_NPARAMS);
	if (!a)
		return 0;
	/* Parameter 1: next (type: PT_PID) */
	auxmap__store_s64_param(a, next->pid);
	/* The task leaving the CPU: */
	/* Parameters 2-6: pgft_maj, pgft_min (PT_UINT64), vm_size, vm_rss, vm_swap (PT_UINT32) */
	proc__store_faults_and_vm(a, prev);
	auxmap__submit_event(a);
	return 0;
}
