/* signaldeliver (SCAPE_SIGNALDELIVER_E): a signal is delivered to the current task. */
#include "helpers/filler.h"
#include "helpers/filter.h"

#define SI_USER 0
#define SI_QUEUE -1
#define SI_TKILL -6
#define SIGCHLD 17

SEC("tp_btf/signal_deliver")
int BPF_PROG(signal_deliver, int sig, struct kernel_siginfo *info, struct k_sigaction *ka)
{
	if (filter__skip_current())
		return 0;
	struct auxiliary_map *a = filler__start_current(SCAPE_SIGNALDELIVER_E, SCAPE_SIGNALDELIVER_E_NPARAMS);
	if (!a)
		return 0;
	/* The sender is known only for signals sent by a process (kill, sigqueue, tkill) and for SIGCHLD. */
	__s64 spid = 0;
	if (info) {
		int code = BPF_CORE_READ(info, si_code);
		if (code == SI_USER || code == SI_QUEUE || code == SI_TKILL || sig == SIGCHLD)
			spid = BPF_CORE_READ(info, _sifields._kill._pid);
	}
	/* Parameter 1: spid (type: PT_PID) */
	auxmap__store_s64_param(a, spid);
	/* Parameter 2: dpid (type: PT_PID) */
	auxmap__store_s64_param(a, bpf_get_current_pid_tgid() & 0xffffffff);
	/* Parameter 3: sig (type: PT_SIGTYPE) */
	auxmap__store_u8_param(a, sig);
	auxmap__submit_event(a);
	return 0;
}
