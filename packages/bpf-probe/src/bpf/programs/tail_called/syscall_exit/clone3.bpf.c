/* clone3 exit filler (SCAPE_CLONE3_X); emitted by the parent (res = child tid) and by the child (res = 0). */
#include "helpers/proc.h"

static __always_inline __u64 clone3_flags(const struct clone_args *args)
{
	__u64 flags = 0;
	bpf_probe_read_user(&flags, sizeof(flags), &args->flags);
	return flags;
}

SEC("tp_btf/sys_exit")
int BPF_PROG(clone3_x, struct pt_regs *regs, long ret)
{
	struct auxiliary_map *a = filler__start(SCAPE_CLONE3_X, SCAPE_CLONE3_X_NPARAMS);
	if (!a)
		return 0;
	/* Parameters 1-21; clone3(args, size): the flags are in struct clone_args */
	proc__store_clone_params(a, ret, flags__clone_to_scap(clone3_flags((const struct clone_args *)ARG(0))));
	auxmap__submit_event(a);
	return 0;
}
