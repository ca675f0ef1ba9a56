/* sys_enter dispatcher: only the enter events current libs keeps (open, openat, openat2, creat,
 * connect) are recorded; every other syscall leaves after one array lookup. */
#include "helpers/base.h"
#include "helpers/filter.h"

SEC("tp_btf/sys_enter")
int BPF_PROG(sys_enter, struct pt_regs *regs, long id)
{
	__u32 nr = (__u32)id;
	struct probe_syscall_entry *sc = bpf_map_lookup_elem(&interesting_syscalls, &nr);
	if (!sc || !(sc->flags & PROBE_SC_ENTER))
		return 0;
	if (filter__skip_current() || filter__is_compat_syscall())
		return 0;
	bpf_tail_call(ctx, &syscall_enter_fillers, nr);
	return 0;
}
