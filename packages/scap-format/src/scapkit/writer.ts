// ScapkitWriter: EventBatches in, a scapkit v1 file out. Events are copied into a pending chunk of about
// `chunkBytes` raw bytes; a full chunk is compressed and written with its CRC, and a timer-driven
// flushIfOlderThan bounds what a crash can lose. checkpoint() writes the tables a replay has built so far,
// so readers can start there. close() writes the footer (chunk and checkpoint index, stats) and the
// trailer. Per event the copy loop reads a few header fields and allocates nothing.
import { EV_LEN, EV_TS, EV_TYPE, EVENT_HEADER_SIZE, type EventBatch, FRAME_SIZE } from '../batch.js';
import { createLz4Codec } from '../codec/lz4.js';
import { type ChunkCodec, CodecId } from '../codec/types.js';
import { ScapFormatError } from '../errors.js';
import type { CaptureMetadata } from '../metadata.js';
import { isContainerEvent } from '../schema/index.js';
import type { CaptureStats } from '../source.js';
import { FileAssembler } from './assembler.js';
import { DEFAULT_CHUNK_BYTES, DEFAULT_LIMITS } from './constants.js';
import {
  type CheckpointIndexEntry,
  encodeCheckpointRecord,
  encodeChunkHead,
  encodeHeaderRecord,
  encodeMetadataRecord,
  type ScapkitHeaderFields,
} from './records.js';
import type { ByteSink } from './sink.js';

export interface ScapkitWriterOptions {
  /** Raw bytes a chunk is filled to before it is compressed and written (default 1 MiB). */
  chunkBytes?: number;
  /**
   * Chunk and metadata codec (default: the pure-TypeScript LZ4, which runs anywhere). Node callers pass
   * `defaultChunkCodec()` (native zstd when installed) or `chunkCodec(name)` of
   * `@scapkit/scap-format/node`; CODEC_NAMES lists the names.
   */
  codec?: ChunkCodec;
  /** Milliseconds clock for flushIfOlderThan (default Date.now). */
  clock?: () => number;
}

export class ScapkitWriter {
  private readonly file: FileAssembler;
  private readonly codec: ChunkCodec;
  private readonly chunkBytes: number;
  private readonly clock: () => number;
  /** Calls run one after another, so a timer's flush never interleaves with a batch being written. */
  private queue: Promise<unknown> = Promise.resolve();
  private raw: Uint8Array;
  private used = 0;
  private count = 0;
  private pendingSinceMs = 0;
  // Earliest and latest timestamp in the pending chunk, as hi/lo u32 pairs: no bigint per event.
  private minHi = 0;
  private minLo = 0;
  private maxHi = 0;
  private maxLo = 0;
  private written = 0;
  // Latest timestamp written so far (over every chunk), and the first event's that is no leading container
  // record: what a checkpoint records of where a replay stands.
  private fileMaxHi = 0;
  private fileMaxLo = 0;
  private firstHi = 0;
  private firstLo = 0;
  private sawFirst = false;
  private closing = false;
  /** The first error a call failed with; see run(). */
  private failure: unknown;

  constructor(sink: ByteSink, header: ScapkitHeaderFields, options: ScapkitWriterOptions = {}) {
    this.file = new FileAssembler(sink);
    this.codec = options.codec ?? createLz4Codec();
    this.chunkBytes = Math.max(
      1024,
      Math.min(options.chunkBytes ?? DEFAULT_CHUNK_BYTES, DEFAULT_LIMITS.maxChunkRawBytes),
    );
    this.clock = options.clock ?? Date.now;
    this.raw = new Uint8Array(this.chunkBytes + (64 << 10));
    const headerRecord = encodeHeaderRecord(header);
    this.queue = this.file.write(headerRecord).catch((e: unknown) => {
      this.failure = e;
    });
  }

  /** Bytes handed to the sink so far. */
  get bytesWritten(): number {
    return this.file.bytesWritten;
  }
  /** Events in chunks written so far (pending events not included). */
  get eventsWritten(): number {
    return this.written;
  }
  /** Events waiting in the pending chunk. */
  get eventsPending(): number {
    return this.count;
  }

