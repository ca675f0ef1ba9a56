// Per-event-type facts the state engine and the fields look up by id on every event, computed once from
// the event tables: the fd-related flags, which events report memory, which layouts are 0.29.3's.
//
// The fd flags (EF_USES_FD, EF_CREATES_FD, …) decide which events have an fd for the fd.* fields. They
// come from the table sysdig 0.29.3 was built with where it knows the event (the two tables differ only
// for mmap/mmap2, *mmsg and a few *at calls), so that fd.* answers exactly as sysdig does; events it does
// not know use the current table.
import { EVENT_MAX, EVENTS, EVENTS_SYSDIG_0_29 } from '@scapkit/scap-format';

/** EF_* flags by event id, as sysdig 0.29.3 knew them where it knew the event. */
export const FLAGS = new Uint32Array(EVENT_MAX);
/** 1 for event ids whose layout reports the process's memory (vm_size …): brk, mmap, munmap, … */
export const REPORTS_VM = new Uint8Array(EVENT_MAX);
/**
 * The number of parameters sysdig 0.29.3's table lists for an event id, -1 where it did not know the
 * event. An event with more parameters is in a current layout (the probe's: exits carry every parameter).
 */
export const OLD_NPARAMS = new Int16Array(EVENT_MAX).fill(-1);

/**
 * Whether `nparams` parameters of event `type` (the header's count: a layout is told apart without
 * locating the parameters) make the layout sysdig 0.29.3 knew (see OLD_NPARAMS).
 */
export function isOldLayoutOf(type: number, nparams: number): boolean {
  return nparams <= (OLD_NPARAMS[type] ?? -1);
}

for (const [id, e] of EVENTS.entries()) {
  if (id >= EVENT_MAX) break;
  const old = EVENTS_SYSDIG_0_29[id];
  FLAGS[id] = old && old.name === e.name ? (old.flags & 0x1bf) | (e.flags & ~0x1bf) : e.flags;
  if (old && old.name === e.name) OLD_NPARAMS[id] = old.params.length;
  REPORTS_VM[id] = e.paramIndex.has('vm_size') ? 1 : 0;
}
