/* The one header both the BPF programs and the user-space loader include: sizes, map value layouts and
 * flags that must agree on both sides of the kernel boundary. */
#ifndef PROBE_SHARED_H
#define PROBE_SHARED_H

#ifndef __VMLINUX_H__
#include <linux/types.h>
#endif

/* Per-CPU scratch buffer an event is built in before it is copied into the ring. Twice the largest event,
 * so that any write at an offset masked to the lower half stays inside the buffer (the verifier's proof). */
#define PROBE_AUXMAP_SIZE (1 << 17)
#define PROBE_AUXMAP_HALF_MASK ((PROBE_AUXMAP_SIZE >> 1) - 1)
/* Largest event the probe writes: its param lengths are u16 and the copy into the ring is masked to it. */
#define PROBE_MAX_EVENT_SIZE 65535

/* Largest snaplen: a read's data plus its other params must stay within PROBE_MAX_EVENT_SIZE. */
#define PROBE_SNAPLEN_MAX 65000
#define PROBE_SNAPLEN_DEFAULT 80

/* Bounds for strings and lists read from the traced task. */
#define PROBE_MAX_PATH 1024
#define PROBE_MAX_ARGS 4096
#define PROBE_MAX_ENV 4096
#define PROBE_MAX_COMM 16

/* Upper bound on CPUs (one ring buffer each); the loader sizes the maps to the possible CPUs. */
#define PROBE_MAX_CPUS 1024

/* Excluded tgids compared inline (read-only data); more go to the excluded_pids map. */
#define PROBE_MAX_INLINE_EXCLUDED 4
/* tgids of the pid filter compared inline (read-only data); more go to the pid_filter map. */
#define PROBE_MAX_INLINE_PIDS 4
/* Live processes the pid filter can follow (its map's size when following forks). */
#define PROBE_MAX_FOLLOWED_PROCESSES 65536

/* Scap event header: ts u64, tid u64, len u32, type u16, nparams u32 (packed). */
#define PROBE_EVENT_HEADER_SIZE 26

struct probe_event_header {
	__u64 ts;       /* ns since the epoch */
	__u64 tid;      /* host thread id */
	__u32 len;      /* whole event, header included */
	__u16 type;     /* event id (scap_events.generated.h) */
	__u32 nparams;  /* followed by nparams u16 lengths, then the params */
} __attribute__((packed));

/* interesting_syscalls value: what the dispatchers do with a native syscall number. */
struct probe_syscall_entry {
	__u8 flags;     /* PROBE_SC_* */
	__u8 reserved;
	__u16 ppm_sc;   /* ppm_sc code for the generic event (PT_SYSCALLID) */
};
#define PROBE_SC_CAPTURE 1    /* emit the exit event (a filler's or the generic one) */
#define PROBE_SC_ENTER 2      /* also emit the enter event (open, openat, openat2, creat, connect) */
#define PROBE_SC_FILLER 4     /* has an exit filler (else: the generic event, without a tail-call attempt) */

/* Per-CPU counters, read by stats(). seen = delivered + drops_buffer + drops_other once the rings drain. */
struct probe_counters {
	__u64 n_evts;          /* events the probe tried to emit (after the pid and syscall filters) */
	__u64 n_drops_buffer;  /* the CPU's ring had no room */
	__u64 n_drops_other;   /* any other cause: no scratch buffer, no ring, event too large */
};

#endif
