/* Process facts shared by the clone/fork and execve families: command line, ids, memory, credentials. */
#ifndef PROBE_HELPERS_PROC_H
#define PROBE_HELPERS_PROC_H

#include "filler.h"
#include "path.h"
#include "cgroups.h"

#define PROBE_MAX_ARGV 32

/* exe (argv[0]) and args (the rest, NUL-separated) from the task's own argument area. */
static __always_inline void proc__store_exe_args_from_mm(struct auxiliary_map *a, struct mm_struct *mm)
{
	unsigned long start = mm ? BPF_CORE_READ(mm, arg_start) : 0;
	unsigned long end = mm ? BPF_CORE_READ(mm, arg_end) : 0;
	/* Parameter: exe (type: PT_CHARBUF) */
	__u16 n = auxmap__store_charbuf_param(a, (void *)start, PROBE_MAX_PATH, true);
	/* Parameter: args (type: PT_BYTEBUF) */
	if (start && n && end > start + n) {
		unsigned long len = end - start - n;
		auxmap__store_bytebuf_param(a, (void *)(start + n), len > PROBE_MAX_ARGS ? PROBE_MAX_ARGS : len, true);
	} else {
		auxmap__store_empty_param(a);
	}
}

/* NUL-separated strings of a user char *[] (argv/envp of a failed execve, whose registers still point at
 * them), from index `first`, as one BYTEBUF of at most about PROBE_MAX_ARGS bytes. */
static __always_inline void proc__store_string_array_user(struct auxiliary_map *a, const char *const *arr, int first)
{
	__u32 total = 0;
	if (arr && auxmap__room(a) >= 2 * PROBE_MAX_ARGS) {
		for (int i = 0; i < PROBE_MAX_ARGV; i++) {
			const char *s = NULL;
			if (i < first)
				continue;
			if (total >= PROBE_MAX_ARGS || bpf_probe_read_user(&s, sizeof(s), &arr[i]) || !s)
				break;
			long n = bpf_probe_read_user_str(&a->data[SAFE(a->payload_pos + total)], PROBE_MAX_ARGS, s);
			if (n <= 0)
				break;
			total += n;
		}
	}
	auxmap__push_param_len(a, total);
}

/* exe and args of a failed execve: argv[0], then argv[1..]. */
static __always_inline void proc__store_exe_args_from_argv(struct auxiliary_map *a, const char *const *argv)
{
	const char *exe = NULL;
	if (argv)
		bpf_probe_read_user(&exe, sizeof(exe), &argv[0]);
	/* Parameter: exe (type: PT_CHARBUF) */
	auxmap__store_charbuf_param(a, exe, PROBE_MAX_PATH, true);
	/* Parameter: args (type: PT_BYTEBUF) */
	proc__store_string_array_user(a, argv, 1);
}

static __always_inline void proc__store_comm(struct auxiliary_map *a, struct task_struct *task)
{
	/* Parameter: comm (type: PT_CHARBUF) */
	auxmap__store_charbuf_param(a, &task->comm, PROBE_MAX_COMM, false);
}

/* pgft_maj, pgft_min, vm_size, vm_rss, vm_swap: in the table's order for clone, execve and switch. */
static __always_inline void proc__store_faults_and_vm(struct auxiliary_map *a, struct task_struct *task)
{
	struct vm_info vm;
	extract__task_vm(task, &vm);
	/* Parameter: pgft_maj (type: PT_UINT64) */
	auxmap__store_u64_param(a, BPF_CORE_READ(task, maj_flt));
	/* Parameter: pgft_min (type: PT_UINT64) */
	auxmap__store_u64_param(a, BPF_CORE_READ(task, min_flt));
	/* Parameter: vm_size (type: PT_UINT32) */
	auxmap__store_u32_param(a, vm.size_kb);
	/* Parameter: vm_rss (type: PT_UINT32) */
	auxmap__store_u32_param(a, vm.rss_kb);
	/* Parameter: vm_swap (type: PT_UINT32) */
	auxmap__store_u32_param(a, vm.swap_kb);
}

