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
#include <sys/socket.h>
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
	int sv[2];
	socketpair(AF_UNIX, SOCK_STREAM, 0, sv);
	long sh = syscall(SYS_shutdown, sv[0], SHUT_WR);
	printf("{\"dfd\":%d,\"mkdir\":%ld,\"mkdirat\":%ld,\"rmdir\":%ld,\"rename\":%ld,\"renameat\":%ld,\"link\":%ld,"
	       "\"symlink\":%ld,\"symlinkat\":%ld,\"unlink\":%ld,\"unlinkbad\":%ld,\"sock\":%d,\"shutdown\":%ld}\n",
	       dfd, mk, mkat, rm, rn, rnat, ln, sl, slat, ul, ulbad, sv[0], sh);
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
	long pg = syscall(SYS_setpgid, 0, 0);
	long sid = syscall(SYS_setsid); /* fails: a process group leader now (EPERM) */
	long ls = syscall(SYS_lseek, fd, 5, SEEK_SET);
	long cm = syscall(SYS_chmod, f, 0644);
	long fcm = syscall(SYS_fchmod, fd, 0600);
	long fcmat = syscall(SYS_fchmodat, dfd, "ids", 0640);
	long co = syscall(SYS_chown, f, 0, 0);
	long fco = syscall(SYS_fchown, fd, 1, 1);
	printf("{\"fd\":%d,\"dfd\":%d,\"uid\":%ld,\"euid\":%ld,\"gid\":%ld,\"egid\":%ld,\"setuid\":%ld,\"setgid\":%ld,"
	       "\"setpgid\":%ld,\"setsid\":%ld,\"lseek\":%ld,\"chmod\":%ld,\"fchmod\":%ld,\"fchmodat\":%ld,\"chown\":%ld,"
	       "\"fchown\":%ld}\n",
	       fd, dfd, uid, euid, gid, egid, su, sg, pg, sid, ls, cm, fcm, fcmat, co, fco);
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
		fprintf(stderr, "usage: trigger open|rw|inet|inet6|unix|exec|clone|kill|fds|paths|ids|storm [arg]\n");
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
	fflush(stdout);
	return rc;
}
