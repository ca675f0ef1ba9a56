/* What a filler includes: the event-building stores, extractors and flag conversions, and the first step
 * every filler takes. */
#ifndef PROBE_HELPERS_FILLER_H
#define PROBE_HELPERS_FILLER_H

#include "base.h"
#include "auxmap.h"
#include "extract.h"
#include "flags.h"

/* The CPU's scratch buffer with the header of event `type` (thread `tid`) preloaded, or NULL (counted as
 * a drop). */
static __always_inline struct auxiliary_map *filler__start_tid(__u16 type, __u32 nparams, __u32 tid)
{
	struct auxiliary_map *a = auxmap__get();
	if (!a) {
		counters__drop_other();
		return NULL;
	}
	auxmap__preload_event_header(a, type, nparams, tid);
	return a;
}

/* filler__start_tid for a filler tail-called by a dispatcher: the thread id is the one the dispatcher
 * stashed (no helper call). */
static __always_inline struct auxiliary_map *filler__start(__u16 type, __u32 nparams)
{
	struct auxiliary_map *a = auxmap__get();
	if (!a) {
		counters__drop_other();
		return NULL;
	}
	auxmap__preload_event_header(a, type, nparams, a->tid);
	return a;
}

/* filler__start_tid for programs the kernel runs directly (not through a dispatcher). */
static __always_inline struct auxiliary_map *filler__start_current(__u16 type, __u32 nparams)
{
	return filler__start_tid(type, nparams, (__u32)bpf_get_current_pid_tgid());
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

/* What the open fillers record of the new file, read once: f_mode, dev, ino (all 0 without a file). */
struct file_facts {
	__u32 mode;
	__u32 dev;
	__u64 ino;
};

static __always_inline void filler__file_facts(struct file *f, struct file_facts *ff)
{
	extract__file_facts(f, &ff->mode, &ff->dev, &ff->ino);
}

/* PPM_O_F_CREATED when the open created the file (FMODE_CREATED on the new file). */
static __always_inline __u32 filler__created_flag(const struct file_facts *ff)
{
	return ff->mode & FMODE_CREATED ? PPM_O_F_CREATED : 0;
}

static __always_inline void filler__store_file_dev_ino(struct auxiliary_map *a, const struct file_facts *ff)
{
	/* Parameter: dev (type: PT_UINT32) */
	auxmap__store_u32_param(a, ff->dev);
	/* Parameter: ino (type: PT_UINT64) */
	auxmap__store_u64_param(a, ff->ino);
}

/* The file a successful open-like call returned (looked up once per event: each step costs). */
static __always_inline struct file *filler__new_file(long fd)
{
	return fd >= 0 ? extract__file_from_fd(fd) : NULL;
}

/* Parameters 1-5 of accept and accept4: the new fd, its tuple, and the accept queue of the listening
 * socket `listen_fd`, after this accept took its connection. */
static __always_inline void filler__store_accept_params(struct auxiliary_map *a, __s32 listen_fd, long ret)
{
	struct socket *listener = extract__socket_from_file(extract__file_from_fd(listen_fd));
	struct sock *lsk = listener ? BPF_CORE_READ(listener, sk) : NULL;
	__u32 queuelen = lsk ? BPF_CORE_READ(lsk, sk_ack_backlog) : 0;
	__u32 queuemax = lsk ? BPF_CORE_READ(lsk, sk_max_ack_backlog) : 0;
	/* Parameter 1: fd (type: PT_FD) */
	auxmap__store_s64_param(a, ret);
	/* Parameter 2: tuple (type: PT_SOCKTUPLE): remote -> local of the new connection */
	if (ret >= 0)
		auxmap__store_socktuple_param(a, ret, SOCKTUPLE_INBOUND, NULL);
	else
		auxmap__store_empty_param(a);
	/* Parameter 3: queuepct (type: PT_UINT8) */
	auxmap__store_u8_param(a, queuemax ? (__u8)(queuelen * 100 / queuemax) : 0);
	/* Parameter 4: queuelen (type: PT_UINT32) */
	auxmap__store_u32_param(a, queuelen);
	/* Parameter 5: queuemax (type: PT_UINT32) */
	auxmap__store_u32_param(a, queuemax);
}

/* Parameters 1-4 of pipe and pipe2: the result, the two fds read back from the user array `ufds`, and the
 * pipe's inode. */
static __always_inline void filler__store_pipe_params(struct auxiliary_map *a, void *ufds, long ret)
{
	int fds[2] = {-1, -1};
	__u32 dev;
	__u64 ino = 0;
	if (ret == 0 && !bpf_probe_read_user(fds, sizeof(fds), ufds))
		extract__file_dev_ino(extract__file_from_fd(fds[0]), &dev, &ino);
	/* Parameter 1: res (type: PT_ERRNO) */
	auxmap__store_s64_param(a, ret);
	/* Parameter 2: fd1 (type: PT_FD) */
	auxmap__store_s64_param(a, fds[0]);
	/* Parameter 3: fd2 (type: PT_FD) */
	auxmap__store_s64_param(a, fds[1]);
	/* Parameter 4: ino (type: PT_UINT64) */
	auxmap__store_u64_param(a, ino);
}

/* Parameters 1-6 of mmap and munmap: the result, the caller's memory after the call, and the range. */
static __always_inline void filler__store_vm_params(struct auxiliary_map *a, long ret, __u64 addr, __u64 length)
{
	struct vm_info vm;
	extract__task_vm(bpf_get_current_task_btf(), &vm);
	/* Parameter 1: res (type: PT_ERRNO): for mmap, the mapping's address, or the error */
	auxmap__store_s64_param(a, ret);
	/* Parameter 2: vm_size (type: PT_UINT32) */
	auxmap__store_u32_param(a, vm.size_kb);
	/* Parameter 3: vm_rss (type: PT_UINT32) */
	auxmap__store_u32_param(a, vm.rss_kb);
	/* Parameter 4: vm_swap (type: PT_UINT32) */
	auxmap__store_u32_param(a, vm.swap_kb);
	/* Parameter 5: addr (type: PT_UINT64) */
	auxmap__store_u64_param(a, addr);
	/* Parameter 6: length (type: PT_UINT64) */
	auxmap__store_u64_param(a, length);
}

/* Parameters 1-6 of getsockopt and setsockopt: the result, the fd, the level and option (as scap flags),
 * the option's value read from `optval` (`optlen` bytes) and its length. */
static __always_inline void filler__store_sockopt_params(struct auxiliary_map *a, long ret, __s32 fd, int level,
							 int optname, int optlen, void *optval)
{
	/* Parameter 1: res (type: PT_ERRNO) */
	auxmap__store_s64_param(a, ret);
	/* Parameter 2: fd (type: PT_FD) */
	auxmap__store_s64_param(a, fd);
	/* Parameter 3: level (type: PT_ENUMFLAGS8) */
	auxmap__store_u8_param(a, flags__sockopt_level_to_scap(level));
	/* Parameter 4: optname (type: PT_ENUMFLAGS8) */
	auxmap__store_u8_param(a, flags__sockopt_optname_to_scap(level, optname));
	/* Parameter 5: val (type: PT_DYN) */
	auxmap__store_sockopt_param(a, level, optname, optlen, optval);
	/* Parameter 6: optlen (type: PT_UINT32) */
	auxmap__store_u32_param(a, optlen);
}

#endif
