/* Building one event in the per-CPU scratch buffer, in the scap layout: the 26-byte header, one u16
 * length per parameter, then the parameters back to back. Each store writes a parameter at payload_pos
 * and fills its length slot, so a filler is a list of stores in the event table's order.
 *
 * Bounds: every write lands at an offset masked into the lower half of the buffer and is at most half
 * the buffer long, which is the verifier's proof; an event that would outgrow PROBE_MAX_EVENT_SIZE is
 * caught at submit time and counted as a drop. */
#ifndef PROBE_HELPERS_AUXMAP_H
#define PROBE_HELPERS_AUXMAP_H

#include "base.h"
#include "counters.h"
#include "extract.h"
#include "flags.h"

#define SAFE(off) ((off) & PROBE_AUXMAP_HALF_MASK)

static __always_inline struct auxiliary_map *auxmap__get(void)
{
	__u32 cpu = bpf_get_smp_processor_id();
	return bpf_map_lookup_elem(&auxiliary_maps, &cpu);
}

/* Room left for the current event's next parameter. */
static __always_inline __u32 auxmap__room(struct auxiliary_map *a)
{
	return a->payload_pos < PROBE_MAX_EVENT_SIZE ? PROBE_MAX_EVENT_SIZE - a->payload_pos : 0;
}

/* Leaves the current thread's id in this CPU's scratch entry for the filler about to be tail-called
 * (a dispatcher does this; see auxiliary_map.tid). */
static __always_inline void auxmap__stash_tid(__u32 tid)
{
	struct auxiliary_map *a = auxmap__get();
	if (a)
		a->tid = tid;
}

static __always_inline void auxmap__preload_event_header(struct auxiliary_map *a, __u16 type, __u32 nparams, __u32 tid)
{
	struct probe_event_header *h = (struct probe_event_header *)a->data;
	h->ts = bpf_ktime_get_boot_ns() + g_boot_time;
	h->tid = tid;
	h->type = type;
	h->nparams = nparams;
	a->payload_pos = PROBE_EVENT_HEADER_SIZE + nparams * sizeof(__u16);
	a->param_idx = 0;
}

/* Fills the next length slot and moves past the parameter's bytes. */
static __always_inline void auxmap__push_param_len(struct auxiliary_map *a, __u16 len)
{
	*(__u16 *)&a->data[PROBE_EVENT_HEADER_SIZE + ((a->param_idx & 31) << 1)] = len;
	a->param_idx++;
	a->payload_pos += len;
}

static __always_inline void auxmap__store_empty_param(struct auxiliary_map *a)
{
	auxmap__push_param_len(a, 0);
}

static __always_inline void auxmap__store_u8_param(struct auxiliary_map *a, __u8 v)
{
	*(__u8 *)&a->data[SAFE(a->payload_pos)] = v;
	auxmap__push_param_len(a, sizeof(v));
}

static __always_inline void auxmap__store_u16_param(struct auxiliary_map *a, __u16 v)
{
	*(__u16 *)&a->data[SAFE(a->payload_pos)] = v;
	auxmap__push_param_len(a, sizeof(v));
}

static __always_inline void auxmap__store_u32_param(struct auxiliary_map *a, __u32 v)
{
	*(__u32 *)&a->data[SAFE(a->payload_pos)] = v;
	auxmap__push_param_len(a, sizeof(v));
}

static __always_inline void auxmap__store_u64_param(struct auxiliary_map *a, __u64 v)
{
	*(__u64 *)&a->data[SAFE(a->payload_pos)] = v;
	auxmap__push_param_len(a, sizeof(v));
}

static __always_inline void auxmap__store_s64_param(struct auxiliary_map *a, __s64 v)
{
	auxmap__store_u64_param(a, (__u64)v);
}

/* A NUL-terminated string from user memory (user) or kernel memory; empty when unreadable. Returns the
 * stored length, NUL included. */
