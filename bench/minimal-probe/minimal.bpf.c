/* The reference probe for bench/probe.bench.mjs: the least a syscall tracer can do with a ring buffer,
 * one 24-byte record per syscall exit, reserved and submitted. Its cost is the floor scapkit's probe is
 * measured against. */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

char LICENSE[] SEC("license") = "Dual BSD/GPL";

struct record {
	__u64 ts;
	__u32 tid;
	__u32 nr;
	__s64 ret;
};

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 8 << 20);
} rb SEC(".maps");

/* The loader's own process, so that consuming does not feed itself (as scapkit excludes the recorder). */
const volatile __u32 self_tgid = 0;

SEC("tp_btf/sys_exit")
int BPF_PROG(minimal_sys_exit, struct pt_regs *regs, long ret)
{
	__u64 id = bpf_get_current_pid_tgid();
	if ((id >> 32) == self_tgid)
		return 0;
	struct record *r = bpf_ringbuf_reserve(&rb, sizeof(*r), 0);
	if (!r)
		return 0;
	r->ts = bpf_ktime_get_boot_ns();
	r->tid = (__u32)id;
	r->nr = (__u32)regs->orig_ax;
	r->ret = ret;
	/* Same wakeup policy as scapkit's probe: the consumer polls on a timer. */
	bpf_ringbuf_submit(r, BPF_RB_NO_WAKEUP);
	return 0;
}
