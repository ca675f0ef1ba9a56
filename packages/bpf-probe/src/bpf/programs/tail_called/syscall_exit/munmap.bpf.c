/* munmap exit filler (SCAPE_MUNMAP_X). */
#include "helpers/filler.h"

SEC("tp_btf/sys_exit")
int BPF_PROG(munmap_x, struct pt_regs *regs, long ret)
{
	struct auxiliary_map *a = filler__start(SCAPE_MUNMAP_X, SCAPE_MUNMAP_X_NPARAMS);
	if (!a)
		return 0;
	/* res, vm_size, vm_rss, vm_swap, addr, length: documented in filler__store_vm_params */
	filler__store_vm_params(a, ret, ARG(0), ARG(1));
	auxmap__submit_event(a);
	return 0;
}
