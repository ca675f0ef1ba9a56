/* The cgroups parameter of clone/fork/execve: "subsys=path\0" for every cgroup subsystem the kernel has
 * (cpuset=/, cpu=/docker/<id>, …), in subsystem order, as libs writes it. Paths are walked up the kernfs
 * nodes of each subsystem's cgroup, in bpf_loop (see path.h for why). */
#ifndef PROBE_HELPERS_CGROUPS_H
#define PROBE_HELPERS_CGROUPS_H

#include "auxmap.h"

#define PROBE_MAX_CGROUP_SUBSYS 16
#define PROBE_MAX_CGROUP_DEPTH 32
#define PROBE_MAX_CGROUPS_BYTES 4096

/* kernfs_node.parent was renamed __parent in 6.15: read whichever this kernel has. */
struct kernfs_node___old {
	struct kernfs_node *parent;
} __attribute__((preserve_access_index));

static __always_inline struct kernfs_node *cgroups__kn_parent(struct kernfs_node *kn)
{
	if (bpf_core_field_exists(kn->__parent))
		return BPF_CORE_READ(kn, __parent);
	return BPF_CORE_READ((struct kernfs_node___old *)kn, parent);
}

struct kn_walk {
	struct kernfs_node *kn;
	struct auxiliary_map *a;
	bool writing;
	__u32 total; /* measuring: bytes of the "/name" pieces */
	__u32 start; /* writing: offset of the path's first byte in the buffer */
	__u32 pos;   /* writing: where the next piece ends, relative to start */
};

/* One node up. Measuring reads the name into the scratch area to learn its length; writing puts it at
 * its final place, from the end. */
static long cgroups__walk_step(__u32 i, void *ctx)
{
	struct kn_walk *w = ctx;
	struct auxiliary_map *a = w->a;
	struct kernfs_node *kn = w->kn;
	if (!kn || !a)
		return 1;
	struct kernfs_node *parent = cgroups__kn_parent(kn);
	if (!parent) /* the hierarchy's root: its name is not part of the path */
		return 1;
	const char *name = BPF_CORE_READ(kn, name);
	w->kn = parent;
	long n = bpf_probe_read_kernel_str(a->scratch, sizeof(a->scratch), name);
	if (n <= 1)
		return 1;
	__u32 len = n - 1;
	if (!w->writing) {
		w->total += len + 1;
		return 0;
	}
	if (len + 1 > w->pos)
		return 1;
	w->pos -= len;
	barrier_var(len);
	len &= 0xff;
	bpf_probe_read_kernel(&a->data[SAFE(w->start + w->pos)], len, a->scratch);
	w->pos -= 1;
	a->data[SAFE(w->start + w->pos)] = '/';
	return 0;
}

struct cgroups_walk {
	struct css_set *cgroups;
	struct auxiliary_map *a;
	__u32 count; /* subsystems this kernel has */
	__u32 used;  /* bytes written so far */
};

/* One subsystem: "name=path\0". Also in bpf_loop: unrolled, the branches of every subsystem would
 * multiply the verifier's states. */
static long cgroups__subsys_step(__u32 i, void *ctx)
{
	struct cgroups_walk *c = ctx;
	struct auxiliary_map *a = c->a;
	if (!a || i >= c->count || i >= PROBE_MAX_CGROUP_SUBSYS || c->used > PROBE_MAX_CGROUPS_BYTES - 512)
		return 1;
	struct css_set *cgroups = c->cgroups; /* a local: BPF_CORE_READ must not relocate c-> */
	struct cgroup_subsys_state *css = BPF_CORE_READ(cgroups, subsys[i]);
	if (!css)
		return 0;
	__u32 used = c->used;
	const char *ss_name = BPF_CORE_READ(css, ss, name);
	long n = bpf_probe_read_kernel_str(&a->data[SAFE(a->payload_pos + used)], 32, ss_name);
	if (n <= 1)
		return 0;
	__u32 at = used + n - 1;
	a->data[SAFE(a->payload_pos + at)] = '=';
	at++;
	struct kernfs_node *kn = BPF_CORE_READ(css, cgroup, kn);
	struct kn_walk w = {.kn = kn, .a = a};
	bpf_loop(PROBE_MAX_CGROUP_DEPTH, cgroups__walk_step, &w, 0);
	__u32 total = w.total;
	if (total == 0 || total > 400) { /* the root, or a path too long to keep: "/" */
		a->data[SAFE(a->payload_pos + at)] = '/';
		a->data[SAFE(a->payload_pos + at + 1)] = 0;
		c->used = at + 2;
		return 0;
	}
	w.kn = kn;
	w.writing = true;
	w.start = a->payload_pos + at;
	w.pos = total;
	bpf_loop(PROBE_MAX_CGROUP_DEPTH, cgroups__walk_step, &w, 0);
	a->data[SAFE(a->payload_pos + at + total)] = 0;
	c->used = at + total + 1;
	return 0;
}

static __always_inline void auxmap__store_cgroups_param(struct auxiliary_map *a, struct task_struct *task)
{
	struct cgroups_walk c = {
		.cgroups = BPF_CORE_READ(task, cgroups),
		.a = a,
		.count = bpf_core_enum_value(enum cgroup_subsys_id, CGROUP_SUBSYS_COUNT),
	};
	if (!c.cgroups || auxmap__room(a) < PROBE_MAX_CGROUPS_BYTES + 512) {
		auxmap__store_empty_param(a);
		return;
	}
	bpf_loop(PROBE_MAX_CGROUP_SUBSYS, cgroups__subsys_step, &c, 0);
	auxmap__push_param_len(a, c.used);
}

#endif
