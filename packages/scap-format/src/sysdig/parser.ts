// The sysdig/Falco .scap block parser: decompressed bytes pushed in, CaptureRecords pulled out (the shape of
// scapkit/scanner.ts). A short read is a state: a record is handed out only once its block is complete.
// Layout: reference/SCAP_FORMAT.md.
//
// Contract (docs/DEVELOPING.md, "Events keep the ids they were recorded with"): events are copied as
// recorded. Old 22-byte headers are only widened to 26 bytes with nparams inferred as libscap does; no
// event is renumbered, no parameter added or dropped, and events of types unknown to the table are kept.
import { EVENT_HEADER_SIZE, EVENT_HEADER_SIZE_V1, type EventBatch, EventBatchBuilder } from '../batch.js';
import { ScapFormatError, ScapTruncatedError } from '../errors.js';
import { type CaptureMetadata, emptyMetadata } from '../metadata.js';
import { EVENTS, type EventInfo } from '../schema/index.js';
import type { CaptureRecord } from '../source.js';
import {
  BT,
  EVB_FLAGS,
  EVB_LARGE,
  EVB_V2,
  eventBlockKind,
  plVersion,
  SHB_MAGIC,
  SHB_MAGIC_SWAPPED,
} from './blocks.js';
import { Cursor } from './cursor.js';
import { readFdList, readInterfaceList, readMachineInfo, readProcList, readUserList } from './meta-read.js';

export interface SysdigParserOptions {
  /** An event batch is handed out once it holds this many bytes (default 256 KiB). */
  batchBytes?: number;
  /** Largest accepted *_LARGE event block (default 64 MiB). */
  maxLargeEventBytes?: number;
  /**
   * Largest accepted metadata block, e.g. a process list (default 32 MiB). Real captures' largest blocks
   * take a few hundred KB (a few MB on a busy box); the reader holds a block whole, in a buffer that grows
   * by doubling, so this bounds its memory (a gzip file of 255 KB can declare and fill a 256 MiB block).
   * Raise it for a capture of a box with huge tables.
   */
  maxMetadataBlockBytes?: number;
  /** Largest accepted decompressed stream (default: no limit; memory stays bounded by the largest block). */
  maxTotalBytes?: number;
  /**
   * Build every batch in the same buffer (default false): an `events` record is then valid only until the
   * next record is asked for. For consumers that keep nothing of a batch (the replay printer): no buffer
   * is allocated per batch, and memory does not depend on how long the capture is.
   */
  reuseBatchBuffers?: boolean;
}

/** Default of SysdigParserOptions.maxMetadataBlockBytes. */
const DEFAULT_MAX_METADATA_BLOCK = 32 << 20;
/** libscap refuses non-LARGE event blocks whose body (with trailer) exceeds its 64 KiB read buffer. */
const MAX_EVENT_BLOCK_BODY = 65536;
/** The most parameters an event of a type unknown to the table may be inferred to have (PPM_MAX_EVENT_PARAMS). */
const MAX_INFERRED_PARAMS = 32;
const PPME_NOTIFICATION_E = 280;
const PPME_INFRASTRUCTURE_EVENT_E = 286;

const NEED_MORE = 0;
const HAVE_RECORD = 1;

// Per-type facts for the hot path, looked up by event id: u32 (LARGE) length arrays, table param count.
const LEN_WIDTH = new Uint8Array(65536).fill(2);
const TABLE_NPARAMS = new Int16Array(65536).fill(-1);
for (let t = 0; t < EVENTS.length; t++) {
  const info = EVENTS[t] as EventInfo;
  if (info.largePayload) LEN_WIDTH[t] = 4;
  TABLE_NPARAMS[t] = info.paramCount;
}

/**
 * Block parser over a growing byte window. Fed decompressed chunks; hands out records as soon as they are
 * complete. Batch boundaries depend only on the bytes, not on how they were chunked.
 */
export class SysdigParser {
  private buf = new Uint8Array(1 << 16);
  private dv = new DataView(this.buf.buffer);
  private pos = 0;
  private end = 0;
  /** Absolute offset of buf[0] in the decompressed stream. */
  private base = 0;
  private readonly out: CaptureRecord[] = [];
  private builder: EventBatchBuilder;
  private readonly batchBytes: number;
  private readonly builderBytes: number;
  private readonly maxLarge: number;
  private readonly maxMeta: number;
  private readonly maxTotal: number;
  private readonly reuse: boolean;

  private sawShb = false;
  private meta: CaptureMetadata = emptyMetadata();
  private metaOut = false;
  private sectionEvents = 0;
  private overLimit = false;

