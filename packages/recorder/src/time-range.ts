// `--from` and `--to`: a time range of a capture, in the forms people copy from sysdig's output or type
// by hand. Parsing checks the text alone (a usage error, exit 2, before anything is read); times relative
// to the trace, or given as a time of day, become nanoseconds since the epoch once the trace's first
// event is known.
import { formatDateTime, type TimeRange } from '@scapkit/replay';
import { UsageError } from './exit.js';
import { TIME_FORMS, TIME_RANGE_FLAGS, yargsOptions } from './flags.js';

export interface TimeRangeArgs {
  from?: string;
  to?: string;
}

/** The option definitions, for a command's yargs builder (declared in flags.ts with the others). */
export const TIME_RANGE_OPTIONS = yargsOptions(TIME_RANGE_FLAGS);
export { TIME_FORMS };

/** A parsed bound, resolved against the trace once its first event is known. */
export type TimeBound =
  | { kind: 'epoch'; ns: bigint }
  /** From the trace's first event (what evt.reltime counts from). */
  | { kind: 'relative'; ns: bigint }
  /** Local time of day, on the trace's first day. */
  | { kind: 'timeOfDay'; ns: bigint };

export interface TimeRangeSpec {
  from?: TimeBound;
  to?: TimeBound;
  /** As typed, for messages. */
  fromText?: string;
  toText?: string;
}

const NS_PER_S = 1_000_000_000n;
const UNITS: Record<string, bigint> = {
  ns: 1n,
  us: 1_000n,
  µs: 1_000n,
  ms: 1_000_000n,
  s: NS_PER_S,
  m: 60n * NS_PER_S,
  h: 3600n * NS_PER_S,
};
const RELATIVE = /^\+((?:\d+(?:\.\d+)?(?:ns|us|µs|ms|s|m|h))+)$/;
const RELATIVE_PART = /(\d+)(?:\.(\d+))?(ns|us|µs|ms|s|m|h)/g;
const TIME_OF_DAY = /^(\d{1,2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?$/;
const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(Z|[+-]\d{2}:?\d{2})?$/;

/** Reads `--from`/`--to`; throws UsageError (with the accepted forms) for text that is no time. */
export function parseTimeRange(args: TimeRangeArgs): TimeRangeSpec | undefined {
  if (args.from === undefined && args.to === undefined) return undefined;
  const spec: TimeRangeSpec = {};
  if (args.from !== undefined) {
    spec.from = parseTimeBound('--from', args.from);
    spec.fromText = args.from;
  }
  if (args.to !== undefined) {
    spec.to = parseTimeBound('--to', args.to);
    spec.toText = args.to;
  }
  // Bounds of one kind compare before the trace is read; mixed kinds once they are resolved.
  if (
    spec.from &&
    spec.to &&
    spec.from.kind === spec.to.kind &&
    spec.from.kind !== 'timeOfDay' &&
    spec.from.ns > spec.to.ns
  )
    throw reversed(spec);
  return spec;
}

/** One bound; throws UsageError naming the flag and the accepted forms. */
export function parseTimeBound(flag: string, text: string): TimeBound {
  const s = text.trim();
  const rel = RELATIVE.exec(s);
  if (rel) {
    let ns = 0n;
    for (const [, whole = '0', frac = '', unit = ''] of (rel[1] ?? '').matchAll(RELATIVE_PART)) {
      const u = UNITS[unit];
      if (u === undefined) throw new UsageError(`${flag} '${text}' is not a time. Give ${TIME_FORMS}.`);
      ns += BigInt(whole) * u + fraction(frac, u);
    }
    return { kind: 'relative', ns };
  }
  if (/^\d+$/.test(s)) return { kind: 'epoch', ns: BigInt(s) };
  const secs = /^(\d+)\.(\d{1,9})$/.exec(s);
  if (secs) {
    const [, whole = '0', frac = ''] = secs;
    return { kind: 'epoch', ns: BigInt(whole) * NS_PER_S + fraction(frac, NS_PER_S) };
  }
  const tod = TIME_OF_DAY.exec(s);
  if (tod) {
    const [h, m, sec] = [Number(tod[1]), Number(tod[2]), Number(tod[3])];
    if (h < 24 && m < 60 && sec < 60) {
      const ns = BigInt((h * 60 + m) * 60 + sec) * NS_PER_S + fraction(tod[4] ?? '', NS_PER_S);
      return { kind: 'timeOfDay', ns };
    }
  }
  const dt = DATE_TIME.exec(s);
  if (dt) {
    const [y, mo, d, h, mi, sec] = dt.slice(1, 7).map(Number) as [
      number,
      number,
      number,
      number,
      number,
      number,
    ];
    const zone = dt[8];
    const ms = zone
      ? Date.UTC(y, mo - 1, d, h, mi, sec) - zoneOffsetMs(zone)
      : new Date(y, mo - 1, d, h, mi, sec).getTime();
    const valid = new Date(Date.UTC(y, mo - 1, d)).getUTCDate() === d && mo >= 1 && mo <= 12 && h < 24;
    if (valid && Number.isFinite(ms) && mi < 60 && sec < 60 && ms >= 0) {
      return { kind: 'epoch', ns: BigInt(ms) * 1_000_000n + fraction(dt[7] ?? '', NS_PER_S) };
    }
  }
  throw new UsageError(`${flag} '${text}' is not a time. Give ${TIME_FORMS}.`);
}

/** `digits` read as the fraction of one `unit` (".5" of 1 s = 500000000 ns), cut to whole ns. */
function fraction(digits: string, unit: bigint): bigint {
  if (digits === '') return 0n;
  return (BigInt(digits) * unit) / 10n ** BigInt(digits.length);
}

function zoneOffsetMs(zone: string): number {
  if (zone === 'Z') return 0;
  const sign = zone[0] === '-' ? -1 : 1;
  const digits = zone.slice(1).replace(':', '');
  return sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2))) * 60_000;
}

