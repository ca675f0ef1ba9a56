/* The probe's loader and ring reader (see probe_loader.h). Every failure sets one message naming the step
 * and a reason the facade turns into ProbeLoadError. */
#define _GNU_SOURCE
#include "probe_loader.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <time.h>
#include <unistd.h>
#include <linux/bpf.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#define SCAP_NATIVE_SYSCALL_TABLE
#include "scap_events.generated.h"
#include "shared_definitions/probe_shared.h"
#include "shared_definitions/filler_table.h"
#include "probe.skel.h"
#include <pthread.h>
#include <signal.h>

#define FRAME_SIZE 4
#define BATCH_BYTES (4u << 20)
#define BATCH_EVENTS (1u << 17)
#define RINGBUF_BUSY_BIT (1u << 31)
#define RINGBUF_DISCARD_BIT (1u << 30)
#define RINGBUF_HDR_SZ 8

/* One CPU's ring, mapped the way libbpf maps it: a writable consumer page, then the read-only producer
 * page followed by the data area mapped twice, so a record that wraps is still contiguous. */
struct ring {
	int fd;
	uint16_t cpu;
	size_t size;
	unsigned long mask;
	unsigned long *consumer_pos;
	unsigned long *producer_pos;
	uint8_t *data;
	unsigned long cons;          /* our read position (published to consumer_pos in bulk) */
	const uint8_t *head;         /* the next record's event, or NULL */
	uint64_t head_ts;
	uint32_t head_len;           /* the event's bytes (its header's len) */
	uint32_t rec_len;            /* the ring record's bytes: at least head_len (see helpers/direct.h) */
};

/* What attaching needs of the configuration, kept at load (probe_attach may run much later, on another
 * thread, after the caller's configuration is gone). */
struct attach_plan {
	bool enter_wanted;    /* any of the five enter events */
	bool enter_tp[5];     /* enter_tp_nrs[i]'s enter event */
	bool sched_switch;
	bool page_faults;
	bool follow_forks;
};

struct probe {
	struct probe_bpf *skel;
	struct bpf_link *links[16]; /* dispatcher, events, enter events */
	int n_links;
	struct attach_plan plan;
	int n_cpus;
	struct ring *rings;
	uint64_t delivered;
	/* the batch being filled */
	uint8_t *batch;
	size_t batch_len;
	uint32_t *offsets;
	uint32_t batch_count;
};

const char *probe_error_reason_name(enum probe_error_reason r)
{
	switch (r) {
	case PROBE_OK: return "ok";
	case PROBE_ERR_NOT_ROOT: return "not-root";
	case PROBE_ERR_NO_BTF: return "no-btf";
	case PROBE_ERR_KERNEL_TOO_OLD: return "kernel-too-old";
	case PROBE_ERR_VERIFIER: return "verifier";
	case PROBE_ERR_ATTACH: return "attach";
	case PROBE_ERR_RING_BUFFER: return "ring-buffer";
	default: return "other";
	}
}

/* ---- libbpf log capture: the tail of what libbpf printed during the load (the verifier log). ---- */

static char g_log[16384];
static size_t g_log_len;

static int capture_libbpf_print(enum libbpf_print_level level, const char *fmt, va_list args)
{
	if (level == LIBBPF_DEBUG)
		return 0;
	static char line[1 << 17]; /* the verifier log arrives as one message; loads are single-threaded */
	int n = vsnprintf(line, sizeof(line), fmt, args);
	if (n <= 0)
		return 0;
	if ((size_t)n >= sizeof(line))
		n = sizeof(line) - 1;
	const char *src = line;
	if ((size_t)n >= sizeof(g_log)) { /* keep the tail: that is where the verifier says why */
		src = line + n - (sizeof(g_log) - 1);
		n = sizeof(g_log) - 1;
	}
	if (g_log_len + n >= sizeof(g_log)) {
		size_t drop = g_log_len + n - (sizeof(g_log) - 1);
		memmove(g_log, g_log + drop, g_log_len - drop);
		g_log_len -= drop;
	}
	memcpy(g_log + g_log_len, src, n);
	g_log_len += n;
	g_log[g_log_len] = 0;
	return 0;
}