  /** Writes a metadata record (after the events given so far: it replaces the tables from here on). */
  writeMetadata(meta: CaptureMetadata): Promise<void> {
    return this.run(async () => {
      await this.flushChunk();
      await this.file.writeMetadata(encodeMetadataRecord(meta, this.codec));
    });
  }

  /**
   * Writes a checkpoint: `metadata` must be the tables exactly as a replay of every event given to this
   * writer so far leaves them (StateEngine.snapshot() of an engine that saw those events and no others).
   * The pending chunk is written first, so the checkpoint sits after every event it accounts for; the
   * writer fills in how many there were and their latest timestamp. `metadata` must stay unchanged until
   * the returned promise settles.
   */
  checkpoint(metadata: CaptureMetadata): Promise<CheckpointIndexEntry> {
    return this.run(async () => {
      await this.flushChunk();
      const entry = {
        eventsBefore: this.written,
        ts: (BigInt(this.fileMaxHi) << 32n) | BigInt(this.fileMaxLo),
      };
      const firstTs = this.sawFirst ? (BigInt(this.firstHi) << 32n) | BigInt(this.firstLo) : 0n;
      await this.file.writeCheckpoint(
        entry,
        encodeCheckpointRecord(metadata, { ...entry, firstTs }, this.codec),
      );
      return this.file.checkpoints.at(-1)!;
    });
  }

  /**
   * Copies the batch's events into the pending chunk, writing chunks as they fill. The batch must stay
   * unchanged until the returned promise settles.
   */
  writeBatch(batch: EventBatch): Promise<void> {
    return this.run(() => this.copyBatch(batch));
  }

  /** Writes the pending chunk if its first event arrived `maxAgeMs` or more ago; resolves whether it did. */
  flushIfOlderThan(maxAgeMs: number, nowMs: number = this.clock()): Promise<boolean> {
    return this.run(async () => {
      if (this.count === 0 || nowMs - this.pendingSinceMs < maxAgeMs) return false;
      await this.flushChunk();
      return true;
    });
  }

  /** Writes the pending chunk now. */
  flush(): Promise<void> {
    return this.run(() => this.flushChunk());
  }

  /** Writes the pending chunk, the footer with `stats` and the trailer, and closes the sink. */
  close(stats?: CaptureStats): Promise<void> {
    const p = this.run(async () => {
      await this.flushChunk();
      await this.file.finish(stats ?? { eventsSeen: this.written, eventsWritten: this.written, drops: {} });
    });
    this.closing = true;
    return p;
  }

  /**
   * After a call failed (a full disk, an I/O error): closes the file after its last complete record, with
   * its footer and `stats` (which can then count what the failure lost), when the sink can cut a partial
   * record back (a file) and the footer fits (cutting back frees what the partial record took). Resolves
   * whether it did; the file is left as it is otherwise (a cut file: readers read it up to its last chunk,
   * `recover` rewrites it whole). Events still pending are not written.
   */
  async closeAfterFailure(stats: CaptureStats): Promise<boolean> {
    await this.queue;
    if (this.failure === undefined) return false;
    this.closing = true;
    try {
      await this.file.finishAfterFailure(stats);
      return true;
    } catch {
      return false;
    }
  }

  /**
   * Runs `op` after every call before it. Once a call fails (a full disk, a bad batch), the file may end
   * in a partial record, so every later call fails with that first error instead of writing after it.
   */
  private run<T>(op: () => Promise<T>): Promise<T> {
    if (this.closing) return Promise.reject(new Error('scapkit writer is closed'));
    const p = this.queue.then(() => {
      if (this.failure !== undefined) throw this.failure;
      return op();
    });
    this.queue = p.then(
      () => undefined,
      (e: unknown) => {
        this.failure ??= e;
      },
    );
    return p;
  }