static __always_inline __u16 auxmap__store_charbuf_param(struct auxiliary_map *a, const void *ptr, __u32 max, bool user)
{
	long n = 0;
	if (ptr && auxmap__room(a) >= max) {
		void *dst = &a->data[SAFE(a->payload_pos)];
		n = user ? bpf_probe_read_user_str(dst, max, ptr) : bpf_probe_read_kernel_str(dst, max, ptr);
	}
	if (n < 0)
		n = 0;
	auxmap__push_param_len(a, n);
	return n;
}

/* ---- the openat path, read once per call ----
 * The enter event reads the path into this CPU's path cache (auxiliary_map.path) and the exit event of
 * the same call takes it from there instead of reading user memory again (a helper call that costs
 * several times the copy). The cache is the call's own when it holds the same thread and user pointer
 * and the thread's context switch count is unchanged: a thread that was never switched out has not left
 * this CPU, and no other thread has run here since its enter event. Otherwise the exit reads the path. */

/* A task's context switch count (voluntary + involuntary): plain loads from a BTF task pointer. */
static __always_inline __u64 auxmap__task_csw(struct task_struct *task)
{
	return task->nvcsw + task->nivcsw;
}

/* Reads the NUL-terminated path at ptr into the path cache for thread tid (context switch count csw).
 * Returns its length, NUL included (0: unreadable). */
static __always_inline __u32 auxmap__cache_path(struct auxiliary_map *a, const void *ptr, __u32 tid, __u64 csw)
{
	long n = ptr ? bpf_probe_read_user_str(a->path, PROBE_MAX_PATH, ptr) : 0;
	if (n <= 0 || n > PROBE_MAX_PATH) {
		a->path_tid = 0;
		return 0;
	}
	a->path_tid = tid;
	a->path_csw = csw;
	a->path_uptr = (__u64)ptr;
	a->path_len = n;
	return n;
}

/* The path at ptr in the path cache for thread tid: the enter event's copy when the cache is this call's
 * (see above), else read now. Returns its length, NUL included (0: unreadable). */
static __always_inline __u32 auxmap__cached_path(struct auxiliary_map *a, const void *ptr, __u32 tid, __u64 csw)
{
	__u32 n = a->path_len;
	if (ptr && a->path_tid == tid && a->path_uptr == (__u64)ptr && a->path_csw == csw && n >= 1 &&
	    n <= PROBE_MAX_PATH) {
		a->path_tid = 0; /* one use */
		return n;
	}
	n = auxmap__cache_path(a, ptr, tid, csw);
	a->path_tid = 0;
	return n;
}

/* Raw bytes from user memory, at most PROBE_SNAPLEN_MAX of them; empty when unreadable. */
static __always_inline void auxmap__store_bytebuf_param(struct auxiliary_map *a, const void *ptr, __u32 len, bool user)
{
	if (!ptr || len == 0) {
		auxmap__store_empty_param(a);
		return;
	}
	if (len > PROBE_SNAPLEN_MAX)
		len = PROBE_SNAPLEN_MAX;
	if (len > auxmap__room(a))
		len = auxmap__room(a);
	/* The barrier makes clang forget what it knows of len, so the mask survives for the verifier. */
	barrier_var(len);
	len &= 0xffff;
	void *dst = &a->data[SAFE(a->payload_pos)];
	long err = user ? bpf_probe_read_user(dst, len, ptr) : bpf_probe_read_kernel(dst, len, ptr);
	auxmap__push_param_len(a, err ? 0 : len);
}

/* I/O data of a read/write-like call: the first min(bytes, snaplen) bytes. */
static __always_inline void auxmap__store_io_data_param(struct auxiliary_map *a, const void *buf, __s64 bytes)
{
	if (bytes <= 0) {
		auxmap__store_empty_param(a);
		return;
	}
	__u32 len = bytes > g_snaplen ? g_snaplen : (__u32)bytes;
	auxmap__store_bytebuf_param(a, buf, len, true);
}

