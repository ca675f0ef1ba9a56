// EventBatch: the one representation of events end to end (probe, readers, writer, pipeline). Events
// stay in the scap event layout, back to back, each behind a 4-byte frame; nothing is decoded here.
//
//   frame:  u16 cpu | u16 flags          (flags: FRAME_STATE_ONLY, other bits reserved, 0)
//   event:  u64 ts | u64 tid | u32 len | u16 type | u32 nparams | len[nparams] | params   (len counts from ts)
//
// A batch is a block of such framed events plus the offset of each event header. The scapkit file stores
// a batch's bytes as a chunk body, and the probe's addon fills batches with the same layout.

export const FRAME_SIZE = 4;
export const EVENT_HEADER_SIZE = 26;
/** Byte offsets of the event header's fields, from the header's start (the same in the v1 header). */
export const EV_TS = 0;
export const EV_TID = 8;
export const EV_LEN = 16;
export const EV_TYPE = 20;
/** Absent from the v1 header, whose parameter lengths start here. */
export const EV_NPARAMS = 22;
/** The old (scap v1 block) header without nparams; only readers of old sysdig files meet it. */
export const EVENT_HEADER_SIZE_V1 = 22;
/** Frame flag: the event updates state but is not shown (sysdig's SCAP_DF_STATE_ONLY). */
export const FRAME_STATE_ONLY = 1;

export interface EventBatch {
  /** Framed events, back to back. May be a view into a larger buffer. */
  readonly data: Uint8Array;
  /** Byte offset in `data` of each event's header (its frame is the 4 bytes before). */
  readonly offsets: Uint32Array;
  /** Number of events (`offsets` may be longer). */
  readonly count: number;
}

/** Offset in `data` of event `i`'s header; a RangeError for an index outside the batch. */
export function batchEventOffset(batch: EventBatch, i: number): number {
  const off = i < batch.count ? batch.offsets[i] : undefined;
  if (off === undefined) throw new RangeError(`event ${i} of a batch of ${batch.count}`);
  return off;
}

/** The timestamp (ns since the epoch) of event `i` of a batch. */
export function batchEventTs(batch: EventBatch, i: number): bigint {
  const d = batch.data;
  return new DataView(d.buffer, d.byteOffset, d.byteLength).getBigUint64(batchEventOffset(batch, i), true);
}

/**
 * Where a batch's events lie in its data: from the first event's frame to the end of the last event
 * (`start === end` for an empty batch). Probe batches, capture-filter output and -n prefixes hold their
 * events back to back, so this is all their bytes, even when `data` is a larger buffer.
 */
export function batchSpan(batch: EventBatch): { start: number; end: number } {
  if (batch.count === 0) return { start: 0, end: 0 };
  const last = batchEventOffset(batch, batch.count - 1);
  const d = batch.data;
  const len = new DataView(d.buffer, d.byteOffset, d.byteLength).getUint32(last + EV_LEN, true);
  return { start: batchEventOffset(batch, 0) - FRAME_SIZE, end: last + len };
}

/**
 * A batch's events copied into buffers of their own (the source's buffer may be reused), offsets from 0;
 * both buffers can be transferred to a worker.
 */
export function copyBatch(batch: EventBatch): EventBatch & {
  data: Uint8Array<ArrayBuffer>;
  offsets: Uint32Array<ArrayBuffer>;
} {
  const { start, end } = batchSpan(batch);
  const data = batch.data.slice(start, end);
  const offsets = batch.offsets.slice(0, batch.count).map((o) => o - start);
  return { data, offsets, count: batch.count };
}

/** Scans framed events (as written by EventBatchBuilder or stored in a chunk) into a batch. */
export function batchFromFramed(data: Uint8Array, maxEvents = Number.POSITIVE_INFINITY): EventBatch {
  const dv = new DataView(data.buffer, data.byteOffset, data.byteLength);
  let offsets = new Uint32Array(Math.max(16, Math.min(1 << 20, data.byteLength >>> 6)));
  let n = 0;
  let p = 0;
  while (p + FRAME_SIZE + EVENT_HEADER_SIZE <= data.byteLength && n < maxEvents) {
    const len = dv.getUint32(p + FRAME_SIZE + EV_LEN, true);
    if (len < EVENT_HEADER_SIZE || p + FRAME_SIZE + len > data.byteLength) break;
    if (n === offsets.length) {
      const grown = new Uint32Array(offsets.length * 2);
      grown.set(offsets);
      offsets = grown;
    }
    offsets[n++] = p + FRAME_SIZE;
    p += FRAME_SIZE + len;
  }
  return { data, offsets, count: n };
}

/**
 * Accumulates framed events into one growing buffer. `take()` hands out the batch so far and starts a new
 * one; buffers are never reused after being handed out, so a consumer may keep a batch.
 */
export class EventBatchBuilder {
  private buf: Uint8Array;
  private dv: DataView;
  private offs: Uint32Array;
  private n = 0;
  private used = 0;

  constructor(initialBytes = 1 << 16) {
    this.buf = new Uint8Array(initialBytes);
    this.dv = new DataView(this.buf.buffer);
    this.offs = new Uint32Array(Math.max(16, initialBytes >>> 6));
  }

  get count(): number {
    return this.n;
  }
  get byteLength(): number {
    return this.used;
  }

  /**
   * Reserves room for one event of `eventLen` bytes (header included), writes its frame, and returns the
   * offset of the event header in `buffer` for the caller to fill. `buffer` may change after each call.
   */
  reserve(eventLen: number, cpu: number, flags = 0): number {
    const need = this.used + FRAME_SIZE + eventLen;
    if (need > this.buf.length) this.grow(need);
    if (this.n === this.offs.length) {
      const o = new Uint32Array(this.offs.length * 2);
      o.set(this.offs);
      this.offs = o;
    }
    this.dv.setUint16(this.used, cpu, true);
    this.dv.setUint16(this.used + 2, flags, true);
    const at = this.used + FRAME_SIZE;
    this.offs[this.n++] = at;
    this.used = need;
    return at;
  }

  /** Appends an event already in the 26-byte-header layout. */
  append(event: Uint8Array, cpu: number, flags = 0): void {
    const at = this.reserve(event.length, cpu, flags);
    this.buf.set(event, at);
  }

  get buffer(): Uint8Array {
    return this.buf;
  }
  get view(): DataView {
    return this.dv;
  }

  /** The events so far as a batch; the builder starts empty again. */
  take(): EventBatch {
    const batch: EventBatch = { data: this.buf.subarray(0, this.used), offsets: this.offs, count: this.n };
    this.buf = new Uint8Array(this.buf.length);
    this.dv = new DataView(this.buf.buffer);
    this.offs = new Uint32Array(this.offs.length);
    this.n = 0;
    this.used = 0;
    return batch;
  }

  /**
   * The events so far as a batch over the builder's own buffers, which the next event written reuses: the
   * batch is valid only until then. For a consumer that is done with each batch before the next one is
   * built (a reader's `reuseBatchBuffers`); it saves allocating and zeroing a buffer per batch.
   */
  takeReusing(): EventBatch {
    const batch: EventBatch = { data: this.buf.subarray(0, this.used), offsets: this.offs, count: this.n };
    this.n = 0;
    this.used = 0;
    return batch;
  }

  private grow(need: number): void {
    let size = this.buf.length * 2;
    while (size < need) size *= 2;
    const b = new Uint8Array(size);
    b.set(this.buf.subarray(0, this.used));
    this.buf = b;
    this.dv = new DataView(b.buffer);
  }
}
