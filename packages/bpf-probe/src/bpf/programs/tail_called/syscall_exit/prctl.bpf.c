/* prctl exit filler (SCAPE_PRCTL_X). */
#include "helpers/filler.h"

SEC("tp_btf/sys_exit")
int BPF_PROG(prctl_x, struct pt_regs *regs, long ret)
{
	struct auxiliary_map *a = filler__start(SCAPE_PRCTL_X, SCAPE_PRCTL_X_NPARAMS);
	if (!a)
		return 0;
	int option = ARG(0);
	unsigned long arg2 = ARG(1);
	/* Parameter 1: res (type: PT_ERRNO) */
	auxmap__store_s64_param(a, ret);
	/* Parameter 2: option (type: PT_ENUMFLAGS32): PPM_PR_* equal the kernel's PR_* */
	auxmap__store_u32_param(a, option);
	/* Parameter 3: arg2_str (type: PT_CHARBUF): the name for PR_SET_NAME / PR_GET_NAME */
	if (option == 15 || option == 16)
		auxmap__store_charbuf_param(a, (void *)arg2, PROBE_MAX_COMM, true);
	else
		auxmap__store_empty_param(a);
	/* Parameter 4: arg2_int (type: PT_INT64): the int PR_GET_CHILD_SUBREAPER wrote, 0 with a name, else arg2 */
	__s64 v = arg2;
	if (option == 15 || option == 16) {
		v = 0;
	} else if (option == 37) {
		__s32 i = 0;
		bpf_probe_read_user(&i, sizeof(i), (void *)arg2);
		v = i;
	}
	auxmap__store_s64_param(a, v);
	auxmap__submit_event(a);
	return 0;
}
