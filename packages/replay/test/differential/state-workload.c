// The system calls of the differential workload (workload.sh): each part changes the thread or fd tables
// in a way the state engine must follow, so that scapkit replay and sysdig 0.29.3 have something to
// disagree about. `state-workload all` runs every part in turn; `state-workload http PORTFILE N` serves N
// HTTP requests on 127.0.0.1 and ::1 (the two ports written to PORTFILE) for curl.
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <linux/sched.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/inotify.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/timerfd.h>
#include <sys/uio.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

static const char *workdir = ".";

static void must(int ok, const char *what)
{
	if (!ok) {
		fprintf(stderr, "state-workload: %s: %s\n", what, strerror(errno));
		exit(1);
	}
}

static void read_some(int fd)
{
	char buf[256];
	(void)!read(fd, buf, sizeof buf);
}

static void wait_child(pid_t pid)
{
	int status;
	must(pid > 0, "fork");
	must(waitpid(pid, &status, 0) == pid, "waitpid");
}

/* dup, dup2, dup3, fcntl F_DUPFD and F_DUPFD_CLOEXEC, openat on the copies, openat2, O_PATH. */
static void dups(void)
{
	int d = open("/etc", O_RDONLY | O_DIRECTORY);
	must(d >= 0, "open /etc");
	int d10 = fcntl(d, F_DUPFD, 10);
	int d20 = fcntl(d, F_DUPFD_CLOEXEC, 20);
	must(d10 >= 10 && d20 >= 20, "fcntl F_DUPFD");
	close(d);
	int f = openat(d10, "passwd", O_RDONLY);
	must(f >= 0, "openat passwd");
	read_some(f);
	int g = openat(d20, "hostname", O_RDONLY | O_CLOEXEC);
	must(g >= 0, "openat hostname");
	read_some(g);
	int h = dup(f);
	must(dup2(g, 30) == 30, "dup2");
	must(dup3(f, 31, O_CLOEXEC) == 31, "dup3");
	read_some(h);
	read_some(30);
	read_some(31);
	struct open_how how = { .flags = O_RDONLY, .resolve = RESOLVE_BENEATH };
	int o2 = (int)syscall(SYS_openat2, d10, "group", &how, sizeof how);
	must(o2 >= 0, "openat2");
	read_some(o2);
	int p = open("/etc/ssh", O_PATH | O_DIRECTORY);
	must(p >= 0, "open O_PATH");
	int s = openat(p, "ssh_config", O_RDONLY);
	if (s >= 0) {
		read_some(s);
		close(s);
	}
	int fds[] = { f, g, h, 30, 31, o2, p, d10, d20 };
	for (unsigned i = 0; i < sizeof fds / sizeof fds[0]; i++)
		close(fds[i]);
}

/* chdir and fchdir, then opens relative to the new working directory. */
static void cwd(void)
{
	pid_t pid = fork();
	if (pid == 0) {
		must(chdir("/usr/share") == 0, "chdir");
		int f = open("../lib/os-release", O_RDONLY);
		if (f >= 0) {
			read_some(f);
			close(f);
		}
		int d = open("/etc/ssh", O_RDONLY | O_DIRECTORY);
		must(d >= 0, "open /etc/ssh");
		must(fchdir(d) == 0, "fchdir");
		close(d);
		f = open("ssh_config", O_RDONLY);
		if (f >= 0) {
			read_some(f);
			close(f);
		}
		_exit(0);
	}
	wait_child(pid);
}

/* fds opened close-on-exec (O_CLOEXEC, dup3, F_DUPFD_CLOEXEC) are gone after execve; the others stay. */
static void cloexec(void)
{
	pid_t pid = fork();
	if (pid == 0) {
		int keep = open("/etc/hostname", O_RDONLY);
		int gone = open("/etc/passwd", O_RDONLY | O_CLOEXEC);
		must(keep >= 0 && gone >= 0, "open");
		must(dup2(keep, 40) == 40, "dup2 40");
		must(dup3(keep, 41, O_CLOEXEC) == 41, "dup3 41");
		must(fcntl(keep, F_DUPFD_CLOEXEC, 42) == 42, "F_DUPFD_CLOEXEC 42");
		execl("/bin/sh", "sh", "-c", "exec 2>/dev/null; cat <&40 >/dev/null; cat <&41 >/dev/null; exit 0", (char *)0);
		_exit(127);
	}
	wait_child(pid);
}

