// summarizeCapture: what `scapkit info` prints. One pass over any CaptureStream, reading only event
// headers; the result is JSON-safe (timestamps as decimal strings of ns).

import { ScapTruncatedError } from './errors.js';
import { EventView } from './event.js';
import type { CaptureMetadata } from './metadata.js';
import { EVENT_MAX, EVENTS } from './schema/index.js';
import type { CaptureHeader, CaptureStats, CaptureStream } from './source.js';

export interface CaptureSummary {
  format: string;
  version: string;
  /** Header fields other than format and version, made JSON-safe (bigints as decimal strings). */
  header: Record<string, unknown>;
  events: number;
  /** Events by type: `>name` for enter events, `<name` for exit events, `unknown(<id>)` otherwise. */
  eventsByType: Record<string, number>;
  /** Table sizes of the last metadata record (0 when the capture has none). */
  threads: number;
  fds: number;
  users: number;
  groups: number;
  interfaces: number;
  containers: number;
  metadataRecords: number;
  /** The checkpoints (scapkit v1.1), in file order; timestamps as decimal strings of ns. */
  checkpoints: CheckpointSummary[];
  /** Earliest and latest event timestamps, ns since the epoch as decimal strings; null without events. */
  firstTs: string | null;
  lastTs: string | null;
  /** Dropped events (sum over causes) from the capture's stats; 0 when it has none (sysdig files). */
  drops: number;
  dropsByCause: Record<string, number>;
  /** The capture's stats as written (scapkit files that were closed), JSON-safe. */
  stats: Record<string, unknown> | null;
  truncated: boolean;
  /** Byte offset where a truncated capture stops making sense. */
  truncatedAt?: number;
}

export interface CheckpointSummary {
  offset: number;
  eventsBefore: number;
  /** Latest timestamp of the events before it. */
  ts: string;
  /** Why it cannot be used, when it is damaged. */
  damage?: string;
}

/** Replaces bigints (and Maps) with JSON-safe values, recursively. */
export function jsonSafe(v: unknown): unknown {
  if (typeof v === 'bigint') return v.toString();
  if (v instanceof Map) return Object.fromEntries([...v].map(([k, x]) => [String(k), jsonSafe(x)]));
  if (Array.isArray(v)) return v.map(jsonSafe);
  if (v instanceof Uint8Array) return [...v];
  if (typeof v === 'object' && v !== null) {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) out[k] = jsonSafe(x);
    return out;
  }
  return v;
}

export async function summarizeCapture(stream: CaptureStream): Promise<CaptureSummary> {
  let header: CaptureHeader | undefined;
  let meta: CaptureMetadata | undefined;
  let metadataRecords = 0;
  const checkpoints: CheckpointSummary[] = [];
  let stats: CaptureStats | undefined;
  const byType = new Float64Array(65536);
  const view = new EventView();
  let events = 0;
  let minHi = 0xffffffff;
  let minLo = 0xffffffff;
  let maxHi = -1;
  let maxLo = 0;
  let truncatedAt: number | undefined;
  try {
    for await (const rec of stream) {
      if (rec.kind === 'header') header = rec.header;
      else if (rec.kind === 'metadata') {
        meta = rec.metadata;
        metadataRecords++;
      } else if (rec.kind === 'stats') stats = rec.stats;
      else if (rec.kind === 'checkpoint') {
        const c = rec.checkpoint;
        const item: CheckpointSummary = { offset: c.offset, eventsBefore: c.eventsBefore, ts: String(c.ts) };
        if (c.damage) item.damage = c.damage.message;
        checkpoints.push(item);
      } else {
        const b = rec.batch;
        for (let i = 0; i < b.count; i++) {
          view.at(b, i);
          const t = view.type;
          byType[t] = (byType[t] ?? 0) + 1; // a u16 type in a 65536-slot table
          const hi = view.tsHi;
          const lo = view.tsLo;
          if (hi < minHi || (hi === minHi && lo < minLo)) {
            minHi = hi;
            minLo = lo;
          }
          if (hi > maxHi || (hi === maxHi && lo > maxLo)) {
            maxHi = hi;
            maxLo = lo;
          }
        }
        events += b.count;
      }
    }
  } catch (e) {
    if (!(e instanceof ScapTruncatedError)) throw e;
    truncatedAt = e.offset;
  }
  const eventsByType: Record<string, number> = {};
  for (const [t, count] of byType.entries()) {
    if (count === 0) continue;
    const info = t < EVENT_MAX ? EVENTS[t] : undefined;
    eventsByType[info ? `${info.dir}${info.name}` : `unknown(${t})`] = count;
  }
  const ts = (hi: number, lo: number) => ((BigInt(hi) << 32n) | BigInt(lo)).toString();
  const dropsByCause: Record<string, number> = {};
  let drops = 0;
  for (const [k, v] of Object.entries(stats?.drops ?? {})) {
    if (typeof v !== 'number') continue;
    dropsByCause[k] = v;
    drops += v;
  }
  const { format = 'unknown', version = '', ...rest } = header ?? {};
  let fds = 0;
  for (const list of meta?.fds.values() ?? []) fds += list.length;
  const summary: CaptureSummary = {
    format: String(format),
    version: String(version),
    header: jsonSafe(rest) as Record<string, unknown>,
    events,
    eventsByType,
    threads: meta?.threads.length ?? 0,
    fds,
    users: meta?.users.length ?? 0,
    groups: meta?.groups.length ?? 0,
    interfaces: meta?.interfaces.length ?? 0,
    containers: meta?.containers.length ?? 0,
    metadataRecords,
    checkpoints,
    firstTs: events ? ts(minHi, minLo) : null,
    lastTs: events ? ts(maxHi, maxLo) : null,
    drops,
    dropsByCause,
    stats: stats ? (jsonSafe(stats) as Record<string, unknown>) : null,
    truncated: truncatedAt !== undefined,
  };
  if (truncatedAt !== undefined) summary.truncatedAt = truncatedAt;
  return summary;
}