/* The 21 params of clone, fork, vfork and clone3 exit (identical layouts). clone_flags are already in
 * PPM_CL_* bits. */
static __always_inline void proc__store_clone_params(struct auxiliary_map *a, long ret, __u32 clone_flags)
{
	struct task_struct *task = bpf_get_current_task_btf();
	/* Parameter 1: res (type: PT_PID) */
	auxmap__store_s64_param(a, ret);
	/* Parameter 2: exe (type: PT_CHARBUF), Parameter 3: args (type: PT_BYTEBUF) */
	proc__store_exe_args_from_mm(a, BPF_CORE_READ(task, mm));
	/* Parameter 4: tid (type: PT_PID) */
	auxmap__store_s64_param(a, task->pid);
	/* Parameter 5: pid (type: PT_PID) */
	auxmap__store_s64_param(a, task->tgid);
	/* Parameter 6: ptid (type: PT_PID) */
	auxmap__store_s64_param(a, extract__task_ptid(task));
	/* Parameter 7: cwd (type: PT_CHARBUF) */
	auxmap__store_cwd_param(a, task);
	/* Parameter 8: fdlimit (type: PT_INT64) */
	auxmap__store_s64_param(a, extract__task_fdlimit(task));
	/* Parameters 9-13: pgft_maj, pgft_min (PT_UINT64), vm_size, vm_rss, vm_swap (PT_UINT32) */
	proc__store_faults_and_vm(a, task);
	/* Parameter 14: comm (type: PT_CHARBUF) */
	proc__store_comm(a, task);
	/* Parameter 15: cgroups (type: PT_BYTEBUF) */
	auxmap__store_cgroups_param(a, task);
	/* Parameter 16: flags (type: PT_FLAGS32) */
	auxmap__store_u32_param(a, clone_flags);
	/* Parameter 17: uid (type: PT_UINT32) */
	auxmap__store_u32_param(a, extract__task_euid(task));
	/* Parameter 18: gid (type: PT_UINT32) */
	auxmap__store_u32_param(a, extract__task_egid(task));
	/* Parameter 19: vtid (type: PT_PID) */
	auxmap__store_s64_param(a, extract__task_vtid(task));
	/* Parameter 20: vpid (type: PT_PID) */
	auxmap__store_s64_param(a, extract__task_vpid(task));
	/* Parameter 21: pidns_init_start_ts (type: PT_UINT64) */
	auxmap__store_u64_param(a, extract__task_pidns_start_ts(task));
}

static __always_inline __u64 proc__inode_time_ns(struct inode *inode, bool ctime)
{
	if (!inode || !bpf_core_field_exists(inode->i_ctime_sec))
		return 0;
	__s64 sec = ctime ? BPF_CORE_READ(inode, i_ctime_sec) : BPF_CORE_READ(inode, i_mtime_sec);
	__u32 nsec = ctime ? BPF_CORE_READ(inode, i_ctime_nsec) : BPF_CORE_READ(inode, i_mtime_nsec);
	/* Bit 31 of the nsec word is a flag on multigrain-timestamp kernels (I_CTIME_QUERIED, 6.13+); a
	 * nanosecond count never reaches it. */
	return sec * 1000000000ULL + (nsec & ~(1u << 31));
}

#define PPM_EXE_WRITABLE (1 << 0)
#define PPM_EXE_FROM_MEMFD (1 << 2)
#define SB_RDONLY 1
#define S_IMMUTABLE 8
#define CAP_DAC_OVERRIDE 1
#define CAP_FOWNER 3

/* PPM_EXE_WRITABLE as libs means it: the caller owns the executable or could write it (mode bits for its
 * fsuid/fsgid, or CAP_DAC_OVERRIDE, unless the file system is read-only or the file immutable), or holds
 * CAP_FOWNER. Supplementary groups and user-namespace id mapping are not considered. */
