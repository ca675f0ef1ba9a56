/* Every map and read-only setting of the probe. Included by every BPF object; the linker merges the
 * __weak definitions into one map each. */
#ifndef PROBE_MAPS_H
#define PROBE_MAPS_H

#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include "shared_definitions/probe_shared.h"
#include "scap_events.generated.h"

/* ---- Read-only configuration, set by the loader between open and load. ---- */

/* Bytes of I/O data captured per read/write/send/recv (the snaplen). */
__weak const volatile __u32 g_snaplen = PROBE_SNAPLEN_DEFAULT;
/* CLOCK_REALTIME - CLOCK_BOOTTIME at load, so boot-time stamps become ns since the epoch. */
__weak const volatile __u64 g_boot_time = 0;
/* When set, only tasks whose tgid is in g_pid_filter_tgids (the first PROBE_MAX_INLINE_PIDS, compared in
 * place: no map lookup, as for the exclusions below) or, when g_pid_filter_map is set, in the pid_filter
 * map are recorded. */
__weak const volatile __u8 g_pid_filter_enabled = 0;
__weak const volatile __u32 g_n_pids_inline = 0;
__weak const volatile __u32 g_pid_filter_tgids[PROBE_MAX_INLINE_PIDS] = {};
__weak const volatile __u8 g_pid_filter_map = 0;
/* When set (with the pid filter on), a process forked by a recorded process, or by the process
 * g_follow_children_of (the recorder: it is never recorded itself, its children are), joins the pid_filter
 * map before it runs (programs/attached/pid_filter/sched_process_fork.bpf.c), and leaves it when its last thread
 * exits. */
__weak const volatile __u8 g_follow_forks = 0;
__weak const volatile __u32 g_follow_children_of = 0;
/* When set, tasks whose tgid is in excluded_pids are not recorded (beyond the first
 * PROBE_MAX_INLINE_EXCLUDED, which are compared in place: see g_excluded_tgids). */
__weak const volatile __u8 g_exclusion_enabled = 0;
/* The first excluded tgids (the recorder itself, typically), compared without a map lookup: this check
 * runs on every syscall, and a hash lookup would cost more than the rest of a generic event. */
__weak const volatile __u32 g_n_excluded_inline = 0;
__weak const volatile __u32 g_excluded_tgids[PROBE_MAX_INLINE_EXCLUDED] = {};

/* ---- Maps. ---- */

/** Native syscall number -> what to record for it (struct probe_syscall_entry): filled from user space
 *  with the ppm_sc code of every syscall and the capture flags the syscall filter leaves on. */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, SCAP_NATIVE_SYSCALL_MAX);
	__type(key, __u32);
	__type(value, struct probe_syscall_entry);
} interesting_syscalls __weak SEC(".maps");

/** Exit fillers by native syscall number, tail-called by the sys_exit dispatcher. An empty slot means
 *  the syscall is recorded as the generic event. */
struct {
	__uint(type, BPF_MAP_TYPE_PROG_ARRAY);
	__uint(max_entries, SCAP_NATIVE_SYSCALL_MAX);
	__type(key, __u32);
	__type(value, __u32);
} syscall_exit_fillers __weak SEC(".maps");

/** Enter fillers by native syscall number (only the enter events current libs keeps), tail-called by the
 *  sys_enter dispatcher. */
struct {
	__uint(type, BPF_MAP_TYPE_PROG_ARRAY);
	__uint(max_entries, SCAP_NATIVE_SYSCALL_MAX);
	__type(key, __u32);
	__type(value, __u32);
} syscall_enter_fillers __weak SEC(".maps");

/** The scratch buffer an event is assembled in, one entry per CPU (indexed by CPU id). A plain array,
 *  not a per-CPU one: per-CPU values are capped at 32 KiB. max_entries is set to the CPU count. */
struct auxiliary_map {
	/* The path cache: the path of the last openat enter event recorded on this CPU, its thread, user
	 * pointer and the thread's context switch count then, for the exit event of the same call (see
	 * helpers/auxmap.h, auxmap__cached_path). */
	__u32 path_tid;
	__u32 path_len;
	__u64 path_csw;
	__u64 path_uptr;
	__u8 path[PROBE_MAX_PATH];
	__u8 data[PROBE_AUXMAP_SIZE];
	/* Where the next parameter's bytes go. */
	__u64 payload_pos;
	/* Index of the next parameter (its u16 length slot). */
	__u32 param_idx;
	/* Scratch for small kernel or user structures (a sockaddr) read before being encoded. */
	__u8 scratch[256];
	/* The current thread's id, left here by a dispatcher right before it tail-calls a filler (a tail call
	 * passes nothing but the context): the filler reads it instead of calling bpf_get_current_pid_tgid
	 * again. Syscall tracepoint programs run with preemption off, so nothing else runs on this CPU in
	 * between. */
	__u32 tid;
};
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct auxiliary_map);
} auxiliary_maps __weak SEC(".maps");

/** One BPF ring buffer per CPU: events of a CPU stay in time order in its ring, and CPUs never contend on
 *  one producer lock. The rings are created by the loader (size chosen at run time) and put in here after
 *  load; max_entries is the CPU count. */
struct ringbuf_map {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
};
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY_OF_MAPS);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u32);
	__array(values, struct ringbuf_map);
} ringbuf_maps __weak SEC(".maps");

/** Per-CPU counters (struct probe_counters): events seen, drops for a full ring, drops by other cause. */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct probe_counters);
} counter_maps __weak SEC(".maps");

/** tgids to record when g_pid_filter_enabled, beyond the first PROBE_MAX_INLINE_PIDS (value unused). The
 *  loader raises max_entries when g_follow_forks fills it with a command's descendants. */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 1024);
	__type(key, __u32);
	__type(value, __u8);
} pid_filter __weak SEC(".maps");

/** tgids never recorded when g_exclusion_enabled: the recorder's own process by default, so reading the
 *  rings does not generate events about itself. */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 1024);
	__type(key, __u32);
	__type(value, __u8);
} excluded_pids __weak SEC(".maps");

#endif
