// Events in the current layout (what the probe records: ids from the libs HEAD table), for tests that
// write short syscall sequences by hand.
import { currentEventIds, type EncodableEvent, type ParamValue } from '@scapkit/scap-format';

/** The id of `name`'s enter (`>`) or exit (`<`) event in the current table. */
export function currentId(name: string, dir: '>' | '<'): number {
  const ids = currentEventIds(name);
  if (!ids) throw new Error(`no event ${name}`);
  // Current libs dropped most enter events (-1 here): they keep the id just before the exit's.
  return dir === '>' ? (ids[0] >= 0 ? ids[0] : ids[1] - 1) : ids[1];
}

let ts = 1_700_000_000_000_000_000n;
/** A current-layout event of thread `tid`, 1 µs after the one made before it. */
export function currentEvent(
  tid: number,
  name: string,
  dir: '>' | '<',
  params: ParamValue[],
  flags = 0,
): EncodableEvent {
  ts += 1000n;
  return { ts, tid, type: currentId(name, dir), params, flags };
}