/* Threads (clone3 in glibc): one opens a file, one changes the process's cwd, one makes a socket; the
 * main thread leaves first (its process stays while the others run). */
static void *thread_open(void *arg)
{
	(void)arg;
	int f = open("/etc/hostname", O_RDONLY);
	if (f >= 0) {
		read_some(f);
		close(f);
	}
	return 0;
}
static void *thread_chdir(void *arg)
{
	(void)arg;
	must(chdir("/etc") == 0, "chdir in a thread");
	int f = open("passwd", O_RDONLY);
	if (f >= 0) {
		read_some(f);
		close(f);
	}
	return 0;
}
static void *thread_socket(void *arg)
{
	(void)arg;
	int s = socket(AF_INET, SOCK_DGRAM, 0);
	if (s >= 0)
		close(s);
	return 0;
}
static void threads(void)
{
	pid_t pid = fork();
	if (pid == 0) {
		prctl(PR_SET_NAME, "wl-threads");
		pthread_t t[3];
		must(pthread_create(&t[0], 0, thread_open, 0) == 0, "pthread_create");
		must(pthread_create(&t[1], 0, thread_chdir, 0) == 0, "pthread_create");
		must(pthread_create(&t[2], 0, thread_socket, 0) == 0, "pthread_create");
		pthread_join(t[0], 0);
		pthread_join(t[1], 0);
		/* The main thread exits alone; the socket thread still runs and opens from the new cwd. */
		pthread_detach(t[2]);
		pthread_exit(0);
	}
	wait_child(pid);
}

/* fork, vfork + execve, clone3 without CLONE_THREAD, clone with CLONE_FILES (a process that shares its
 * parent's fd table), fexecve (execveat). */
static int clone_files_child(void *arg)
{
	int *fd = arg;
	*fd = open("/etc/hostname", O_RDONLY); /* lands in the parent's table too */
	return 0;
}
static void processes(void)
{
	pid_t pid = fork();
	if (pid == 0) {
		int f = open("/etc/hostname", O_RDONLY);
		read_some(f);
		_exit(0);
	}
	wait_child(pid);

	pid = vfork();
	if (pid == 0) {
		execl("/bin/true", "true", (char *)0);
		_exit(127);
	}
	wait_child(pid);

	struct clone_args ca;
	memset(&ca, 0, sizeof ca);
	ca.exit_signal = SIGCHLD;
	pid = (pid_t)syscall(SYS_clone3, &ca, sizeof ca);
	if (pid == 0) {
		int f = open("/etc/passwd", O_RDONLY);
		read_some(f);
		_exit(0);
	}
	wait_child(pid);

	static char stack[64 * 1024];
	static int shared_fd = -1;
	pid = clone(clone_files_child, stack + sizeof stack, CLONE_FILES | SIGCHLD, &shared_fd);
	wait_child(pid);
	if (shared_fd >= 0) {
		read_some(shared_fd);
		close(shared_fd);
	}

	pid = fork();
	if (pid == 0) {
		int exe = open("/bin/true", O_RDONLY | O_CLOEXEC);
		char *argv[] = { "true", 0 };
		char *envp[] = { "WORKLOAD=fexecve", 0 };
		fexecve(exe, argv, envp);
		_exit(127);
	}
	wait_child(pid);
}

/* Credentials and names: setgid/setuid and setresgid/setresuid to nobody, a rename with prctl. */
static void identity(void)
{
	pid_t pid = fork();
	if (pid == 0) {
		must(setgid(65534) == 0, "setgid");
		must(setuid(65534) == 0, "setuid");
		int f = open("/etc/hostname", O_RDONLY);
		read_some(f);
		_exit(0);
	}
	wait_child(pid);
	pid = fork();
	if (pid == 0) {
		must(setresgid(65534, 65534, 65534) == 0, "setresgid");
		must(setresuid(65534, 65534, 65534) == 0, "setresuid");
		prctl(PR_SET_NAME, "wl-renamed");
		int f = open("/etc/passwd", O_RDONLY);
		read_some(f);
		_exit(0);
	}
	wait_child(pid);
}

