/* capset exit filler (SCAPE_CAPSET_X). */
#include "helpers/filler.h"

SEC("tp_btf/sys_exit")
int BPF_PROG(capset_x, struct pt_regs *regs, long ret)
{
	struct auxiliary_map *a = filler__start(SCAPE_CAPSET_X, SCAPE_CAPSET_X_NPARAMS);
	if (!a)
		return 0;
	const struct cred *cred = bpf_get_current_task_btf()->cred;
	/* Parameter 1: res (type: PT_ERRNO) */
	auxmap__store_s64_param(a, ret);
	/* Parameter 2: cap_inheritable (type: PT_UINT64): the sets in force after the call */
	auxmap__store_u64_param(a, extract__cap(&cred->cap_inheritable));
	/* Parameter 3: cap_permitted (type: PT_UINT64) */
	auxmap__store_u64_param(a, extract__cap(&cred->cap_permitted));
	/* Parameter 4: cap_effective (type: PT_UINT64) */
	auxmap__store_u64_param(a, extract__cap(&cred->cap_effective));
	auxmap__submit_event(a);
	return 0;
}
