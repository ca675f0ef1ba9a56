/* sys_exit dispatcher: every syscall return passes here. Filters first (cheapest test first), then the
 * syscall's exit filler by tail call, or the generic event when it has none. */
#include "helpers/base.h"
#include "helpers/filter.h"
#include "helpers/generic.h"
#include "helpers/extract.h"
#include "helpers/auxmap.h"

/* The most frequent syscalls with a filler (x86_64 numbers, asm/unistd_64.h): their tail calls use a
 * constant slot, which the JIT turns into a direct jump patched when the slot changes. A tail call through
 * a variable slot is an indirect jump, a retpoline where Spectre v2 mitigations are on. */
#define PROBE_HOT_EXIT(X)                                                                                  \
	X(0 /* read */) X(1 /* write */) X(2 /* open */) X(3 /* close */) X(7 /* poll */) X(8 /* lseek */)   \
	X(9 /* mmap */) X(10 /* mprotect */) X(11 /* munmap */) X(12 /* brk */) X(16 /* ioctl */)            \
	X(17 /* pread64 */) X(18 /* pwrite64 */) X(19 /* readv */) X(20 /* writev */) X(42 /* connect */)   \
	X(44 /* sendto */) X(45 /* recvfrom */) X(46 /* sendmsg */) X(47 /* recvmsg */) X(72 /* fcntl */)   \
	X(257 /* openat */) X(271 /* ppoll */) X(288 /* accept4 */)

SEC("tp_btf/sys_exit")
int BPF_PROG(sys_exit, struct pt_regs *regs, long ret)
{
	__u32 nr = extract__syscall_id(regs);
	struct probe_syscall_entry *sc = bpf_map_lookup_elem(&interesting_syscalls, &nr);
	if (!sc || !(sc->flags & PROBE_SC_CAPTURE))
		return 0;
	/* One helper call for the tgid, the thread id and the ia32 test: plain loads from the task. */
	struct task_struct *task = bpf_get_current_task_btf();
	__u32 tid = task->pid;
	if (filter__skip_tgid(task->tgid) || filter__is_compat_task(task))
		return 0;
	/* Tail calls keep each filler a separate program, verified on its own budget, and this dispatcher
	 * tiny. Should the slot be empty, execution simply continues below. */
	if (sc->flags & PROBE_SC_FILLER) {
		auxmap__stash_tid(tid);
		switch (nr) {
#define HOT_CASE(n)                                                                                        \
	case n:                                                                                            \
		bpf_tail_call_static(ctx, &syscall_exit_fillers, n);                                       \
		break;
			PROBE_HOT_EXIT(HOT_CASE)
#undef HOT_CASE
		default:
			bpf_tail_call(ctx, &syscall_exit_fillers, nr);
		}
	}
	generic__emit(nr, sc->ppm_sc, tid);
	return 0;
}
