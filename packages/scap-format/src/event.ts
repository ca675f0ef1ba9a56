// EventView: a reusable, allocation-free window on one event inside an EventBatch. Header fields are read
// in place (the type once, since every consumer asks for it); parameter offsets are found only when a
// parameter is first asked for.
import { EV_NPARAMS, EV_TYPE, EVENT_HEADER_SIZE, type EventBatch, FRAME_SIZE } from './batch.js';
import { EVENT_MAX, EVENTS, type EventInfo } from './schema/index.js';

const TWO32 = 4294967296;
const utf8 = new TextDecoder('utf-8', { fatal: false });

/**
 * The text of a string parameter's `len` bytes at `off`: up to its first NUL (the kernel's strings end in
 * one; a cut one may not), decoded as UTF-8. What `EventView.paramString` returns.
 */
export function cString(data: Uint8Array, off: number, len: number): string {
  let end = off + len;
  for (let p = off; p < end; p++) {
    if (data[p] === 0) {
      end = p;
      break;
    }
  }
  return utf8.decode(data.subarray(off, end));
}

// Per event id, what locating parameters needs of the schema, without an object lookup per event.
const TABLE_NPARAMS = new Int32Array(EVENT_MAX);
const TABLE_WIDE = new Uint8Array(EVENT_MAX);
for (let t = 0; t < EVENT_MAX; t++) {
  const info = EVENTS[t] as EventInfo;
  TABLE_NPARAMS[t] = info.paramCount;
  TABLE_WIDE[t] = info.largePayload ? 1 : 0;
}

export class EventView {
  /** The batch bytes the view is on. */
  data: Uint8Array = new Uint8Array(0);
  /** Offset of the event header in `data`. */
  off = 0;
  /** The event type, read when the view moves (every consumer asks for it, most more than once). */
  private t = 0;
  private dv: DataView = new DataView(new ArrayBuffer(0));
  private nParamsPresent = -1;
  private poff = new Uint32Array(64);
  private plen = new Uint32Array(64);

  /** Moves the view to event `i` of `batch`. */
  at(batch: EventBatch, i: number): this {
    const off = batch.offsets[i];
    if (off === undefined) throw new RangeError(`event ${i} of a batch of ${batch.count}`);
    return this.atOffset(batch.data, off);
  }

  /** Moves the view to the event whose header is at `off` in `data` (a 4-byte frame precedes it). */
  atOffset(data: Uint8Array, off: number): this {
    if (data !== this.data) {
      this.data = data;
      this.dv = new DataView(data.buffer, data.byteOffset, data.byteLength);
    }
    this.off = off;
    this.nParamsPresent = -1;
    this.t = this.dv.getUint16(off + EV_TYPE, true);
    return this;
  }

  get cpu(): number {
    return this.dv.getUint16(this.off - FRAME_SIZE, true);
  }
  /** Frame flags (FRAME_STATE_ONLY, …). */
  get frameFlags(): number {
    return this.dv.getUint16(this.off - FRAME_SIZE + 2, true);
  }
  /** Timestamp, ns since the epoch. Allocates a bigint: prefer tsHi/tsLo in hot paths. */
  get ts(): bigint {
    return this.dv.getBigUint64(this.off, true);
  }
  get tsLo(): number {
    return this.dv.getUint32(this.off, true);
  }
  get tsHi(): number {
    return this.dv.getUint32(this.off + 4, true);
  }
  /** Timestamp as a double (ns; exact to about 256 ns at today's epoch): for ordering and rates, not output. */
  get tsApprox(): number {
    return this.tsHi * TWO32 + this.tsLo;
  }
  /** Thread id; -1 for meta events. */
  get tid(): number {
    const lo = this.dv.getUint32(this.off + 8, true);
    const hi = this.dv.getInt32(this.off + 12, true);
    // A small integer for every real tid: the product is a double, which became a heap number per event
    // wherever the getter was not inlined (3% of the state engine's samples).
    return hi === 0 && lo <= 0x7fffffff ? lo | 0 : hi * TWO32 + lo;
  }
  /** Total length of the event, header included. */
  get len(): number {
    return this.dv.getUint32(this.off + 16, true);
  }
  /** The event type: its id in the event table. */
  get type(): number {
    return this.t;
  }
  /** nparams as written in the header. */
  get nparams(): number {
    return this.dv.getUint32(this.off + 22, true);
  }
  /** Schema of this event type, or undefined for a type the table does not know. */
  get info(): EventInfo | undefined {
    const t = this.type;
    return t < EVENT_MAX ? EVENTS[t] : undefined;
  }
  /** The whole event (header included) as a view into the batch. */
  bytes(): Uint8Array {
    return this.data.subarray(this.off, this.off + this.len);
  }

