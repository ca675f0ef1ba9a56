/* Per-CPU event and drop counters: the numbers stats() reports and the drop test checks. */
#ifndef PROBE_HELPERS_COUNTERS_H
#define PROBE_HELPERS_COUNTERS_H

#include "base.h"

static __always_inline struct probe_counters *counters__get(void)
{
	__u32 zero = 0;
	return bpf_map_lookup_elem(&counter_maps, &zero);
}

/* An event that was due but could not even be assembled (no scratch buffer). */
static __always_inline void counters__drop_other(void)
{
	struct probe_counters *c = counters__get();
	if (!c)
		return;
	c->n_evts++;
	c->n_drops_other++;
}

#endif
