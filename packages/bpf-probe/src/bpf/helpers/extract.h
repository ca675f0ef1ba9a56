/* Reading facts out of kernel structures: syscall arguments, the current task, files and sockets. Every
 * pointer walk is a CO-RE read, so one object runs on every kernel with BTF. */
#ifndef PROBE_HELPERS_EXTRACT_H
#define PROBE_HELPERS_EXTRACT_H

#include "base.h"

/* ---- syscall ---- */

/* x86_64 syscall argument i, from the user registers saved at entry. regs is a trusted BTF pointer in
 * tp_btf programs, so these are plain loads, not probe-read helper calls. */
static __always_inline unsigned long extract__syscall_argument(struct pt_regs *regs, int i)
{
	switch (i) {
	case 0: return regs->di;
	case 1: return regs->si;
	case 2: return regs->dx;
	case 3: return regs->r10; /* the syscall ABI passes arg 4 in r10, not rcx */
	case 4: return regs->r8;
	case 5: return regs->r9;
	default: return 0;
	}
}

static __always_inline __u32 extract__syscall_id(struct pt_regs *regs)
{
	return (__u32)regs->orig_ax;
}

/* ---- task ---- */

static __always_inline __s64 extract__task_ptid(struct task_struct *task)
{
	return BPF_CORE_READ(task, real_parent, pid);
}

/* The pid number of a struct pid in the namespace it was created in (its deepest level). */
static __always_inline __s64 extract__pid_nr_in_own_ns(struct pid *pid)
{
	if (!pid)
		return 0;
	unsigned int level = BPF_CORE_READ(pid, level);
	return BPF_CORE_READ(pid, numbers[level].nr);
}

static __always_inline __s64 extract__task_vtid(struct task_struct *task)
{
	return extract__pid_nr_in_own_ns(BPF_CORE_READ(task, thread_pid));
}

static __always_inline __s64 extract__task_vpid(struct task_struct *task)
{
	return extract__pid_nr_in_own_ns(BPF_CORE_READ(task, group_leader, thread_pid));
}

/* Process group id: host view (level 0) or the task's namespace view. */
static __always_inline __s64 extract__task_pgid(struct task_struct *task, bool in_own_ns)
{
	struct pid *pgrp = BPF_CORE_READ(task, signal, pids[PIDTYPE_PGID]);
	if (!pgrp)
		return 0;
	return in_own_ns ? extract__pid_nr_in_own_ns(pgrp) : BPF_CORE_READ(pgrp, numbers[0].nr);
}

static __always_inline __u32 extract__task_euid(struct task_struct *task)
{
	return BPF_CORE_READ(task, cred, euid.val);
}

static __always_inline __u32 extract__task_egid(struct task_struct *task)
{
	return BPF_CORE_READ(task, cred, egid.val);
}

static __always_inline __u32 extract__task_loginuid(struct task_struct *task)
{
	return BPF_CORE_READ(task, loginuid.val);
}

/* A 64-bit capability set; reading 8 bytes covers both the u64 layout (6.3+) and the older u32[2]. */
static __always_inline __u64 extract__cap(const kernel_cap_t *cap)
{
	__u64 v = 0;
	bpf_probe_read_kernel(&v, sizeof(v), cap);
	return v;
}

static __always_inline __s64 extract__task_fdlimit(struct task_struct *task)
{
	return BPF_CORE_READ(task, signal, rlim[RLIMIT_NOFILE].rlim_cur);
}

/* mm_struct rss counter in pages (a percpu_counter on 6.2+: its approximate global count). */
static __always_inline __s64 extract__mm_counter(struct mm_struct *mm, int member)
{
	__s64 v = BPF_CORE_READ(mm, rss_stat[member].count);
	return v < 0 ? 0 : v;
}

struct vm_info {
	__u32 size_kb, rss_kb, swap_kb;
};

