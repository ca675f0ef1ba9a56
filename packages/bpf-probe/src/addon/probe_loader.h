/* The probe's user-space side in C, libbpf-bootstrap style: open -> configure -> load -> attach, then a
 * reader that drains every CPU's ring, merges by timestamp and fills EventBatch-framed buffers. The Node
 * addon only wraps this (argument checks, threads, handing buffers to JavaScript). */
#ifndef PROBE_LOADER_H
#define PROBE_LOADER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

struct probe;

struct probe_config {
	uint32_t snaplen;
	uint32_t buffer_bytes_per_cpu; /* rounded up to a power of two, at least one page */
	const uint32_t *pids;          /* record only these tgids (n_pids == 0: everyone) */
	size_t n_pids;
	const uint32_t *exclude_pids;  /* never record these tgids */
	size_t n_exclude_pids;
	const uint16_t *ppm_sc;        /* record only these syscalls, by ppm_sc code (n_ppm_sc == 0: all) */
	size_t n_ppm_sc;
	bool sched_switch;
	bool page_faults;
	bool no_enter_events;          /* skip the enter events (no program on sys_enter at all) */
	bool follow_forks;             /* processes forked by recorded ones are recorded too (needs a pid filter) */
	uint32_t children_of;          /* with follow_forks: this process's children are recorded (0: none) */
};

/* Why a load failed; the strings are ProbeLoadError reasons in the TypeScript facade. */
enum probe_error_reason {
	PROBE_OK = 0,
	PROBE_ERR_NOT_ROOT,
	PROBE_ERR_NO_BTF,
	PROBE_ERR_KERNEL_TOO_OLD,
	PROBE_ERR_VERIFIER,
	PROBE_ERR_ATTACH,
	PROBE_ERR_RING_BUFFER,
	PROBE_ERR_OTHER,
};
const char *probe_error_reason_name(enum probe_error_reason r);

struct probe_error {
	enum probe_error_reason reason;
	char message[8192]; /* one line naming the step, then (verifier) the tail of the verifier log */
};

struct probe_cpu_counters {
	uint64_t seen, drops_buffer, drops_other;
};

/* A filled batch: `data` holds framed events (u16 cpu | u16 flags | event), `offsets[i]` the offset of
 * event i's header. Ownership passes to the sink, which frees both with free(). */
typedef void (*probe_batch_sink)(void *ctx, uint8_t *data, size_t len, uint32_t *offsets, uint32_t count);

/* Opens, configures, loads and attaches: probe_load then probe_attach. */
struct probe *probe_open(const struct probe_config *cfg, struct probe_error *err);

/* Everything but the attach: the kernel verifies the programs, maps and rings are made, no event flows.
 * Takes most of the start-up (the verifier), so it may run on another thread while the caller does
 * something else; `cfg` is not used after it returns. */
struct probe *probe_load(const struct probe_config *cfg, struct probe_error *err);

/* Attaches a loaded probe: events flow from here on. On failure nothing stays attached (the probe is
 * still the caller's to destroy). */
int probe_attach(struct probe *p, struct probe_error *err);

/* Drains all rings once, handing batches to the sink; returns the number of events read. Runs on the
 * reader thread only. */
size_t probe_drain(struct probe *p, probe_batch_sink sink, void *ctx);

/* Detaches every program: no new events; what the rings hold can still be drained. Idempotent. */
void probe_detach(struct probe *p);

/* Counters of each CPU (n = possible CPUs); returns the number of CPUs written. */
int probe_read_counters(struct probe *p, struct probe_cpu_counters *out, int max);
int probe_cpu_count(struct probe *p);
uint64_t probe_delivered(struct probe *p);

void probe_destroy(struct probe *p);

#ifdef __cplusplus
}
#endif
#endif
