/* sys_enter dispatcher, the fallback source of enter events: only the enter events current libs keeps
 * (open, openat, openat2, creat, connect) are recorded, and every other syscall leaves after a few
 * compares, with no map lookup or helper call. Still, a raw tracepoint program runs on every syscall, and
 * running it is most of its cost. So the loader prefers the five syscalls' own tracepoints
 * (syscalls/sys_enter_<name>, the *_e_tp programs beside each enter filler): the kernel runs those only
 * for their syscall, after a bitmap test, and every other syscall pays nothing for enter events. They
 * need tracefs (the loader mounts it at /sys/kernel/tracing when it is missing) and
 * CONFIG_FTRACE_SYSCALLS; without them, this dispatcher is attached instead. (fentry on the five syscall
 * functions would do as well, but trampoline-based programs are refused on some kernels, and kprobes may
 * be compiled out.) */
#include "helpers/base.h"
#include "helpers/filter.h"
#include "helpers/enter.h"

/* x86_64 numbers of the syscalls with an enter filler (asm/unistd_64.h; the filler table lists them too). */
#define __NR_open 2
#define __NR_connect 42
#define __NR_creat 85
#define __NR_openat 257
#define __NR_openat2 437

/* The enter filler of `nr` by tail call through a constant slot: a direct jump once JITed (a variable slot
 * is an indirect jump, a retpoline under Spectre v2 mitigations). */
#define ENTER_FILLER(nr)                                                                                   \
	do {                                                                                               \
		struct task_struct *task = bpf_get_current_task_btf();                                     \
		if (!enter__wanted(nr, task))                                                              \
			return 0;                                                                          \
		bpf_tail_call_static(ctx, &syscall_enter_fillers, nr);                                     \
		return 0;                                                                                  \
	} while (0)

SEC("tp_btf/sys_enter")
int BPF_PROG(sys_enter, struct pt_regs *regs, long id)
{
	switch (id) {
	case __NR_open:
		ENTER_FILLER(__NR_open);
	case __NR_openat:
		ENTER_FILLER(__NR_openat);
	case __NR_openat2:
		ENTER_FILLER(__NR_openat2);
	case __NR_creat:
		ENTER_FILLER(__NR_creat);
	case __NR_connect:
		ENTER_FILLER(__NR_connect);
	default:
		/* Most syscalls have no enter event. */
		return 0;
	}
}
