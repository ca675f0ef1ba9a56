/* Kernel flag words -> the scap (PPM_*) encodings the event table's FLAGS params are decoded with. */
#ifndef PROBE_HELPERS_FLAGS_H
#define PROBE_HELPERS_FLAGS_H

#include "base.h"

/* Linux x86_64 open(2) flags (uapi asm-generic/fcntl.h; macros, so not in BTF). */
#define O_ACCMODE 00000003
#define O_WRONLY 00000001
#define O_RDWR 00000002
#define O_CREAT 00000100
#define O_EXCL 00000200
#define O_TRUNC 00001000
#define O_APPEND 00002000
#define O_NONBLOCK 00004000
#define O_DSYNC 00010000
#define O_DIRECT 00040000
#define O_LARGEFILE 00100000
#define O_DIRECTORY 00200000
#define O_CLOEXEC 02000000
#define __O_SYNC 04000000
#define __O_TMPFILE 020000000

/* PPM_O_* (libs driver/ppm_events_public.h). */
#define PPM_O_RDONLY (1 << 0)
#define PPM_O_WRONLY (1 << 1)
#define PPM_O_RDWR (PPM_O_RDONLY | PPM_O_WRONLY)
#define PPM_O_CREAT (1 << 2)
#define PPM_O_APPEND (1 << 3)
#define PPM_O_DSYNC (1 << 4)
#define PPM_O_EXCL (1 << 5)
#define PPM_O_NONBLOCK (1 << 6)
#define PPM_O_SYNC (1 << 7)
#define PPM_O_TRUNC (1 << 8)
#define PPM_O_DIRECT (1 << 9)
#define PPM_O_DIRECTORY (1 << 10)
#define PPM_O_LARGEFILE (1 << 11)
#define PPM_O_CLOEXEC (1 << 12)
#define PPM_O_TMPFILE (1 << 13)
#define PPM_O_F_CREATED (1 << 14)

/* PPM_CL_* clone flags. */
#define CLONE_VM 0x00000100
#define CLONE_FS 0x00000200
#define CLONE_FILES 0x00000400
#define CLONE_SIGHAND 0x00000800
#define CLONE_PTRACE 0x00002000
#define CLONE_VFORK 0x00004000
#define CLONE_PARENT 0x00008000
#define CLONE_THREAD 0x00010000
#define CLONE_NEWNS 0x00020000
#define CLONE_SYSVSEM 0x00040000
#define CLONE_SETTLS 0x00080000
#define CLONE_PARENT_SETTID 0x00100000
#define CLONE_CHILD_CLEARTID 0x00200000
#define CLONE_UNTRACED 0x00800000
#define CLONE_CHILD_SETTID 0x01000000
#define CLONE_NEWCGROUP 0x02000000
#define CLONE_NEWUTS 0x04000000
#define CLONE_NEWIPC 0x08000000
#define CLONE_NEWUSER 0x10000000
#define CLONE_NEWPID 0x20000000
#define CLONE_NEWNET 0x40000000
#define CLONE_IO 0x80000000UL

#define PPM_CL_CLONE_FILES (1 << 0)
#define PPM_CL_CLONE_FS (1 << 1)
#define PPM_CL_CLONE_IO (1 << 2)
#define PPM_CL_CLONE_NEWIPC (1 << 3)
#define PPM_CL_CLONE_NEWNET (1 << 4)
#define PPM_CL_CLONE_NEWNS (1 << 5)
#define PPM_CL_CLONE_NEWPID (1 << 6)
#define PPM_CL_CLONE_NEWUTS (1 << 7)
#define PPM_CL_CLONE_PARENT (1 << 8)
#define PPM_CL_CLONE_PARENT_SETTID (1 << 9)
#define PPM_CL_CLONE_PTRACE (1 << 10)
#define PPM_CL_CLONE_SIGHAND (1 << 11)
#define PPM_CL_CLONE_SYSVSEM (1 << 12)
#define PPM_CL_CLONE_THREAD (1 << 13)
#define PPM_CL_CLONE_UNTRACED (1 << 14)
#define PPM_CL_CLONE_VM (1 << 15)
#define PPM_CL_CLONE_NEWUSER (1 << 20)
#define PPM_CL_CLONE_CHILD_CLEARTID (1 << 23)
#define PPM_CL_CLONE_CHILD_SETTID (1 << 24)
#define PPM_CL_CLONE_SETTLS (1 << 25)
#define PPM_CL_CLONE_VFORK (1 << 27)
#define PPM_CL_CLONE_NEWCGROUP (1 << 28)

