// IndexedScapkitReader: random access to a closed scapkit file through its footer, over any source that
// can read bytes at an offset (a file in Node, a Blob or an HTTP range reader in a browser). open() reads
// the preamble, the header record, the trailer and the footer; readRange() seeks straight to the chunks
// whose time range meets the query; readFromCheckpoint() starts a replay at the last checkpoint before a
// time, so a time range costs what it holds, not what precedes it.
import type { EventBatch } from '../batch.js';
import { codecTable } from '../codec/index.js';
import { ScapFormatError, ScapTruncatedError } from '../errors.js';
import type { CaptureHeader, CaptureRecord, CaptureStats, CaptureStream, Checkpoint } from '../source.js';
import { type ChunkDecoder, OrderedQueue } from './chunk-decoder.js';
import {
  CHUNK_HEADER_SIZE,
  DEFAULT_LIMITS,
  PREAMBLE_SIZE,
  RECORD_HEADER_SIZE,
  RecordType,
  type ScapkitLimits,
  TRAILER_SIZE,
} from './constants.js';
import type { ScapkitReadOptions } from './reader.js';
import {
  type CheckpointIndexEntry,
  type ChunkIndexEntry,
  decodeCheckpointTables,
  decodeChunk,
  maxBodyLength,
  parseCheckpointHeader,
  parseChunkHeader,
  parseFooterBody,
  parseHeaderBody,
  parseMetadataBody,
  parsePreamble,
  parseTrailer,
  verifyCheckpointCrc,
} from './records.js';

/** Bytes at any offset: what the indexed reader needs of a file. */
export interface RandomAccessSource {
  /** Total size in bytes. */
  readonly size: number;
  /** The `length` bytes at `offset` (fewer only where the source ends). */
  read(offset: number, length: number): Promise<Uint8Array>;
  close?(): Promise<void>;
}

/** A Blob (a File a user picked, a fetched body) as a random-access source: the browser's way to seek. */
export function blobSource(blob: Blob): RandomAccessSource {
  return {
    size: blob.size,
    read: async (offset, length) => new Uint8Array(await blob.slice(offset, offset + length).arrayBuffer()),
  };
}

export interface CheckpointReadOptions {
  /**
   * Told, once each, what the reader decided that a user should know: no checkpoint to start from (the
   * replay starts at the beginning), a damaged checkpoint passed over.
   */
  onNotice?(message: string): void;
}

type Codecs = (id: number, offset: number) => import('../codec/types.js').ChunkCodec;

export class IndexedScapkitReader {
  private constructor(
    private readonly source: RandomAccessSource,
    readonly size: number,
    readonly header: CaptureHeader,
    /** The chunk index, in file order. */
    readonly chunks: readonly ChunkIndexEntry[],
    /** File offsets of the metadata records, in file order. */
    readonly metadataOffsets: readonly number[],
    /** The checkpoint index, in file order (empty for files written without checkpoints). */
    readonly checkpoints: readonly CheckpointIndexEntry[],
    readonly stats: CaptureStats,
    private readonly limits: ScapkitLimits,
    private readonly codecs: Codecs,
    private readonly verifyCrc: boolean,
    private readonly chunkDecoder: ChunkDecoder | undefined,
  ) {}

