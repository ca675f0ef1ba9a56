/* open enter filler (SCAPE_OPEN_E): the path as asked, before the kernel resolves it. */
#include "helpers/filler.h"
#include "helpers/enter.h"

static __always_inline int open_e_body(const unsigned long *args, struct task_struct *task)
{
	struct auxiliary_map *a = filler__start_tid(SCAPE_OPEN_E, SCAPE_OPEN_E_NPARAMS, task->pid);
	if (!a)
		return 0;
	unsigned long flags = args[1];
	/* Parameter 1: name (type: PT_FSPATH) */
	auxmap__store_charbuf_param(a, (void *)args[0], PROBE_MAX_PATH, true);
	/* Parameter 2: flags (type: PT_FLAGS32) */
	auxmap__store_u32_param(a, flags__open_to_scap(flags));
	/* Parameter 3: mode (type: PT_UINT32) */
	auxmap__store_u32_param(a, flags__open_mode_to_scap(flags, args[2]));
	auxmap__submit_event(a);
	return 0;
}

SEC("tp_btf/sys_enter")
int BPF_PROG(open_e, struct pt_regs *regs, long id)
{
	ENTER_ARGS_FROM_REGS(args, regs);
	return open_e_body(args, bpf_get_current_task_btf());
}

/* The same event from the syscall's own tracepoint: only open runs it. */
SEC("tracepoint/syscalls/sys_enter_open")
int open_e_tp(struct trace_event_raw_sys_enter *ctx)
{
	/* One helper call: the task gives the tgid (filters), the thread id and, for openat, its context
	 * switch count. */
	struct task_struct *task = bpf_get_current_task_btf();
	if (!enter__wanted_tp(2, task))
		return 0;
	ENTER_ARGS_FROM_TP(args, ctx);
	return open_e_body(args, task);
}