  constructor(
    private readonly gzip: boolean,
    opts: SysdigParserOptions,
  ) {
    this.batchBytes = Math.max(4096, opts.batchBytes ?? 256 << 10);
    this.maxLarge = opts.maxLargeEventBytes ?? 64 << 20;
    this.maxMeta = opts.maxMetadataBlockBytes ?? DEFAULT_MAX_METADATA_BLOCK;
    this.maxTotal = opts.maxTotalBytes ?? Number.POSITIVE_INFINITY;
    this.reuse = opts.reuseBatchBuffers ?? false;
    this.builderBytes = this.batchBytes + 2 * MAX_EVENT_BLOCK_BODY;
    this.builder = new EventBatchBuilder(this.builderBytes);
  }

  /** Appends a chunk; memory grows only with bytes that actually arrived, never with a claimed length. */
  push(input: Uint8Array): void {
    let chunk = input;
    let n = chunk.length;
    if (n === 0) return;
    const room = this.maxTotal - (this.base + this.end);
    if (n > room) {
      // Over the cap: keep the bytes within it (their complete events are still delivered), then fail.
      n = Math.max(0, room);
      chunk = chunk.subarray(0, n);
      this.overLimit = true;
    }
    if (this.end + n > this.buf.length) {
      const live = this.end - this.pos;
      if (live + n <= this.buf.length && this.pos > 0) {
        this.buf.copyWithin(0, this.pos, this.end);
      } else {
        let size = this.buf.length;
        while (size < live + n) size *= 2;
        const b = new Uint8Array(size);
        b.set(this.buf.subarray(this.pos, this.end));
        this.buf = b;
        this.dv = new DataView(b.buffer);
      }
      this.base += this.pos;
      this.end = live;
      this.pos = 0;
    }
    this.buf.set(chunk, this.end);
    this.end += n;
  }

  /** Next ready record, or undefined when more input is needed. */
  next(): CaptureRecord | undefined {
    if (this.out.length === 0 && this.step() === NEED_MORE) {
      if (this.overLimit) {
        throw new ScapFormatError(
          `decompressed stream exceeds the ${this.maxTotal}-byte limit`,
          this.maxTotal,
        );
      }
      return undefined;
    }
    return this.out.shift();
  }

  /** Every record still held: at the end of input, or before an error, so no complete event is lost. */
  salvage(): CaptureRecord[] {
    const rest = this.out.splice(0);
    if (this.sawShb && !this.metaOut) {
      rest.push({ kind: 'metadata', metadata: this.meta });
      this.metaOut = true;
    }
    if (this.builder.count > 0) rest.push({ kind: 'events', batch: this.takeBatch() });
    return rest;
  }

  /** At the end of input: why it is not a complete capture, or undefined when it is. */
  endError(): ScapTruncatedError | undefined {
    const at = this.base + this.pos;
    const left = this.end - this.pos;
    if (!this.sawShb) return new ScapTruncatedError('input ends before the section header block', at, left);
    if (left > 0)
      return new ScapTruncatedError(`input ends inside a block (${left} bytes of it present)`, at, left);
    // libscap refuses a section with no event block ("no events in file"): the file was cut before them.
    if (this.sectionEvents === 0)
      return new ScapTruncatedError('input ends before the first event block', at, 0);
    return undefined;
  }

  /** The batch so far. A builder that grew for a LARGE event is replaced, or each later batch would be as big. */
  private takeBatch(): EventBatch {
    // Records are built only once every record before them was taken (next() steps on an empty queue).
    const batch = this.reuse ? this.builder.takeReusing() : this.builder.take();
    if (this.builder.buffer.length > 2 * this.builderBytes)
      this.builder = new EventBatchBuilder(this.builderBytes);
    return batch;
  }

  private fail(msg: string, at: number): never {
    throw new ScapFormatError(msg, this.base + at);
  }

