/* Hot events written straight into the CPU's ring (bpf_ringbuf_reserve), without the scratch buffer and
 * its copy (bpf_ringbuf_output): close (fixed size) and read/write-like events while the snaplen is small.
 *
 * bpf_ringbuf_reserve needs a size the verifier knows, so an I/O event reserves room for 8, 32 or
 * snaplen data bytes (g_snaplen is read-only data: a known constant once loaded), whichever is the first
 * to hold its data, and the header's len says how much of the record is the event: the reader copies
 * hdr.len bytes and skips the rest of the record. The cost is ring space (fewer than DIRECT_IO_DATA_MAX
 * unused bytes per event, at most 7 for data up to 8 bytes), which is why large snaplens keep the
 * scratch-buffer path. */
#ifndef PROBE_HELPERS_DIRECT_H
#define PROBE_HELPERS_DIRECT_H

#include "base.h"
#include "counters.h"
#include "auxmap.h"

/* Largest snaplen whose I/O events are reserved straight in the ring. */
#define DIRECT_IO_DATA_MAX 128

/* A ring record for this CPU's next event, `size` bytes (a verifier-known constant), with the scap header
 * filled (the thread id the dispatcher stashed: these are tail-called fillers); NULL when the event is
 * dropped (counted). */
static __always_inline void *direct__reserve_tid(__u32 size, __u16 type, __u32 nparams, __u32 tid)
{
	struct probe_counters *c = counters__get();
	if (!c)
		return NULL;
	c->n_evts++;
	__u32 cpu = bpf_get_smp_processor_id();
	void *rb = bpf_map_lookup_elem(&ringbuf_maps, &cpu);
	if (!rb) {
		c->n_drops_other++;
		return NULL;
	}
	struct probe_event_header *h = bpf_ringbuf_reserve(rb, size, 0);
	if (!h) {
		c->n_drops_buffer++;
		return NULL;
	}
	h->ts = bpf_ktime_get_boot_ns() + g_boot_time;
	h->tid = tid;
	h->type = type;
	h->nparams = nparams;
	return h;
}

/* direct__reserve_tid for a filler tail-called by a dispatcher: the thread id it stashed. */
static __always_inline void *direct__reserve(__u32 size, __u16 type, __u32 nparams)
{
	struct auxiliary_map *a = auxmap__get();
	return direct__reserve_tid(size, type, nparams, a ? a->tid : 0);
}

/* ---- events with a path (openat enter and exit) ----
 * The path is in the CPU's path cache first (auxmap__cache_path, auxmap__cached_path), so its length is
 * known before the record is reserved: the record has room for 32, 128 or PROBE_MAX_PATH path bytes, the
 * first that holds it, and the path is copied in 8 bytes at a time with plain loads and stores. */
#define DIRECT_PATH_SMALL 32
#define DIRECT_PATH_MEDIUM 128

/* Copies the cached path (n bytes) to dst, which has room for cap (a multiple of 8) bytes; the last word
 * may copy up to 7 bytes past the path, still inside the room, where the next parameter is written. */
static __always_inline void direct__copy_path(__u8 *dst, struct auxiliary_map *a, __u32 n, __u32 cap)
{
	for (__u32 i = 0; i < cap / 8; i++) {
		if (i * 8 >= n)
			break;
		*(__u64 *)(dst + i * 8) = *(__u64 *)&a->path[(i * 8) & (PROBE_MAX_PATH - 8)];
	}
}

/* An event of two 64-bit parameters (close: res, fd). */
struct direct_event_2x64 {
	struct probe_event_header hdr;
	__u16 lens[2];
	__u64 p1;
	__u64 p2;
} __attribute__((packed));

static __always_inline void direct__emit_2x64(__u16 type, __u32 nparams, __u64 p1, __u64 p2)
{
	struct direct_event_2x64 *e = direct__reserve(sizeof(*e), type, nparams);
	if (!e)
		return;
	e->hdr.len = sizeof(*e);
	e->lens[0] = sizeof(e->p1);
	e->lens[1] = sizeof(e->p2);
	e->p1 = p1;
	e->p2 = p2;
	bpf_ringbuf_submit(e, BPF_RB_NO_WAKEUP);
}

/* read/write-like events (read, write): res (i64), data (the first min(bytes, snaplen) bytes of buf, empty
 * when bytes <= 0 or unreadable), fd (i64), size (u32). The record is reserved for `cap` data bytes, a
 * constant: the smallest of 8, 32 and the snaplen that holds the data, so that small I/O does not take
 * the whole snaplen's room in the ring. */
#define DIRECT_IO_FIXED (PROBE_EVENT_HEADER_SIZE + 4 * sizeof(__u16) + 8 + 8 + 4)
static __always_inline void direct__fill_io(__u16 type, __u32 nparams, __u32 cap, __s64 res, const void *buf,
					    __u64 want, __s64 fd, __u32 size)
{
	__u8 *e = direct__reserve(DIRECT_IO_FIXED + cap, type, nparams);
	if (!e)
		return;
	/* 64-bit, and hidden from clang before the clamp: a copy made before it would lose the verifier's
	 * bound. */
	__u64 len = want;
	barrier_var(len);
	if (len > cap)
		len = cap;
	if (len && bpf_probe_read_user(e + PROBE_EVENT_HEADER_SIZE + 16, len, buf))
		len = 0;
	__u16 *lens = (__u16 *)(e + PROBE_EVENT_HEADER_SIZE);
	lens[0] = 8;
	lens[1] = len;
	lens[2] = 8;
	lens[3] = 4;
	*(__s64 *)(e + PROBE_EVENT_HEADER_SIZE + 8) = res;
	barrier_var(len);
	if (len > cap)
		len = cap;
	*(__s64 *)(e + PROBE_EVENT_HEADER_SIZE + 16 + len) = fd;
	*(__u32 *)(e + PROBE_EVENT_HEADER_SIZE + 24 + len) = size;
	((struct probe_event_header *)e)->len = DIRECT_IO_FIXED + len;
	bpf_ringbuf_submit(e, BPF_RB_NO_WAKEUP);
}

/* Returns false when the snaplen is too large for this path: the caller then uses the scratch buffer. */
static __always_inline bool direct__emit_io(__u16 type, __u32 nparams, __s64 res, const void *buf, __s64 bytes,
					    __s64 fd, __u32 size)
{
	if (g_snaplen > DIRECT_IO_DATA_MAX)
		return false;
	__u64 want = 0;
	if (bytes > 0 && buf)
		want = (__u64)bytes < g_snaplen ? (__u64)bytes : g_snaplen;
	if (want <= 8)
		direct__fill_io(type, nparams, 8, res, buf, want, fd, size);
	else if (want <= 32)
		direct__fill_io(type, nparams, 32, res, buf, want, fd, size);
	else
		direct__fill_io(type, nparams, g_snaplen, res, buf, want, fd, size);
	return true;
}

#endif
