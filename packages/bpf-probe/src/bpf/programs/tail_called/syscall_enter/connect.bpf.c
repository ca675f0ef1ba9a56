/* connect enter filler (SCAPE_CONNECT_E): the address asked for, before the call can fail. */
#include "helpers/filler.h"
#include "helpers/enter.h"

static __always_inline int connect_e_body(const unsigned long *args, struct task_struct *task)
{
	struct auxiliary_map *a = filler__start_tid(SCAPE_CONNECT_E, SCAPE_CONNECT_E_NPARAMS, task->pid);
	if (!a)
		return 0;
	/* Parameter 1: fd (type: PT_FD) */
	auxmap__store_s64_param(a, (__s32)args[0]);
	/* Parameter 2: addr (type: PT_SOCKADDR) */
	auxmap__store_sockaddr_param(a, (void *)args[1], args[2]);
	auxmap__submit_event(a);
	return 0;
}

SEC("tp_btf/sys_enter")
int BPF_PROG(connect_e, struct pt_regs *regs, long id)
{
	ENTER_ARGS_FROM_REGS(args, regs);
	return connect_e_body(args, bpf_get_current_task_btf());
}

/* The same event from the syscall's own tracepoint: only connect runs it. */
SEC("tracepoint/syscalls/sys_enter_connect")
int connect_e_tp(struct trace_event_raw_sys_enter *ctx)
{
	/* One helper call: the task gives the tgid (filters), the thread id and, for openat, its context
	 * switch count. */
	struct task_struct *task = bpf_get_current_task_btf();
	if (!enter__wanted_tp(42, task))
		return 0;
	ENTER_ARGS_FROM_TP(args, ctx);
	return connect_e_body(args, task);
}
