// Per-event-type facts the state engine and the fields look up by id on every event, computed once from
// the event tables: the fd-related flags, which events report memory, which layouts are 0.29.3's.
//
// The fd flags (EF_USES_FD, EF_CREATES_FD, …) decide which events have an fd for the fd.* fields. They
// come from the table sysdig 0.29.3 was built with where it knows the event (the two tables differ only
// for mmap/mmap2, *mmsg and a few *at calls), so that fd.* answers exactly as sysdig does; events it does
// not know use the current table.
import { EVENT_MAX, EVENTS, EVENTS_SYSDIG_0_29, eventTypeTable } from '@scapkit/scap-format';

/** EF_* flags by event id, as sysdig 0.29.3 knew them where it knew the event. */
export const FLAGS = new Uint32Array(EVENT_MAX);
/**
 * Per event id: 1 where the layout reports the process's memory (vm_size …): brk, mmap, munmap, …; and the
 * number of parameters sysdig 0.29.3's table lists (-1 where it did not know the event: an event with more
 * parameters is in a current layout, the probe's, whose exits carry every parameter). Both read parameter
 * lists, which the event tables make on first use (issue #18: importing the library costs what it runs),
 * so they are built when first asked for, once.
 */
const layoutFacts = eventTypeTable(() => {
  const reports = new Uint8Array(EVENT_MAX);
  const old = new Int16Array(EVENT_MAX).fill(-1);
  for (let id = 0; id < EVENT_MAX; id++) {
    const e = EVENTS[id];
    if (e === undefined) continue;
    const o = EVENTS_SYSDIG_0_29[id];
    if (o && o.name === e.name) old[id] = o.params.length;
    reports[id] = e.paramIndex.has('vm_size') ? 1 : 0;
  }
  return { reports, old };
});

/** Whether the layout of event `type` reports the process's memory (vm_size …): brk, mmap, munmap, … */
export function reportsVm(type: number): boolean {
  return layoutFacts().reports[type] === 1;
}

/**
 * Whether `nparams` parameters of event `type` (the header's count: a layout is told apart without
 * locating the parameters) make the layout sysdig 0.29.3 knew.
 */
export function isOldLayoutOf(type: number, nparams: number): boolean {
  return isOldLayoutIn(layoutFacts().old, type, nparams);
}

/** isOldLayoutOf() on layoutTables()' `old`, for a loop that holds the table. */
export function isOldLayoutIn(old: Int16Array, type: number, nparams: number): boolean {
  return nparams <= (old[type] ?? -1);
}

/**
 * The tables behind reportsVm (1 per type) and isOldLayoutOf (sysdig 0.29.3's parameter count per type,
 * -1 where it did not know the event), for a loop that reads them on every event.
 */
export function layoutTables(): { readonly reports: Uint8Array; readonly old: Int16Array } {
  return layoutFacts();
}

// Index loop: this one runs at import (names and flags only, no parameter lists).
for (let id = 0; id < EVENT_MAX; id++) {
  const e = EVENTS[id];
  if (e === undefined) continue;
  const old = EVENTS_SYSDIG_0_29[id];
  FLAGS[id] = old && old.name === e.name ? (old.flags & 0x1bf) | (e.flags & ~0x1bf) : e.flags;
}
