/* sys_exit dispatcher: every syscall return passes here. Filters first (cheapest test first), then the
 * syscall's exit filler by tail call, or the generic event when it has none. */
#include "helpers/base.h"
#include "helpers/filter.h"
#include "helpers/generic.h"
#include "helpers/extract.h"

SEC("tp_btf/sys_exit")
int BPF_PROG(sys_exit, struct pt_regs *regs, long ret)
{
	__u32 nr = extract__syscall_id(regs);
	struct probe_syscall_entry *sc = bpf_map_lookup_elem(&interesting_syscalls, &nr);
	if (!sc || !(sc->flags & PROBE_SC_CAPTURE))
		return 0;
	__u64 pid_tgid = bpf_get_current_pid_tgid();
	if (filter__skip_tgid(pid_tgid >> 32) || filter__is_compat_syscall())
		return 0;
	/* Tail calls keep each filler a separate program, verified on its own budget, and this dispatcher
	 * tiny; a tail call costs a few ns. Should the slot be empty, execution simply continues below. */
	if (sc->flags & PROBE_SC_FILLER)
		bpf_tail_call(ctx, &syscall_exit_fillers, nr);
	generic__emit(nr, sc->ppm_sc, pid_tgid);
	return 0;
}