/* PPM_PF_* page fault error bits, from the x86 error code (P, W, U, RSVD, I). */
#define PPM_PF_PROTECTION_VIOLATION (1 << 0)
#define PPM_PF_PAGE_NOT_PRESENT (1 << 1)
#define PPM_PF_READ_ACCESS (1 << 2)
#define PPM_PF_WRITE_ACCESS (1 << 3)
#define PPM_PF_USER_FAULT (1 << 4)
#define PPM_PF_SUPERVISOR_FAULT (1 << 5)
#define PPM_PF_RESERVED_PAGE (1 << 6)
#define PPM_PF_INSTRUCTION_FETCH (1 << 7)

static __always_inline __u32 flags__open_to_scap(unsigned long flags)
{
	__u32 res = 0;
	switch (flags & O_ACCMODE) {
	case O_WRONLY: res |= PPM_O_WRONLY; break;
	case O_RDWR: res |= PPM_O_RDWR; break;
	default: res |= PPM_O_RDONLY; break;
	}
	if (flags & O_CREAT) res |= PPM_O_CREAT;
	if (flags & __O_TMPFILE) res |= PPM_O_TMPFILE;
	if (flags & O_APPEND) res |= PPM_O_APPEND;
	if (flags & O_DSYNC) res |= PPM_O_DSYNC;
	if (flags & O_EXCL) res |= PPM_O_EXCL;
	if (flags & O_NONBLOCK) res |= PPM_O_NONBLOCK;
	if (flags & __O_SYNC) res |= PPM_O_SYNC;
	if (flags & O_TRUNC) res |= PPM_O_TRUNC;
	if (flags & O_DIRECT) res |= PPM_O_DIRECT;
	if (flags & O_DIRECTORY) res |= PPM_O_DIRECTORY;
	if (flags & O_LARGEFILE) res |= PPM_O_LARGEFILE;
	if (flags & O_CLOEXEC) res |= PPM_O_CLOEXEC;
	return res;
}

/* PPM_S_* have the kernel's mode bit values; libs reports a mode only when one can apply (O_CREAT or
 * O_TMPFILE). */
static __always_inline __u32 flags__open_mode_to_scap(unsigned long flags, unsigned long mode)
{
	if (!(flags & (O_CREAT | __O_TMPFILE)))
		return 0;
	return mode & 07777;
}

/* unlinkat(2) AT_REMOVEDIR (uapi linux/fcntl.h) and its PPM_AT_REMOVEDIR (the same bit in libs). */
#define AT_REMOVEDIR 0x200
#define PPM_AT_REMOVEDIR 0x200

static __always_inline __u32 flags__unlinkat_to_scap(unsigned long flags)
{
	return (flags & AT_REMOVEDIR) ? PPM_AT_REMOVEDIR : 0;
}

/* renameat2(2) RENAME_NOREPLACE/EXCHANGE/WHITEOUT: libs' PPM_RENAME_* are the kernel's bits. */
static __always_inline __u32 flags__renameat2_to_scap(unsigned long flags)
{
	return flags & 0x7;
}

/* pipe2/dup3/eventfd-style flags: the O_* subset they accept, in PPM_O_* bits. */
static __always_inline __u32 flags__fd_to_scap(unsigned long flags)
{
	__u32 res = 0;
	if (flags & O_CLOEXEC) res |= PPM_O_CLOEXEC;
	if (flags & O_NONBLOCK) res |= PPM_O_NONBLOCK;
	if (flags & O_DIRECT) res |= PPM_O_DIRECT;
	return res;
}

