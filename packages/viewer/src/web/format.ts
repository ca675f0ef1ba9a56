// How the page writes numbers and times. Bytes as sysdig's chisels write them (replay's formatBytes: the
// overview and the tables read like `-c topfiles_bytes`), durations as `-c topscalls_time`, times relative
// to the trace's first event.
import { formatBytes, formatTimeInterval } from '@scapkit/replay';
import type { Units } from '../model/specs.js';

export function formatValue(v: number, units: Units | undefined): string {
  switch (units) {
    case 'bytes':
      return formatBytes(v);
    case 'ns':
      return formatTimeInterval(v);
    default:
      return v.toLocaleString('en-US');
  }
}

/** ns relative to the first event, as "+12.345678s" (µs precision). */
export function formatRel(ns: number): string {
  return `+${(ns / 1e9).toFixed(6)}s`;
}

/** A duration for people: 1.2 s, 340 ms, 12 µs. */
export function formatDuration(ns: number): string {
  if (ns >= 1e9) return `${(ns / 1e9).toFixed(ns >= 1e10 ? 1 : 3)} s`;
  if (ns >= 1e6) return `${(ns / 1e6).toFixed(1)} ms`;
  if (ns >= 1e3) return `${(ns / 1e3).toFixed(1)} µs`;
  return `${ns} ns`;
}

/** Absolute ns (decimal string) plus a relative offset, as a UTC time of day with ns. */
export function formatClock(t0: string, rel: number): string {
  const abs = BigInt(t0) + BigInt(Math.round(rel));
  const ms = Number(abs / 1_000_000n);
  const ns = (abs % 1_000_000_000n).toString().padStart(9, '0');
  return `${new Date(ms).toISOString().slice(11, 19)}.${ns}`;
}
