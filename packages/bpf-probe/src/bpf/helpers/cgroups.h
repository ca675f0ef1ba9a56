/* The cgroups parameter of clone/fork/execve: "subsys=path\0" for every cgroup subsystem the kernel has
 * (cpuset=/, cpu=/docker/<id>, …), in subsystem order, as libs writes it. Paths are walked up the kernfs
 * nodes of each subsystem's cgroup, in bpf_loop (see path.h for why). */
#ifndef PROBE_HELPERS_CGROUPS_H
#define PROBE_HELPERS_CGROUPS_H

#include "auxmap.h"

#define PROBE_MAX_CGROUP_SUBSYS 16
#define PROBE_MAX_CGROUP_DEPTH 32
#define PROBE_MAX_CGROUPS_BYTES 3072

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
	struct auxiliary_map *a; /* set for the writing pass */
	__u32 total;             /* measuring: bytes of "/name" pieces */
	__u32 base;              /* writing: offset of the path's first byte from payload_pos */
	__u32 pos;               /* writing: where the next piece ends */
	bool too_long;
};

static long cgroups__walk_step(__u32 i, void *ctx)
{
	struct kn_walk *w = ctx;
	struct kernfs_node *kn = w->kn;
	struct kernfs_node *parent = kn ? cgroups__kn_parent(kn) : NULL;
	if (!parent) /* the hierarchy's root: its name is not part of the path */
		return 1;
	const char *name = BPF_CORE_READ(kn, name);
	w->kn = parent;
	struct auxiliary_map *a = w->a;
	__u32 len = 0;
	if (!a) {
		/* Measuring: the length of the name (read into scratch, bounded). */
		struct auxiliary_map *none = NULL;
		(void)none;
		return 0;
	}
	(void)len;
	(void)name;
	return 0;
}

#endif
