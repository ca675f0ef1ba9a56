/* Test helper: performs one family of syscalls with raw syscall(2) calls, so the tests know exactly which
 * syscall runs with which arguments. It first waits for a line on stdin (the probe attaches meanwhile),
 * then acts, then prints what the tests need (fds, ports, pids) as one JSON object on stdout. */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <netinet/in.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/eventfd.h>
#include <sys/ioctl.h>
#include <linux/bpf.h>
#include <linux/capability.h>
#include <linux/seccomp.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/prctl.h>
#include <sys/ptrace.h>
#include <sys/sendfile.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <time.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

static void wait_go(void)
{
	char buf[8];
	if (read(0, buf, sizeof(buf)) <= 0)
		exit(2);
}

static void fill(char *buf, size_t n)
{
	for (size_t i = 0; i < n; i++)
		buf[i] = 'A' + i % 26;
}

static int cmd_open(const char *dir)
{
	char path[512], created[512];
	snprintf(path, sizeof(path), "%s/existing.txt", dir);
	snprintf(created, sizeof(created), "%s/created.txt", dir);
	long ok = syscall(SYS_open, path, O_RDONLY | O_CLOEXEC, 0);
	long bad = syscall(SYS_open, "/nonexistent/scapkit", O_RDONLY, 0);
	long at = syscall(SYS_openat, AT_FDCWD, created, O_WRONLY | O_CREAT | O_TRUNC, 0640);
	struct open_how how = {.flags = O_RDONLY | O_DIRECTORY, .resolve = RESOLVE_NO_SYMLINKS};
	long at2 = syscall(SYS_openat2, AT_FDCWD, dir, &how, sizeof(how));
	long cr = syscall(SYS_creat, created, 0600);
	printf("{\"ok\":%ld,\"bad\":%ld,\"at\":%ld,\"at2\":%ld,\"creat\":%ld}\n", ok, bad, at, at2, cr);
	return 0;
}

static int cmd_rw(const char *dir)
{
	int p[2];
	char out[300], in[300], path[512];
	fill(out, sizeof(out));
	syscall(SYS_pipe2, p, O_CLOEXEC);
	long w = syscall(SYS_write, p[1], out, 200);
	long r = syscall(SYS_read, p[0], in, sizeof(in));
	long rbad = syscall(SYS_read, 9999, in, 10);
	snprintf(path, sizeof(path), "%s/rw.bin", dir);
	int fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0600);
	long pw = syscall(SYS_pwrite64, fd, out, 100, 7);
	long pr = syscall(SYS_pread64, fd, in, 50, 10);
	struct iovec wv[2] = {{out, 3}, {out + 10, 4}};
	long wvr = syscall(SYS_writev, p[1], wv, 2);
	char a[2], b[10];
	struct iovec rv[2] = {{a, 2}, {b, 10}};
	long rvr = syscall(SYS_readv, p[0], rv, 2);
	printf("{\"rfd\":%d,\"wfd\":%d,\"w\":%ld,\"r\":%ld,\"rbad\":%ld,\"fd\":%d,\"pw\":%ld,\"pr\":%ld,\"wv\":%ld,\"rv\":%ld}\n",
	       p[0], p[1], w, r, rbad, fd, pw, pr, wvr, rvr);
	return 0;
}

