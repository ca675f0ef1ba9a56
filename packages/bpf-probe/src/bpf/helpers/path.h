/* Absolute paths of kernel struct paths (a cwd, an executable), rebuilt by walking dentries up to the
 * root and crossing mount points, as d_path would. Bounded: at most PROBE_MAX_PATH_COMPONENTS
 * components and PROBE_MAX_PATH bytes; a longer path is stored empty rather than wrong. Paths are seen
 * from the initial mount namespace's root (a containerized task's cwd shows its host path).
 *
 * The walk runs in bpf_loop (Linux 5.17+): its body is verified once, where an unrolled loop with a
 * branch per step (component or mount crossing) would make the verifier explore every combination. */
#ifndef PROBE_HELPERS_PATH_H
#define PROBE_HELPERS_PATH_H

#include "auxmap.h"

#define PROBE_MAX_PATH_COMPONENTS 64

struct path_walk {
	struct dentry *dentry;
	struct vfsmount *vfs;
	struct mount *mnt;
	struct auxiliary_map *a; /* set for the writing pass */
	__u32 total;             /* measuring pass: bytes of "/comp" pieces so far */
	__u32 pos;               /* writing pass: where the next piece ends */
	bool complete;           /* reached the root */
	bool too_long;
};

static __always_inline void path__walk_start(struct path_walk *w, const struct path *path)
{
	struct vfsmount *vfs = BPF_CORE_READ(path, mnt);
	w->dentry = BPF_CORE_READ(path, dentry);
	w->vfs = vfs;
	w->mnt = (struct mount *)((void *)vfs - bpf_core_field_offset(struct mount, mnt));
	w->complete = false;
	w->too_long = false;
}

/* One step up; returns 1 to stop the loop. */
static long path__walk_step(__u32 i, void *ctx)
{
	struct path_walk *w = ctx;
	/* Locals, not w->...: BPF_CORE_READ would try to relocate an access to this local struct too. */
	struct dentry *d = w->dentry;
	struct vfsmount *vfs = w->vfs;
	struct mount *mnt = w->mnt;
	struct dentry *parent = BPF_CORE_READ(d, d_parent);
	if (d == BPF_CORE_READ(vfs, mnt_root) || d == parent) {
		struct mount *up = BPF_CORE_READ(mnt, mnt_parent);
		if (up == mnt || !up) {
			w->complete = true;
			return 1;
		}
		w->dentry = BPF_CORE_READ(mnt, mnt_mountpoint);
		w->mnt = up;
		w->vfs = (struct vfsmount *)((void *)up + bpf_core_field_offset(struct mount, mnt));
		return 0;
	}
	const unsigned char *name = BPF_CORE_READ(d, d_name.name);
	__u32 len = BPF_CORE_READ(d, d_name.len);
	w->dentry = parent;
	struct auxiliary_map *a = w->a;
	if (!a) { /* measuring */
		w->total += len + 1;
		if (w->total >= PROBE_MAX_PATH) {
			w->too_long = true;
			return 1;
		}
		return 0;
	}
	if (len + 1 > w->pos)
		return 1;
	w->pos -= len;
	barrier_var(len);
	len &= 0xff;
	bpf_probe_read_kernel(&a->data[SAFE(a->payload_pos + w->pos)], len, name);
	w->pos -= 1;
	a->data[SAFE(a->payload_pos + w->pos)] = '/';
	return 0;
}

/* Stores the path as a NUL-terminated string parameter. Two walks: the first measures, the second writes
 * each component at its final place, from the end, so no reversal is needed. */
static __always_inline void auxmap__store_path_param(struct auxiliary_map *a, const struct path *path)
{
	struct path_walk w = {};
	if (!path || auxmap__room(a) < PROBE_MAX_PATH + 256) {
		auxmap__store_empty_param(a);
		return;
	}
	path__walk_start(&w, path);
	bpf_loop(2 * PROBE_MAX_PATH_COMPONENTS, path__walk_step, &w, 0);
	if (!w.complete || w.too_long) {
		auxmap__store_empty_param(a);
		return;
	}
	__u32 total = w.total;
	if (total == 0) { /* the root itself */
		a->data[SAFE(a->payload_pos)] = '/';
		a->data[SAFE(a->payload_pos + 1)] = 0;
		auxmap__push_param_len(a, 2);
		return;
	}
	path__walk_start(&w, path);
	w.a = a;
	w.pos = total;
	bpf_loop(2 * PROBE_MAX_PATH_COMPONENTS, path__walk_step, &w, 0);
	a->data[SAFE(a->payload_pos + total)] = 0;
	auxmap__push_param_len(a, total + 1);
}

/* The task's working directory. */
static __always_inline void auxmap__store_cwd_param(struct auxiliary_map *a, struct task_struct *task)
{
	struct fs_struct *fs = BPF_CORE_READ(task, fs);
	auxmap__store_path_param(a, fs ? &fs->pwd : NULL);
}

#endif
