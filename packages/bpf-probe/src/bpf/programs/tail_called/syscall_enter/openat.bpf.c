/* openat enter filler (SCAPE_OPENAT_E). */
#include "helpers/filler.h"
#include "helpers/enter.h"

static __always_inline int openat_e_body(const unsigned long *args)
{
	struct auxiliary_map *a = filler__start(SCAPE_OPENAT_E, SCAPE_OPENAT_E_NPARAMS);
	if (!a)
		return 0;
	unsigned long flags = args[2];
	/* Parameter 1: dirfd (type: PT_FD) */
	auxmap__store_s64_param(a, (__s32)args[0]);
	/* Parameter 2: name (type: PT_FSRELPATH) */
	auxmap__store_charbuf_param(a, (void *)args[1], PROBE_MAX_PATH, true);
	/* Parameter 3: flags (type: PT_FLAGS32) */
	auxmap__store_u32_param(a, flags__open_to_scap(flags));
	/* Parameter 4: mode (type: PT_UINT32) */
	auxmap__store_u32_param(a, flags__open_mode_to_scap(flags, args[3]));
	auxmap__submit_event(a);
	return 0;
}

SEC("tp_btf/sys_enter")
int BPF_PROG(openat_e, struct pt_regs *regs, long id)
{
	ENTER_ARGS_FROM_REGS(args, regs);
	return openat_e_body(args);
}

/* The same event from the syscall's own tracepoint: only openat runs it. */
SEC("tracepoint/syscalls/sys_enter_openat")
int openat_e_tp(struct trace_event_raw_sys_enter *ctx)
{
	if (!enter__wanted(257))
		return 0;
	ENTER_ARGS_FROM_TP(args, ctx);
	return openat_e_body(args);
}