/* A long argument list through execve. */
static void long_args(void)
{
	pid_t pid = fork();
	if (pid == 0) {
		static char *argv[302];
		static char words[300][16];
		argv[0] = "echo";
		for (int i = 0; i < 300; i++) {
			snprintf(words[i], sizeof words[i], "argument-%03d", i);
			argv[i + 1] = words[i];
		}
		int null = open("/dev/null", O_WRONLY);
		dup2(null, 1);
		execv("/bin/echo", argv);
		_exit(127);
	}
	wait_child(pid);
}

/* eventfd, signalfd, timerfd, inotify, epoll, memfd, pipes, socketpair. */
static void special_fds(void)
{
	uint64_t one = 1;
	int ev = eventfd(0, EFD_CLOEXEC);
	must(ev >= 0, "eventfd");
	(void)!write(ev, &one, sizeof one);
	(void)!read(ev, &one, sizeof one);

	sigset_t mask;
	sigemptyset(&mask);
	sigaddset(&mask, SIGUSR1);
	sigprocmask(SIG_BLOCK, &mask, 0);
	int sfd = signalfd(-1, &mask, SFD_CLOEXEC);
	must(sfd >= 0, "signalfd");
	raise(SIGUSR1);
	struct signalfd_siginfo si;
	(void)!read(sfd, &si, sizeof si);

	int tfd = timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC);
	must(tfd >= 0, "timerfd_create");
	struct itimerspec its = { .it_value = { .tv_nsec = 1000000 } };
	timerfd_settime(tfd, 0, &its, 0);
	(void)!read(tfd, &one, sizeof one);

	int in = inotify_init1(IN_CLOEXEC);
	must(in >= 0, "inotify_init1");
	inotify_add_watch(in, workdir, IN_CREATE);
	char path[512];
	snprintf(path, sizeof path, "%s/inotify-created", workdir);
	int c = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	close(c);
	read_some(in);
	unlink(path);

	int ep = epoll_create1(EPOLL_CLOEXEC);
	must(ep >= 0, "epoll_create1");
	struct epoll_event ee = { .events = EPOLLIN, .data.fd = ev };
	epoll_ctl(ep, EPOLL_CTL_ADD, ev, &ee);
	(void)!write(ev, &one, sizeof one);
	epoll_wait(ep, &ee, 1, 1000);

	int mfd = memfd_create("scapkit-workload", MFD_CLOEXEC);
	must(mfd >= 0, "memfd_create");
	(void)!write(mfd, "memfd", 5);
	lseek(mfd, 0, SEEK_SET);
	read_some(mfd);

	int p[2], q[2];
	must(pipe(p) == 0, "pipe");
	must(pipe2(q, O_CLOEXEC) == 0, "pipe2");
	(void)!write(p[1], "x", 1);
	read_some(p[0]);
	(void)!write(q[1], "y", 1);
	read_some(q[0]);

	int sp[2];
	must(socketpair(AF_UNIX, SOCK_STREAM, 0, sp) == 0, "socketpair");
	(void)!write(sp[0], "z", 1);
	read_some(sp[1]);

	int fds[] = { ev, sfd, tfd, in, ep, mfd, p[0], p[1], q[0], q[1], sp[0], sp[1] };
	for (unsigned i = 0; i < sizeof fds / sizeof fds[0]; i++)
		close(fds[i]);
	sigprocmask(SIG_UNBLOCK, &mask, 0);
}

static void msg_exchange(int from, int to)
{
	char data[] = "sendmsg";
	struct iovec iov = { .iov_base = data, .iov_len = sizeof data };
	struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1 };
	must(sendmsg(from, &mh, 0) >= 0, "sendmsg");
	char buf[64];
	struct iovec riov = { .iov_base = buf, .iov_len = sizeof buf };
	struct msghdr rh = { .msg_iov = &riov, .msg_iovlen = 1 };
	must(recvmsg(to, &rh, 0) >= 0, "recvmsg");
}

