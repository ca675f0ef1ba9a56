/* Which filler program records which syscall (user space only: the loader fills the prog arrays from it
 * by program name). Adding a filler = one programs/tail_called/syscall_{exit,enter}/<name>.bpf.c file and
 * one line here. Syscalls without an exit line are recorded as the generic event. */
#ifndef PROBE_FILLER_TABLE_H
#define PROBE_FILLER_TABLE_H

#include <asm/unistd_64.h>

#define PROBE_EXIT_FILLERS(X)            \
	X(__NR_open, open_x)                    \
	X(__NR_openat, openat_x)                \
	X(__NR_openat2, openat2_x)              \
	X(__NR_creat, creat_x)                  \
	X(__NR_close, close_x)                  \
	X(__NR_read, read_x)                    \
	X(__NR_write, write_x)                  \
	X(__NR_pread64, pread64_x)              \
	X(__NR_pwrite64, pwrite64_x)            \
	X(__NR_readv, readv_x)                  \
	X(__NR_writev, writev_x)                \
	X(__NR_socket, socket_x)                \
	X(__NR_bind, bind_x)                    \
	X(__NR_listen, listen_x)                \
	X(__NR_connect, connect_x)              \
	X(__NR_accept, accept_x)                \
	X(__NR_accept4, accept4_x)              \
	X(__NR_sendto, sendto_x)                \
	X(__NR_recvfrom, recvfrom_x)            \
	X(__NR_execve, execve_x)                \
	X(__NR_execveat, execveat_x)            \
	X(__NR_clone, clone_x)                  \
	X(__NR_clone3, clone3_x)                \
	X(__NR_fork, fork_x)                    \
	X(__NR_vfork, vfork_x)                  \
	X(__NR_kill, kill_x)                    \
	X(__NR_tkill, tkill_x)                  \
	X(__NR_tgkill, tgkill_x)                \
	X(__NR_dup, dup_x)                      \
	X(__NR_dup2, dup2_x)                    \
	X(__NR_dup3, dup3_x)                    \
	X(__NR_pipe, pipe_x)                    \
	X(__NR_pipe2, pipe2_x)                  \
	X(__NR_chdir, chdir_x)                  \
	X(__NR_fchdir, fchdir_x)                \
	X(__NR_mkdir, mkdir_x)                  \
	X(__NR_mkdirat, mkdirat_x)              \
	X(__NR_rmdir, rmdir_x)                  \
	X(__NR_unlink, unlink_x)                \
	X(__NR_unlinkat, unlinkat_x)            \
	X(__NR_rename, rename_x)                \
	X(__NR_renameat, renameat_x)            \
	X(__NR_renameat2, renameat2_x)          \
	X(__NR_link, link_x)                    \
	X(__NR_symlink, symlink_x)              \
	X(__NR_symlinkat, symlinkat_x)          \
	X(__NR_shutdown, shutdown_x)            \
	X(__NR_socketpair, socketpair_x)        \
	X(__NR_lseek, lseek_x)                  \
	X(__NR_setuid, setuid_x)                \
	X(__NR_setgid, setgid_x)                \
	X(__NR_setresuid, setresuid_x)          \
	X(__NR_setresgid, setresgid_x)          \
	X(__NR_setreuid, setreuid_x)            \
	X(__NR_setregid, setregid_x)            \
	X(__NR_getuid, getuid_x)                \
	X(__NR_geteuid, geteuid_x)              \
	X(__NR_getgid, getgid_x)                \
	X(__NR_getegid, getegid_x)              \
	X(__NR_setsid, setsid_x)                \
	X(__NR_setpgid, setpgid_x)              \
	X(__NR_chmod, chmod_x)                  \
	X(__NR_fchmod, fchmod_x)                \
	X(__NR_fchmodat, fchmodat_x)            \
	X(__NR_chown, chown_x)                  \
	X(__NR_fchown, fchown_x)                \
	X(__NR_sendmsg, sendmsg_x)              \
	X(__NR_recvmsg, recvmsg_x)              \
	X(__NR_sendmmsg, sendmmsg_x)            \
	X(__NR_recvmmsg, recvmmsg_x)            \
	X(__NR_getsockopt, getsockopt_x)        \
	X(__NR_setsockopt, setsockopt_x)        \
	X(__NR_mmap, mmap_x)                    \
	X(__NR_munmap, munmap_x)                \
	X(__NR_mprotect, mprotect_x)            \
	X(__NR_brk, brk_x)                      \
	X(__NR_fcntl, fcntl_x)                  \
	X(__NR_ioctl, ioctl_x)                  \
	X(__NR_eventfd, eventfd_x)              \
	X(__NR_signalfd, signalfd_x)            \
	X(__NR_timerfd_create, timerfd_create_x) \
	X(__NR_inotify_init, inotify_init_x)    \
	X(__NR_epoll_create, epoll_create_x)    \
	X(__NR_epoll_create1, epoll_create1_x)  \
	X(__NR_memfd_create, memfd_create_x)    \
	X(__NR_splice, splice_x)                \
	X(__NR_sendfile, sendfile_x)            \
	X(__NR_poll, poll_x)                    \
	X(__NR_ppoll, ppoll_x)                  \
	X(__NR_ptrace, ptrace_x)                \
	X(__NR_prctl, prctl_x)                  \
	X(__NR_capset, capset_x)                \
	X(__NR_setns, setns_x)                  \
	X(__NR_unshare, unshare_x)              \
	X(__NR_seccomp, seccomp_x)              \
	X(__NR_bpf, bpf_x)                      \
	X(__NR_init_module, init_module_x)      \
	X(__NR_finit_module, finit_module_x)    \
	X(__NR_mount, mount_x)                  \
	X(__NR_umount2, umount2_x)              \
	X(__NR_chroot, chroot_x)                \
	X(__NR_eventfd2, eventfd2_x)            \
	X(__NR_inotify_init1, inotify_init1_x)  \
	X(__NR_signalfd4, signalfd4_x)

#define PROBE_ENTER_FILLERS(X)           \
	X(__NR_open, open_e)                    \
	X(__NR_openat, openat_e)                \
	X(__NR_openat2, openat2_e)              \
	X(__NR_creat, creat_e)                  \
	X(__NR_connect, connect_e)

#endif