/* A server, a client that connects to it, one accepted connection and one message each way. */
static int cmd_net(const char *kind, const char *dir)
{
	int family = !strcmp(kind, "inet6") ? AF_INET6 : !strcmp(kind, "unix") ? AF_UNIX : AF_INET;
	struct sockaddr_storage ss = {0};
	socklen_t len;
	char path[200] = "";
	if (family == AF_INET) {
		struct sockaddr_in *s = (void *)&ss;
		s->sin_family = AF_INET;
		s->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
		len = sizeof(*s);
	} else if (family == AF_INET6) {
		struct sockaddr_in6 *s = (void *)&ss;
		s->sin6_family = AF_INET6;
		s->sin6_addr = in6addr_loopback;
		len = sizeof(*s);
	} else {
		struct sockaddr_un *s = (void *)&ss;
		s->sun_family = AF_UNIX;
		snprintf(path, sizeof(path), "%s/sock", dir);
		strcpy(s->sun_path, path);
		len = sizeof(*s);
	}
	long srv = syscall(SYS_socket, family, SOCK_STREAM | SOCK_CLOEXEC, 0);
	long b = syscall(SYS_bind, srv, &ss, len);
	long l = syscall(SYS_listen, srv, 7);
	socklen_t alen = sizeof(ss);
	getsockname(srv, (void *)&ss, &alen);
	int port = family == AF_INET ? ntohs(((struct sockaddr_in *)&ss)->sin_port)
		   : family == AF_INET6 ? ntohs(((struct sockaddr_in6 *)&ss)->sin6_port) : 0;
	long cli = syscall(SYS_socket, family, SOCK_STREAM, 0);
	long c = syscall(SYS_connect, cli, &ss, len);
	struct sockaddr_storage peer;
	socklen_t plen = sizeof(peer);
	long acc = syscall(SYS_accept4, srv, &peer, &plen, SOCK_CLOEXEC);
	int cport = family == AF_INET ? ntohs(((struct sockaddr_in *)&peer)->sin_port)
		    : family == AF_INET6 ? ntohs(((struct sockaddr_in6 *)&peer)->sin6_port) : 0;
	long st = syscall(SYS_sendto, cli, "ping", 4, 0, NULL, 0);
	char buf[16];
	long rf = syscall(SYS_recvfrom, acc, buf, sizeof(buf), 0, NULL, NULL);
	/* A second client, taken with plain accept. */
	long cli2 = syscall(SYS_socket, family, SOCK_STREAM, 0);
	syscall(SYS_connect, cli2, &ss, len);
	long acc2 = syscall(SYS_accept, srv, NULL, NULL);
	long refused = -1;
	if (family == AF_INET) { /* a connect that fails: nothing listens on port 1 */
		struct sockaddr_in s = {.sin_family = AF_INET, .sin_port = htons(1), .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
		long fd = syscall(SYS_socket, AF_INET, SOCK_STREAM, 0);
		refused = syscall(SYS_connect, fd, &s, sizeof(s));
		if (refused < 0)
			refused = -errno;
	}
	printf("{\"srv\":%ld,\"bind\":%ld,\"listen\":%ld,\"port\":%d,\"cli\":%ld,\"connect\":%ld,\"acc\":%ld,\"cport\":%d,"
	       "\"sendto\":%ld,\"recvfrom\":%ld,\"refused\":%ld,\"path\":\"%s\",\"cli2\":%ld,\"acc2\":%ld}\n",
	       srv, b, l, port, cli, c, acc, cport, st, rf, refused, path, cli2, acc2);
	return 0;
}

static int cmd_exec(void)
{
	char *bad_argv[] = {"nope", "x", NULL};
	char *env[] = {"SCAPKIT_TEST=1", "FOO=bar", NULL};
	long bad = syscall(SYS_execve, "/nonexistent/scapkit", bad_argv, env);
	int bad_errno = errno;
	long badat = syscall(SYS_execveat, AT_FDCWD, "/nonexistent/scapkit-at", bad_argv, env, 0);
	printf("{\"bad\":%ld,\"errno\":%d,\"badat\":%ld}\n", bad, bad_errno, badat);
	fflush(stdout);
	char *argv[] = {"/bin/echo", "hello", "world", NULL};
	syscall(SYS_execve, "/bin/echo", argv, env);
	return 1;
}

static void *thread_main(void *arg)
{
	long *tid = arg;
	*tid = syscall(SYS_gettid);
	return NULL;
}

static int cmd_clone(void)
{
	long child = syscall(SYS_fork);
	if (child == 0)
		syscall(SYS_exit_group, 3);
	int status;
	waitpid(child, &status, 0);
	pid_t vchild = vfork(); /* glibc's vfork is the vfork syscall */
	if (vchild == 0)
		_exit(4);
	waitpid(vchild, &status, 0);
	pthread_t t;
	long tid = 0;
	pthread_create(&t, NULL, thread_main, &tid); /* glibc 2.34+: clone3 */
	pthread_join(t, NULL);
	printf("{\"child\":%ld,\"vchild\":%d,\"thread\":%ld,\"status\":%d}\n", child, vchild, tid, status);
	return 0;
}

static void on_usr2(int sig)
{
	(void)sig;
}

static int cmd_kill(void)
{
	long child = syscall(SYS_fork);
	if (child == 0) {
		pause();
		_exit(0);
	}
	signal(SIGUSR2, on_usr2);
	long k = syscall(SYS_kill, child, SIGTERM);
	long kbad = syscall(SYS_kill, 999999999, SIGUSR1);
	long tg = syscall(SYS_tgkill, getpid(), syscall(SYS_gettid), SIGUSR2);
	long tk = syscall(SYS_tkill, syscall(SYS_gettid), SIGUSR2);
	int status;
	waitpid(child, &status, 0);
	printf("{\"child\":%ld,\"kill\":%ld,\"kbad\":%ld,\"tgkill\":%ld,\"tkill\":%ld,\"status\":%d}\n", child, k, kbad, tg, tk,
	       status);
	return 0;
}

static int cmd_fds(const char *dir)
{
	long d = syscall(SYS_dup, 1);
	long d2 = syscall(SYS_dup2, 1, 40);
	long d3 = syscall(SYS_dup3, 1, 41, O_CLOEXEC);
	long c = syscall(SYS_close, d);
	long cbad = syscall(SYS_close, 4242);
	int p[2];
	long pp = syscall(SYS_pipe, p);
	long ch = syscall(SYS_chdir, dir);
	int dfd = open("/", O_RDONLY | O_DIRECTORY);
	long fch = syscall(SYS_fchdir, dfd);
	long ppid = syscall(SYS_getppid);
	printf("{\"dup\":%ld,\"dup2\":%ld,\"dup3\":%ld,\"close\":%ld,\"cbad\":%ld,\"pipe\":%ld,\"p0\":%d,\"p1\":%d,"
	       "\"chdir\":%ld,\"dfd\":%d,\"fchdir\":%ld,\"ppid\":%ld}\n",
	       d, d2, d3, c, cbad, pp, p[0], p[1], ch, dfd, fch, ppid);
	return 0;
}

/* Directory and link syscalls on a scratch directory, and a socket shutdown. */
static int cmd_paths(const char *dir)
{
	char d[512], d2[512], f[512], f2[512], l[512], s[512];
	snprintf(d, sizeof(d), "%s/d", dir);
	snprintf(d2, sizeof(d2), "%s/d2", dir);
	snprintf(f, sizeof(f), "%s/f", dir);
	snprintf(f2, sizeof(f2), "%s/f2", dir);
	snprintf(l, sizeof(l), "%s/l", dir);
	snprintf(s, sizeof(s), "%s/s", dir);
	int dfd = open(dir, O_RDONLY | O_DIRECTORY);
	long mk = syscall(SYS_mkdir, d, 0750);
	long mkat = syscall(SYS_mkdirat, dfd, "d2", 0700);
	long rm = syscall(SYS_rmdir, d2);
	close(open(f, O_WRONLY | O_CREAT, 0600));
	long rn = syscall(SYS_rename, f, f2);
	long rnat = syscall(SYS_renameat, dfd, "f2", dfd, "f");
	long ln = syscall(SYS_link, f, l);
	long sl = syscall(SYS_symlink, "f", s);
	long slat = syscall(SYS_symlinkat, "nowhere", dfd, "s2");
	long ul = syscall(SYS_unlink, l);
	long ulbad = syscall(SYS_unlink, l);
	/* unlinkat of a directory (AT_REMOVEDIR) and of a missing file; renameat2 with RENAME_NOREPLACE */
	syscall(SYS_mkdirat, dfd, "d3", 0700);
	long ulat = syscall(SYS_unlinkat, dfd, "d3", 0x200 /* AT_REMOVEDIR */);
	long ulatbad = syscall(SYS_unlinkat, dfd, "nothing", 0);
	long rn2 = syscall(SYS_renameat2, dfd, "f", dfd, "f3", 1 /* RENAME_NOREPLACE */);
	int sv[2];
	socketpair(AF_UNIX, SOCK_STREAM, 0, sv);
	long sh = syscall(SYS_shutdown, sv[0], SHUT_WR);
	printf("{\"dfd\":%d,\"mkdir\":%ld,\"mkdirat\":%ld,\"rmdir\":%ld,\"rename\":%ld,\"renameat\":%ld,\"link\":%ld,"
	       "\"symlink\":%ld,\"symlinkat\":%ld,\"unlink\":%ld,\"unlinkbad\":%ld,\"unlinkat\":%ld,\"unlinkatbad\":%ld,"
	       "\"renameat2\":%ld,\"sock\":%d,\"shutdown\":%ld}\n",
	       dfd, mk, mkat, rm, rn, rnat, ln, sl, slat, ul, ulbad, ulat, ulatbad, rn2, sv[0], sh);
	return 0;
}

/* Credentials, sessions, seeks and permission changes. Runs as root: setuid/setgid to 0 succeed. */
static int cmd_ids(const char *dir)
{
	char f[512];
	snprintf(f, sizeof(f), "%s/ids", dir);
	int fd = open(f, O_RDWR | O_CREAT, 0600);
	int dfd = open(dir, O_RDONLY | O_DIRECTORY);
	long uid = syscall(SYS_getuid), euid = syscall(SYS_geteuid), gid = syscall(SYS_getgid), egid = syscall(SYS_getegid);
	long su = syscall(SYS_setuid, 0), sg = syscall(SYS_setgid, 0);
	/* -1 leaves an id as it is (the engine keeps the old one then) */
	long sru = syscall(SYS_setresuid, 0, -1, 0), srg = syscall(SYS_setresgid, -1, 0, 0);
	long sreu = syscall(SYS_setreuid, -1, 0), sreg = syscall(SYS_setregid, 0, -1);
	long pg = syscall(SYS_setpgid, 0, 0);
	long sid = syscall(SYS_setsid); /* fails: a process group leader now (EPERM) */
	long ls = syscall(SYS_lseek, fd, 5, SEEK_SET);
	long cm = syscall(SYS_chmod, f, 0644);
	long fcm = syscall(SYS_fchmod, fd, 0600);
	long fcmat = syscall(SYS_fchmodat, dfd, "ids", 0640);
	long co = syscall(SYS_chown, f, 0, 0);
	long fco = syscall(SYS_fchown, fd, 1, 1);
	printf("{\"fd\":%d,\"dfd\":%d,\"uid\":%ld,\"euid\":%ld,\"gid\":%ld,\"egid\":%ld,\"setuid\":%ld,\"setgid\":%ld,"
	       "\"setresuid\":%ld,\"setresgid\":%ld,\"setreuid\":%ld,\"setregid\":%ld,"
	       "\"setpgid\":%ld,\"setsid\":%ld,\"lseek\":%ld,\"chmod\":%ld,\"fchmod\":%ld,\"fchmodat\":%ld,\"chown\":%ld,"
	       "\"fchown\":%ld}\n",
	       fd, dfd, uid, euid, gid, egid, su, sg, sru, srg, sreu, sreg, pg, sid, ls, cm, fcm, fcmat, co, fco);
	return 0;
}


static void hex(char *out, const unsigned char *b, size_t n)
{
	for (size_t i = 0; i < n; i++)
		sprintf(out + 2 * i, "%02x", b[i]);
	out[2 * n] = 0;
}

/* UDP over loopback: sendmsg/recvmsg (with ancillary data), sendmmsg/recvmmsg of two messages, socket
 * options set and read, and failures on a bad fd. */
static int cmd_msg(void)
{
	int a = socket(AF_INET, SOCK_DGRAM, 0), b = socket(AF_INET, SOCK_DGRAM, 0);
	struct sockaddr_in sa = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)}, sb = sa;
	bind(a, (void *)&sa, sizeof(sa));
	bind(b, (void *)&sb, sizeof(sb));
	socklen_t l = sizeof(sa);
	getsockname(a, (void *)&sa, &l);
	l = sizeof(sb);
	getsockname(b, (void *)&sb, &l);
	int one = 1;
	setsockopt(b, IPPROTO_IP, IP_PKTINFO, &one, sizeof(one));

	struct iovec iov[2] = {{"hello ", 6}, {"world", 5}};
	struct msghdr m = {.msg_name = &sb, .msg_namelen = sizeof(sb), .msg_iov = iov, .msg_iovlen = 2};
	long sm = syscall(SYS_sendmsg, a, &m, 0);
	char buf[64], ctl[64];
	struct sockaddr_in from;
	struct iovec riov = {buf, sizeof(buf)};
	struct msghdr rm = {.msg_name = &from, .msg_namelen = sizeof(from), .msg_iov = &riov, .msg_iovlen = 1,
			    .msg_control = ctl, .msg_controllen = sizeof(ctl)};
	long rmr = syscall(SYS_recvmsg, b, &rm, 0);
	char ctlhex[200];
	hex(ctlhex, (unsigned char *)ctl, rm.msg_controllen);
	setsockopt(b, IPPROTO_IP, IP_PKTINFO, (int[]){0}, sizeof(int));

	struct iovec v1 = {"one", 3}, v2 = {"three", 5};
	struct mmsghdr mm[2] = {
		{.msg_hdr = {.msg_name = &sb, .msg_namelen = sizeof(sb), .msg_iov = &v1, .msg_iovlen = 1}},
		{.msg_hdr = {.msg_name = &sb, .msg_namelen = sizeof(sb), .msg_iov = &v2, .msg_iovlen = 1}},
	};
	long smm = syscall(SYS_sendmmsg, a, mm, 2, 0);
	char r1[16], r2[16];
	struct sockaddr_in f1, f2;
	struct iovec rv1 = {r1, sizeof(r1)}, rv2 = {r2, sizeof(r2)};
	struct mmsghdr rmm[2] = {
		{.msg_hdr = {.msg_name = &f1, .msg_namelen = sizeof(f1), .msg_iov = &rv1, .msg_iovlen = 1}},
		{.msg_hdr = {.msg_name = &f2, .msg_namelen = sizeof(f2), .msg_iov = &rv2, .msg_iovlen = 1}},
	};
	long rmmr = syscall(SYS_recvmmsg, b, rmm, 2, 0, NULL);
	long st = syscall(SYS_sendto, a, "ping", 4, 0, &sb, sizeof(sb));
	struct sockaddr_in sfrom;
	socklen_t sfl = sizeof(sfrom);
	long rf = syscall(SYS_recvfrom, b, buf, sizeof(buf), 0, &sfrom, &sfl);
	/* The same over IPv6. */
	int a6 = socket(AF_INET6, SOCK_DGRAM, 0), b6 = socket(AF_INET6, SOCK_DGRAM, 0);
	struct sockaddr_in6 sa6 = {.sin6_family = AF_INET6, .sin6_addr = in6addr_loopback}, sb6 = sa6;
	bind(a6, (void *)&sa6, sizeof(sa6));
	bind(b6, (void *)&sb6, sizeof(sb6));
	l = sizeof(sa6);
	getsockname(a6, (void *)&sa6, &l);
	l = sizeof(sb6);
	getsockname(b6, (void *)&sb6, &l);
	long st6 = syscall(SYS_sendto, a6, "pong6", 5, 0, &sb6, sizeof(sb6));
	struct sockaddr_in6 sfrom6;
	socklen_t sfl6 = sizeof(sfrom6);
	long rf6 = syscall(SYS_recvfrom, b6, buf, sizeof(buf), 0, &sfrom6, &sfl6);
	long rbad = syscall(SYS_recvmsg, 9999, &rm, 0);
	long smmbad = syscall(SYS_sendmmsg, 9999, mm, 2, 0);

	long so1 = syscall(SYS_setsockopt, a, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	struct timeval tv = {.tv_sec = 1, .tv_usec = 500000};
	long so2 = syscall(SYS_setsockopt, a, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	int t = socket(AF_INET, SOCK_STREAM, 0);
	long so3 = syscall(SYS_setsockopt, t, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	int rcvbuf = 0;
	socklen_t rl = sizeof(rcvbuf);
	long go1 = syscall(SYS_getsockopt, a, SOL_SOCKET, SO_RCVBUF, &rcvbuf, &rl);
	int err = -1;
	socklen_t el = sizeof(err);
	long go2 = syscall(SYS_getsockopt, a, SOL_SOCKET, SO_ERROR, &err, &el);
	int x = 0;
	socklen_t xl = sizeof(x);
	long gobad = syscall(SYS_getsockopt, 9999, SOL_SOCKET, SO_TYPE, &x, &xl);
	printf("{\"a\":%d,\"b\":%d,\"t\":%d,\"aport\":%d,\"bport\":%d,\"sendmsg\":%ld,\"recvmsg\":%ld,\"ctl\":\"%s\","
	       "\"sendmmsg\":%ld,\"recvmmsg\":%ld,\"rbad\":%ld,\"smmbad\":%ld,\"so1\":%ld,\"so2\":%ld,\"so3\":%ld,"
	       "\"go1\":%ld,\"rcvbuf\":%d,\"go2\":%ld,\"gobad\":%ld,\"sendto\":%ld,\"recvfrom\":%ld,\"a6\":%d,\"b6\":%d,\"a6port\":%d,\"b6port\":%d,\"st6\":%ld,\"rf6\":%ld}\n",
	       a, b, t, ntohs(sa.sin_port), ntohs(sb.sin_port), sm, rmr, ctlhex, smm, rmmr, rbad, smmbad, so1, so2, so3,
	       go1, rcvbuf, go2, gobad, st, rf, a6, b6, ntohs(sa6.sin6_port), ntohs(sb6.sin6_port), st6, rf6);
	return 0;
}

/* /proc/self/statm's first field (total_vm pages), read with raw syscalls (no allocation). */
static long statm_pages(void)
{
	char b[128] = {0};
	long fd = syscall(SYS_open, "/proc/self/statm", O_RDONLY, 0);
	syscall(SYS_read, fd, b, sizeof(b) - 1);
	syscall(SYS_close, fd);
	return atol(b);
}

static int cmd_mem(void)
{
	long p = syscall(SYS_mmap, 0, 8192, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	long vm1 = statm_pages();
	long mp = syscall(SYS_mprotect, p, 4096, PROT_READ);
	long mu = syscall(SYS_munmap, p, 8192);
	long vm2 = statm_pages();
	long mbad = syscall(SYS_mmap, 0, 4096, PROT_READ, MAP_SHARED, 9999, 4096);
	long b0 = syscall(SYS_brk, 0);
	long b1 = syscall(SYS_brk, b0 + 65536);
	long vm3 = statm_pages();
	printf("{\"mmap\":%ld,\"vm1\":%ld,\"mprotect\":%ld,\"munmap\":%ld,\"vm2\":%ld,\"mbad\":%ld,\"brk0\":%ld,"
	       "\"brk1\":%ld,\"vm3\":%ld}\n",
	       p, vm1, mp, mu, vm2, mbad, b0, b1, vm3);
	return 0;
}

/* fcntl and ioctl, and the calls that create special fds. */
static int cmd_fdx(void)
{
	int p[2];
	pipe(p);
	long dupfd = syscall(SYS_fcntl, p[0], F_DUPFD_CLOEXEC, 50);
	long getfl = syscall(SYS_fcntl, p[1], F_GETFL, 0);
	long fbad = syscall(SYS_fcntl, 9999, F_GETFD, 0);
	int n = -1;
	long io = syscall(SYS_ioctl, p[0], FIONREAD, &n);
	long iobad = syscall(SYS_ioctl, 9999, FIONREAD, &n);
	long efd = syscall(SYS_eventfd, 7);
	sigset_t ss;
	sigemptyset(&ss);
	sigaddset(&ss, SIGUSR1);
	sigaddset(&ss, SIGTERM);
	long sfd = syscall(SYS_signalfd, -1, &ss, 8);
	long tfd = syscall(SYS_timerfd_create, CLOCK_MONOTONIC, 02000000 /* TFD_CLOEXEC */);
	long ifd = syscall(SYS_inotify_init);
	long ep = syscall(SYS_epoll_create, 5);
	long ep1 = syscall(SYS_epoll_create1, 02000000 /* EPOLL_CLOEXEC */);
	long mfd = syscall(SYS_memfd_create, "scapkit-memfd", 1 | 2 /* MFD_CLOEXEC | MFD_ALLOW_SEALING */);
	long efd2 = syscall(SYS_eventfd2, 3, EFD_CLOEXEC | EFD_NONBLOCK);
	long ifd1 = syscall(SYS_inotify_init1, 02000000 /* IN_CLOEXEC */);
	long sfd4 = syscall(SYS_signalfd4, -1, &ss, 8, 04000 /* SFD_NONBLOCK */);
	printf("{\"p0\":%d,\"p1\":%d,\"dupfd\":%ld,\"getfl\":%ld,\"fbad\":%ld,\"io\":%ld,\"iobad\":%ld,\"efd\":%ld,"
	       "\"sfd\":%ld,\"tfd\":%ld,\"ifd\":%ld,\"ep\":%ld,\"ep1\":%ld,\"mfd\":%ld,\"fionread\":%d,\"argp\":\"%lu\",\"efd2\":%ld,\"ifd1\":%ld,\"sfd4\":%ld}\n",
	       p[0], p[1], dupfd, getfl, fbad, io, iobad, efd, sfd, tfd, ifd, ep, ep1, mfd, (int)FIONREAD, (unsigned long)&n, efd2, ifd1,
	       sfd4);
	return 0;
}


/* splice, sendfile (offset updated), poll and ppoll (returned events, timeout, sigmask). */
static int cmd_poll(const char *dir)
{
	char path[512];
	snprintf(path, sizeof(path), "%s/poll.bin", dir);
	int f = open(path, O_RDWR | O_CREAT | O_TRUNC, 0600);
	write(f, "0123456789", 10);
	int p[2], q[2];
	pipe(p);
	pipe(q);
	write(p[1], "abcdefghij", 10);
	long sp = syscall(SYS_splice, p[0], NULL, f, NULL, 10, 1 | 4 /* SPLICE_F_MOVE | SPLICE_F_MORE */);
	off_t off = 2;
	long sf = syscall(SYS_sendfile, q[1], f, &off, 5);
	struct pollfd fds[2] = {{.fd = q[0], .events = POLLIN}, {.fd = p[1], .events = POLLOUT}};
	long pl = syscall(SYS_poll, fds, 2, 0);
	int rev0 = fds[0].revents, rev1 = fds[1].revents;
	struct timespec ts = {.tv_sec = 1, .tv_nsec = 0};
	sigset_t mask;
	sigemptyset(&mask);
	sigaddset(&mask, SIGUSR1);
	fds[0].revents = fds[1].revents = 0;
	long pp = syscall(SYS_ppoll, fds, 2, &ts, &mask, 8);
	printf("{\"f\":%d,\"p0\":%d,\"p1\":%d,\"q0\":%d,\"q1\":%d,\"splice\":%ld,\"sendfile\":%ld,\"off\":%ld,"
	       "\"poll\":%ld,\"rev0\":%d,\"rev1\":%d,\"ppoll\":%ld,\"prev0\":%d,\"prev1\":%d,\"rem\":%ld}\n",
	       f, p[0], p[1], q[0], q[1], sp, sf, (long)off, pl, rev0, rev1, pp, fds[0].revents, fds[1].revents,
	       ts.tv_sec * 1000000000L + ts.tv_nsec);
	return 0;
}

static volatile unsigned long traced_word = 0x1122334455667788UL;

/* Process-wide controls: ptrace, prctl, capset, namespaces, seccomp, bpf, modules, mounts, chroot. Runs
 * as root; the mounts happen in a private mount namespace of this process only. */
static int cmd_sys(const char *dir)
{
	long child = syscall(SYS_fork);
	if (child == 0) {
		pause();
		_exit(0);
	}
	long at = syscall(SYS_ptrace, PTRACE_ATTACH, child, 0, 0);
	int st;
	waitpid(child, &st, 0);
	unsigned long word = 0;
	long pk = syscall(SYS_ptrace, PTRACE_PEEKDATA, child, &traced_word, &word);
	long dt = syscall(SYS_ptrace, PTRACE_DETACH, child, 0, SIGCONT);
	long atbad = syscall(SYS_ptrace, PTRACE_ATTACH, 999999999, 0, 0);
	atbad = atbad < 0 ? -errno : atbad;
	kill(child, SIGKILL);
	waitpid(child, &st, 0);

	long pr1 = syscall(SYS_prctl, PR_SET_NAME, "scapkit-sys", 0, 0, 0);
	char name[16] = {0};
	long pr2 = syscall(SYS_prctl, PR_GET_NAME, name, 0, 0, 0);
	long pr3 = syscall(SYS_prctl, PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0);
	int sub = -1;
	long pr4 = syscall(SYS_prctl, PR_GET_CHILD_SUBREAPER, &sub, 0, 0, 0);

	struct __user_cap_header_struct h = {.version = _LINUX_CAPABILITY_VERSION_3, .pid = 0};
	struct __user_cap_data_struct d[2];
	syscall(SYS_capget, &h, d);
	long cs = syscall(SYS_capset, &h, d);
	unsigned long long inh = d[0].inheritable | (unsigned long long)d[1].inheritable << 32;
	unsigned long long prm = d[0].permitted | (unsigned long long)d[1].permitted << 32;
	unsigned long long eff = d[0].effective | (unsigned long long)d[1].effective << 32;

	long us = syscall(SYS_unshare, CLONE_NEWNS | CLONE_NEWUTS);
	int nsfd = open("/proc/self/ns/uts", O_RDONLY);
	long sn = syscall(SYS_setns, nsfd, CLONE_NEWUTS);
	long snbad = syscall(SYS_setns, 9999, 0);
	snbad = snbad < 0 ? -errno : snbad;

	unsigned int action = SECCOMP_RET_KILL_PROCESS;
	long sc = syscall(SYS_seccomp, SECCOMP_GET_ACTION_AVAIL, 0, &action);
	long scbad = syscall(SYS_seccomp, 99, 0, NULL);
	scbad = scbad < 0 ? -errno : scbad;

	union bpf_attr attr;
	memset(&attr, 0, sizeof(attr));
	attr.map_type = BPF_MAP_TYPE_ARRAY;
	attr.key_size = 4;
	attr.value_size = 8;
	attr.max_entries = 1;
	long bf = syscall(SYS_bpf, BPF_MAP_CREATE, &attr, sizeof(attr));
	long bfbad = syscall(SYS_bpf, 999, &attr, sizeof(attr));
	bfbad = bfbad < 0 ? -errno : bfbad;

	char img[32];
	fill(img, sizeof(img));
	long im = syscall(SYS_init_module, img, sizeof(img), "scapkit=1");
	im = im < 0 ? -errno : im;
	long fm = syscall(SYS_finit_module, 9999, "x=2", 1 /* MODULE_INIT_IGNORE_MODVERSIONS */);
	fm = fm < 0 ? -errno : fm;

	long mp = syscall(SYS_mount, NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL);
	long mt = syscall(SYS_mount, "scapkit", dir, "tmpfs", MS_NOSUID | MS_NODEV, "size=1m");
	long um = syscall(SYS_umount2, dir, MNT_DETACH);
	long cr = syscall(SYS_chroot, "/");
	long crbad = syscall(SYS_chroot, "/nonexistent/scapkit");
	crbad = crbad < 0 ? -errno : crbad;
	printf("{\"child\":%ld,\"attach\":%ld,\"peek\":%ld,\"word\":\"%lu\",\"addr\":\"%lu\",\"detach\":%ld,\"atbad\":%ld,"
	       "\"pr1\":%ld,\"pr2\":%ld,\"pr3\":%ld,\"pr4\":%ld,\"sub\":%d,\"capset\":%ld,\"inh\":\"%llu\",\"prm\":\"%llu\","
	       "\"eff\":\"%llu\",\"unshare\":%ld,\"nsfd\":%d,\"setns\":%ld,\"snbad\":%ld,\"seccomp\":%ld,\"scbad\":%ld,"
	       "\"bpf\":%ld,\"bfbad\":%ld,\"im\":%ld,\"fm\":%ld,\"mp\":%ld,\"mount\":%ld,\"umount\":%ld,\"chroot\":%ld,"
	       "\"crbad\":%ld}\n",
	       child, at, pk, word, (unsigned long)&traced_word, dt, atbad, pr1, pr2, pr3, pr4, sub, cs, inh, prm, eff, us,
	       nsfd, sn, snbad, sc, scbad, bf, bfbad, im, fm, mp, mt, um, cr, crbad);
	return 0;
}


static void *thread_fork(void *arg)
{
	long *out = arg;
	long c = syscall(SYS_fork);
	if (c == 0) {
		usleep(200000);
		_exit(0);
	}
	out[0] = c;
	out[1] = syscall(SYS_gettid);
	return NULL; /* the thread ends with a live child: a live thread of the group inherits it */
}

/* Who inherits the children of an exiting thread: a subreaper ancestor, or a live thread of the group. */
static int cmd_reaper(void)
{
	prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0);
	int p[2];
	pipe(p);
	long a = syscall(SYS_fork);
	if (a == 0) {
		long g = syscall(SYS_fork);
		if (g == 0) {
			usleep(200000);
			_exit(0);
		}
		write(p[1], &g, sizeof(g));
		_exit(0); /* ends with a live child: this process's subreaper ancestor inherits it */
	}
	long g = 0;
	read(p[0], &g, sizeof(g));
	int st;
	waitpid(a, &st, 0);
	waitpid(g, &st, 0); /* reparented to this process */
	pthread_t t;
	long tt[2] = {0, 0};
	pthread_create(&t, NULL, thread_fork, tt);
	pthread_join(t, NULL);
	waitpid(tt[0], &st, __WALL);
	printf("{\"pid\":%d,\"a\":%ld,\"g\":%ld,\"thread\":%ld,\"tchild\":%ld}\n", getpid(), a, g, tt[1], tt[0]);
	return 0;
}

/* execve flags: a memfd executable, /bin/true as root (owner of everything: writable), and /bin/true as
 * nobody (not writable). */
static int cmd_memexec(void)
{
	char *argv[] = {"true", NULL}, *env[] = {NULL};
	int src = open("/bin/true", O_RDONLY);
	long m = syscall(SYS_memfd_create, "scapkit-exe", 0);
	char buf[65536];
	ssize_t n;
	while ((n = read(src, buf, sizeof(buf))) > 0)
		write(m, buf, n);
	int st;
	long c1 = syscall(SYS_fork);
	if (c1 == 0) {
		syscall(SYS_execveat, m, "", argv, env, AT_EMPTY_PATH);
		_exit(127);
	}
	waitpid(c1, &st, 0);
	long c2 = syscall(SYS_fork);
	if (c2 == 0) {
		syscall(SYS_execve, "/bin/true", argv, env);
		_exit(127);
	}
	waitpid(c2, &st, 0);
	long c3 = syscall(SYS_fork);
	if (c3 == 0) {
		if (setgid(65534) || setuid(65534))
			_exit(126);
		syscall(SYS_execve, "/bin/true", argv, env);
		_exit(127);
	}
	waitpid(c3, &st, 0);
	long c4 = syscall(SYS_fork);
	if (c4 == 0) {
		syscall(SYS_execveat, AT_FDCWD, "/bin/true", argv, env, 0);
		_exit(127);
	}
	waitpid(c4, &st, 0);
	printf("{\"memfd\":%ld,\"root\":%ld,\"nobody\":%ld,\"at\":%ld,\"st\":%d}\n", c1, c2, c3, c4, st);
	return 0;
}


static void copy_file(const char *from, const char *to)
{
	int in = open(from, O_RDONLY), out = open(to, O_WRONLY | O_CREAT | O_TRUNC, 0755);
	char buf[65536];
	ssize_t n;
	while ((n = read(in, buf, sizeof(buf))) > 0)
		write(out, buf, n);
	close(in);
	close(out);
}

static long run(const char *path)
{
	char *argv[] = {"true", NULL}, *env[] = {NULL};
	long c = syscall(SYS_fork);
	if (c == 0) {
		syscall(SYS_execve, path, argv, env);
		_exit(127);
	}
	int st;
	waitpid(c, &st, 0);
	return c;
}

/* execve of a file in an overlay's lower layer and of one in its upper layer, in a private mount
 * namespace (a tmpfs holds the layers). */
static int cmd_ovl(const char *dir)
{
	char lower[512], upper[512], work[512], merged[512], opts[2048], lo[600], up[600];
	if (unshare(CLONE_NEWNS) || mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) ||
	    mount("scapkit", dir, "tmpfs", 0, "size=16m"))
		return 3;
	snprintf(lower, sizeof(lower), "%s/lower", dir);
	snprintf(upper, sizeof(upper), "%s/upper", dir);
	snprintf(work, sizeof(work), "%s/work", dir);
	snprintf(merged, sizeof(merged), "%s/merged", dir);
	mkdir(lower, 0755);
	mkdir(upper, 0755);
	mkdir(work, 0755);
	mkdir(merged, 0755);
	snprintf(lo, sizeof(lo), "%s/in_lower", lower);
	snprintf(up, sizeof(up), "%s/in_upper", upper);
	copy_file("/bin/true", lo);
	copy_file("/bin/true", up);
	snprintf(opts, sizeof(opts), "lowerdir=%s,upperdir=%s,workdir=%s", lower, upper, work);
	if (mount("overlay", merged, "overlay", 0, opts))
		return 4;
	snprintf(lo, sizeof(lo), "%s/in_lower", merged);
	snprintf(up, sizeof(up), "%s/in_upper", merged);
	long cl = run(lo), cu = run(up);
	long cp = run("/bin/true"); /* not on overlayfs */
	printf("{\"lower\":%ld,\"upper\":%ld,\"plain\":%ld}\n", cl, cu, cp);
	return 0;
}

/* n getppid calls: the cheapest syscall, for drop and overhead tests. */
static int cmd_storm(long n)
{
	for (long i = 0; i < n; i++)
		syscall(SYS_getppid);
	printf("{\"n\":%ld}\n", n);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "usage: trigger open|rw|inet|inet6|unix|exec|clone|kill|fds|paths|ids|msg|mem|fdx|poll|sys|reaper|memexec|ovl|storm [arg]\n");
		return 2;
	}
	const char *cmd = argv[1], *arg = argc > 2 ? argv[2] : "/tmp";
	setvbuf(stdout, NULL, _IOFBF, 4096);
	wait_go();
	int rc = 2;
	if (!strcmp(cmd, "open")) rc = cmd_open(arg);
	else if (!strcmp(cmd, "rw")) rc = cmd_rw(arg);
	else if (!strcmp(cmd, "inet") || !strcmp(cmd, "inet6") || !strcmp(cmd, "unix")) rc = cmd_net(cmd, arg);
	else if (!strcmp(cmd, "exec")) rc = cmd_exec();
	else if (!strcmp(cmd, "clone")) rc = cmd_clone();
	else if (!strcmp(cmd, "kill")) rc = cmd_kill();
	else if (!strcmp(cmd, "fds")) rc = cmd_fds(arg);
	else if (!strcmp(cmd, "storm")) rc = cmd_storm(atol(arg));
	else if (!strcmp(cmd, "paths")) rc = cmd_paths(arg);
	else if (!strcmp(cmd, "ids")) rc = cmd_ids(arg);
	else if (!strcmp(cmd, "msg")) rc = cmd_msg();
	else if (!strcmp(cmd, "mem")) rc = cmd_mem();
	else if (!strcmp(cmd, "fdx")) rc = cmd_fdx();
	else if (!strcmp(cmd, "poll")) rc = cmd_poll(arg);
	else if (!strcmp(cmd, "sys")) rc = cmd_sys(arg);
	else if (!strcmp(cmd, "reaper")) rc = cmd_reaper();
	else if (!strcmp(cmd, "memexec")) rc = cmd_memexec();
	else if (!strcmp(cmd, "ovl")) rc = cmd_ovl(arg);
	fflush(stdout);
	return rc;
}
