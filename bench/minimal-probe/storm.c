/* The syscall storm of bench/probe.bench.mjs: `storm MODE N` runs N iterations of one pattern and prints
 * the ns per syscall. getppid: 1 syscall; rw: read 1 byte of /dev/zero, write it to /dev/null (2);
 * openclose: open and close /dev/null (2). Raw syscalls, so libc adds nothing. */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

static double now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e9 + ts.tv_nsec;
}

int main(int argc, char **argv)
{
	if (argc != 3) {
		fprintf(stderr, "usage: storm getppid|rw|openclose N\n");
		return 2;
	}
	const char *mode = argv[1];
	long n = atol(argv[2]), per = 1;
	int zero = open("/dev/zero", O_RDONLY), null = open("/dev/null", O_WRONLY);
	char c;
	double t0 = now_ns();
	if (!strcmp(mode, "getppid")) {
		for (long i = 0; i < n; i++)
			syscall(SYS_getppid);
	} else if (!strcmp(mode, "rw")) {
		per = 2;
		for (long i = 0; i < n; i++) {
			syscall(SYS_read, zero, &c, 1);
			syscall(SYS_write, null, &c, 1);
		}
	} else if (!strcmp(mode, "openclose")) {
		per = 2;
		for (long i = 0; i < n; i++)
			syscall(SYS_close, syscall(SYS_openat, AT_FDCWD, "/dev/null", O_RDONLY));
	} else {
		fprintf(stderr, "storm: unknown mode %s\n", mode);
		return 2;
	}
	double t1 = now_ns();
	printf("%.2f\n", (t1 - t0) / (n * per));
	return 0;
}