  /** Number of parameters present: min(header nparams, the table's count); all of them for unknown types. */
  paramCount(): number {
    if (this.nParamsPresent < 0) this.locateParams();
    return this.nParamsPresent;
  }

  /** Index of a parameter by name in this event type, or -1 (also when absent from this event). */
  paramIndex(name: string): number {
    const info = this.info;
    const i = info ? (info.paramIndex.get(name) ?? -1) : -1;
    return i >= 0 && i < this.paramCount() ? i : -1;
  }

  /** Absolute offset of parameter i in `data`. */
  paramOffset(i: number): number {
    if (this.nParamsPresent < 0) this.locateParams();
    return this.poff[i] ?? 0; // an index past every table: 0, whose paramLength is 0 too
  }
  paramLength(i: number): number {
    if (this.nParamsPresent < 0) this.locateParams();
    return i < this.nParamsPresent ? (this.plen[i] ?? 0) : 0;
  }
  /** Parameter bytes as a view into the batch (no copy). */
  paramBytes(i: number): Uint8Array {
    const o = this.paramOffset(i);
    return this.data.subarray(o, o + this.paramLength(i));
  }

  // Fixed-width readers. They read what the parameter holds; a caller checks paramLength where it matters.
  paramU8(i: number): number {
    return this.dv.getUint8(this.paramOffset(i));
  }
  paramI8(i: number): number {
    return this.dv.getInt8(this.paramOffset(i));
  }
  paramU16(i: number): number {
    return this.dv.getUint16(this.paramOffset(i), true);
  }
  paramI16(i: number): number {
    return this.dv.getInt16(this.paramOffset(i), true);
  }
  paramU32(i: number): number {
    return this.dv.getUint32(this.paramOffset(i), true);
  }
  paramI32(i: number): number {
    return this.dv.getInt32(this.paramOffset(i), true);
  }
  /** A signed 64-bit parameter as a number (exact within ±2^53: fds, tids, errnos, sizes). */
  paramI64(i: number): number {
    const o = this.paramOffset(i);
    return this.dv.getInt32(o + 4, true) * TWO32 + this.dv.getUint32(o, true);
  }
  /** An unsigned 64-bit parameter as a number (exact below 2^53). */
  paramU64(i: number): number {
    const o = this.paramOffset(i);
    return this.dv.getUint32(o + 4, true) * TWO32 + this.dv.getUint32(o, true);
  }
  paramBigU64(i: number): bigint {
    return this.dv.getBigUint64(this.paramOffset(i), true);
  }
  paramBigI64(i: number): bigint {
    return this.dv.getBigInt64(this.paramOffset(i), true);
  }
  paramF64(i: number): number {
    return this.dv.getFloat64(this.paramOffset(i), true);
  }
  /** A NUL-terminated string parameter (CHARBUF, FSPATH, FSRELPATH), without its NUL. */
  paramString(i: number): string {
    return cString(this.data, this.paramOffset(i), this.paramLength(i));
  }

  private locateParams(): void {
    const t = this.t;
    const dv = this.dv;
    const off = this.off;
    const hdrN = dv.getUint32(off + EV_NPARAMS, true);
    const known = t < EVENT_MAX;
    const n = known ? Math.min(hdrN, TABLE_NPARAMS[t] ?? 0) : hdrN;
    const wide = known && TABLE_WIDE[t] === 1;
    const end = off + this.len;
    // Lengths of all hdrN params are present even when only the first n are known.
    let p = off + EVENT_HEADER_SIZE + hdrN * (wide ? 4 : 2);
    if (p > end) {
      this.nParamsPresent = 0; // the length array itself overruns the event
      return;
    }
    if (n > this.poff.length) {
      this.poff = new Uint32Array(n);
      this.plen = new Uint32Array(n);
    }
    const poff = this.poff;
    const plen = this.plen;
    let q = off + EVENT_HEADER_SIZE;
    let present = n;
    for (let k = 0; k < n; k++) {
      let l: number;
      if (wide) {
        l = dv.getUint32(q, true);
        q += 4;
      } else {
        l = dv.getUint16(q, true);
        q += 2;
      }
      if (p + l > end) {
        // A parameter that overruns its event: keep the ones before it (readers validate; this guards views).
        present = k;
        break;
      }
      poff[k] = p;
      plen[k] = l;
      p += l;
    }
    this.nParamsPresent = present;
  }
}