static __always_inline void extract__task_vm(struct task_struct *task, struct vm_info *vm)
{
	struct mm_struct *mm = BPF_CORE_READ(task, mm);
	vm->size_kb = vm->rss_kb = vm->swap_kb = 0;
	if (!mm)
		return;
	const int kb = PAGE_SHIFT - 10;
	vm->size_kb = BPF_CORE_READ(mm, total_vm) << kb;
	vm->rss_kb = (extract__mm_counter(mm, MM_FILEPAGES) + extract__mm_counter(mm, MM_ANONPAGES) +
		      extract__mm_counter(mm, MM_SHMEMPAGES)) << kb;
	vm->swap_kb = extract__mm_counter(mm, MM_SWAPENTS) << kb;
}

/* Start of the pid namespace's init, ns since the epoch (0 when unknown). */
static __always_inline __u64 extract__task_pidns_start_ts(struct task_struct *task)
{
	struct pid *pid = BPF_CORE_READ(task, thread_pid);
	if (!pid)
		return 0;
	unsigned int level = BPF_CORE_READ(pid, level);
	struct task_struct *reaper = BPF_CORE_READ(pid, numbers[level].ns, child_reaper);
	if (!reaper)
		return 0;
	return BPF_CORE_READ(reaper, start_boottime) + g_boot_time;
}

/* The controlling tty as a userspace dev_t (new_encode_dev of the tty's device), 0 without one. */
static __always_inline __u32 extract__encode_dev(__u32 kdev)
{
	__u32 major = kdev >> 20, minor = kdev & 0xfffff;
	return (minor & 0xff) | (major << 8) | ((minor & ~0xffu) << 12);
}

static __always_inline __u32 extract__task_tty(struct task_struct *task)
{
	struct tty_struct *tty = BPF_CORE_READ(task, signal, tty);
	if (!tty)
		return 0;
	int index = BPF_CORE_READ(tty, index);
	int major = BPF_CORE_READ(tty, driver, major);
	int minor_start = BPF_CORE_READ(tty, driver, minor_start);
	return extract__encode_dev(((__u32)major << 20) | (__u32)(minor_start + index));
}

/* ---- files ---- */

static __always_inline struct file *extract__file_from_fd(__s32 fd)
{
	struct task_struct *task = bpf_get_current_task_btf();
	if (fd < 0)
		return NULL;
	/* Plain loads through BTF pointers (the verifier turns them into fault-tolerant loads): several
	 * times cheaper than a probe-read helper call each. Only the array slot needs a helper: the
	 * verifier does not type a struct file ** field. */
	struct fdtable *fdt = task->files->fdt;
	if (!fdt || (__u32)fd >= fdt->max_fds)
		return NULL;
	struct file **fds = fdt->fd;
	struct file *f = NULL;
	bpf_probe_read_kernel(&f, sizeof(f), &fds[fd]);
	return f;
}

/* Fields of a kernel struct that lie in its first EXTRACT_CHUNK bytes (on every kernel the probe runs on,
 * for the fields read below; CO-RE says where) are fetched with one read of those bytes: one helper call
 * instead of one per field. Where a field lies further, it is read on its own. */
#define EXTRACT_CHUNK 128
#define EXTRACT_IN_CHUNK(type, field, size) (bpf_core_field_offset(type, field) <= EXTRACT_CHUNK - (size))

