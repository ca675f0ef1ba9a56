/* openat exit filler (SCAPE_OPENAT_X), written straight into the ring (helpers/direct.h): the path comes
 * from the CPU's path cache when the enter event of the same call left it there (helpers/auxmap.h), and
 * the new file's facts are plain loads (bpf_rdonly_cast, helpers/extract.h). */
/* The one object that declares bpf_rdonly_cast (see helpers/extract.h). */
#define EXTRACT_WITH_RDONLY_CAST
#include "helpers/filler.h"
#include "helpers/direct.h"

/* Where the path goes: after the header, the 7 lengths, fd and dirfd. */
#define OPENAT_X_PATH_AT (PROBE_EVENT_HEADER_SIZE + SCAPE_OPENAT_X_NPARAMS * sizeof(__u16) + 16)
/* After the path: flags (4), mode (4), dev (4), ino (8). */
#define OPENAT_X_AFTER_PATH 20

/* The event in a record with room for `cap` path bytes (a constant: one inlined copy per size class). */
static __always_inline int openat_x_fill(__u32 cap, struct auxiliary_map *a, __u32 n, struct pt_regs *regs,
					 long ret, const struct file_facts *ff)
{
	__u8 *e = direct__reserve_tid(OPENAT_X_PATH_AT + cap + OPENAT_X_AFTER_PATH, SCAPE_OPENAT_X,
				      SCAPE_OPENAT_X_NPARAMS, a->tid);
	if (!e)
		return 0;
	__u16 *lens = (__u16 *)(e + PROBE_EVENT_HEADER_SIZE);
	unsigned long flags = ARG(2);
	/* Parameter 1: fd (type: PT_FD) */
	*(__s64 *)(e + OPENAT_X_PATH_AT - 16) = ret;
	lens[0] = 8;
	/* Parameter 2: dirfd (type: PT_FD) */
	*(__s64 *)(e + OPENAT_X_PATH_AT - 8) = (__s32)ARG(0);
	lens[1] = 8;
	/* Parameter 3: name (type: PT_FSRELPATH) */
	direct__copy_path(e + OPENAT_X_PATH_AT, a, n, cap);
	/* 64-bit and hidden from clang: the clamp must reach the verifier (see direct__fill_io). */
	__u64 len = n;
	barrier_var(len);
	if (len > cap)
		len = cap;
	lens[2] = len;
	__u8 *p = e + OPENAT_X_PATH_AT + len;
	/* Parameter 4: flags (type: PT_FLAGS32) */
	*(__u32 *)p = flags__open_to_scap(flags) | filler__created_flag(ff);
	lens[3] = 4;
	/* Parameter 5: mode (type: PT_UINT32) */
	*(__u32 *)(p + 4) = flags__open_mode_to_scap(flags, ARG(3));
	lens[4] = 4;
	/* Parameter 6: dev (type: PT_UINT32) */
	*(__u32 *)(p + 8) = ff->dev;
	lens[5] = 4;
	/* Parameter 7: ino (type: PT_UINT64) */
	*(__u64 *)(p + 12) = ff->ino;
	lens[6] = 8;
	((struct probe_event_header *)e)->len = OPENAT_X_PATH_AT + len + OPENAT_X_AFTER_PATH;
	bpf_ringbuf_submit(e, BPF_RB_NO_WAKEUP);
	return 0;
}

SEC("tp_btf/sys_exit")
int BPF_PROG(openat_x, struct pt_regs *regs, long ret)
{
	struct auxiliary_map *a = auxmap__get();
	if (!a) {
		counters__drop_other();
		return 0;
	}
	struct task_struct *task = bpf_get_current_task_btf();
	struct file_facts ff;
	extract__fd_file_facts(task, ret, &ff.mode, &ff.dev, &ff.ino);
	__u32 n = auxmap__cached_path(a, (void *)ARG(1), a->tid, auxmap__task_csw(task));
	if (n <= DIRECT_PATH_SMALL)
		return openat_x_fill(DIRECT_PATH_SMALL, a, n, regs, ret, &ff);
	if (n <= DIRECT_PATH_MEDIUM)
		return openat_x_fill(DIRECT_PATH_MEDIUM, a, n, regs, ret, &ff);
	return openat_x_fill(PROBE_MAX_PATH, a, n, regs, ret, &ff);
}
