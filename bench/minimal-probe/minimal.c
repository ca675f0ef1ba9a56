/* Loader of the minimal reference probe: open -> set self_tgid -> load -> attach -> consume every
 * millisecond until SIGTERM/SIGINT, then print the number of records consumed. Prints "ready" once
 * attached. */
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <bpf/libbpf.h>
#include "minimal.skel.h"

static volatile sig_atomic_t stop;
static unsigned long long records;

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

static int on_record(void *ctx, void *data, size_t len)
{
	(void)ctx, (void)data, (void)len;
	records++;
	return 0;
}

int main(int argc, char **argv)
{
	struct minimal_bpf *skel = minimal_bpf__open();
	if (!skel) {
		fprintf(stderr, "minimal: open the BPF object failed\n");
		return 1;
	}
	skel->rodata->self_tgid = getpid();
	/* --work=data,file: extra work per event (minimal.bpf.c), to price scapkit's parameters.
	 * --enter-tp: also the empty program on sys_enter_openat (the perf tracepoint path's own cost). */
	bool enter_tp = false;
	for (int i = 1; i < argc; i++) {
		if (!strncmp(argv[i], "--work=", 7)) {
			skel->rodata->work |= strstr(argv[i], "data") ? 1 : 0;
			skel->rodata->work |= strstr(argv[i], "file") ? 2 : 0;
		}
		if (!strcmp(argv[i], "--enter-tp"))
			enter_tp = true;
	}
	bpf_program__set_autoload(skel->progs.minimal_enter_openat, enter_tp);
	if (minimal_bpf__load(skel)) {
		fprintf(stderr, "minimal: load failed (root?)\n");
		return 1;
	}
	if (minimal_bpf__attach(skel)) {
		fprintf(stderr, "minimal: attach failed\n");
		return 1;
	}
	struct ring_buffer *rb = ring_buffer__new(bpf_map__fd(skel->maps.rb), on_record, NULL, NULL);
	if (!rb) {
		fprintf(stderr, "minimal: ring_buffer__new failed\n");
		return 1;
	}
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	printf("ready\n");
	fflush(stdout);
	while (!stop) {
		if (ring_buffer__consume(rb) == 0)
			usleep(1000);
	}
	ring_buffer__consume(rb);
	printf("records %llu\n", records);
	ring_buffer__free(rb);
	minimal_bpf__destroy(skel);
	return 0;
}
