/* openat2 enter filler (SCAPE_OPENAT2_E). */
#include "helpers/filler.h"
#include "helpers/enter.h"

static __always_inline int openat2_e_body(const unsigned long *args, struct task_struct *task)
{
	struct auxiliary_map *a = filler__start_tid(SCAPE_OPENAT2_E, SCAPE_OPENAT2_E_NPARAMS, task->pid);
	if (!a)
		return 0;
	struct open_how how = {};
	bpf_probe_read_user(&how, sizeof(how), (void *)args[2]);
	/* Parameter 1: dirfd (type: PT_FD) */
	auxmap__store_s64_param(a, (__s32)args[0]);
	/* Parameter 2: name (type: PT_FSRELPATH) */
	auxmap__store_charbuf_param(a, (void *)args[1], PROBE_MAX_PATH, true);
	/* Parameter 3: flags (type: PT_FLAGS32) */
	auxmap__store_u32_param(a, flags__open_to_scap(how.flags));
	/* Parameter 4: mode (type: PT_UINT32) */
	auxmap__store_u32_param(a, flags__open_mode_to_scap(how.flags, how.mode));
	/* Parameter 5: resolve (type: PT_FLAGS32) */
	auxmap__store_u32_param(a, (__u32)how.resolve);
	auxmap__submit_event(a);
	return 0;
}

SEC("tp_btf/sys_enter")
int BPF_PROG(openat2_e, struct pt_regs *regs, long id)
{
	ENTER_ARGS_FROM_REGS(args, regs);
	return openat2_e_body(args, bpf_get_current_task_btf());
}

/* The same event from the syscall's own tracepoint: only openat2 runs it. */
SEC("tracepoint/syscalls/sys_enter_openat2")
int openat2_e_tp(struct trace_event_raw_sys_enter *ctx)
{
	/* One helper call: the task gives the tgid (filters), the thread id and, for openat, its context
	 * switch count. */
	struct task_struct *task = bpf_get_current_task_btf();
	if (!enter__wanted_tp(437, task))
		return 0;
	ENTER_ARGS_FROM_TP(args, ctx);
	return openat2_e_body(args, task);
}
