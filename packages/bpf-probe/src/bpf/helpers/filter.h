/* In-kernel process filters: drop an event before any work is done for it. */
#ifndef PROBE_HELPERS_FILTER_H
#define PROBE_HELPERS_FILTER_H

#include "base.h"

/* True when the pid filter lists this tgid (in place or in the pid_filter map). */
static __always_inline bool filter__pid_listed(__u32 tgid)
{
	for (int i = 0; i < PROBE_MAX_INLINE_PIDS; i++)
		if (i < g_n_pids_inline && g_pid_filter_tgids[i] == tgid)
			return true;
	return g_pid_filter_map && bpf_map_lookup_elem(&pid_filter, &tgid);
}

/* True when the task with this tgid must not be recorded: it is excluded (the recorder itself), or a pid
 * filter is on and does not list it. */
static __always_inline bool filter__skip_tgid(__u32 tgid)
{
	/* Read-only data is known to the verifier: with n excluded tgids only n compares remain. */
	for (int i = 0; i < PROBE_MAX_INLINE_EXCLUDED; i++)
		if (i < g_n_excluded_inline && g_excluded_tgids[i] == tgid)
			return true;
	if (g_exclusion_enabled && bpf_map_lookup_elem(&excluded_pids, &tgid))
		return true;
	if (g_pid_filter_enabled)
		return !filter__pid_listed(tgid);
	return false;
}

static __always_inline bool filter__skip_current(void)
{
	return filter__skip_tgid(bpf_get_current_pid_tgid() >> 32);
}

/* 32-bit (ia32) syscalls use another numbering; the native table would mislabel them, so they are not
 * recorded (libs' modern probe does the same without its ia32 table). */
static __always_inline bool filter__is_compat_task(struct task_struct *task)
{
	if (!bpf_core_field_exists(task->thread_info.status))
		return false;
	/* A trusted pointer: a plain load, not a probe-read helper call. */
	return (task->thread_info.status & TS_COMPAT) != 0;
}

#endif
