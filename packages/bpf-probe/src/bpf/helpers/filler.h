/* What a filler includes: the event-building stores, extractors and flag conversions, and the first step
 * every filler takes. */
#ifndef PROBE_HELPERS_FILLER_H
#define PROBE_HELPERS_FILLER_H

#include "base.h"
#include "auxmap.h"
#include "extract.h"
#include "flags.h"

/* The CPU's scratch buffer with the header of event `type` preloaded, or NULL (counted as a drop). */
static __always_inline struct auxiliary_map *filler__start(__u16 type, __u32 nparams)
{
	struct auxiliary_map *a = auxmap__get();
	if (!a) {
		counters__drop_other();
		return NULL;
	}
	auxmap__preload_event_header(a, type, nparams);
	return a;
}

#define ARG(i) extract__syscall_argument(regs, i)

/* dev and ino of the file a new fd refers to (0 when the call failed). */
static __always_inline void filler__store_dev_ino(struct auxiliary_map *a, struct file *f)
{
	__u32 dev = 0;
	__u64 ino = 0;
	extract__file_dev_ino(f, &dev, &ino);
	/* Parameter: dev (type: PT_UINT32) */
	auxmap__store_u32_param(a, dev);
	/* Parameter: ino (type: PT_UINT64) */
	auxmap__store_u64_param(a, ino);
}

/* PPM_O_F_CREATED when the open created the file (FMODE_CREATED on the new file). */
static __always_inline __u32 filler__created_flag(struct file *f)
{
	return f && (BPF_CORE_READ(f, f_mode) & FMODE_CREATED) ? PPM_O_F_CREATED : 0;
}

/* The file a successful open-like call returned (looked up once per event: each step costs). */
static __always_inline struct file *filler__new_file(long fd)
{
	return fd >= 0 ? extract__file_from_fd(fd) : NULL;
}

#endif
