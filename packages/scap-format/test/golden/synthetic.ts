// Test fixtures shared by the scapkit tests: events described as plain data (as the golden JSON files
// hold them), turned into EventBatches, and read back from a CaptureStream for comparison.
import {
  type CaptureMetadata,
  type CaptureRecord,
  type CaptureStream,
  type EventBatch,
  EventBatchBuilder,
  EventView,
  jsonSafe,
} from '../../src/index.js';

export interface PlainEvent {
  ts: string;
  tid: number;
  cpu: number;
  flags: number;
  type: number;
  /** Parameters as hex. */
  params: string[];
}

const fromHex = (h: string): Uint8Array => Uint8Array.from(Buffer.from(h, 'hex'));
const toHex = (b: Uint8Array): string => Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('hex');

/** Encodes events in the scap layout (u16 parameter lengths) into one batch. */
export function batchOf(events: readonly PlainEvent[]): EventBatch {
  const b = new EventBatchBuilder(256);
  for (const e of events) {
    const params = e.params.map(fromHex);
    const len = 26 + 2 * params.length + params.reduce((n, p) => n + p.length, 0);
    const at = b.reserve(len, e.cpu, e.flags);
    const dv = b.view;
    dv.setBigUint64(at, BigInt(e.ts), true);
    dv.setBigInt64(at + 8, BigInt(e.tid), true);
    dv.setUint32(at + 16, len, true);
    dv.setUint16(at + 20, e.type, true);
    dv.setUint32(at + 22, params.length, true);
    let p = at + 26 + 2 * params.length;
    params.forEach((x, i) => {
      dv.setUint16(at + 26 + 2 * i, x.length, true);
      b.buffer.set(x, p);
      p += x.length;
    });
  }
  return b.take();
}

/** Reads events back as plain data, parameters by the lengths in the event (not the schema). */
export function plainEvents(batch: EventBatch): PlainEvent[] {
  const v = new EventView();
  const out: PlainEvent[] = [];
  for (let i = 0; i < batch.count; i++) {
    v.at(batch, i);
    const n = v.nparams;
    const dv = new DataView(v.data.buffer, v.data.byteOffset, v.data.byteLength);
    const params: string[] = [];
    let p = v.off + 26 + 2 * n;
    for (let k = 0; k < n; k++) {
      const l = dv.getUint16(v.off + 26 + 2 * k, true);
      params.push(toHex(v.data.subarray(p, p + l)));
      p += l;
    }
    out.push({ ts: v.ts.toString(), tid: v.tid, cpu: v.cpu, flags: v.frameFlags, type: v.type, params });
  }
  return out;
}

/** Metadata in its on-disk shape (fd tables as [tid, fds] pairs), JSON-safe, for comparison. */
export function wireMetadata(m: CaptureMetadata): unknown {
  const { machine, threads, fds, users, groups, interfaces, containers } = m;
  return jsonSafe({ machine, threads, fds: [...fds], users, groups, interfaces, containers });
}

/** A checkpoint as plain data: its position, and its tables (wire shape) or what damaged it. */
export interface PlainCheckpoint {
  offset: number;
  eventsBefore: number;
  ts: string;
  firstTs: string;
  metadata?: unknown;
  damage?: string;
}

export interface Collected {
  header: Record<string, unknown> | null;
  version: string | null;
  metadata: unknown[];
  checkpoints: PlainCheckpoint[];
  events: PlainEvent[];
  batches: number;
  stats: unknown;
  error: unknown;
}

/** Drains a stream into plain data; the error it ends with (if any) is kept, not thrown. */
export async function collect(stream: CaptureStream): Promise<Collected> {
  const c: Collected = {
    header: null,
    version: null,
    metadata: [],
    checkpoints: [],
    events: [],
    batches: 0,
    stats: null,
    error: null,
  };
  try {
    for await (const r of stream as AsyncIterable<CaptureRecord>) {
      if (r.kind === 'header') {
        const { format: _f, version, ...rest } = r.header;
        c.version = version;
        c.header = jsonSafe(rest) as Record<string, unknown>;
      } else if (r.kind === 'metadata') c.metadata.push(wireMetadata(r.metadata));
      else if (r.kind === 'checkpoint') {
        const k = r.checkpoint;
        const plain: PlainCheckpoint = {
          offset: k.offset,
          eventsBefore: k.eventsBefore,
          ts: String(k.ts),
          firstTs: String(k.firstTs),
        };
        if (k.damage) plain.damage = k.damage.message;
        else plain.metadata = wireMetadata(k.metadata());
        c.checkpoints.push(plain);
      } else if (r.kind === 'events') {
        c.events.push(...plainEvents(r.batch));
        c.batches++;
      } else c.stats = jsonSafe(r.stats);
    }
  } catch (e) {
    c.error = e;
  }
  return c;
}

/** An async source that hands out `bytes` in pieces of `step` bytes. */
export async function* pieces(bytes: Uint8Array, step = bytes.length || 1): AsyncGenerator<Uint8Array> {
  for (let p = 0; p < bytes.length; p += step) yield bytes.slice(p, p + step);
}

/** An async source that hands out `bytes` split at the given offsets. */
export async function* splitAt(bytes: Uint8Array, cuts: readonly number[]): AsyncGenerator<Uint8Array> {
  let p = 0;
  for (const c of [...cuts].sort((a, b) => a - b)) {
    if (c > p && c < bytes.length) {
      yield bytes.slice(p, c);
      p = c;
    }
  }
  if (p < bytes.length) yield bytes.slice(p);
}

/** A deterministic pseudo-random generator (so failures reproduce). */
export function prng(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>> 0) / 4294967296;
  };
}
