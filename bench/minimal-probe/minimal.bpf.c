/* The reference probe for bench/probe.bench.mjs: the least a syscall tracer can do with a ring buffer,
 * one 24-byte record per syscall exit, reserved and submitted. Its cost is the floor scapkit's probe is
 * measured against. */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpf/bpf_core_read.h>

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

/* Optional extra work (off by default, `minimal --work=...`), to price what scapkit does beyond the
 * floor: WORK_USER_DATA copies the first 80 bytes of a read/write buffer (a snaplen of 80) and the path of
 * an open/openat into a per-CPU buffer, as scapkit's events carry them; WORK_FILE walks fd -> file ->
 * inode for the new fd of an open/openat (dev, ino, f_mode) with the reads scapkit's open fillers do. */
#define WORK_USER_DATA 1
#define WORK_FILE 2
const volatile __u32 work = 0;

struct scratch {
	__u8 buf[1024];
};
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct scratch);
} scratch SEC(".maps");

static __always_inline void extra_work(struct pt_regs *regs, long ret, __u32 nr)
{
	__u32 zero = 0;
	struct scratch *s = bpf_map_lookup_elem(&scratch, &zero);
	if (!s)
		return;
	bool is_open = nr == 2 || nr == 257;
	if ((work & WORK_USER_DATA) && is_open)
		bpf_probe_read_user_str(s->buf, sizeof(s->buf), (void *)(nr == 2 ? regs->di : regs->si));
	if ((work & WORK_USER_DATA) && (nr == 0 || nr == 1) && ret > 0)
		bpf_probe_read_user(s->buf, ret > 80 ? 80 : (ret & 0x7f), (void *)regs->si);
	if ((work & WORK_FILE) && is_open && ret >= 0) {
		struct task_struct *task = bpf_get_current_task_btf();
		struct fdtable *fdt = task->files->fdt;
		if (!fdt || (__u32)ret >= fdt->max_fds)
			return;
		struct file **fds = fdt->fd;
		struct file *f = NULL;
		bpf_probe_read_kernel(&f, sizeof(f), &fds[ret]);
		if (!f)
			return;
		__u32 mode = BPF_CORE_READ(f, f_mode);
		struct inode *inode = BPF_CORE_READ(f, f_inode);
		__u64 ino = BPF_CORE_READ(inode, i_ino);
		__u32 dev = BPF_CORE_READ(inode, i_sb, s_dev);
		*(__u64 *)s->buf = ino + dev + mode;
	}
}

/* The loader's own process, so that consuming does not feed itself (as scapkit excludes the recorder). */
const volatile __u32 self_tgid = 0;

SEC("tp_btf/sys_exit")
int BPF_PROG(minimal_sys_exit, struct pt_regs *regs, long ret)
{
	__u64 id = bpf_get_current_pid_tgid();
	if ((id >> 32) == self_tgid)
		return 0;
	if (work)
		extra_work(regs, ret, (__u32)regs->orig_ax);
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

/* `minimal --enter-tp`: an empty program on openat's own enter tracepoint, where scapkit's openat enter
 * event comes from. It prices the kernel's perf tracepoint path (its buffer and trace_call_bpf run before
 * any program) on its own. Not loaded otherwise. */
SEC("tracepoint/syscalls/sys_enter_openat")
int minimal_enter_openat(void *ctx)
{
	return 0;
}