/* The loopback address of `family` (port 0: the kernel picks one) in `ss`; its length. */
static socklen_t loopback(int family, struct sockaddr_storage *ss)
{
	memset(ss, 0, sizeof *ss);
	if (family == AF_INET) {
		struct sockaddr_in *a = (struct sockaddr_in *)ss;
		a->sin_family = AF_INET;
		a->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
		return sizeof *a;
	}
	struct sockaddr_in6 *a = (struct sockaddr_in6 *)ss;
	a->sin6_family = AF_INET6;
	a->sin6_addr = in6addr_loopback;
	return sizeof *a;
}

/* A TCP connection on a loopback address: listen, connect, accept4, send/recv, sendmsg/recvmsg. */
static void tcp(int family)
{
	struct sockaddr_storage ss;
	socklen_t len = loopback(family, &ss);
	int l = socket(family, SOCK_STREAM, 0);
	must(l >= 0, "socket");
	must(bind(l, (struct sockaddr *)&ss, len) == 0, "bind");
	must(listen(l, 4) == 0, "listen");
	must(getsockname(l, (struct sockaddr *)&ss, &len) == 0, "getsockname");
	int c = socket(family, SOCK_STREAM, 0);
	must(connect(c, (struct sockaddr *)&ss, len) == 0, "connect");
	int a = accept4(l, 0, 0, SOCK_CLOEXEC);
	must(a >= 0, "accept4");
	(void)!send(c, "ping", 4, 0);
	read_some(a);
	(void)!write(a, "pong", 4);
	read_some(c);
	msg_exchange(c, a);
	shutdown(c, SHUT_WR);
	close(c);
	close(a);
	close(l);
}

/* UDP on a loopback address: an unconnected client (sendto/recvfrom) and a connected one (connect,
 * send/recv, sendmsg/recvmsg); the server replies with sendto. */
static void udp(int family)
{
	struct sockaddr_storage ss, peer;
	socklen_t len = loopback(family, &ss), plen;
	int srv = socket(family, SOCK_DGRAM, 0);
	must(srv >= 0, "socket");
	must(bind(srv, (struct sockaddr *)&ss, len) == 0, "bind");
	must(getsockname(srv, (struct sockaddr *)&ss, &len) == 0, "getsockname");
	char buf[64];

	int c = socket(family, SOCK_DGRAM, 0);
	must(sendto(c, "dgram", 5, 0, (struct sockaddr *)&ss, len) == 5, "sendto");
	plen = sizeof peer;
	must(recvfrom(srv, buf, sizeof buf, 0, (struct sockaddr *)&peer, &plen) > 0, "recvfrom");
	must(sendto(srv, "reply", 5, 0, (struct sockaddr *)&peer, plen) == 5, "sendto reply");
	must(recvfrom(c, buf, sizeof buf, 0, 0, 0) > 0, "recvfrom reply");
	close(c);

	int cc = socket(family, SOCK_DGRAM, 0);
	must(connect(cc, (struct sockaddr *)&ss, len) == 0, "connect udp");
	must(send(cc, "conn", 4, 0) == 4, "send");
	plen = sizeof peer;
	must(recvfrom(srv, buf, sizeof buf, 0, (struct sockaddr *)&peer, &plen) > 0, "recvfrom 2");
	must(connect(srv, (struct sockaddr *)&peer, plen) == 0, "connect server");
	msg_exchange(cc, srv);
	msg_exchange(srv, cc);
	close(cc);
	close(srv);
}