static __always_inline __u32 flags__clone_to_scap(unsigned long flags)
{
	__u32 res = 0;
	if (flags & CLONE_FILES) res |= PPM_CL_CLONE_FILES;
	if (flags & CLONE_FS) res |= PPM_CL_CLONE_FS;
	if (flags & CLONE_IO) res |= PPM_CL_CLONE_IO;
	if (flags & CLONE_NEWIPC) res |= PPM_CL_CLONE_NEWIPC;
	if (flags & CLONE_NEWNET) res |= PPM_CL_CLONE_NEWNET;
	if (flags & CLONE_NEWNS) res |= PPM_CL_CLONE_NEWNS;
	if (flags & CLONE_NEWPID) res |= PPM_CL_CLONE_NEWPID;
	if (flags & CLONE_NEWUTS) res |= PPM_CL_CLONE_NEWUTS;
	if (flags & CLONE_PARENT) res |= PPM_CL_CLONE_PARENT;
	if (flags & CLONE_PARENT_SETTID) res |= PPM_CL_CLONE_PARENT_SETTID;
	if (flags & CLONE_PTRACE) res |= PPM_CL_CLONE_PTRACE;
	if (flags & CLONE_SIGHAND) res |= PPM_CL_CLONE_SIGHAND;
	if (flags & CLONE_SYSVSEM) res |= PPM_CL_CLONE_SYSVSEM;
	if (flags & CLONE_THREAD) res |= PPM_CL_CLONE_THREAD;
	if (flags & CLONE_UNTRACED) res |= PPM_CL_CLONE_UNTRACED;
	if (flags & CLONE_VM) res |= PPM_CL_CLONE_VM;
	if (flags & CLONE_NEWUSER) res |= PPM_CL_CLONE_NEWUSER;
	if (flags & CLONE_CHILD_CLEARTID) res |= PPM_CL_CLONE_CHILD_CLEARTID;
	if (flags & CLONE_CHILD_SETTID) res |= PPM_CL_CLONE_CHILD_SETTID;
	if (flags & CLONE_SETTLS) res |= PPM_CL_CLONE_SETTLS;
	if (flags & CLONE_VFORK) res |= PPM_CL_CLONE_VFORK;
	if (flags & CLONE_NEWCGROUP) res |= PPM_CL_CLONE_NEWCGROUP;
	return res;
}

static __always_inline __u32 flags__page_fault_to_scap(unsigned long err)
{
	__u32 res = 0;
	res |= (err & 1) ? PPM_PF_PROTECTION_VIOLATION : PPM_PF_PAGE_NOT_PRESENT;
	res |= (err & 2) ? PPM_PF_WRITE_ACCESS : PPM_PF_READ_ACCESS;
	res |= (err & 4) ? PPM_PF_USER_FAULT : PPM_PF_SUPERVISOR_FAULT;
	if (err & 8) res |= PPM_PF_RESERVED_PAGE;
	if (err & 16) res |= PPM_PF_INSTRUCTION_FETCH;
	return res;
}

/* PPM_PROT_*: read/write/exec/sem keep the kernel's bits; growsdown/growsup move down. */
#define PROT_READ 0x1
#define PROT_WRITE 0x2
#define PROT_EXEC 0x4
#define PROT_SEM 0x8
#define PROT_GROWSDOWN 0x01000000
#define PROT_GROWSUP 0x02000000

static __always_inline __u32 flags__prot_to_scap(unsigned long prot)
{
	__u32 res = prot & (PROT_READ | PROT_WRITE | PROT_EXEC | PROT_SEM);
	if (prot & PROT_GROWSDOWN) res |= 1 << 4;
	if (prot & PROT_GROWSUP) res |= 1 << 5;
	return res;
}

