/* sys_enter dispatcher: only the enter events current libs keeps (open, openat, openat2, creat,
 * connect) are recorded; every other syscall leaves after a few compares. (fentry on the five syscall
 * functions would spare the other syscalls this program entirely, but tracing attach points other than
 * tp_btf are not available on every target, e.g. kernels that refuse fentry.) */
#include "helpers/base.h"
#include "helpers/filter.h"

/* x86_64 numbers of the syscalls with an enter filler (asm/unistd_64.h; the filler table lists them too). */
#define __NR_open 2
#define __NR_connect 42
#define __NR_creat 85
#define __NR_openat 257
#define __NR_openat2 437

SEC("tp_btf/sys_enter")
int BPF_PROG(sys_enter, struct pt_regs *regs, long id)
{
	__u32 nr = (__u32)id;
	/* Most syscalls have no enter event: leave before any map lookup. */
	if (nr != __NR_open && nr != __NR_openat && nr != __NR_openat2 && nr != __NR_creat && nr != __NR_connect)
		return 0;
	struct probe_syscall_entry *sc = bpf_map_lookup_elem(&interesting_syscalls, &nr);
	if (!sc || !(sc->flags & PROBE_SC_ENTER))
		return 0;
	if (filter__skip_current() || filter__is_compat_syscall())
		return 0;
	bpf_tail_call(ctx, &syscall_enter_fillers, nr);
	return 0;
}
