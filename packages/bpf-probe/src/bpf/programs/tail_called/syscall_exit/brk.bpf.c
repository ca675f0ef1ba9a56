/* brk exit filler (SCAPE_BRK_X). */
#include "helpers/filler.h"

SEC("tp_btf/sys_exit")
int BPF_PROG(brk_x, struct pt_regs *regs, long ret)
{
	struct auxiliary_map *a = filler__start(SCAPE_BRK_X, SCAPE_BRK_X_NPARAMS);
	if (!a)
		return 0;
	struct vm_info vm;
	extract__task_vm(bpf_get_current_task_btf(), &vm);
	/* Parameter 1: res (type: PT_UINT64): the new (or unchanged) program break */
	auxmap__store_u64_param(a, ret);
	/* Parameter 2: vm_size (type: PT_UINT32) */
	auxmap__store_u32_param(a, vm.size_kb);
	/* Parameter 3: vm_rss (type: PT_UINT32) */
	auxmap__store_u32_param(a, vm.rss_kb);
	/* Parameter 4: vm_swap (type: PT_UINT32) */
	auxmap__store_u32_param(a, vm.swap_kb);
	/* Parameter 5: addr (type: PT_UINT64): the break asked for */
	auxmap__store_u64_param(a, ARG(0));
	auxmap__submit_event(a);
	return 0;
}
