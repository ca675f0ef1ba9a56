/* Enter events come from two places (the loader picks one, see dispatchers/syscall_enter.bpf.c): the
 * syscall's own tracepoint (syscalls/sys_enter_<name>, a perf tracepoint program that the kernel runs only
 * for that syscall, so every other syscall pays nothing here), or the tp_btf sys_enter dispatcher's tail
 * call (every syscall enters the dispatcher). Each enter filler's body takes the six arguments as an
 * array, filled from whichever context ran it. */
#ifndef PROBE_HELPERS_ENTER_H
#define PROBE_HELPERS_ENTER_H

#include "base.h"
#include "filter.h"

static __always_inline bool enter__syscall_wanted(__u32 nr)
{
	struct probe_syscall_entry *sc = bpf_map_lookup_elem(&interesting_syscalls, &nr);
	return sc && (sc->flags & PROBE_SC_ENTER);
}

/* Whether this syscall's enter event is to be recorded for `task` (the current one): the same tests the
 * sys_exit dispatcher makes (the syscall filter, the pid filters, ia32 syscalls). */
static __always_inline bool enter__wanted(__u32 nr, struct task_struct *task)
{
	return enter__syscall_wanted(nr) && !filter__skip_tgid(task->tgid) && !filter__is_compat_task(task);
}

/* The same from a syscalls/sys_enter_<name> tracepoint, which the kernel never runs for an ia32 syscall
 * (x86 defines ARCH_TRACE_IGNORE_COMPAT_SYSCALLS), so only the pid filters remain. */
static __always_inline bool enter__wanted_tp(__u32 nr, struct task_struct *task)
{
	return enter__syscall_wanted(nr) && !filter__skip_tgid(task->tgid);
}

/* The six arguments from the saved user registers (tp_btf: a trusted pointer, plain loads). */
#define ENTER_ARGS_FROM_REGS(args, regs)                                                                   \
	unsigned long args[6] = {(regs)->di, (regs)->si, (regs)->dx, (regs)->r10, (regs)->r8, (regs)->r9}

/* The six arguments from a syscalls/sys_enter_* record (copied: the verifier wants constant ctx offsets). */
#define ENTER_ARGS_FROM_TP(args, ctx)                                                                      \
	unsigned long args[6] = {(ctx)->args[0], (ctx)->args[1], (ctx)->args[2],                           \
				 (ctx)->args[3], (ctx)->args[4], (ctx)->args[5]}

/* The two programs of an enter filler, around its `<name>_e_body(args, task)`: `<name>_e` for the
 * sys_enter dispatcher's tail call (tp_btf), and `<name>_e_tp` on the syscall's own tracepoint
 * (syscalls/sys_enter_<name>), which only that syscall runs. `nr` is the syscall's x86_64 number (the
 * interesting-syscall table's key). One helper call in each: the task gives the tgid (filters), the
 * thread id and, for openat's path cache, the context switch count. */
#define ENTER_PROGRAMS(name, nr)                                                                           \
	SEC("tp_btf/sys_enter")                                                                            \
	int BPF_PROG(name##_e, struct pt_regs *regs, long id)                                              \
	{                                                                                                  \
		ENTER_ARGS_FROM_REGS(args, regs);                                                          \
		return name##_e_body(args, bpf_get_current_task_btf());                                     \
	}                                                                                                  \
	SEC("tracepoint/syscalls/sys_enter_" #name)                                                        \
	int name##_e_tp(struct trace_event_raw_sys_enter *ctx)                                             \
	{                                                                                                  \
		struct task_struct *task = bpf_get_current_task_btf();                                     \
		if (!enter__wanted_tp(nr, task))                                                           \
			return 0;                                                                          \
		ENTER_ARGS_FROM_TP(args, ctx);                                                             \
		return name##_e_body(args, task);                                                          \
	}

#endif