/* A file's f_mode and its inode's dev and ino: 3 kernel reads (file, inode, super block). */
static __always_inline void extract__file_facts(struct file *f, __u32 *mode, __u32 *dev, __u64 *ino)
{
	*mode = 0;
	*dev = 0;
	*ino = 0;
	if (!f)
		return;
	__u8 chunk[EXTRACT_CHUNK];
	struct inode *inode;
	if (EXTRACT_IN_CHUNK(struct file, f_mode, 4) && EXTRACT_IN_CHUNK(struct file, f_inode, 8)) {
		if (bpf_probe_read_kernel(chunk, sizeof(chunk), f))
			return;
		*mode = *(__u32 *)&chunk[bpf_core_field_offset(struct file, f_mode)];
		inode = *(struct inode **)&chunk[bpf_core_field_offset(struct file, f_inode)];
	} else {
		*mode = BPF_CORE_READ(f, f_mode);
		inode = BPF_CORE_READ(f, f_inode);
	}
	if (!inode)
		return;
	struct super_block *sb;
	if (EXTRACT_IN_CHUNK(struct inode, i_ino, 8) && EXTRACT_IN_CHUNK(struct inode, i_sb, 8)) {
		if (bpf_probe_read_kernel(chunk, sizeof(chunk), inode))
			return;
		*ino = *(__u64 *)&chunk[bpf_core_field_offset(struct inode, i_ino)];
		sb = *(struct super_block **)&chunk[bpf_core_field_offset(struct inode, i_sb)];
	} else {
		*ino = BPF_CORE_READ(inode, i_ino);
		sb = BPF_CORE_READ(inode, i_sb);
	}
	*dev = sb ? extract__encode_dev(BPF_CORE_READ(sb, s_dev)) : 0;
}

#ifdef EXTRACT_WITH_RDONLY_CAST
/* bpf_rdonly_cast (a kfunc the verifier turns into a register move) makes a kernel address a read-only BTF
 * pointer, whose fields are then plain loads that the JIT makes fault-tolerant (a bad address reads as 0):
 * a few instructions where a bpf_probe_read_kernel is a helper call. Only one object of the probe may
 * declare it: the libbpf 1.1 linker (Debian 12's bpftool) fails on an extern function declared in two
 * objects ("failed to resolve size of underlying type"), and libbpf 1.1 does not resolve name___flavor
 * kfunc externs, so the hottest open filler alone (openat: glibc's open() is an openat) defines
 * EXTRACT_WITH_RDONLY_CAST; the others read with bpf_probe_read_kernel (extract__file_facts). */
extern void *bpf_rdonly_cast(const void *obj, __u32 btf_id) __ksym;
#define EXTRACT_CAST(type, ptr) ((type *)bpf_rdonly_cast((const void *)(ptr), bpf_core_type_id_kernel(type)))

/* The file behind fd and its f_mode, dev and ino, all by plain loads (no helper call): the fd slot is
 * read as the first member of a struct that starts with a struct file * (kiocb.ki_filp), since the
 * verifier types no struct file ** field. */
static __always_inline void extract__fd_file_facts(struct task_struct *task, long fd, __u32 *mode, __u32 *dev,
						   __u64 *ino)
{
	*mode = 0;
	*dev = 0;
	*ino = 0;
	if (fd < 0)
		return;
	struct fdtable *fdt = task->files->fdt;
	if (!fdt || (__u64)fd >= fdt->max_fds)
		return;
	struct file **fds = fdt->fd;
	struct file *f = EXTRACT_CAST(struct kiocb, &fds[fd])->ki_filp;
	if (!f)
		return;
	*mode = f->f_mode;
	struct inode *inode = f->f_inode;
	if (!inode)
		return;
	*ino = inode->i_ino;
	struct super_block *sb = inode->i_sb;
	*dev = sb ? extract__encode_dev(sb->s_dev) : 0;
}
#endif

static __always_inline void extract__file_dev_ino(struct file *f, __u32 *dev, __u64 *ino)
{
	__u32 mode;
	extract__file_facts(f, &mode, dev, ino);
}

/* The struct socket behind a file, or NULL when the file is not a socket. */
static __always_inline struct socket *extract__socket_from_file(struct file *f)
{
	if (!f)
		return NULL;
	umode_t mode = BPF_CORE_READ(f, f_inode, i_mode);
	if ((mode & S_IFMT) != S_IFSOCK)
		return NULL;
	return BPF_CORE_READ(f, private_data);
}

#endif
