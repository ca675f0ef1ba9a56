/* clone3 exit filler (SCAPE_CLONE3_X); emitted by the parent (res = child tid) and by the child (res = 0). */
#include "helpers/proc.h"

static __always_inline __u64 clone3_flags(const struct clone_args *args)
{
	__u64 flags = 0;
	bpf_probe_read_user(&flags, sizeof(flags), &args->flags);
	return flags;
}

/* A new thread's flags as its task shows them. clone3's flags live in the caller's memory (struct
 * clone_args, on its stack for pthread_create): a thread shares that memory and reads it after its creator
 * may have returned and reused it, and then reads anything (seen on every other thread of a python3 that
 * starts 20: CLONE_NEWUSER|CLONE_VFORK|…; on runc's init, threads without CLONE_THREAD, which a state engine
 * then takes for processes with the wrong pid, parent and cwd). What the kernel keeps: that it is a thread,
 * which tables it shares with its thread group's leader, and whether it clears a tid at exit. A process's
 * own copy of the memory (no CLONE_VM) or a vfork child's (its parent waits) still holds the flags. */
static __always_inline __u64 clone3_thread_flags_from_task(struct task_struct *task)
{
	struct task_struct *leader = BPF_CORE_READ(task, group_leader);
	__u64 flags = CLONE_THREAD | CLONE_SIGHAND | CLONE_VM;
	if (BPF_CORE_READ(task, files) == BPF_CORE_READ(leader, files))
		flags |= CLONE_FILES;
	if (BPF_CORE_READ(task, fs) == BPF_CORE_READ(leader, fs))
		flags |= CLONE_FS;
	if (BPF_CORE_READ(task, clear_child_tid))
		flags |= CLONE_CHILD_CLEARTID;
	return flags;
}

SEC("tp_btf/sys_exit")
int BPF_PROG(clone3_x, struct pt_regs *regs, long ret)
{
	struct auxiliary_map *a = filler__start(SCAPE_CLONE3_X, SCAPE_CLONE3_X_NPARAMS);
	if (!a)
		return 0;
	__u64 flags = clone3_flags((const struct clone_args *)ARG(0));
	if (ret == 0) {
		/* In the child: a thread (tid != tgid) cannot trust the caller's memory. */
		struct task_struct *task = bpf_get_current_task_btf();
		if (task->pid != task->tgid)
			flags = clone3_thread_flags_from_task(task);
	}
	/* Parameters 1-21; clone3(args, size): the flags are in struct clone_args */
	proc__store_clone_params(a, ret, flags__clone_to_scap(flags));
	auxmap__submit_event(a);
	return 0;
}
