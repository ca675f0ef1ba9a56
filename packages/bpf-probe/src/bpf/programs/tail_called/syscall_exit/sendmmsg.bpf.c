/* sendmmsg exit filler (SCAPE_SENDMMSG_X). */
#include "helpers/filler.h"

/* One event per message (libs does the same), built by a bpf_loop callback so the verifier checks the
 * body once. A failed call (ret <= 0) is one event with the error and empty message params. */
#define PROBE_MAX_MMSG 1024
struct mmsg_ctx {
	struct mmsghdr *vec;
	long ret;
	__s32 fd;
};
static long sendmmsg__one(__u32 i, void *ctx);

SEC("tp_btf/sys_exit")
int BPF_PROG(sendmmsg_x, struct pt_regs *regs, long ret)
{
	struct mmsg_ctx c = {.vec = (struct mmsghdr *)ARG(1), .ret = ret, .fd = (__s32)ARG(0)};
	__u32 n = ret <= 0 ? 1 : ret > PROBE_MAX_MMSG ? PROBE_MAX_MMSG : (__u32)ret;
	bpf_loop(n, sendmmsg__one, &c, 0);
	return 0;
}

static long sendmmsg__one(__u32 i, void *ctx)
{
	struct mmsg_ctx *c = ctx;
	struct mmsghdr mh = {};
	bool ok = c->ret > 0 && !bpf_probe_read_user(&mh, sizeof(mh), &c->vec[i]);
	struct auxiliary_map *a = filler__start(SCAPE_SENDMMSG_X, SCAPE_SENDMMSG_X_NPARAMS);
	if (!a)
		return 1;
	/* Parameter 1: res (type: PT_ERRNO): this message's byte count, or the call's error */
	auxmap__store_s64_param(a, ok ? (long)mh.msg_len : c->ret);
	/* Parameter 2: fd (type: PT_FD) */
	auxmap__store_s64_param(a, c->fd);
	/* Parameter 3: size (type: PT_UINT32): the total of this message's vectors */
	auxmap__store_u32_param(a, ok ? auxmap__iovec_total_len(mh.msg_hdr.msg_iov, mh.msg_hdr.msg_iovlen) : 0);
	/* Parameter 4: data (type: PT_BYTEBUF): what was sent, up to snaplen */
	if (ok)
		auxmap__store_msghdr_data_param(a, &mh.msg_hdr, mh.msg_len);
	else
		auxmap__store_empty_param(a);
	/* Parameter 5: tuple (type: PT_SOCKTUPLE): local -> remote */
	if (ok)
		auxmap__store_socktuple_param(a, c->fd, SOCKTUPLE_OUTBOUND, mh.msg_hdr.msg_name);
	else
		auxmap__store_empty_param(a);
	auxmap__submit_event(a);
	return 0;
}