  /**
   * Opens a closed scapkit file; an unclosed one (no trailer) is a ScapFormatError: read it as a stream.
   * The source is closed when opening fails, else by close().
   */
  static async open(
    source: RandomAccessSource,
    opts: ScapkitReadOptions = {},
  ): Promise<IndexedScapkitReader> {
    try {
      const limits = { ...DEFAULT_LIMITS, ...opts.limits };
      const verifyCrc = opts.verifyCrc ?? true;
      const codecs = codecTable(opts.codecs);
      const size = source.size;
      const preamble = parsePreamble(await readAt(source, 0, PREAMBLE_SIZE, size));
      const headerRec = await readRecord(source, PREAMBLE_SIZE, RecordType.HEADER, 'header', limits, size);
      const header: CaptureHeader = {
        ...parseHeaderBody(headerRec, PREAMBLE_SIZE, verifyCrc),
        format: 'scapkit',
        version: `${preamble.major}.${preamble.minor}`,
      };
      if (size < PREAMBLE_SIZE + TRAILER_SIZE) {
        throw new ScapFormatError(
          'no trailer: the file was not closed (read it as a stream, or recover it)',
          size,
        );
      }
      const trailerAt = size - TRAILER_SIZE;
      const { footerOffset, footerLength } = parseTrailer(
        await readAt(source, trailerAt, TRAILER_SIZE, size),
        trailerAt,
      );
      if (footerOffset < PREAMBLE_SIZE || footerOffset + footerLength !== trailerAt) {
        throw new ScapFormatError(
          `trailer points at a footer of ${footerLength} bytes at ${footerOffset}, which does not end at the trailer (${trailerAt})`,
          trailerAt,
        );
      }
      const footerBody = await readRecord(
        source,
        footerOffset,
        RecordType.FOOTER,
        'footer',
        limits,
        trailerAt,
      );
      const footer = parseFooterBody(footerBody, footerOffset, verifyCrc);
      const maxChunk = RECORD_HEADER_SIZE + maxBodyLength(RecordType.CHUNK, limits);
      // A chunk record is at least its record header and its chunk header: a shorter entry would make
      // chunkAt read past the bytes it fetched.
      const minChunk = RECORD_HEADER_SIZE + CHUNK_HEADER_SIZE;
      for (const c of footer.chunks) {
        if (c.recordLength < minChunk) {
          throw new ScapFormatError(
            `footer index: chunk at ${c.offset} is ${c.recordLength} bytes, shorter than the ${minChunk} of a chunk record`,
            footerOffset,
          );
        }
        if (
          c.offset < PREAMBLE_SIZE ||
          c.recordLength > maxChunk ||
          c.offset + c.recordLength > footerOffset
        ) {
          throw new ScapFormatError(
            `footer index: chunk at ${c.offset} (${c.recordLength} bytes) lies outside the file`,
            footerOffset,
          );
        }
      }
      for (const o of footer.metadataOffsets) {
        if (o < PREAMBLE_SIZE || o >= footerOffset) {
          throw new ScapFormatError(`footer index: metadata at ${o} lies outside the file`, footerOffset);
        }
      }
      // A checkpoint entry that points outside the file is only a checkpoint nobody can use (the events
      // read fine without it): it is dropped here, and a damaged one inside the file is passed over when read.
      const maxCheckpoint = RECORD_HEADER_SIZE + maxBodyLength(RecordType.CHECKPOINT, limits);
      const checkpoints = footer.checkpoints.filter(
        (c) =>
          c.offset >= PREAMBLE_SIZE &&
          c.recordLength <= maxCheckpoint &&
          c.offset + c.recordLength <= footerOffset,
      );
      return new IndexedScapkitReader(
        source,
        size,
        header,
        footer.chunks,
        footer.metadataOffsets,
        checkpoints,
        footer.stats,
        limits,
        codecs,
        verifyCrc,
        opts.chunkDecoder,
      );
    } catch (e) {
      await source.close?.();
      throw e;
    }
  }

  /** The chunks whose time range meets [fromNs, toNs]. */
  chunksInRange(fromNs: bigint, toNs: bigint): ChunkIndexEntry[] {
    return this.chunks.filter((c) => c.lastTs >= fromNs && c.firstTs <= toNs);
  }

  /**
   * The header, the metadata in force at the first matching chunk (and any metadata record between the
   * matching chunks), the events with fromNs ≤ ts ≤ toNs, then the stats. The tables are those of the
   * metadata records only: for the state of the threads and fds at fromNs, use readFromCheckpoint().
   */
  readRange(fromNs: bigint, toNs: bigint): CaptureStream {
    return { [Symbol.asyncIterator]: () => this.range(fromNs, toNs) };
  }

  /** Every record of the file, through the index. */
  readAll(): CaptureStream {
    return this.readRange(0n, 0xffffffffffffffffn);
  }

  /**
   * What a replay of the events in [fromNs, toNs] needs, and as little else as the file allows: the header,
   * then the last intact checkpoint whose events all precede fromNs (or, without one, every record from
   * the start), then the metadata records and every event from there up to the last chunk that can hold an
   * event at or before toNs, then the stats. Events are not cut to the range: those outside it still
   * update state; the consumer shows only those inside.
   */
  readFromCheckpoint(fromNs: bigint, toNs: bigint, opts: CheckpointReadOptions = {}): CaptureStream {
    return { [Symbol.asyncIterator]: () => this.fromCheckpoint(fromNs, toNs, opts) };
  }

