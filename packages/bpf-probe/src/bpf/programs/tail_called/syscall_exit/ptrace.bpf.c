/* ptrace exit filler (SCAPE_PTRACE_X). */
#include "helpers/filler.h"

SEC("tp_btf/sys_exit")
int BPF_PROG(ptrace_x, struct pt_regs *regs, long ret)
{
	struct auxiliary_map *a = filler__start(SCAPE_PTRACE_X, SCAPE_PTRACE_X_NPARAMS);
	if (!a)
		return 0;
	__u16 req = flags__ptrace_request_to_scap(ARG(0));
	__u64 addr = ARG(2), data = ARG(3);
	__u8 *d;
	/* Parameter 1: res (type: PT_ERRNO) */
	auxmap__store_s64_param(a, ret);
	/* Parameter 2: addr (type: PT_DYN): index 0 (UINT64), the address (0 when the call failed) */
	d = &a->data[SAFE(a->payload_pos)];
	d[0] = 0;
	*(__u64 *)&d[1] = ret < 0 ? 0 : addr;
	auxmap__push_param_len(a, 9);
	/* Parameter 3: data (type: PT_DYN): the word read (PEEK*, index 0), the signal passed on (CONT,
	 * SINGLESTEP, DETACH, SYSCALL: index 1, SIGTYPE), else the argument (index 0); 0 when the call failed */
	d = &a->data[SAFE(a->payload_pos)];
	if (ret >= 0 && (req == 8 || req == 10 || req == 12 || req == 13)) {
		d[0] = 1;
		d[1] = data;
		auxmap__push_param_len(a, 2);
	} else {
		__u64 v = ret < 0 ? 0 : data;
		if (ret >= 0 && req >= 2 && req <= 4)
			bpf_probe_read_user(&v, sizeof(v), (void *)data);
		d[0] = 0;
		*(__u64 *)&d[1] = v;
		auxmap__push_param_len(a, 9);
	}
	/* Parameter 4: request (type: PT_ENUMFLAGS16) */
	auxmap__store_u16_param(a, req);
	/* Parameter 5: pid (type: PT_PID) */
	auxmap__store_s64_param(a, (__s32)ARG(1));
	auxmap__submit_event(a);
	return 0;
}