static __always_inline bool proc__exe_writable(struct inode *inode, const struct cred *cred)
{
	if (!inode || !cred)
		return false;
	__u32 fsuid = BPF_CORE_READ(cred, fsuid.val), fsgid = BPF_CORE_READ(cred, fsgid.val);
	__u32 uid = BPF_CORE_READ(inode, i_uid.val), gid = BPF_CORE_READ(inode, i_gid.val);
	__u64 caps = extract__cap(&cred->cap_effective);
	if (uid == fsuid || (caps & (1ULL << CAP_FOWNER)))
		return true;
	if ((BPF_CORE_READ(inode, i_sb, s_flags) & SB_RDONLY) || (BPF_CORE_READ(inode, i_flags) & S_IMMUTABLE))
		return false;
	umode_t mode = BPF_CORE_READ(inode, i_mode);
	umode_t w = gid == fsgid ? 0020 : 0002;
	return (mode & w) || (caps & (1ULL << CAP_DAC_OVERRIDE));
}

#define PPM_EXE_UPPER_LAYER (1 << 1)
#define PPM_EXE_LOWER_LAYER (1 << 3)
#define OVERLAYFS_SUPER_MAGIC 0x794c7630

/* PPM_EXE_UPPER_LAYER / PPM_EXE_LOWER_LAYER for an executable on overlayfs: upper when its overlay inode
 * has an upper dentry with an inode (the file was created or copied up in the container), else lower. */
static __always_inline __u32 proc__exe_overlay_layer(struct file *exe)
{
	struct dentry *dentry = exe ? BPF_CORE_READ(exe, f_path.dentry) : NULL;
	if (!dentry || BPF_CORE_READ(dentry, d_sb, s_magic) != OVERLAYFS_SUPER_MAGIC)
		return 0;
	struct inode *inode = BPF_CORE_READ(dentry, d_inode);
	if (!inode)
		return 0;
	struct ovl_inode *oi = (void *)inode - bpf_core_field_offset(struct ovl_inode, vfs_inode);
	struct dentry *upper = BPF_CORE_READ(oi, __upperdentry);
	return upper && BPF_CORE_READ(upper, d_inode) ? PPM_EXE_UPPER_LAYER : PPM_EXE_LOWER_LAYER;
}

/* PPM_EXE_FROM_MEMFD: the executable is a memfd (its dentry is named "memfd:..."). */
static __always_inline bool proc__exe_from_memfd(struct file *exe)
{
	char name[8] = {};
	const unsigned char *p = exe ? BPF_CORE_READ(exe, f_path.dentry, d_name.name) : NULL;
	if (!p || bpf_probe_read_kernel_str(name, sizeof(name), p) < 7)
		return false;
	return name[0] == 'm' && name[1] == 'e' && name[2] == 'm' && name[3] == 'f' && name[4] == 'd' && name[5] == ':';
}

/* The first 30 params of execve exit; execveat has exactly these, execve adds `filename`. argv/envp are
 * the syscall's arguments, used only when the call failed (on success the new image's memory has them). */
