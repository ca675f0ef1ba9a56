/* What every probe program includes: kernel types, libbpf helpers, the maps and the event ids. */
#ifndef PROBE_HELPERS_BASE_H
#define PROBE_HELPERS_BASE_H

#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_endian.h>
#include "maps.h"

/* Kernel constants that vmlinux.h (BTF) does not carry: they are macros, not types. */
#define AF_UNIX 1
#define AF_INET 2
#define AF_INET6 10
#define S_IFMT 00170000
#define S_IFSOCK 0140000
#define TS_COMPAT 0x0002
#define FMODE_CREATED 0x100000
#define RLIMIT_NOFILE 7
#define PAGE_SHIFT 12
#define MM_FILEPAGES 0
#define MM_ANONPAGES 1
#define MM_SWAPENTS 2
#define MM_SHMEMPAGES 3

/* Socket tuple orientation: OUTBOUND = local -> remote (connect, send), INBOUND = remote -> local
 * (accept, recv), as libs writes them. */
#define SOCKTUPLE_OUTBOUND 0
#define SOCKTUPLE_INBOUND 1

char LICENSE[] SEC("license") = "Dual BSD/GPL";

#endif
