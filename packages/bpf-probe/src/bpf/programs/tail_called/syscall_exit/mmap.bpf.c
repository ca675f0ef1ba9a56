/* mmap exit filler (SCAPE_MMAP_X). */
#include "helpers/filler.h"

SEC("tp_btf/sys_exit")
int BPF_PROG(mmap_x, struct pt_regs *regs, long ret)
{
	struct auxiliary_map *a = filler__start(SCAPE_MMAP_X, SCAPE_MMAP_X_NPARAMS);
	if (!a)
		return 0;
	/* res, vm_size, vm_rss, vm_swap, addr, length: documented in filler__store_vm_params */
	filler__store_vm_params(a, ret, ARG(0), ARG(1));
	/* Parameter 7: prot (type: PT_FLAGS32) */
	auxmap__store_u32_param(a, flags__prot_to_scap(ARG(2)));
	/* Parameter 8: flags (type: PT_FLAGS32) */
	auxmap__store_u32_param(a, flags__mmap_to_scap(ARG(3)));
	/* Parameter 9: fd (type: PT_FD) */
	auxmap__store_s64_param(a, (__s32)ARG(4));
	/* Parameter 10: offset (type: PT_UINT64) */
	auxmap__store_u64_param(a, ARG(5));
	auxmap__submit_event(a);
	return 0;
}