  private step(): number {
    const buf = this.buf;
    const dv = this.dv;
    for (;;) {
      const pos = this.pos;
      const avail = this.end - pos;
      if (!this.sawShb && avail >= 4 && dv.getUint32(pos, true) !== BT.SHB) {
        this.fail('not a sysdig capture: no section header block (0A 0D 0D 0A) at the start', pos);
      }
      if (avail < 8) return NEED_MORE;
      const bt = dv.getUint32(pos, true);
      const total = dv.getUint32(pos + 4, true);
      const kind = eventBlockKind(bt);
      if (kind >= 0) {
        if (kind & EVB_LARGE) {
          if (total > this.maxLarge)
            this.fail(`LARGE event block of ${total} bytes exceeds the ${this.maxLarge}-byte limit`, pos + 4);
        } else if (total - 8 > MAX_EVENT_BLOCK_BODY) {
          this.fail(`event block of ${total} bytes exceeds libscap's 64 KiB limit`, pos + 4);
        }
      } else if (total > this.maxMeta) {
        this.fail(`block of ${total} bytes exceeds the ${this.maxMeta}-byte limit`, pos + 4);
      }
      if (total < 12) this.fail(`block length ${total} is below the 12-byte minimum`, pos + 4);
      if (avail < total) return NEED_MORE;
      const trailer = dv.getUint32(pos + total - 4, true);
      if (trailer !== total) {
        this.fail(
          `wrong block total length, header=${total}, trailer=${trailer} (block type 0x${bt.toString(16)})`,
          pos + total - 4,
        );
      }

      if (kind >= 0) {
        if (!this.metaOut) {
          this.out.push({ kind: 'metadata', metadata: this.meta });
          this.metaOut = true;
        }
        this.readEvent(buf, dv, pos, total, kind);
        this.pos = pos + total;
        if (this.builder.byteLength >= this.batchBytes)
          this.out.push({ kind: 'events', batch: this.takeBatch() });
        if (this.out.length > 0) return HAVE_RECORD;
        continue;
      }

      if (bt === BT.SHB) {
        this.readShb(pos, total);
        this.pos = pos + total;
        if (this.out.length > 0) return HAVE_RECORD;
        continue;
      }
      this.readMetaBlock(bt, pos, total);
      this.pos = pos + total;
    }
  }

  private readShb(pos: number, total: number): void {
    if (total < 28) this.fail(`section header block of ${total} bytes is below 28`, pos + 4);
    const magic = this.dv.getUint32(pos + 8, true);
    if (magic === SHB_MAGIC_SWAPPED)
      this.fail('big-endian capture (byte-order magic 0x4D3C2B1A) is not supported', pos + 8);
    if (magic !== SHB_MAGIC) this.fail(`invalid byte-order magic 0x${magic.toString(16)}`, pos + 8);
    const major = this.dv.getUint16(pos + 12, true);
    const minor = this.dv.getUint16(pos + 14, true);
    if (major > 1) this.fail(`section header version ${major}.${minor} is newer than 1.x`, pos + 12);
    // Bytes between the 16-byte body and the trailer are pcapng options (editcap adds comments): skipped,
    // as current libs does.
    if (!this.sawShb) {
      this.sawShb = true;
      this.out.push({
        kind: 'header',
        header: { format: 'sysdig', version: `${major}.${minor}`, gzip: this.gzip },
      });
      return;
    }
    // A new section: hand out what the previous one held, then start with empty tables.
    if (!this.metaOut) this.out.push({ kind: 'metadata', metadata: this.meta });
    if (this.builder.count > 0) this.out.push({ kind: 'events', batch: this.takeBatch() });
    this.meta = emptyMetadata();
    this.metaOut = false;
    this.sectionEvents = 0;
  }

  private readMetaBlock(bt: number, pos: number, total: number): void {
    const known =
      bt === BT.MI ||
      bt === BT.MI_INT ||
      plVersion(bt) > 0 ||
      bt === BT.FDL ||
      bt === BT.FDL_INT ||
      bt === BT.FDL_V2 ||
      bt === BT.IL ||
      bt === BT.IL_INT ||
      bt === BT.IL_V2 ||
      bt === BT.UL ||
      bt === BT.UL_INT ||
      bt === BT.UL_V2;
    // Unknown blocks (a newer writer's) are skipped, their trailer already checked.
    if (!known) return;
    if (this.metaOut) {
      this.fail(
        `metadata block 0x${bt.toString(16)} after the events of a section, without a new section header`,
        pos,
      );
    }
    const c = new Cursor(this.buf, pos + 8, pos + total - 4, this.base, `block 0x${bt.toString(16)}`);
    const m = this.meta;
    const pl = plVersion(bt);
    if (bt === BT.MI || bt === BT.MI_INT) m.machine = readMachineInfo(c);
    else if (pl > 0) readProcList(c, pl, m.threads);
    else if (bt === BT.FDL || bt === BT.FDL_INT) readFdList(c, false, m.fds);
    else if (bt === BT.FDL_V2) readFdList(c, true, m.fds);
    else if (bt === BT.IL || bt === BT.IL_INT) readInterfaceList(c, false, m.interfaces);
    else if (bt === BT.IL_V2) readInterfaceList(c, true, m.interfaces);
    else if (bt === BT.UL || bt === BT.UL_INT) readUserList(c, false, m.users, m.groups);
    else readUserList(c, true, m.users, m.groups);
  }

