/* page_fault (SCAPE_PAGE_FAULT_E): a user-space page fault. Off by default; loaded only when asked. */
#include "helpers/filler.h"
#include "helpers/filter.h"

SEC("tp_btf/page_fault_user")
int BPF_PROG(page_fault_user, unsigned long address, struct pt_regs *regs, unsigned long error_code)
{
	if (filter__skip_current())
		return 0;
	struct auxiliary_map *a = filler__start_current(SCAPE_PAGE_FAULT_E, SCAPE_PAGE_FAULT_E_NPARAMS);
	if (!a)
		return 0;
	/* Parameter 1: addr (type: PT_UINT64) */
	auxmap__store_u64_param(a, address);
	/* Parameter 2: ip (type: PT_UINT64) */
	auxmap__store_u64_param(a, regs ? regs->ip : 0);
	/* Parameter 3: error (type: PT_FLAGS32) */
	auxmap__store_u32_param(a, flags__page_fault_to_scap(error_code));
	auxmap__submit_event(a);
	return 0;
}
