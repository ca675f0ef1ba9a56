/* openat enter filler (SCAPE_OPENAT_E), written straight into the ring (helpers/direct.h): the path is read
 * into the CPU's path cache, which the exit event of the same call reuses (helpers/auxmap.h), then copied
 * into a record sized for it. */
#include "helpers/filler.h"
#include "helpers/direct.h"
#include "helpers/enter.h"

/* Where the path goes: after the header, the 4 lengths and dirfd. */
#define OPENAT_E_PATH_AT (PROBE_EVENT_HEADER_SIZE + SCAPE_OPENAT_E_NPARAMS * sizeof(__u16) + 8)

/* The event in a record with room for `cap` path bytes (a constant: one inlined copy per size class). */
static __always_inline int openat_e_fill(__u32 cap, struct auxiliary_map *a, __u32 n, __u32 tid,
					 const unsigned long *args)
{
	__u8 *e = direct__reserve_tid(OPENAT_E_PATH_AT + cap + 8, SCAPE_OPENAT_E, SCAPE_OPENAT_E_NPARAMS, tid);
	if (!e)
		return 0;
	__u16 *lens = (__u16 *)(e + PROBE_EVENT_HEADER_SIZE);
	unsigned long flags = args[2];
	/* Parameter 1: dirfd (type: PT_FD) */
	*(__s64 *)(e + OPENAT_E_PATH_AT - 8) = (__s32)args[0];
	lens[0] = 8;
	/* Parameter 2: name (type: PT_FSRELPATH) */
	direct__copy_path(e + OPENAT_E_PATH_AT, a, n, cap);
	/* 64-bit and hidden from clang: the clamp must reach the verifier (see direct__fill_io). */
	__u64 len = n;
	barrier_var(len);
	if (len > cap)
		len = cap;
	lens[1] = len;
	/* Parameter 3: flags (type: PT_FLAGS32) */
	*(__u32 *)(e + OPENAT_E_PATH_AT + len) = flags__open_to_scap(flags);
	lens[2] = 4;
	/* Parameter 4: mode (type: PT_UINT32) */
	*(__u32 *)(e + OPENAT_E_PATH_AT + 4 + len) = flags__open_mode_to_scap(flags, args[3]);
	lens[3] = 4;
	((struct probe_event_header *)e)->len = OPENAT_E_PATH_AT + len + 8;
	bpf_ringbuf_submit(e, BPF_RB_NO_WAKEUP);
	return 0;
}

static __always_inline int openat_e_body(const unsigned long *args, struct task_struct *task)
{
	struct auxiliary_map *a = auxmap__get();
	if (!a) {
		counters__drop_other();
		return 0;
	}
	__u32 tid = task->pid;
	__u32 n = auxmap__cache_path(a, (void *)args[1], tid, auxmap__task_csw(task));
	if (n <= DIRECT_PATH_SMALL)
		return openat_e_fill(DIRECT_PATH_SMALL, a, n, tid, args);
	if (n <= DIRECT_PATH_MEDIUM)
		return openat_e_fill(DIRECT_PATH_MEDIUM, a, n, tid, args);
	return openat_e_fill(PROBE_MAX_PATH, a, n, tid, args);
}

ENTER_PROGRAMS(openat, 257)