  /** The checkpoint record an index entry points at, checked and with its tables decoded. */
  async checkpointAt(entry: CheckpointIndexEntry): Promise<Checkpoint> {
    const rec = await readAt(this.source, entry.offset, entry.recordLength, this.size);
    const dv = new DataView(rec.buffer, rec.byteOffset, rec.byteLength);
    if (
      rec[0] !== RecordType.CHECKPOINT ||
      dv.getUint32(1, true) !== entry.recordLength - RECORD_HEADER_SIZE
    ) {
      throw new ScapFormatError(
        'footer index points at something that is not the checkpoint it describes',
        entry.offset,
      );
    }
    const body = rec.subarray(RECORD_HEADER_SIZE);
    const h = parseCheckpointHeader(body, entry.offset, this.limits);
    if (h.eventsBefore !== entry.eventsBefore || h.ts !== entry.ts) {
      throw new ScapFormatError('checkpoint header disagrees with its footer index entry', entry.offset);
    }
    if (this.verifyCrc) verifyCheckpointCrc(body, h, entry.offset);
    const tables = decodeCheckpointTables(body, h, entry.offset, this.codecs);
    return {
      offset: entry.offset,
      eventsBefore: h.eventsBefore,
      ts: h.ts,
      firstTs: h.firstTs,
      metadata: () => tables,
    };
  }

  async close(): Promise<void> {
    await this.source.close?.();
  }

  private async *range(fromNs: bigint, toNs: bigint): AsyncGenerator<CaptureRecord> {
    yield { kind: 'header', header: this.header };
    const chosen = this.chunksInRange(fromNs, toNs);
    if (chosen.length > 0) {
      // The last metadata before the first chosen chunk, then those that fall among the chosen chunks.
      const first = chosen[0]!.offset;
      const before = this.metadataOffsets.filter((o) => o < first);
      const metas = [...before.slice(-1), ...this.metadataOffsets.filter((o) => o > first)];
      let m = 0;
      for (const c of chosen) {
        while (m < metas.length && metas[m]! < c.offset)
          yield { kind: 'metadata', metadata: await this.metadataAt(metas[m++]!) };
        const batch = await this.chunkAt(c);
        const inside = c.firstTs >= fromNs && c.lastTs <= toNs;
        const kept = inside ? batch : selectTimeRange(batch, fromNs, toNs);
        if (kept.count > 0) yield { kind: 'events', batch: kept };
      }
    }
    yield { kind: 'stats', stats: this.stats };
  }

  private async *fromCheckpoint(
    fromNs: bigint,
    toNs: bigint,
    opts: CheckpointReadOptions,
  ): AsyncGenerator<CaptureRecord> {
    yield { kind: 'header', header: this.header };
    const start = await this.startingCheckpoint(fromNs, opts);
    if (start) yield { kind: 'checkpoint', checkpoint: start };
    const after = start?.offset ?? 0;
    // A chunk after the last one whose earliest event is at or before toNs holds nothing in range.
    let last = -1;
    for (let i = 0; i < this.chunks.length; i++) if (this.chunks[i]!.firstTs <= toNs) last = i;
    const end = last >= 0 ? this.chunks[last]!.offset : -1;
    const metas = this.metadataOffsets.filter((o) => o > after && o < end);
    // Chunks read and decoded ahead of the consumer (on the chunk decoder's workers, when given one).
    const queue = new OrderedQueue<CaptureRecord>(this.chunkDecoder?.depth ?? 2);
    let m = 0;
    for (let i = 0; i <= last; i++) {
      const c = this.chunks[i]!;
      if (c.offset < after) continue;
      while (m < metas.length && metas[m]! < c.offset) {
        const at = metas[m++]!;
        queue.run(() => this.metadataAt(at).then((metadata) => ({ kind: 'metadata', metadata })));
      }
      queue.run(() => this.chunkAt(c).then((batch) => ({ kind: 'events', batch })));
      while (queue.full) yield await queue.shift();
    }
    while (queue.length > 0) yield await queue.shift();
    yield { kind: 'stats', stats: this.stats };
  }