/* PPM_MAP_* from the x86_64 MAP_* bits (MAP_FILE is 0 on Linux, so never set). */
static __always_inline __u32 flags__mmap_to_scap(unsigned long flags)
{
	__u32 res = 0;
	if (flags & 0x01) res |= 1 << 0;     /* MAP_SHARED */
	if (flags & 0x02) res |= 1 << 1;     /* MAP_PRIVATE */
	if (flags & 0x10) res |= 1 << 2;     /* MAP_FIXED */
	if (flags & 0x20) res |= 1 << 3;     /* MAP_ANONYMOUS */
	if (flags & 0x40) res |= 1 << 4;     /* MAP_32BIT */
	if (flags & 0x4000) res |= 1 << 6;   /* MAP_NORESERVE */
	if (flags & 0x8000) res |= 1 << 7;   /* MAP_POPULATE */
	if (flags & 0x10000) res |= 1 << 8;  /* MAP_NONBLOCK */
	if (flags & 0x0100) res |= 1 << 9;   /* MAP_GROWSDOWN */
	if (flags & 0x0800) res |= 1 << 10;  /* MAP_DENYWRITE */
	if (flags & 0x1000) res |= 1 << 11;  /* MAP_EXECUTABLE */
	if (flags & 0x2000) res |= 1 << 14;  /* MAP_LOCKED */
	return res;
}

/* PPM_FCNTL_* from the kernel's F_* commands (0 = unknown). */
static __always_inline __u8 flags__fcntl_cmd_to_scap(unsigned long cmd)
{
	switch (cmd) {
	case 0: return 1;     /* F_DUPFD */
	case 1: return 2;     /* F_GETFD */
	case 2: return 3;     /* F_SETFD */
	case 3: return 4;     /* F_GETFL */
	case 4: return 5;     /* F_SETFL */
	case 5: return 6;     /* F_GETLK */
	case 6: return 8;     /* F_SETLK */
	case 7: return 9;     /* F_SETLKW */
	case 8: return 10;    /* F_SETOWN */
	case 9: return 12;    /* F_GETOWN */
	case 10: return 13;   /* F_SETSIG */
	case 11: return 15;   /* F_GETSIG */
	case 15: return 21;   /* F_SETOWN_EX */
	case 16: return 22;   /* F_GETOWN_EX */
	case 36: return 30;   /* F_OFD_GETLK */
	case 37: return 31;   /* F_OFD_SETLK */
	case 38: return 32;   /* F_OFD_SETLKW */
	case 1024: return 23; /* F_SETLEASE */
	case 1025: return 24; /* F_GETLEASE */
	case 1026: return 27; /* F_NOTIFY */
	case 1029: return 25; /* F_CANCELLK */
	case 1030: return 26; /* F_DUPFD_CLOEXEC */
	case 1031: return 28; /* F_SETPIPE_SZ */
	case 1032: return 29; /* F_GETPIPE_SZ */
	default: return 0;
	}
}

/* PPM_SOCKOPT_LEVEL_*: SOL_SOCKET 1, SOL_TCP 2, anything else 0. */
#define SOL_SOCKET 1
#define SOL_TCP 6
static __always_inline __u8 flags__sockopt_level_to_scap(int level)
{
	return level == SOL_SOCKET ? 1 : level == SOL_TCP ? 2 : 0;
}

/* PPM_SOCKOPT_SO_*: SOL_SOCKET options only. 1..50 keep the kernel's numbers; the later ones and the
 * *_NEW time options map onto libs' codes; anything else is 0 (unknown). */
static __always_inline __u8 flags__sockopt_optname_to_scap(int level, int optname)
{
	if (level != SOL_SOCKET)
		return 0;
	if (optname >= 1 && optname <= 50)
		return optname;
	switch (optname) {
	case 59: return 51; /* SO_PEERGROUPS */
	case 55: return 52; /* SO_MEMINFO */
	case 57: return 53; /* SO_COOKIE */
	case 63: return 29; /* SO_TIMESTAMP_NEW */
	case 64: return 35; /* SO_TIMESTAMPNS_NEW */
	case 65: return 37; /* SO_TIMESTAMPING_NEW */
	case 66: return 20; /* SO_RCVTIMEO_NEW */
	case 67: return 21; /* SO_SNDTIMEO_NEW */
	default: return 0;
	}
}

