/* The pid filter follows forks (g_follow_forks): a process forked by a recorded process, or by the process
 * g_follow_children_of, is added to the pid_filter map here, in the parent, before the child first runs,
 * so its first event (the child's clone exit) is recorded. Attached only when following; records no event
 * of its own (the clone exits do). */
#include "helpers/base.h"
#include "helpers/counters.h"
#include "helpers/filter.h"

SEC("tp_btf/sched_process_fork")
int BPF_PROG(sched_process_fork, struct task_struct *parent, struct task_struct *child)
{
	if (!g_follow_forks)
		return 0;
	__u32 parent_tgid = parent->tgid;
	__u32 child_tgid = child->tgid;
	/* A new thread of a process: the process is listed or not already. */
	if (child_tgid == parent_tgid)
		return 0;
	if (parent_tgid != g_follow_children_of && !filter__pid_listed(parent_tgid))
		return 0;
	__u8 one = 1;
	/* A full map (the limit the loader set) leaves the child out: counted with the drops. */
	if (bpf_map_update_elem(&pid_filter, &child_tgid, &one, BPF_ANY))
		counters__drop_other();
	return 0;
}
