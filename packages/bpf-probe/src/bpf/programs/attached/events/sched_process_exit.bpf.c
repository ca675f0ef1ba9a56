/* procexit (SCAPE_PROCEXIT_E): a thread ends. Runs in the exiting task. */
#include "helpers/filler.h"
#include "helpers/filter.h"

#define PF_EXITING 0x4
/* Threads of a group, and ancestors, looked at when finding the reaper. */
#define PROBE_MAX_REAPER_STEPS 32

/* The first thread of t's group that is not exiting (the kernel's find_alive_thread), or 0. */
static __always_inline __s32 reaper__alive_thread(struct task_struct *t)
{
	struct signal_struct *sig = BPF_CORE_READ(t, signal);
	if (!sig)
		return 0;
	struct list_head *head = &sig->thread_head;
	struct list_head *pos = BPF_CORE_READ(head, next);
	for (int i = 0; i < PROBE_MAX_REAPER_STEPS; i++) {
		if (!pos || pos == head)
			break;
		struct task_struct *th = (void *)pos - bpf_core_field_offset(struct task_struct, thread_node);
		if (!(BPF_CORE_READ(th, flags) & PF_EXITING))
			return BPF_CORE_READ(th, pid);
		pos = BPF_CORE_READ(pos, next);
	}
	return 0;
}

/* Who inherits the children of an exiting thread, as the kernel's find_new_reaper decides: a live thread
 * of the same group, else the nearest child-subreaper ancestor (in the same pid namespace) with a live
 * thread, else the pid namespace's init. Host tids. */
static __always_inline __s32 reaper__find(struct task_struct *task)
{
	__s32 tid = reaper__alive_thread(task);
	if (tid)
		return tid;
	struct pid *pid = BPF_CORE_READ(task, thread_pid);
	unsigned int level = pid ? BPF_CORE_READ(pid, level) : 0;
	struct task_struct *ns_reaper = pid ? BPF_CORE_READ(pid, numbers[level].ns, child_reaper) : NULL;
	struct signal_struct *sig = BPF_CORE_READ(task, signal);
	if (sig && BPF_CORE_READ_BITFIELD_PROBED(sig, has_child_subreaper)) {
		struct task_struct *r = BPF_CORE_READ(task, real_parent);
		for (int i = 0; i < PROBE_MAX_REAPER_STEPS; i++) {
			if (!r || r == ns_reaper || BPF_CORE_READ(r, pid) == 0)
				break;
			struct pid *rp = BPF_CORE_READ(r, thread_pid);
			if (!rp || BPF_CORE_READ(rp, level) != level)
				break;
			struct signal_struct *rs = BPF_CORE_READ(r, signal);
			if (rs && BPF_CORE_READ_BITFIELD_PROBED(rs, is_child_subreaper)) {
				tid = reaper__alive_thread(r);
				if (tid)
					return tid;
			}
			r = BPF_CORE_READ(r, real_parent);
		}
	}
	return ns_reaper ? BPF_CORE_READ(ns_reaper, pid) : 0;
}

SEC("tp_btf/sched_process_exit")
int BPF_PROG(sched_process_exit, struct task_struct *task)
{
	if (filter__skip_current())
		return 0;
	struct auxiliary_map *a = filler__start_current(SCAPE_PROCEXIT_E, SCAPE_PROCEXIT_E_NPARAMS);
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
	/* Parameter 5: reaper_tid (type: PT_PID): who inherits the children; 0 when the thread has none (as
	 * libs: only then is the reaper looked up) */
	struct list_head *children = &task->children;
	bool has_children = BPF_CORE_READ(task, children.next) != children;
	auxmap__store_s64_param(a, has_children ? reaper__find(task) : 0);
	auxmap__submit_event(a);
	/* A followed process leaves the pid filter with its last thread (do_exit counted it out of
	 * signal->live before this tracepoint), so the map holds only live processes and a reused pid is not
	 * recorded. */
	if (g_follow_forks && BPF_CORE_READ(task, signal, live.counter) == 0) {
		__u32 tgid = task->tgid;
		bpf_map_delete_elem(&pid_filter, &tgid);
	}
	return 0;
}