/* The data of an iovec array (readv/writev): the first min(bytes, snaplen) bytes across the vectors. At
 * most PROBE_MAX_IOVCNT vectors are visited; the rest of a longer array is not captured. */
#define PROBE_MAX_IOVCNT 16
static __always_inline void auxmap__store_iovec_data_param(struct auxiliary_map *a, const struct iovec *iov,
							   __u32 iovcnt, __s64 bytes)
{
	if (!iov || bytes <= 0) {
		auxmap__store_empty_param(a);
		return;
	}
	__u32 want = bytes > g_snaplen ? g_snaplen : (__u32)bytes;
	if (want > auxmap__room(a))
		want = auxmap__room(a);
	__u32 total = 0;
	for (int i = 0; i < PROBE_MAX_IOVCNT; i++) {
		if (i >= iovcnt || total >= want)
			break;
		struct iovec v;
		if (bpf_probe_read_user(&v, sizeof(v), &iov[i]))
			break;
		__u32 chunk = v.iov_len < want - total ? v.iov_len : want - total;
		barrier_var(chunk);
		chunk &= 0xffff;
		if (bpf_probe_read_user(&a->data[SAFE(a->payload_pos + total)], chunk, v.iov_base))
			break;
		total += chunk;
	}
	auxmap__push_param_len(a, total);
}

/* Sum of the iov_len of an iovec array (the size param of readv/writev), over its first vectors. */
static __always_inline __u32 auxmap__iovec_total_len(const struct iovec *iov, __u32 iovcnt)
{
	__u64 total = 0;
	for (int i = 0; i < PROBE_MAX_IOVCNT; i++) {
		if (!iov || i >= iovcnt)
			break;
		struct iovec v;
		if (bpf_probe_read_user(&v, sizeof(v), &iov[i]))
			break;
		total += v.iov_len;
	}
	return (__u32)total;
}

/* Unix socket path at dst (inside the buffer): abstract names (leading NUL) are shown with '@' as libs
 * does. Returns the bytes written, NUL included. */
static __always_inline long auxmap__copy_unix_path(__u8 *dst, const char *src, bool user)
{
	long n = user ? bpf_probe_read_user_str(dst, 108, src) : bpf_probe_read_kernel_str(dst, 108, src);
	if (n == 1) { /* abstract: the name follows the leading NUL */
		n = user ? bpf_probe_read_user_str(dst + 1, 107, src + 1) : bpf_probe_read_kernel_str(dst + 1, 107, src + 1);
		if (n <= 1)
			return dst[0] = 0, 1;
		dst[0] = '@';
		return n + 1;
	}
	return n < 0 ? 0 : n;
}

/* PT_SOCKADDR from a user sockaddr (connect, bind): family byte, then ipv4 addr + port, ipv6 addr +
 * port, or a unix path. Other families are stored empty. */
static __always_inline void auxmap__store_sockaddr_param(struct auxiliary_map *a, const void *uaddr, __u32 addrlen)
{
	if (!uaddr || addrlen < 2 || auxmap__room(a) < 128) {
		auxmap__store_empty_param(a);
		return;
	}
	if (addrlen > sizeof(a->scratch))
		addrlen = sizeof(a->scratch);
	if (bpf_probe_read_user(a->scratch, addrlen & 0xff, uaddr)) {
		auxmap__store_empty_param(a);
		return;
	}
	__u16 family = *(__u16 *)a->scratch;
	__u8 *d = &a->data[SAFE(a->payload_pos)];
	switch (family) {
	case AF_INET: {
		struct sockaddr_in *sin = (void *)a->scratch;
		d[0] = AF_INET;
		*(__u32 *)&d[1] = sin->sin_addr.s_addr;
		*(__u16 *)&d[5] = bpf_ntohs(sin->sin_port);
		auxmap__push_param_len(a, 7);
		return;
	}
	case AF_INET6: {
		struct sockaddr_in6 *sin6 = (void *)a->scratch;
		d[0] = AF_INET6;
		__builtin_memcpy(&d[1], &sin6->sin6_addr, 16);
		*(__u16 *)&d[17] = bpf_ntohs(sin6->sin6_port);
		auxmap__push_param_len(a, 19);
		return;
	}
	case AF_UNIX: {
		d[0] = AF_UNIX;
		long n = auxmap__copy_unix_path(&d[1], (const char *)&a->scratch[2], false);
		auxmap__push_param_len(a, 1 + n);
		return;
	}
	default:
		auxmap__store_empty_param(a);
	}
}

