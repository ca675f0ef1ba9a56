// --from/--to: every accepted form read to the nanosecond, bad text and reversed ranges refused with the
// accepted forms shown, and bounds relative to the trace (or a time of day) placed against its first event.
// Local times are read in UTC here, as sysdig printed the expected outputs (Node honours a TZ set at run time).
import { describe, expect, it } from 'vitest';
import { UsageError } from '../src/exit.js';
import { parseTimeBound, parseTimeRange, resolveTimeRange, TIME_FORMS } from '../src/time-range.js';

process.env.TZ = 'UTC';

const T = 1732406400_000016006n; // 2024-11-24 00:00:00.000016006 UTC

describe('parseTimeBound', () => {
  it('reads each form to the nanosecond', () => {
    expect(parseTimeBound('--from', '1732406400000016006')).toEqual({ kind: 'epoch', ns: T });
    expect(parseTimeBound('--from', '1732406400.000016006')).toEqual({ kind: 'epoch', ns: T });
    expect(parseTimeBound('--from', '1732406400.5')).toEqual({ kind: 'epoch', ns: 1732406400_500000000n });
    expect(parseTimeBound('--from', '2024-11-24 00:00:00.000016006')).toEqual({ kind: 'epoch', ns: T });
    expect(parseTimeBound('--from', '2024-11-24T00:00:00.000016006Z')).toEqual({ kind: 'epoch', ns: T });
    expect(parseTimeBound('--from', '2024-11-24T02:00:00.000016006+02:00')).toEqual({ kind: 'epoch', ns: T });
    expect(parseTimeBound('--from', '2024-11-23T19:00:00.000016006-0500')).toEqual({ kind: 'epoch', ns: T });
    expect(parseTimeBound('--from', '2024-11-24T00:00:01')).toEqual({
      kind: 'epoch',
      ns: 1732406401_000000000n,
    });
    expect(parseTimeBound('--from', '00:00:00.000016006')).toEqual({ kind: 'timeOfDay', ns: 16006n });
    expect(parseTimeBound('--from', '16:17:57')).toEqual({ kind: 'timeOfDay', ns: 58677_000000000n });
    expect(parseTimeBound('--from', '+30s')).toEqual({ kind: 'relative', ns: 30_000000000n });
    expect(parseTimeBound('--from', '+1m30s')).toEqual({ kind: 'relative', ns: 90_000000000n });
    expect(parseTimeBound('--from', '+2.5ms')).toEqual({ kind: 'relative', ns: 2_500000n });
    expect(parseTimeBound('--from', '+1h2m3s4ms5us6ns')).toEqual({
      kind: 'relative',
      ns: 3723_004005006n,
    });
  });

  it('refuses what is no time, naming the flag and showing the accepted forms', () => {
    for (const bad of [
      '',
      'yesterday',
      '+30',
      '30s',
      '+-1s',
      '25:00:00',
      '12:60:00',
      '2024-02-30 00:00:00',
      '2024-13-01T00:00:00Z',
      '1.2.3',
      '-5',
    ]) {
      let err: unknown;
      try {
        parseTimeBound('--to', bad);
      } catch (e) {
        err = e;
      }
      expect(err, bad).toBeInstanceOf(UsageError);
      expect((err as Error).message).toBe(`--to '${bad}' is not a time. Give ${TIME_FORMS}.`);
    }
  });
});

describe('parseTimeRange and resolveTimeRange', () => {
  it('refuses --from after --to, before reading when both are of a kind, after when they mix', () => {
    expect(() => parseTimeRange({ from: '+2s', to: '+1s' })).toThrow(/--from '\+2s' comes after --to '\+1s'/);
    const mixed = parseTimeRange({ from: '+2s', to: String(T + 1_000_000_000n) })!;
    expect(() => resolveTimeRange(mixed, T)).toThrow(UsageError);
    expect(resolveTimeRange(mixed, T - 5_000_000_000n)).toEqual({
      fromNs: T - 3_000_000_000n,
      toNs: T + 1_000_000_000n,
    });
  });

  it('an open end reaches the start or the end of time; no bound: no range', () => {
    expect(parseTimeRange({})).toBeUndefined();
    expect(resolveTimeRange(parseTimeRange({ from: '+1s' })!, T)).toEqual({
      fromNs: T + 1_000_000_000n,
      toNs: 0xffffffffffffffffn,
    });
    expect(resolveTimeRange(parseTimeRange({ to: String(T) })!, undefined)).toEqual({ fromNs: 0n, toNs: T });
  });

  it('a time of day falls on the trace first day, or the next one for a trace that crosses midnight', () => {
    const spec = parseTimeRange({ from: '23:59:59', to: '00:00:05' })!;
    // The trace starts at 23:59:58 on the 23rd: 00:00:05 is the next morning, 23:59:59 that same evening.
    const start = 1732406400_000000000n - 2_000_000_000n;
    expect(resolveTimeRange(spec, start)).toEqual({
      fromNs: 1732406399_000000000n,
      toNs: 1732406405_000000000n,
    });
    // Within the first day, as written.
    expect(resolveTimeRange(parseTimeRange({ from: '00:00:00.000016006' })!, T - 16006n).fromNs).toBe(T);
  });
});
