/* openat2 exit filler (SCAPE_OPENAT2_X). */
#include "helpers/filler.h"

SEC("tp_btf/sys_exit")
int BPF_PROG(openat2_x, struct pt_regs *regs, long ret)
{
	struct auxiliary_map *a = filler__start(SCAPE_OPENAT2_X, SCAPE_OPENAT2_X_NPARAMS);
	if (!a)
		return 0;
	struct file_facts ff;
	filler__file_facts(filler__new_file(ret), &ff);
	struct open_how how = {};
	bpf_probe_read_user(&how, sizeof(how), (void *)ARG(2));
	/* Parameter 1: fd (type: PT_FD) */
	auxmap__store_s64_param(a, ret);
	/* Parameter 2: dirfd (type: PT_FD) */
	auxmap__store_s64_param(a, (__s32)ARG(0));
	/* Parameter 3: name (type: PT_FSRELPATH) */
	auxmap__store_charbuf_param(a, (void *)ARG(1), PROBE_MAX_PATH, true);
	/* Parameter 4: flags (type: PT_FLAGS32) */
	auxmap__store_u32_param(a, flags__open_to_scap(how.flags) | filler__created_flag(&ff));
	/* Parameter 5: mode (type: PT_UINT32) */
	auxmap__store_u32_param(a, flags__open_mode_to_scap(how.flags, how.mode));
	/* Parameter 6: resolve (type: PT_FLAGS32) */
	auxmap__store_u32_param(a, (__u32)how.resolve);
	/* Parameter 7: dev (type: PT_UINT32), Parameter 8: ino (type: PT_UINT64) */
	filler__store_file_dev_ino(a, &ff);
	auxmap__submit_event(a);
	return 0;
}