/* PT_SOCKTUPLE of the socket behind fd, as the kernel sees it now. For unix sockets the two kernel
 * pointers identify the ends and the path is the peer's (outbound) or own (inbound) bound name, else the
 * user sockaddr's path (connect). */
static __always_inline void auxmap__store_socktuple_param(struct auxiliary_map *a, __s32 fd, int direction,
							  const void *usraddr)
{
	struct socket *sock = extract__socket_from_file(extract__file_from_fd(fd));
	struct sock *sk = sock ? BPF_CORE_READ(sock, sk) : NULL;
	if (!sk || auxmap__room(a) < 160) {
		auxmap__store_empty_param(a);
		return;
	}
	__u16 family = BPF_CORE_READ(sk, __sk_common.skc_family);
	__u8 *d = &a->data[SAFE(a->payload_pos)];
	switch (family) {
	case AF_INET: {
		__u32 laddr = BPF_CORE_READ(sk, __sk_common.skc_rcv_saddr);
		__u32 raddr = BPF_CORE_READ(sk, __sk_common.skc_daddr);
		__u16 lport = BPF_CORE_READ(sk, __sk_common.skc_num);
		__u16 rport = bpf_ntohs(BPF_CORE_READ(sk, __sk_common.skc_dport));
		if (!rport && usraddr && !bpf_probe_read_user(a->scratch, sizeof(struct sockaddr_in), usraddr) &&
		    *(__u16 *)a->scratch == AF_INET) {
			/* Not connected (UDP): the peer is the address the caller passed or was given. */
			struct sockaddr_in *sin = (void *)a->scratch;
			raddr = sin->sin_addr.s_addr;
			rport = bpf_ntohs(sin->sin_port);
		}
		d[0] = AF_INET;
		if (direction == SOCKTUPLE_OUTBOUND) {
			*(__u32 *)&d[1] = laddr; *(__u16 *)&d[5] = lport;
			*(__u32 *)&d[7] = raddr; *(__u16 *)&d[11] = rport;
		} else {
			*(__u32 *)&d[1] = raddr; *(__u16 *)&d[5] = rport;
			*(__u32 *)&d[7] = laddr; *(__u16 *)&d[11] = lport;
		}
		auxmap__push_param_len(a, 13);
		return;
	}
	case AF_INET6: {
		__u16 lport = BPF_CORE_READ(sk, __sk_common.skc_num);
		__u16 rport = bpf_ntohs(BPF_CORE_READ(sk, __sk_common.skc_dport));
		bool out = direction == SOCKTUPLE_OUTBOUND;
		d[0] = AF_INET6;
		bpf_core_read(&d[out ? 1 : 19], 16, &sk->__sk_common.skc_v6_rcv_saddr);
		bpf_core_read(&d[out ? 19 : 1], 16, &sk->__sk_common.skc_v6_daddr);
		if (!rport && usraddr && !bpf_probe_read_user(a->scratch, sizeof(struct sockaddr_in6), usraddr) &&
		    *(__u16 *)a->scratch == AF_INET6) {
			/* Not connected (UDP): the peer is the address the caller passed or was given. */
			struct sockaddr_in6 *sin6 = (void *)a->scratch;
			__builtin_memcpy(&d[out ? 19 : 1], &sin6->sin6_addr, 16);
			rport = bpf_ntohs(sin6->sin6_port);
		}
		*(__u16 *)&d[out ? 17 : 35] = lport;
		*(__u16 *)&d[out ? 35 : 17] = rport;
		auxmap__push_param_len(a, 37);
		return;
	}
	case AF_UNIX: {
		struct unix_sock *us = (struct unix_sock *)sk;
		struct sock *peer = BPF_CORE_READ(us, peer);
		bool out = direction == SOCKTUPLE_OUTBOUND;
		d[0] = AF_UNIX;
		*(__u64 *)&d[1] = (__u64)(out ? (void *)sk : (void *)peer);
		*(__u64 *)&d[9] = (__u64)(out ? (void *)peer : (void *)sk);
		struct unix_sock *named = out ? (struct unix_sock *)peer : us;
		struct unix_address *ua = named ? BPF_CORE_READ(named, addr) : NULL;
		long n = 0;
		if (ua)
			n = auxmap__copy_unix_path(&d[17], (const char *)&ua->name[0].sun_path, false);
		if (n <= 1 && usraddr) {
			/* Not bound (or already gone): fall back to the path the caller passed. */
			if (!bpf_probe_read_user(a->scratch, 110, usraddr) && *(__u16 *)a->scratch == AF_UNIX)
				n = auxmap__copy_unix_path(&d[17], (const char *)&a->scratch[2], false);
		}
		if (n <= 0)
			d[17] = 0, n = 1;
		auxmap__push_param_len(a, 17 + n);
		return;
	}
	default:
		auxmap__store_empty_param(a);
	}
}

