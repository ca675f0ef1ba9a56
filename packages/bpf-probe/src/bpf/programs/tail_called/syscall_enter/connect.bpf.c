/* connect enter filler (SCAPE_CONNECT_E): the address asked for, before the call can fail. */
#include "helpers/filler.h"
#include "helpers/enter.h"

static __always_inline int connect_e_body(const unsigned long *args, struct task_struct *task)
{
	struct auxiliary_map *a = filler__start_tid(SCAPE_CONNECT_E, SCAPE_CONNECT_E_NPARAMS, task->pid);
	if (!a)
		return 0;
	/* Parameter 1: fd (type: PT_FD) */
	auxmap__store_s64_param(a, (__s32)args[0]);
	/* Parameter 2: addr (type: PT_SOCKADDR) */
	auxmap__store_sockaddr_param(a, (void *)args[1], args[2]);
	auxmap__submit_event(a);
	return 0;
}

ENTER_PROGRAMS(connect, 42)