/* PPM_POLL* from the kernel's poll bits. */
static __always_inline __u16 flags__poll_to_scap(__u16 ev)
{
	__u16 res = 0;
	if (ev & 0x001) res |= 1 << 0;  /* POLLIN */
	if (ev & 0x002) res |= 1 << 1;  /* POLLPRI */
	if (ev & 0x004) res |= 1 << 2;  /* POLLOUT */
	if (ev & 0x2000) res |= 1 << 3; /* POLLRDHUP */
	if (ev & 0x008) res |= 1 << 4;  /* POLLERR */
	if (ev & 0x010) res |= 1 << 5;  /* POLLHUP */
	if (ev & 0x020) res |= 1 << 6;  /* POLLNVAL */
	if (ev & 0x040) res |= 1 << 7;  /* POLLRDNORM */
	if (ev & 0x080) res |= 1 << 8;  /* POLLRDBAND */
	if (ev & 0x100) res |= 1 << 9;  /* POLLWRNORM */
	if (ev & 0x200) res |= 1 << 10; /* POLLWRBAND */
	return res;
}

/* PPM_MS_* equal the kernel's MS_* bits; the legacy magic in the upper half (0xC0ED....) is dropped. */
static __always_inline __u32 flags__mount_to_scap(unsigned long flags)
{
	if ((flags & 0xffff0000) == 0xC0ED0000)
		flags &= 0xffff;
	return (__u32)flags;
}

/* PPM_EPOLL_CLOEXEC (EPOLL_CLOEXEC is O_CLOEXEC). */
static __always_inline __u32 flags__epoll_create1_to_scap(unsigned long flags)
{
	return (flags & O_CLOEXEC) ? 1 : 0;
}

/* PPM_MFD_* equal MFD_CLOEXEC, MFD_ALLOW_SEALING and MFD_HUGETLB. */
static __always_inline __u32 flags__memfd_create_to_scap(unsigned long flags)
{
	return flags & 0x7;
}

/* PPM_PTRACE_* from the x86_64 PTRACE_* requests (0 = unknown). */
static __always_inline __u16 flags__ptrace_request_to_scap(unsigned long req)
{
	if (req <= 9)
		return req + 1; /* TRACEME..SINGLESTEP */
	switch (req) {
	case 12: return 26;     /* GETREGS */
	case 13: return 27;     /* SETREGS */
	case 14: return 28;     /* GETFPREGS */
	case 15: return 29;     /* SETFPREGS */
	case 16: return 11;     /* ATTACH */
	case 17: return 12;     /* DETACH */
	case 18: return 30;     /* GETFPXREGS */
	case 19: return 31;     /* SETFPXREGS */
	case 21: return 32;     /* OLDSETOPTIONS */
	case 24: return 13;     /* SYSCALL */
	case 25: return 33;     /* GET_THREAD_AREA */
	case 26: return 34;     /* SET_THREAD_AREA */
	case 30: return 35;     /* ARCH_PRCTL */
	case 31: return 36;     /* SYSEMU */
	case 32: return 37;     /* SYSEMU_SINGLESTEP */
	case 33: return 38;     /* SINGLEBLOCK */
	case 0x4200: return 14; /* SETOPTIONS */
	case 0x4201: return 15; /* GETEVENTMSG */
	case 0x4202: return 16; /* GETSIGINFO */
	case 0x4203: return 17; /* SETSIGINFO */
	case 0x4204: return 18; /* GETREGSET */
	case 0x4205: return 19; /* SETREGSET */
	case 0x4206: return 20; /* SEIZE */
	case 0x4207: return 21; /* INTERRUPT */
	case 0x4208: return 22; /* LISTEN */
	case 0x4209: return 23; /* PEEKSIGINFO */
	case 0x420a: return 24; /* GETSIGMASK */
	case 0x420b: return 25; /* SETSIGMASK */
	default: return 0;
	}
}

#endif