static void set_error(struct probe_error *err, enum probe_error_reason reason, const char *fmt, ...)
{
	va_list ap;
	err->reason = reason;
	va_start(ap, fmt);
	vsnprintf(err->message, sizeof(err->message), fmt, ap);
	va_end(ap);
}

/* EPERM/EACCES from bpf(2) means missing privileges, whatever the step. */
static enum probe_error_reason reason_for_errno(int e, enum probe_error_reason otherwise)
{
	return (e == EPERM || e == EACCES) ? PROBE_ERR_NOT_ROOT : otherwise;
}

static const char *privilege_hint(int e)
{
	return (e == EPERM || e == EACCES) ? ": run as root or grant CAP_BPF and CAP_PERFMON" : "";
}

static uint64_t clock_ns(clockid_t c)
{
	struct timespec ts;
	clock_gettime(c, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + ts.tv_nsec;
}

static size_t round_ring_size(uint32_t want)
{
	size_t page = sysconf(_SC_PAGESIZE), s = page;
	while (s < want && s < (1ul << 30))
		s <<= 1;
	return s;
}

static int ring_map(struct ring *r)
{
	size_t page = sysconf(_SC_PAGESIZE);
	r->consumer_pos = mmap(NULL, page, PROT_READ | PROT_WRITE, MAP_SHARED, r->fd, 0);
	if (r->consumer_pos == MAP_FAILED)
		return r->consumer_pos = NULL, -errno;
	void *p = mmap(NULL, page + 2 * r->size, PROT_READ, MAP_SHARED, r->fd, page);
	if (p == MAP_FAILED)
		return -errno;
	r->producer_pos = p;
	r->data = (uint8_t *)p + page;
	r->mask = r->size - 1;
	r->cons = __atomic_load_n(r->consumer_pos, __ATOMIC_ACQUIRE);
	return 0;
}

static void ring_unmap(struct ring *r)
{
	size_t page = sysconf(_SC_PAGESIZE);
	if (r->consumer_pos)
		munmap(r->consumer_pos, page);
	if (r->producer_pos)
		munmap(r->producer_pos, page + 2 * r->size);
	if (r->fd >= 0)
		close(r->fd);
}

struct filler_slot {
	unsigned int nr;
	const char *name;
};
#define FILLER_SLOT(nr, name) {nr, #name},
static const struct filler_slot exit_fillers[] = {PROBE_EXIT_FILLERS(FILLER_SLOT)};
static const struct filler_slot enter_fillers[] = {PROBE_ENTER_FILLERS(FILLER_SLOT)};

static int install_fillers(struct probe *p, const struct filler_slot *slots, size_t n, struct bpf_map *array,
			   struct probe_error *err)
{
	int map_fd = bpf_map__fd(array);
	for (size_t i = 0; i < n; i++) {
		struct bpf_program *prog = bpf_object__find_program_by_name(p->skel->obj, slots[i].name);
		if (!prog) {
			set_error(err, PROBE_ERR_OTHER, "install fillers: program %s missing from the probe object (rebuild with make)", slots[i].name);
			return -1;
		}
		int fd = bpf_program__fd(prog);
		if (bpf_map_update_elem(map_fd, &slots[i].nr, &fd, BPF_ANY)) {
			set_error(err, PROBE_ERR_OTHER, "install fillers: %s into %s: %s", slots[i].name, bpf_map__name(array), strerror(errno));
			return -1;
		}
	}
	return 0;
}

static bool has_filler(const struct filler_slot *slots, size_t n, unsigned int nr)
{
	for (size_t i = 0; i < n; i++)
		if (slots[i].nr == nr)
			return true;
	return false;
}
#define HAS_FILLER(table, nr) has_filler(table, sizeof(table) / sizeof(table[0]), nr)

static bool syscall_wanted(const struct probe_config *cfg, unsigned int nr)
{
	unsigned short code = nr < SCAP_NATIVE_SYSCALL_MAX ? scap_native_to_ppm_sc[nr] : 0;
	if (cfg->n_ppm_sc == 0)
		return true;
	for (size_t i = 0; i < cfg->n_ppm_sc; i++)
		if (cfg->ppm_sc[i] == code && code != 0)
			return true;
	return false;
}

static int fill_syscall_table(struct probe *p, const struct probe_config *cfg, struct probe_error *err)
{
	int fd = bpf_map__fd(p->skel->maps.interesting_syscalls);
	for (unsigned int nr = 0; nr < SCAP_NATIVE_SYSCALL_MAX; nr++) {
		struct probe_syscall_entry e = {.ppm_sc = scap_native_to_ppm_sc[nr]};
		if (syscall_wanted(cfg, nr))
			e.flags = PROBE_SC_CAPTURE | (HAS_FILLER(enter_fillers, nr) ? PROBE_SC_ENTER : 0) |
				  (HAS_FILLER(exit_fillers, nr) ? PROBE_SC_FILLER : 0);
		if (bpf_map_update_elem(fd, &nr, &e, BPF_ANY)) {
			set_error(err, PROBE_ERR_OTHER, "fill interesting_syscalls: %s", strerror(errno));
			return -1;
		}
	}
	return 0;
}

static int fill_pid_set(struct bpf_map *map, const uint32_t *pids, size_t n, struct probe_error *err)
{
	uint8_t one = 1;
	for (size_t i = 0; i < n; i++) {
		if (bpf_map_update_elem(bpf_map__fd(map), &pids[i], &one, BPF_ANY)) {
			set_error(err, PROBE_ERR_OTHER, "fill %s: pid %u: %s", bpf_map__name(map), pids[i], strerror(errno));
			return -1;
		}
	}
	return 0;
}

static int attach(struct probe *p, struct bpf_program *prog, struct probe_error *err)
{
	struct bpf_link *link = bpf_program__attach(prog);
	if (!link) {
		int e = errno;
		set_error(err, reason_for_errno(e, PROBE_ERR_ATTACH), "attach %s: %s%s", bpf_program__name(prog), strerror(e), privilege_hint(e));
		return -1;
	}
	p->links[p->n_links++] = link;
	return 0;
}

/* Enter events from the five syscalls' own tracepoints (syscalls/sys_enter_<name>): the kernel runs these
 * programs only for their syscall, where the sys_enter dispatcher runs on every syscall (see
 * dispatchers/syscall_enter.bpf.c). libbpf finds the tracepoints in tracefs, mounted here at its usual
 * place when it is missing. Returns false, with nothing left attached, when one of them cannot be
 * attached (no tracefs, a kernel without CONFIG_FTRACE_SYSCALLS): the caller falls back to the
 * dispatcher. SCAPKIT_PROBE_ENTER=dispatcher forces the fallback (to test it). */
/* The syscalls whose enter events have tracepoint programs, in attach_enter_tracepoints' order. */
#define ENTER_TP_COUNT 5
static const unsigned int enter_tp_nrs[ENTER_TP_COUNT] = {__NR_open, __NR_openat, __NR_openat2, __NR_creat, __NR_connect};

static bool attach_enter_tracepoints(struct probe *p)
{
	const char *force = getenv("SCAPKIT_PROBE_ENTER");
	if (force && !strcmp(force, "dispatcher"))
		return false;
	if (access("/sys/kernel/tracing/events/syscalls", F_OK) && access("/sys/kernel/debug/tracing/events/syscalls", F_OK))
		mount("nodev", "/sys/kernel/tracing", "tracefs", 0, NULL); /* best effort */
	struct probe_bpf *s = p->skel;
	struct bpf_program *tps[ENTER_TP_COUNT] = {s->progs.open_e_tp, s->progs.openat_e_tp, s->progs.openat2_e_tp,
						   s->progs.creat_e_tp, s->progs.connect_e_tp};
	int first = p->n_links;
	for (size_t i = 0; i < ENTER_TP_COUNT; i++) {
		if (!p->plan.enter_tp[i])
			continue;
		struct bpf_link *link = bpf_program__attach(tps[i]);
		if (!link) {
			while (p->n_links > first)
				bpf_link__destroy(p->links[--p->n_links]);
			return false;
		}
		p->links[p->n_links++] = link;
	}
	return true;
}

struct probe *probe_load(const struct probe_config *cfg, struct probe_error *err)
{
	err->reason = PROBE_OK;
	err->message[0] = 0;
	g_log_len = 0;
	g_log[0] = 0;
	libbpf_set_print(capture_libbpf_print);

	if (access("/sys/kernel/btf/vmlinux", R_OK) != 0) {
		set_error(err, PROBE_ERR_NO_BTF, "check BTF: /sys/kernel/btf/vmlinux is missing: the probe needs a kernel built with CONFIG_DEBUG_INFO_BTF=y (Linux 5.17 or later)");
		return NULL;
	}
	/* Privileges first: without them every feature probe below would just say "unsupported". */
	int probe_fd = bpf_map_create(BPF_MAP_TYPE_ARRAY, NULL, 4, 4, 1, NULL);
	if (probe_fd < 0 && (errno == EPERM || errno == EACCES)) {
		set_error(err, PROBE_ERR_NOT_ROOT, "check privileges: the kernel refused to create a BPF map: run as root or grant CAP_BPF and CAP_PERFMON");
		return NULL;
	}
	if (probe_fd >= 0)
		close(probe_fd);
	if (libbpf_probe_bpf_map_type(BPF_MAP_TYPE_RINGBUF, NULL) <= 0) {
		set_error(err, PROBE_ERR_KERNEL_TOO_OLD, "check kernel: BPF ring buffers are not supported: the probe needs Linux 5.17 or later");
		return NULL;
	}
	/* bpf_loop (5.17) is the newest helper the programs use; the rest (tp_btf, ring buffers) is older. */
	if (libbpf_probe_bpf_helper(BPF_PROG_TYPE_KPROBE, BPF_FUNC_loop, NULL) == 0) {
		set_error(err, PROBE_ERR_KERNEL_TOO_OLD, "check kernel: the bpf_loop helper is missing: the probe needs Linux 5.17 or later");
		return NULL;
	}

	struct probe *p = calloc(1, sizeof(*p));
	if (!p) {
		set_error(err, PROBE_ERR_OTHER, "allocate the probe: out of memory");
		return NULL;
	}
	p->skel = probe_bpf__open();
	if (!p->skel) {
		set_error(err, PROBE_ERR_OTHER, "open the BPF object: %s", strerror(errno));
		goto fail;
	}
	p->n_cpus = libbpf_num_possible_cpus();
	if (p->n_cpus <= 0 || p->n_cpus > PROBE_MAX_CPUS) {
		set_error(err, PROBE_ERR_OTHER, "count CPUs: libbpf_num_possible_cpus returned %d", p->n_cpus);
		goto fail;
	}

	/* Read-only settings: fixed at load, so the verifier prunes what they turn off. */
	struct probe_bpf *s = p->skel;
	s->rodata->g_snaplen = cfg->snaplen > PROBE_SNAPLEN_MAX ? PROBE_SNAPLEN_MAX : cfg->snaplen;
	s->rodata->g_boot_time = clock_ns(CLOCK_REALTIME) - clock_ns(CLOCK_BOOTTIME);
	s->rodata->g_pid_filter_enabled = cfg->n_pids > 0 || cfg->follow_forks;
	/* The first pids too are compared in place; only the rest need the map. */
	size_t n_pids_inline = cfg->n_pids < PROBE_MAX_INLINE_PIDS ? cfg->n_pids : PROBE_MAX_INLINE_PIDS;
	s->rodata->g_n_pids_inline = n_pids_inline;
	for (size_t i = 0; i < n_pids_inline; i++)
		s->rodata->g_pid_filter_tgids[i] = cfg->pids[i];
	/* Followed forks join the map: it is looked up, and sized for a command's descendants. */
	s->rodata->g_pid_filter_map = cfg->n_pids > n_pids_inline || cfg->follow_forks;
	s->rodata->g_follow_forks = cfg->follow_forks;
	s->rodata->g_follow_children_of = cfg->children_of;
	if (cfg->follow_forks)
		bpf_map__set_max_entries(s->maps.pid_filter, PROBE_MAX_FOLLOWED_PROCESSES);
	bpf_program__set_autoload(s->progs.sched_process_fork, cfg->follow_forks);
	/* The first excluded tgids are compared in place; only the rest need the map. */
	size_t n_inline = cfg->n_exclude_pids < PROBE_MAX_INLINE_EXCLUDED ? cfg->n_exclude_pids : PROBE_MAX_INLINE_EXCLUDED;
	s->rodata->g_n_excluded_inline = n_inline;
	for (size_t i = 0; i < n_inline; i++)
		s->rodata->g_excluded_tgids[i] = cfg->exclude_pids[i];
	s->rodata->g_exclusion_enabled = cfg->n_exclude_pids > n_inline;
	bpf_program__set_autoload(s->progs.sched_switch, cfg->sched_switch);
	bpf_program__set_autoload(s->progs.page_fault_user, cfg->page_faults);
	bpf_map__set_max_entries(s->maps.auxiliary_maps, p->n_cpus);
	bpf_map__set_max_entries(s->maps.ringbuf_maps, p->n_cpus);

	/* The rings, created before load: the first also serves as the inner-map template. */
	size_t ring_size = round_ring_size(cfg->buffer_bytes_per_cpu);
	p->rings = calloc(p->n_cpus, sizeof(*p->rings));
	if (!p->rings) {
		set_error(err, PROBE_ERR_OTHER, "allocate rings: out of memory");
		goto fail;
	}
	for (int i = 0; i < p->n_cpus; i++)
		p->rings[i].fd = -1;
	for (int i = 0; i < p->n_cpus; i++) {
		struct ring *r = &p->rings[i];
		r->cpu = i;
		r->size = ring_size;
		r->fd = bpf_map_create(BPF_MAP_TYPE_RINGBUF, NULL, 0, 0, ring_size, NULL);
		if (r->fd < 0) {
			int e = errno;
			set_error(err, reason_for_errno(e, PROBE_ERR_RING_BUFFER), "create ring buffer for CPU %d (%zu bytes): %s%s", i, ring_size, strerror(e), privilege_hint(e));
			goto fail;
		}
	}
	if (bpf_map__set_inner_map_fd(s->maps.ringbuf_maps, p->rings[0].fd)) {
		set_error(err, PROBE_ERR_OTHER, "set the ring-buffer inner map: %s", strerror(errno));
		goto fail;
	}

	/* The verifier gives up with EAGAIN when a signal is pending for the loading thread (a profiler's
	 * SIGPROF, a timer), and libbpf retries only a few times: keep signals off this thread while loading.
	 * Process-directed signals go to another thread meanwhile; a thread-directed one waits a moment. */
	sigset_t all_signals, old_signals;
	sigfillset(&all_signals);
	pthread_sigmask(SIG_BLOCK, &all_signals, &old_signals);
	int load_rc = probe_bpf__load(s);
	int load_errno = errno;
	pthread_sigmask(SIG_SETMASK, &old_signals, NULL);
	if (load_rc) {
		int e = load_errno;
		/* A verifier rejection can also surface as EPERM: only blame privileges when the log is empty. */
		if ((e == EPERM || e == EACCES) && geteuid() != 0) {
			set_error(err, PROBE_ERR_NOT_ROOT, "load the BPF programs: %s: run as root or grant CAP_BPF and CAP_PERFMON", strerror(e));
		} else {
			const char *tail = g_log_len > 3000 ? g_log + g_log_len - 3000 : g_log;
			set_error(err, PROBE_ERR_VERIFIER, "load the BPF programs: %s; the kernel rejected them, end of the log:\n%s", strerror(e), tail);
		}
		goto fail;
	}

	int outer = bpf_map__fd(s->maps.ringbuf_maps);
	for (int i = 0; i < p->n_cpus; i++) {
		struct ring *r = &p->rings[i];
		if (bpf_map_update_elem(outer, &i, &r->fd, BPF_ANY)) {
			set_error(err, PROBE_ERR_RING_BUFFER, "install ring buffer of CPU %d: %s", i, strerror(errno));
			goto fail;
		}
		int rc = ring_map(r);
		if (rc) {
			set_error(err, PROBE_ERR_RING_BUFFER, "mmap ring buffer of CPU %d: %s", i, strerror(-rc));
			goto fail;
		}
	}

	if (fill_syscall_table(p, cfg, err) ||
	    install_fillers(p, exit_fillers, sizeof(exit_fillers) / sizeof(exit_fillers[0]), s->maps.syscall_exit_fillers, err) ||
	    install_fillers(p, enter_fillers, sizeof(enter_fillers) / sizeof(enter_fillers[0]), s->maps.syscall_enter_fillers, err) ||
	    fill_pid_set(s->maps.pid_filter, cfg->pids + n_pids_inline, cfg->n_pids - n_pids_inline, err) ||
	    fill_pid_set(s->maps.excluded_pids, cfg->exclude_pids + n_inline, cfg->n_exclude_pids - n_inline, err))
		goto fail;

	p->batch = malloc(BATCH_BYTES);
	p->offsets = malloc(BATCH_EVENTS * sizeof(uint32_t));
	if (!p->batch || !p->offsets) {
		set_error(err, PROBE_ERR_OTHER, "allocate the first batch: out of memory");
		goto fail;
	}

	/* What attaching will need. */
	for (int i = 0; i < ENTER_TP_COUNT; i++) {
		p->plan.enter_tp[i] = syscall_wanted(cfg, enter_tp_nrs[i]);
		p->plan.enter_wanted |= !cfg->no_enter_events && p->plan.enter_tp[i];
	}
	p->plan.sched_switch = cfg->sched_switch;
	p->plan.page_faults = cfg->page_faults;
	p->plan.follow_forks = cfg->follow_forks;
	return p;

fail:
	probe_destroy(p);
	return NULL;
}

int probe_attach(struct probe *p, struct probe_error *err)
{
	err->reason = PROBE_OK;
	err->message[0] = 0;
	struct probe_bpf *s = p->skel;
	const struct attach_plan *plan = &p->plan;
	/* Attach last: events start flowing only once everything they need is in place. Exit before enter
	 * so that no enter event is recorded without its exit program attached. */
	/* Enter events: from the five syscalls' own tracepoints, else from the sys_enter dispatcher (which runs
	 * on every syscall for the sake of five); neither when none of the five is wanted. */
	if (attach(p, s->progs.sys_exit, err) ||
	    (plan->enter_wanted && !attach_enter_tracepoints(p) && attach(p, s->progs.sys_enter, err)) ||
	    attach(p, s->progs.sched_process_exit, err) ||
	    attach(p, s->progs.signal_deliver, err) || (plan->sched_switch && attach(p, s->progs.sched_switch, err)) ||
	    (plan->follow_forks && attach(p, s->progs.sched_process_fork, err)) ||
	    (plan->page_faults && attach(p, s->progs.page_fault_user, err))) {
		probe_detach(p);
		return -1;
	}
	return 0;
}

struct probe *probe_open(const struct probe_config *cfg, struct probe_error *err)
{
	struct probe *p = probe_load(cfg, err);
	if (p && probe_attach(p, err)) {
		probe_destroy(p);
		return NULL;
	}
	return p;
}

void probe_detach(struct probe *p)
{
	for (int i = 0; i < p->n_links; i++)
		bpf_link__destroy(p->links[i]);
	p->n_links = 0;
}

void probe_destroy(struct probe *p)
{
	if (!p)
		return;
	probe_detach(p);
	if (p->rings) {
		for (int i = 0; i < p->n_cpus; i++)
			ring_unmap(&p->rings[i]);
		free(p->rings);
	}
	probe_bpf__destroy(p->skel);
	free(p->batch);
	free(p->offsets);
	free(p);
}

/* ---- reading ---- */

/* Finds the ring's next committed record, skipping discarded ones. */
static void ring_peek(struct ring *r)
{
	r->head = NULL;
	unsigned long prod = __atomic_load_n(r->producer_pos, __ATOMIC_ACQUIRE);
	while (r->cons < prod) {
		const uint8_t *hdr = r->data + (r->cons & r->mask);
		uint32_t len = __atomic_load_n((const uint32_t *)hdr, __ATOMIC_ACQUIRE);
		if (len & RINGBUF_BUSY_BIT)
			return; /* being written: records behind it must wait too (this ring sits out this round,
				 * so an event reserved earlier than other CPUs' heads may come a little later) */
		if (len & RINGBUF_DISCARD_BIT) {
			r->cons += ((len & ~RINGBUF_DISCARD_BIT) + RINGBUF_HDR_SZ + 7) & ~7ul;
			continue;
		}
		r->head = hdr + RINGBUF_HDR_SZ;
		r->rec_len = len;
		r->head_len = len;
		/* Events reserved for their largest size (helpers/direct.h) fill only the first hdr.len bytes. */
		if (len >= PROBE_EVENT_HEADER_SIZE) {
			uint32_t ev_len;
			memcpy(&ev_len, r->head + 16, sizeof(ev_len));
			if (ev_len >= PROBE_EVENT_HEADER_SIZE && ev_len < len)
				r->head_len = ev_len;
		}
		memcpy(&r->head_ts, r->head, sizeof(r->head_ts));
		return;
	}
}

static void ring_advance(struct ring *r)
{
	r->cons += (r->rec_len + RINGBUF_HDR_SZ + 7) & ~7ul;
	r->head = NULL;
}

static void ring_publish(struct ring *r)
{
	__atomic_store_n(r->consumer_pos, r->cons, __ATOMIC_RELEASE);
}

static void ring_publish(struct ring *r);

static void flush_batch(struct probe *p, probe_batch_sink sink, void *ctx)
{
	if (p->batch_count == 0)
		return;
	/* Give the space back to the producers as soon as the events are copied out. */
	for (int i = 0; i < p->n_cpus; i++)
		ring_publish(&p->rings[i]);
	/* Hand over exact-size copies and keep the working buffers for the next batch. A fresh 4 MiB buffer
	 * per batch, realloc'ed down and freed on the JavaScript thread, fragmented this thread's malloc
	 * arena until the recorder's RSS grew without bound (see CallJs in addon.cc). */
	uint8_t *data = malloc(p->batch_len ? p->batch_len : 1);
	uint32_t *offsets = malloc(p->batch_count * sizeof(uint32_t));
	if (!data || !offsets) {
		/* Keep the batch and try again next round: events wait in the rings meanwhile. */
		free(data);
		free(offsets);
		return;
	}
	memcpy(data, p->batch, p->batch_len);
	memcpy(offsets, p->offsets, p->batch_count * sizeof(uint32_t));
	__atomic_add_fetch(&p->delivered, p->batch_count, __ATOMIC_RELAXED);
	sink(ctx, data, p->batch_len, offsets, p->batch_count);
	p->batch_len = 0;
	p->batch_count = 0;
}

size_t probe_drain(struct probe *p, probe_batch_sink sink, void *ctx)
{
	size_t n = 0;
	for (int i = 0; i < p->n_cpus; i++)
		ring_peek(&p->rings[i]);
	/* k-way merge by timestamp: each ring is in order, so the smallest head is the next event overall.
	 * A linear scan is cheapest for the handful of CPUs of most machines. Bounded per call so that a
	 * flood does not keep the reader from publishing its consumer positions. */
	while (n < BATCH_EVENTS) {
		struct ring *best = NULL;
		for (int i = 0; i < p->n_cpus; i++) {
			struct ring *r = &p->rings[i];
			if (r->head && (!best || r->head_ts < best->head_ts))
				best = r;
		}
		if (!best)
			break;
		uint32_t len = best->head_len;
		if (p->batch_len + FRAME_SIZE + len > BATCH_BYTES || p->batch_count == BATCH_EVENTS) {
			flush_batch(p, sink, ctx);
			if (p->batch_count)
				break; /* no memory for a new batch */
		}
		uint8_t *out = p->batch + p->batch_len;
		uint16_t frame[2] = {best->cpu, 0};
		memcpy(out, frame, FRAME_SIZE);
		memcpy(out + FRAME_SIZE, best->head, len);
		p->offsets[p->batch_count++] = p->batch_len + FRAME_SIZE;
		p->batch_len += FRAME_SIZE + len;
		ring_advance(best);
		ring_peek(best);
		n++;
	}
	for (int i = 0; i < p->n_cpus; i++)
		ring_publish(&p->rings[i]);
	flush_batch(p, sink, ctx);
	return n;
}

int probe_cpu_count(struct probe *p)
{
	return p->n_cpus;
}

uint64_t probe_delivered(struct probe *p)
{
	return __atomic_load_n(&p->delivered, __ATOMIC_RELAXED);
}

int probe_read_counters(struct probe *p, struct probe_cpu_counters *out, int max)
{
	int n = p->n_cpus < max ? p->n_cpus : max;
	struct probe_counters *vals = calloc(p->n_cpus, sizeof(*vals));
	uint32_t zero = 0;
	if (!vals)
		return -1;
	if (bpf_map_lookup_elem(bpf_map__fd(p->skel->maps.counter_maps), &zero, vals)) {
		free(vals);
		return -1;
	}
	for (int i = 0; i < n; i++) {
		out[i].seen = vals[i].n_evts;
		out[i].drops_buffer = vals[i].n_drops_buffer;
		out[i].drops_other = vals[i].n_drops_other;
	}
	free(vals);
	return n;
}