static __always_inline void proc__store_execve_params(struct auxiliary_map *a, long ret, const char *const *argv,
						      const char *const *envp)
{
	struct task_struct *task = bpf_get_current_task_btf();
	struct mm_struct *mm = BPF_CORE_READ(task, mm);
	const struct cred *cred = BPF_CORE_READ(task, cred);
	/* Parameter 1: res (type: PT_ERRNO) */
	auxmap__store_s64_param(a, ret);
	/* Parameter 2: exe (type: PT_CHARBUF), Parameter 3: args (type: PT_BYTEBUF) */
	if (ret == 0)
		proc__store_exe_args_from_mm(a, mm);
	else
		proc__store_exe_args_from_argv(a, argv);
	/* Parameter 4: tid (type: PT_PID) */
	auxmap__store_s64_param(a, task->pid);
	/* Parameter 5: pid (type: PT_PID) */
	auxmap__store_s64_param(a, task->tgid);
	/* Parameter 6: ptid (type: PT_PID) */
	auxmap__store_s64_param(a, extract__task_ptid(task));
	/* Parameter 7: cwd (type: PT_CHARBUF) */
	auxmap__store_cwd_param(a, task);
	/* Parameter 8: fdlimit (type: PT_UINT64) */
	auxmap__store_u64_param(a, extract__task_fdlimit(task));
	/* Parameters 9-13: pgft_maj, pgft_min (PT_UINT64), vm_size, vm_rss, vm_swap (PT_UINT32) */
	proc__store_faults_and_vm(a, task);
	/* Parameter 14: comm (type: PT_CHARBUF) */
	proc__store_comm(a, task);
	/* Parameter 15: cgroups (type: PT_BYTEBUF) */
	auxmap__store_cgroups_param(a, task);
	/* Parameter 16: env (type: PT_BYTEBUF) */
	if (ret == 0 && mm) {
		unsigned long start = BPF_CORE_READ(mm, env_start), end = BPF_CORE_READ(mm, env_end);
		unsigned long len = end > start ? end - start : 0;
		auxmap__store_bytebuf_param(a, (void *)start, len > PROBE_MAX_ENV ? PROBE_MAX_ENV : len, true);
	} else {
		proc__store_string_array_user(a, envp, 0);
	}
	/* Parameter 17: tty (type: PT_UINT32) */
	auxmap__store_u32_param(a, extract__task_tty(task));
	/* Parameter 18: vpgid (type: PT_PID) */
	auxmap__store_s64_param(a, extract__task_pgid(task, true));
	/* Parameter 19: loginuid (type: PT_UID) */
	auxmap__store_u32_param(a, extract__task_loginuid(task));
	struct file *exe_file = mm ? BPF_CORE_READ(mm, exe_file) : NULL;
	struct inode *exe_inode = exe_file ? BPF_CORE_READ(exe_file, f_inode) : NULL;
	/* Parameter 20: flags (type: PT_FLAGS32): PPM_EXE_WRITABLE, PPM_EXE_FROM_MEMFD, and the overlayfs layer
	 * (PPM_EXE_UPPER_LAYER / PPM_EXE_LOWER_LAYER) */
	auxmap__store_u32_param(a, (proc__exe_writable(exe_inode, cred) ? PPM_EXE_WRITABLE : 0) |
					   (proc__exe_from_memfd(exe_file) ? PPM_EXE_FROM_MEMFD : 0) |
					   proc__exe_overlay_layer(exe_file));
	/* Parameter 21: cap_inheritable (type: PT_UINT64) */
	auxmap__store_u64_param(a, extract__cap(&cred->cap_inheritable));
	/* Parameter 22: cap_permitted (type: PT_UINT64) */
	auxmap__store_u64_param(a, extract__cap(&cred->cap_permitted));
	/* Parameter 23: cap_effective (type: PT_UINT64) */
	auxmap__store_u64_param(a, extract__cap(&cred->cap_effective));
	/* Parameter 24: exe_ino (type: PT_UINT64) */
	auxmap__store_u64_param(a, exe_inode ? BPF_CORE_READ(exe_inode, i_ino) : 0);
	/* Parameter 25: exe_ino_ctime (type: PT_ABSTIME) */
	auxmap__store_u64_param(a, proc__inode_time_ns(exe_inode, true));
	/* Parameter 26: exe_ino_mtime (type: PT_ABSTIME) */
	auxmap__store_u64_param(a, proc__inode_time_ns(exe_inode, false));
	/* Parameter 27: uid (type: PT_UID) */
	auxmap__store_u32_param(a, extract__task_euid(task));
	/* Parameter 28: trusted_exepath (type: PT_FSPATH): the executable's path as the kernel opened it */
	auxmap__store_path_param(a, exe_file ? &exe_file->f_path : NULL);
	/* Parameter 29: pgid (type: PT_PID) */
	auxmap__store_s64_param(a, extract__task_pgid(task, false));
	/* Parameter 30: gid (type: PT_GID) */
	auxmap__store_u32_param(a, extract__task_egid(task));
}

#endif