/* ---- messages (sendmsg/recvmsg and the mmsg variants) ---- */

/* The data of a message's iovecs: the first min(bytes, snaplen) bytes (bytes <= 0: empty). */
static __always_inline void auxmap__store_msghdr_data_param(struct auxiliary_map *a, const struct user_msghdr *m,
							     __s64 bytes)
{
	auxmap__store_iovec_data_param(a, m->msg_iov, m->msg_iovlen, bytes);
}

/* msg_control of a received message, msg_controllen bytes (as the kernel updated it); empty without. */
static __always_inline void auxmap__store_msg_control_param(struct auxiliary_map *a, const struct user_msghdr *m)
{
	__u32 len = m->msg_controllen > 4096 ? 4096 : m->msg_controllen;
	auxmap__store_bytebuf_param(a, m->msg_control, len, true);
}

/* ---- socket options ---- */

#define PPM_SOCKOPT_IDX_UNKNOWN 0
#define PPM_SOCKOPT_IDX_ERRNO 1
#define PPM_SOCKOPT_IDX_UINT32 2
#define PPM_SOCKOPT_IDX_UINT64 3
#define PPM_SOCKOPT_IDX_TIMEVAL 4

/* SOL_SOCKET options whose value is an int, stored as UINT32 (the others that are not an errno, a
 * timeval or the cookie: linger, peercred, filters, peername are raw bytes). */
static __always_inline bool auxmap__sockopt_is_u32(int optname)
{
	if (optname < 1 || optname > 49)
		return false;
	return optname != 4 && optname != 13 && optname != 17 && optname != 20 && optname != 21 && optname != 26 &&
	       optname != 28;
}

/* PT_DYN socket option value: a PPM_SOCKOPT_IDX_* byte, then an errno (SO_ERROR, i64, negated), a u32,
 * a u64 (SO_COOKIE), ns (RCVTIMEO/SNDTIMEO timeval), or optlen raw bytes (other levels and options). */