/* A unix stream socket with a path: bind, listen, connect, accept4, sendmsg/recvmsg. */
static void unix_socket(void)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	snprintf(sa.sun_path, sizeof sa.sun_path, "%s/workload.sock", workdir);
	unlink(sa.sun_path);
	int l = socket(AF_UNIX, SOCK_STREAM, 0);
	must(l >= 0, "socket unix");
	must(bind(l, (struct sockaddr *)&sa, sizeof sa) == 0, "bind unix");
	must(listen(l, 4) == 0, "listen unix");
	int c = socket(AF_UNIX, SOCK_STREAM, 0);
	must(connect(c, (struct sockaddr *)&sa, sizeof sa) == 0, "connect unix");
	int a = accept4(l, 0, 0, SOCK_CLOEXEC);
	must(a >= 0, "accept4 unix");
	msg_exchange(c, a);
	(void)!write(a, "u", 1);
	read_some(c);
	close(c);
	close(a);
	close(l);
	unlink(sa.sun_path);
}

/* Serves `n` HTTP/1.0 requests on 127.0.0.1 and ::1 (ephemeral ports, written to `portfile`). */
static void http(const char *portfile, int n)
{
	int ls[2];
	int ports[2];
	for (int i = 0; i < 2; i++) {
		struct sockaddr_storage ss;
		socklen_t len = loopback(i == 0 ? AF_INET : AF_INET6, &ss);
		ls[i] = socket(ss.ss_family, SOCK_STREAM, 0);
		must(ls[i] >= 0, "socket http");
		must(bind(ls[i], (struct sockaddr *)&ss, len) == 0, "bind http");
		must(listen(ls[i], 8) == 0, "listen http");
		must(getsockname(ls[i], (struct sockaddr *)&ss, &len) == 0, "getsockname http");
		ports[i] = ntohs(i == 0 ? ((struct sockaddr_in *)&ss)->sin_port : ((struct sockaddr_in6 *)&ss)->sin6_port);
	}
	char tmp[512];
	snprintf(tmp, sizeof tmp, "%s.tmp", portfile);
	FILE *f = fopen(tmp, "w");
	must(f != 0, "portfile");
	fprintf(f, "%d %d\n", ports[0], ports[1]);
	fclose(f);
	must(rename(tmp, portfile) == 0, "rename portfile");
	for (int served = 0; served < n;) {
		struct pollfd pf[2] = { { .fd = ls[0], .events = POLLIN }, { .fd = ls[1], .events = POLLIN } };
		must(poll(pf, 2, 60000) > 0, "poll http");
		for (int i = 0; i < 2; i++) {
			if (!(pf[i].revents & POLLIN))
				continue;
			int a = accept4(ls[i], 0, 0, SOCK_CLOEXEC);
			must(a >= 0, "accept http");
			char req[2048];
			(void)!read(a, req, sizeof req);
			static const char resp[] = "HTTP/1.0 200 OK\r\nContent-Length: 3\r\nConnection: close\r\n\r\nok\n";
			(void)!write(a, resp, sizeof resp - 1);
			close(a);
			served++;
		}
	}
	close(ls[0]);
	close(ls[1]);
}

/* Opens that fail below a directory fd (systemd's userdb lookups do this all day): the path tried. */
static void failed_opens(void)
{
	int d = open("/etc", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	int p = open("/usr/lib", O_PATH | O_DIRECTORY | O_CLOEXEC);
	must(d >= 0 && p >= 0, "open directories");
	must(openat(d, "scapkit-not-there", O_RDONLY) < 0 && errno == ENOENT, "openat of a missing name");
	struct open_how how = { .flags = O_RDONLY };
	must(syscall(SYS_openat2, p, "scapkit-not-there/x", &how, sizeof(how)) < 0, "openat2 of a missing name");
	close(d);
	close(p);
}

int main(int argc, char **argv)
{
	if (argc >= 4 && strcmp(argv[1], "http") == 0) {
		http(argv[2], atoi(argv[3]));
		return 0;
	}
	if (argc < 2 || strcmp(argv[1], "all") != 0) {
		fprintf(stderr, "usage: state-workload all [WORKDIR] | http PORTFILE N\n");
		return 2;
	}
	if (argc >= 3)
		workdir = argv[2];
	prctl(PR_SET_NAME, "state-workload");
	dups();
	failed_opens();
	cwd();
	cloexec();
	threads();
	processes();
	identity();
	long_args();
	special_fds();
	tcp(AF_INET);
	tcp(AF_INET6);
	udp(AF_INET);
	udp(AF_INET6);
	unix_socket();
	return 0;
}