  /** The last usable checkpoint before fromNs, passing over damaged ones; undefined: start at the start. */
  private async startingCheckpoint(
    fromNs: bigint,
    opts: CheckpointReadOptions,
  ): Promise<Checkpoint | undefined> {
    const notice = opts.onNotice ?? (() => {});
    if (this.checkpoints.length === 0) {
      notice('the trace has no checkpoints: replaying from its start to rebuild the state');
      return undefined;
    }
    // Every event before a checkpoint is at or before its ts: one with ts < fromNs hides nothing in range.
    const usable = this.checkpoints.filter((c) => c.ts < fromNs && c.eventsBefore > 0);
    for (let i = usable.length - 1; i >= 0; i--) {
      try {
        return await this.checkpointAt(usable[i]!);
      } catch (e) {
        if (!(e instanceof ScapFormatError)) throw e;
        notice(
          `the checkpoint at byte ${usable[i]!.offset} is damaged (${e.message}): ` +
            (i > 0 ? 'starting from the one before it' : 'replaying from the start of the trace'),
        );
      }
    }
    return undefined;
  }

  private async metadataAt(offset: number) {
    const body = await readRecord(
      this.source,
      offset,
      RecordType.METADATA,
      'metadata',
      this.limits,
      this.size,
    );
    return parseMetadataBody(body, offset, this.codecs, this.limits, this.verifyCrc);
  }

  private async chunkAt(c: ChunkIndexEntry): Promise<EventBatch> {
    const rec = await readAt(this.source, c.offset, c.recordLength, this.size);
    const dv = new DataView(rec.buffer, rec.byteOffset, rec.byteLength);
    if (rec[0] !== RecordType.CHUNK || dv.getUint32(1, true) !== c.recordLength - RECORD_HEADER_SIZE) {
      throw new ScapFormatError(
        'footer index points at something that is not the chunk it describes',
        c.offset,
      );
    }
    const body = rec.subarray(RECORD_HEADER_SIZE);
    const h = parseChunkHeader(body, c.offset, this.limits);
    if (h.eventCount !== c.eventCount || h.firstTs !== c.firstTs || h.lastTs !== c.lastTs) {
      throw new ScapFormatError('chunk header disagrees with its footer index entry', c.offset);
    }
    if (this.chunkDecoder) return this.chunkDecoder.decode(body, c.offset);
    return decodeChunk(body, h, c.offset, this.codecs, this.verifyCrc);
  }
}

/** The events of `batch` with fromNs ≤ ts ≤ toNs, as a batch over the same bytes. */
function selectTimeRange(batch: EventBatch, fromNs: bigint, toNs: bigint): EventBatch {
  const dv = new DataView(batch.data.buffer, batch.data.byteOffset, batch.data.byteLength);
  const offsets = new Uint32Array(batch.count);
  let n = 0;
  for (let i = 0; i < batch.count; i++) {
    const off = batch.offsets[i]!;
    const ts = dv.getBigUint64(off, true);
    if (ts >= fromNs && ts <= toNs) offsets[n++] = off;
  }
  return { data: batch.data, offsets, count: n };
}

async function readAt(
  source: RandomAccessSource,
  offset: number,
  length: number,
  size: number,
): Promise<Uint8Array> {
  if (offset + length > size) {
    throw new ScapTruncatedError(
      `the file ends at ${size}, inside a ${length}-byte record`,
      offset,
      size - offset,
    );
  }
  const b = await source.read(offset, length);
  if (b.length !== length)
    throw new ScapTruncatedError('the file shrank while being read', offset + b.length, b.length);
  return b;
}

/** Reads the body of the record at `offset`, which must be of `type`; `end` bounds where it may reach. */
async function readRecord(
  source: RandomAccessSource,
  offset: number,
  type: number,
  what: string,
  limits: ScapkitLimits,
  end: number,
): Promise<Uint8Array> {
  const head = await readAt(source, offset, RECORD_HEADER_SIZE, end);
  if (head[0] !== type) {
    throw new ScapFormatError(
      `expected a ${what} record (type 0x${type.toString(16)}), found type 0x${head[0]!.toString(16)}`,
      offset,
    );
  }
  const len = new DataView(head.buffer, head.byteOffset, head.byteLength).getUint32(1, true);
  const max = maxBodyLength(type, limits);
  if (len > max) throw new ScapFormatError(`${what} record declares ${len} bytes, limit ${max}`, offset + 1);
  return readAt(source, offset + RECORD_HEADER_SIZE, len, end);
}