/**
 * The range in ns since the epoch, given the trace's first event (needed only by relative and time-of-day
 * bounds; `firstTs` undefined means the trace has no event, and such bounds then match nothing). Throws
 * UsageError when `--from` comes after `--to`.
 */
export function resolveTimeRange(spec: TimeRangeSpec, firstTs: bigint | undefined): TimeRange {
  const at = (b: TimeBound | undefined, dflt: bigint): bigint => {
    if (!b) return dflt;
    if (b.kind === 'epoch') return b.ns;
    if (firstTs === undefined) return dflt;
    if (b.kind === 'relative') return firstTs + b.ns;
    return onTraceDay(b.ns, firstTs);
  };
  const range = { fromNs: at(spec.from, 0n), toNs: at(spec.to, 0xffffffffffffffffn) };
  if (range.fromNs > range.toNs) throw reversed(spec, range);
  return range;
}

const HALF_DAY = 12n * 3600n * NS_PER_S;

/**
 * A local time of day on the day of `firstTs`, or on the next day when that falls more than 12 hours
 * before the trace starts (a trace that crosses midnight).
 */
function onTraceDay(todNs: bigint, firstTs: bigint): bigint {
  const first = new Date(Number(firstTs / 1_000_000n));
  const midnight = new Date(first.getFullYear(), first.getMonth(), first.getDate()).getTime();
  let ns = BigInt(midnight) * 1_000_000n + todNs;
  if (ns < firstTs - HALF_DAY) {
    const next = new Date(first.getFullYear(), first.getMonth(), first.getDate() + 1).getTime();
    ns = BigInt(next) * 1_000_000n + todNs;
  }
  return ns;
}

function reversed(spec: TimeRangeSpec, range?: TimeRange): UsageError {
  const resolved = range ? ` (${formatDateTime(range.fromNs)} after ${formatDateTime(range.toNs)})` : '';
  return new UsageError(
    `--from '${spec.fromText}' comes after --to '${spec.toText}'${resolved}: give the earlier time to --from. ` +
      `Each takes ${TIME_FORMS}.`,
  );
}
