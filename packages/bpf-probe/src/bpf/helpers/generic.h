/* The generic syscall event (id 1, "syscall" exit): any syscall without a filler. Fixed size, so it is
 * reserved straight in the ring instead of going through the scratch buffer. */
#ifndef PROBE_HELPERS_GENERIC_H
#define PROBE_HELPERS_GENERIC_H

#include "base.h"
#include "counters.h"

struct generic_event {
	struct probe_event_header hdr;
	__u16 lens[SCAPE_SYSCALL_X_NPARAMS];
	/* Parameter 1: ID (type: PT_SYSCALLID) */
	__u16 id;
	/* Parameter 2: nativeID (type: PT_UINT16) */
	__u16 native_id;
} __attribute__((packed));

static __always_inline void generic__emit(__u32 native_nr, __u16 ppm_sc, __u32 tid)
{
	struct probe_counters *c = counters__get();
	if (!c)
		return;
	c->n_evts++;
	__u32 cpu = bpf_get_smp_processor_id();
	void *rb = bpf_map_lookup_elem(&ringbuf_maps, &cpu);
	if (!rb) {
		c->n_drops_other++;
		return;
	}
	struct generic_event *e = bpf_ringbuf_reserve(rb, sizeof(*e), 0);
	if (!e) {
		c->n_drops_buffer++;
		return;
	}
	e->hdr.ts = bpf_ktime_get_boot_ns() + g_boot_time;
	e->hdr.tid = tid;
	e->hdr.len = sizeof(*e);
	e->hdr.type = SCAPE_SYSCALL_X;
	e->hdr.nparams = SCAPE_SYSCALL_X_NPARAMS;
	e->lens[0] = sizeof(e->id);
	e->lens[1] = sizeof(e->native_id);
	e->id = ppm_sc;
	e->native_id = native_nr;
	bpf_ringbuf_submit(e, BPF_RB_NO_WAKEUP);
}

#endif