  private async copyBatch(batch: EventBatch): Promise<void> {
    const data = batch.data;
    const offsets = batch.offsets;
    const dv = new DataView(data.buffer, data.byteOffset, data.byteLength);
    // Events that sit back to back in the batch are copied as one run.
    let runStart = 0;
    let runEnd = 0;
    let i = -1;
    for (const off of offsets.subarray(0, batch.count)) {
      i++;
      if (off < FRAME_SIZE || off + EVENT_HEADER_SIZE > data.length) {
        throw new ScapFormatError(`event ${i} of the batch is outside its ${data.length} bytes`, off);
      }
      const len = dv.getUint32(off + EV_LEN, true);
      if (len < EVENT_HEADER_SIZE || len > data.length - off) {
        throw new ScapFormatError(`event ${i} of the batch has length ${len}`, off);
      }
      const framed = FRAME_SIZE + len;
      const frameStart = off - FRAME_SIZE;
      const pending = this.used + runEnd - runStart;
      if (pending > 0 && pending + framed > this.chunkBytes) {
        this.append(data, runStart, runEnd);
        runStart = runEnd = frameStart;
        await this.flushChunk();
      } else if (frameStart !== runEnd) {
        this.append(data, runStart, runEnd);
        runStart = runEnd = frameStart;
      }
      runEnd += framed;
      if (!this.sawFirst && !isContainerEvent(dv.getUint16(off + EV_TYPE, true))) {
        this.sawFirst = true;
        this.firstHi = dv.getUint32(off + EV_TS + 4, true);
        this.firstLo = dv.getUint32(off + EV_TS, true);
      }
      if (this.count === 0) {
        this.pendingSinceMs = this.clock();
        this.minHi = this.maxHi = dv.getUint32(off + 4, true);
        this.minLo = this.maxLo = dv.getUint32(off, true);
      } else {
        const hi = dv.getUint32(off + 4, true);
        const lo = dv.getUint32(off, true);
        if (hi < this.minHi || (hi === this.minHi && lo < this.minLo)) {
          this.minHi = hi;
          this.minLo = lo;
        }
        if (hi > this.maxHi || (hi === this.maxHi && lo > this.maxLo)) {
          this.maxHi = hi;
          this.maxLo = lo;
        }
      }
      this.count++;
    }
    this.append(data, runStart, runEnd);
  }

  /** Copies data[from, to) into the pending chunk, growing it for an event larger than a chunk. */
  private append(data: Uint8Array, from: number, to: number): void {
    const n = to - from;
    if (n === 0) return;
    if (this.used + n > this.raw.length) {
      if (this.used + n > DEFAULT_LIMITS.maxChunkRawBytes) {
        throw new ScapFormatError(
          `an event of ${n} bytes exceeds the ${DEFAULT_LIMITS.maxChunkRawBytes}-byte chunk limit`,
          from,
        );
      }
      const grown = new Uint8Array(this.used + n);
      grown.set(this.raw.subarray(0, this.used));
      this.raw = grown;
    }
    this.raw.set(data.subarray(from, to), this.used);
    this.used += n;
  }

  private async flushChunk(): Promise<void> {
    if (this.count === 0) return;
    const raw = this.raw.subarray(0, this.used);
    let stored = this.codec.compress(raw);
    let codecId = this.codec.id;
    if (stored.length >= raw.length) {
      stored = raw; // incompressible: store as is (written before the pending buffer is reused)
      codecId = CodecId.NONE;
    }
    const firstTs = (BigInt(this.minHi) << 32n) | BigInt(this.minLo);
    const lastTs = (BigInt(this.maxHi) << 32n) | BigInt(this.maxLo);
    const head = encodeChunkHead(codecId, this.count, raw.length, stored, firstTs, lastTs);
    const count = this.count;
    if (this.maxHi > this.fileMaxHi || (this.maxHi === this.fileMaxHi && this.maxLo > this.fileMaxLo)) {
      this.fileMaxHi = this.maxHi;
      this.fileMaxLo = this.maxLo;
    }
    this.used = 0;
    this.count = 0;
    await this.file.writeChunk({ firstTs, lastTs, eventCount: count }, head, stored);
    this.written += count;
  }
}