  /** Copies one event into the batch, widening a 22-byte header. Validates every length against the block. */
  private readEvent(buf: Uint8Array, dv: DataView, pos: number, total: number, kind: number): void {
    let p = pos + 8;
    const bodyEnd = pos + total - 4;
    const cpu = dv.getUint16(p, true);
    p += 2;
    let flags = 0;
    if (kind & EVB_FLAGS) {
      flags = dv.getUint32(p, true) & 0xffff;
      p += 4;
    }
    const v2 = (kind & EVB_V2) !== 0;
    const hdr = v2 ? EVENT_HEADER_SIZE : EVENT_HEADER_SIZE_V1;
    if (p + hdr > bodyEnd)
      this.fail(`event block of ${total} bytes is too short for an event header`, pos + 4);
    let len = dv.getUint32(p + 16, true);
    const type = dv.getUint16(p + 20, true);
    if (len < hdr || p + len > bodyEnd) {
      this.fail(`event length ${len} does not fit its block (${bodyEnd - p} bytes)`, p + 16);
    }
    const w = LEN_WIDTH[type] ?? 2; // a u16 type: LEN_WIDTH has 65536 entries
    if (v2) {
      const nparams = dv.getUint32(p + 22, true);
      let q = p + EVENT_HEADER_SIZE;
      if (nparams > (len - EVENT_HEADER_SIZE) / w)
        this.fail(`nparams ${nparams} does not fit the event length ${len}`, p + 22);
      const lensEnd = q + nparams * w;
      let sum = 0;
      if (w === 2) for (; q < lensEnd; q += 2) sum += dv.getUint16(q, true);
      else for (; q < lensEnd; q += 4) sum += dv.getUint32(q, true);
      if (sum > p + len - lensEnd)
        this.fail(`parameters (${sum} bytes) overrun the event length ${len}`, p + 16);
      const b = this.builder;
      const at = b.reserve(len, cpu, flags);
      copy(buf, p, b.buffer, at, len);
    } else {
      // Old header: no nparams. Infer it as libscap does: the largest n (from the table's count down) for
      // which 22 + lengths + params is exactly the event length.
      if (type === PPME_NOTIFICATION_E || type === PPME_INFRASTRUCTURE_EVENT_E) {
        if (len < EVENT_HEADER_SIZE_V1 + 3) this.fail(`event length ${len} too short`, p + 16);
        len -= 3; // these two were written 3 bytes too long by old drivers
      }
      const known = TABLE_NPARAMS[type] ?? -1;
      let n = known >= 0 ? known : Math.min(MAX_INFERRED_PARAMS, (len - EVENT_HEADER_SIZE_V1) / w) | 0;
      const q0 = p + EVENT_HEADER_SIZE_V1;
      for (; n >= 0; n--) {
        const lensBytes = n * w;
        if (EVENT_HEADER_SIZE_V1 + lensBytes > len) continue;
        let sum = EVENT_HEADER_SIZE_V1 + lensBytes;
        if (w === 2) for (let k = 0; k < n; k++) sum += dv.getUint16(q0 + 2 * k, true);
        else for (let k = 0; k < n; k++) sum += dv.getUint32(q0 + 4 * k, true);
        if (sum === len) break;
      }
      if (n < 0) this.fail(`cannot infer the parameter count of a ${len}-byte event of type ${type}`, p);
      const newLen = len + 4;
      const b = this.builder;
      const at = b.reserve(newLen, cpu, flags);
      const out = b.buffer;
      copy(buf, p, out, at, 16); // ts, tid
      const ov = b.view;
      ov.setUint32(at + 16, newLen, true);
      ov.setUint16(at + 20, type, true);
      ov.setUint32(at + 22, n, true);
      copy(buf, q0, out, at + EVENT_HEADER_SIZE, len - EVENT_HEADER_SIZE_V1);
    }
    this.sectionEvents++;
  }
}

/** Copies without allocating a subarray for the many small events; large ones use the native copy. */
function copy(src: Uint8Array, from: number, dst: Uint8Array, to: number, n: number): void {
  if (n <= 96) {
    for (let i = 0; i < n; i++) dst[to + i] = src[from + i] ?? 0; // in bounds: `from + n` was checked
  } else {
    dst.set(src.subarray(from, from + n), to);
  }
}
