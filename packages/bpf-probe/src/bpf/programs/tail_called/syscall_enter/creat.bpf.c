/* creat enter filler (SCAPE_CREAT_E). */
#include "helpers/filler.h"
#include "helpers/enter.h"

static __always_inline int creat_e_body(const unsigned long *args, struct task_struct *task)
{
	struct auxiliary_map *a = filler__start_tid(SCAPE_CREAT_E, SCAPE_CREAT_E_NPARAMS, task->pid);
	if (!a)
		return 0;
	/* Parameter 1: name (type: PT_FSPATH) */
	auxmap__store_charbuf_param(a, (void *)args[0], PROBE_MAX_PATH, true);
	/* Parameter 2: mode (type: PT_UINT32) */
	auxmap__store_u32_param(a, args[1] & 07777);
	auxmap__submit_event(a);
	return 0;
}

SEC("tp_btf/sys_enter")
int BPF_PROG(creat_e, struct pt_regs *regs, long id)
{
	ENTER_ARGS_FROM_REGS(args, regs);
	return creat_e_body(args, bpf_get_current_task_btf());
}

/* The same event from the syscall's own tracepoint: only creat runs it. */
SEC("tracepoint/syscalls/sys_enter_creat")
int creat_e_tp(struct trace_event_raw_sys_enter *ctx)
{
	/* One helper call: the task gives the tgid (filters), the thread id and, for openat, its context
	 * switch count. */
	struct task_struct *task = bpf_get_current_task_btf();
	if (!enter__wanted_tp(85, task))
		return 0;
	ENTER_ARGS_FROM_TP(args, ctx);
	return creat_e_body(args, task);
}