static __always_inline void auxmap__store_sockopt_param(struct auxiliary_map *a, int level, int optname, __u32 optlen,
							const void *optval)
{
	__u8 *d = &a->data[SAFE(a->payload_pos)];
	if (level == SOL_SOCKET && optval) {
		if (optname == 4) { /* SO_ERROR */
			__s32 v = 0;
			bpf_probe_read_user(&v, sizeof(v), optval);
			d[0] = PPM_SOCKOPT_IDX_ERRNO;
			*(__s64 *)&d[1] = -(__s64)v;
			auxmap__push_param_len(a, 9);
			return;
		}
		if (optname == 20 || optname == 21 || optname == 66 || optname == 67) { /* RCV/SNDTIMEO old, new */
			__s64 tv[2] = {0, 0};
			bpf_probe_read_user(tv, sizeof(tv), optval);
			d[0] = PPM_SOCKOPT_IDX_TIMEVAL;
			*(__u64 *)&d[1] = tv[0] * 1000000000ULL + tv[1] * 1000ULL;
			auxmap__push_param_len(a, 9);
			return;
		}
		if (optname == 57) { /* SO_COOKIE */
			__u64 v = 0;
			bpf_probe_read_user(&v, sizeof(v), optval);
			d[0] = PPM_SOCKOPT_IDX_UINT64;
			*(__u64 *)&d[1] = v;
			auxmap__push_param_len(a, 9);
			return;
		}
		if (auxmap__sockopt_is_u32(optname)) {
			__u32 v = 0;
			bpf_probe_read_user(&v, sizeof(v), optval);
			d[0] = PPM_SOCKOPT_IDX_UINT32;
			*(__u32 *)&d[1] = v;
			auxmap__push_param_len(a, 5);
			return;
		}
	}
	d[0] = PPM_SOCKOPT_IDX_UNKNOWN;
	__u32 len = optlen > 256 ? 256 : optlen;
	barrier_var(len);
	len &= 0x1ff;
	if (len && optval && bpf_probe_read_user(&a->data[SAFE(a->payload_pos + 1)], len, optval))
		len = 0;
	if (!optval)
		len = 0;
	auxmap__push_param_len(a, 1 + len);
}

/* ---- poll ---- */

#define PROBE_MAX_POLLFD 16
/* PT_FDLIST: u16 count, then (i64 fd, u16 PPM_POLL* flags) per entry: the requested events (enter) or
 * the returned revents (exit). At most PROBE_MAX_POLLFD entries are recorded. */
static __always_inline void auxmap__store_fdlist_param(struct auxiliary_map *a, const struct pollfd *fds, __u32 nfds,
						       bool revents)
{
	__u8 *d = &a->data[SAFE(a->payload_pos)];
	__u16 n = 0;
	for (int i = 0; i < PROBE_MAX_POLLFD; i++) {
		if (!fds || i >= nfds)
			break;
		struct pollfd p;
		if (bpf_probe_read_user(&p, sizeof(p), &fds[i]))
			break;
		*(__s64 *)&d[2 + i * 10] = p.fd;
		*(__u16 *)&d[10 + i * 10] = flags__poll_to_scap(revents ? p.revents : p.events);
		n++;
	}
	*(__u16 *)d = n;
	auxmap__push_param_len(a, 2 + n * 10);
}

/* Writes the length into the header and copies the event into this CPU's ring. Every outcome is counted:
 * seen always, and a drop with its cause when the event does not make it. */
static __always_inline void auxmap__submit_event(struct auxiliary_map *a)
{
	struct probe_counters *c = counters__get();
	if (!c)
		return;
	c->n_evts++;
	__u64 len = a->payload_pos;
	if (len > PROBE_MAX_EVENT_SIZE) {
		c->n_drops_other++;
		return;
	}
	((struct probe_event_header *)a->data)->len = len;
	__u32 cpu = bpf_get_smp_processor_id();
	void *rb = bpf_map_lookup_elem(&ringbuf_maps, &cpu);
	if (!rb) {
		c->n_drops_other++;
		return;
	}
	/* No wakeup: the reader polls on a timer, which costs far less than an interrupt per event. */
	if (bpf_ringbuf_output(rb, a->data, len & 0xffff, BPF_RB_NO_WAKEUP))
		c->n_drops_buffer++;
}

#endif
