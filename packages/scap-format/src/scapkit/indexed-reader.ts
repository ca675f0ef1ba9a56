// IndexedScapkitReader: random access to a closed scapkit file through its footer, over any source that
// can read bytes at an offset (a file in Node, a Blob or an HTTP range reader in a browser). open() reads
// the preamble, the header record, the trailer and the footer; readRange() seeks straight to the chunks
// whose time range meets the query; readFromCheckpoint() starts a replay at the last checkpoint before a
// time, so a time range costs what it holds, not what precedes it.
import type { EventBatch } from '../batch.js';
import { codecTable } from '../codec/index.js';
import { ScapFormatError, ScapTruncatedError } from '../errors.js';
import type { CaptureHeader, CaptureRecord, CaptureStats, CaptureStream, Checkpoint } from '../source.js';
import { type ChunkDecoder, OrderedQueue, ownedBatch, roomFor } from './chunk-decoder.js';
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
  type ChunkBuffers,
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
  /**
   * Decode on the caller's thread, not on the reader's chunk decoder, when the records to read (from the
   * starting checkpoint to the last chunk) take fewer bytes than this: starting a pool's workers costs
   * more than they save on a short read (Node: WORKER_MIN_BYTES).
   */
  inlineUnder?: number;
}

/**
 * A part of a trace cut at its checkpoints: the events after one checkpoint (none: from the start) up to the
 * next. Each replays on its own from its checkpoint's tables (readSegment), so the parts of one trace can
 * replay in parallel and be joined in order.
 */
export interface TraceSegment {
  /** File offset where the segment's records start (its checkpoint's; the first: after the header). */
  readonly start: number;
  /** File offset where the next segment starts (or the footer's). */
  readonly end: number;
  /** Events before the segment (its first event is evt.num eventsBefore + 1). */
  readonly eventsBefore: number;
  /** Events in the segment. */
  readonly events: number;
}

type Codecs = (id: number, offset: number) => import('../codec/types.js').ChunkCodec;

export class IndexedScapkitReader {
  /**
   * With reuseBatchBuffers: the buffers chunks decoded on this thread go into, used in turn (the read-ahead
   * holds at most READ_AHEAD + 1 batches while the consumer holds one). Also with a chunk decoder, which a
   * short read passes over (inlineUnder): a megabyte allocated per chunk there was zeroed, then collected.
   */
  private readonly ring: ChunkBuffers[] | undefined;
  private turn = 0;

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
    reuseBatchBuffers: boolean,
  ) {
    this.ring = reuseBatchBuffers ? Array.from({ length: READ_AHEAD + 2 }, () => ({})) : undefined;
  }

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
        opts.reuseBatchBuffers ?? false,
      );
    } catch (e) {
      await source.close?.();
      throw e;
    }
  }

  /**
   * The trace cut at the checkpoints that account for events (a trace without them: one segment). Chunks
   * never straddle a checkpoint, so every event is in exactly one segment.
   */
  segments(): TraceSegment[] {
    let total = 0;
    for (const c of this.chunks) total += c.eventCount;
    const cuts = this.checkpoints.filter((c) => c.eventsBefore > 0 && c.eventsBefore < total);
    const out: TraceSegment[] = [];
    let start = 0;
    let before = 0;
    for (const c of cuts) {
      if (c.eventsBefore <= before) continue;
      out.push({ start, end: c.offset, eventsBefore: before, events: c.eventsBefore - before });
      start = c.offset;
      before = c.eventsBefore;
    }
    out.push({ start, end: Number.MAX_SAFE_INTEGER, eventsBefore: before, events: total - before });
    return out;
  }

  /**
   * What a replay of `segment` needs: the header, then the last intact checkpoint at or before its start
   * (one passed over for damage is told to onNotice; none: every record from the start), then the metadata
   * records and chunks from there to the segment's end. No stats. Events before the segment (after a
   * damaged checkpoint) come too: the consumer shows only those after `segment.eventsBefore`.
   */
  readSegment(segment: TraceSegment, opts: CheckpointReadOptions = {}): CaptureStream {
    const self = this;
    return {
      async *[Symbol.asyncIterator]() {
        yield { kind: 'header', header: self.header };
        const usable = self.checkpoints.filter(
          (c) => c.eventsBefore > 0 && c.eventsBefore <= segment.eventsBefore && c.offset <= segment.start,
        );
        const start = await self.lastUsable(usable, opts);
        if (start) yield { kind: 'checkpoint', checkpoint: start };
        yield* self.after(start?.offset ?? 0, MAX_TS, segment.end);
      },
    };
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
  readRange(
    fromNs: bigint,
    toNs: bigint,
    opts: Pick<CheckpointReadOptions, 'inlineUnder'> = {},
  ): CaptureStream {
    return { [Symbol.asyncIterator]: () => this.range(fromNs, toNs, opts.inlineUnder ?? 0) };
  }

  /**
   * The events of the index's chunk `index`, decoded here into buffers of their own: what a caller that
   * needs one chunk (the first event's time) reads, without the metadata records readRange() yields.
   */
  chunkEvents(index: number): Promise<EventBatch> {
    const c = this.chunks[index];
    if (!c) throw new RangeError(`no chunk ${index}: the trace has ${this.chunks.length}`);
    return this.chunkAt(c, undefined, false);
  }

  /** Every record of the file, through the index. */
  readAll(): CaptureStream {
    return this.readRange(0n, MAX_TS);
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

  private async *range(fromNs: bigint, toNs: bigint, inlineUnder: number): AsyncGenerator<CaptureRecord> {
    yield { kind: 'header', header: this.header };
    const chosen = this.chunksInRange(fromNs, toNs);
    const [firstChosen] = chosen;
    let bytes = 0;
    for (const c of chosen) bytes += c.recordLength;
    const decoder = bytes < inlineUnder ? undefined : this.chunkDecoder;
    if (firstChosen) {
      // The last metadata before the first chosen chunk, then those that fall among the chosen chunks.
      const first = firstChosen.offset;
      const before = this.metadataOffsets.filter((o) => o < first);
      const metas = [...before.slice(-1), ...this.metadataOffsets.filter((o) => o > first)];
      let m = 0;
      for (const c of chosen) {
        for (let at = metas[m]; at !== undefined && at < c.offset; at = metas[++m])
          yield { kind: 'metadata', metadata: await this.metadataAt(at) };
        const batch = await this.chunkAt(c, decoder);
        const inside = c.firstTs >= fromNs && c.lastTs <= toNs;
        const kept = inside ? batch : selectTimeRange(batch, fromNs, toNs);
        if (kept.count > 0) yield { kind: 'events', batch: kept };
        this.handBack(decoder, batch);
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
    yield* this.after(start?.offset ?? 0, toNs, undefined, opts.inlineUnder);
    yield { kind: 'stats', stats: this.stats };
  }

  /**
   * The records after chunk `index` (-1: from the start) up to the last chunk that can hold an event at or
   * before toNs: the metadata records and chunks that follow it in the file, read and decoded ahead; no
   * header, no stats. For a reader that keeps resume points of its own (state snapshots it took between
   * chunks while reading the file once, as `scapkit view` does): it restores the tables it holds for
   * that point, then continues with these.
   */
  readAfterChunk(index: number, toNs = MAX_TS): CaptureStream {
    const c = index >= 0 ? this.chunks[index] : undefined;
    if (index >= 0 && !c) throw new RangeError(`no chunk ${index}: the trace has ${this.chunks.length}`);
    return { [Symbol.asyncIterator]: () => this.after(c ? c.offset + c.recordLength : 0, toNs) };
  }

  /**
   * The metadata records and chunks at offsets from `after` on (and before `before`), up to the last chunk
   * that can reach toNs.
   */
  private async *after(
    after: number,
    toNs: bigint,
    before = Number.MAX_SAFE_INTEGER,
    inlineUnder = 0,
  ): AsyncGenerator<CaptureRecord> {
    // A chunk after the last one whose earliest event is at or before toNs holds nothing in range.
    let last: ChunkIndexEntry | undefined;
    for (const c of this.chunks) if (c.firstTs <= toNs && c.offset < before) last = c;
    if (!last) return;
    const end = last.offset;
    const metas = this.metadataOffsets.filter((o) => o >= after && o < end);
    // Chunks read and decoded ahead of the consumer (on the chunk decoder's workers, when given one and
    // the read is long enough to pay for them).
    const decoder = end + last.recordLength - after < inlineUnder ? undefined : this.chunkDecoder;
    const queue = new OrderedQueue<CaptureRecord>(decoder?.depth ?? READ_AHEAD);
    let m = 0;
    for (const c of this.chunks) {
      if (c.offset > end) break;
      if (c.offset < after) continue;
      for (let at = metas[m]; at !== undefined && at < c.offset; at = metas[++m]) {
        const offset = at;
        queue.run(() => this.metadataAt(offset).then((metadata) => ({ kind: 'metadata', metadata })));
      }
      queue.run(() => this.chunkAt(c, decoder).then((batch) => ({ kind: 'events', batch })));
      while (queue.full) {
        const r = await queue.shift();
        yield r;
        if (r.kind === 'events') this.handBack(decoder, r.batch);
      }
    }
    while (queue.length > 0) {
      const r = await queue.shift();
      yield r;
      if (r.kind === 'events') this.handBack(decoder, r.batch);
    }
  }

  /**
   * The consumer asked for the next record: with reuseBatchBuffers it is done with `batch`, which goes back
   * to the decoder that made it (chunkAt kept it uncopied), to be decoded into again.
   */
  private handBack(decoder: ChunkDecoder | undefined, batch: EventBatch): void {
    if (decoder && this.ring) decoder.recycle?.(batch);
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
    return this.lastUsable(
      this.checkpoints.filter((c) => c.ts < fromNs && c.eventsBefore > 0),
      opts,
    );
  }

  /** The last of `candidates` (in file order) that reads intact, passing over damaged ones. */
  private async lastUsable(
    candidates: readonly CheckpointIndexEntry[],
    opts: CheckpointReadOptions,
  ): Promise<Checkpoint | undefined> {
    for (let i = candidates.length - 1; i >= 0; i--) {
      const entry = candidates[i];
      if (!entry) continue;
      try {
        return await this.checkpointAt(entry);
      } catch (e) {
        if (!(e instanceof ScapFormatError)) throw e;
        opts.onNotice?.(
          `the checkpoint at byte ${entry.offset} is damaged (${e.message}): ` +
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

  /** The chunk `c` indexes, decoded by `decoder` (undefined: here; into the ring's buffers with `reuse`). */
  private async chunkAt(
    c: ChunkIndexEntry,
    decoder: ChunkDecoder | undefined,
    reuse = true,
  ): Promise<EventBatch> {
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
    // With `reuse`, the reader hands the decoder's batch back once its consumer is done with it (handBack);
    // else the batch is copied and handed back at once.
    if (decoder) {
      const batch = await decoder.decode(body, c.offset);
      return reuse && this.ring ? batch : ownedBatch(decoder, batch);
    }
    const ring = reuse ? this.ring : undefined;
    if (!ring) return decodeChunk(body, h, c.offset, this.codecs, this.verifyCrc);
    const slot = ring[this.turn++ % ring.length] ?? {};
    if (!slot.data || slot.data.byteLength < h.rawLength) slot.data = new ArrayBuffer(roomFor(h.rawLength));
    if (!slot.offsets || slot.offsets.byteLength < h.eventCount * 4)
      slot.offsets = new ArrayBuffer(roomFor(h.eventCount * 4));
    return decodeChunk(body, h, c.offset, this.codecs, this.verifyCrc, slot);
  }
}

const MAX_TS = 0xffffffffffffffffn;

/** Chunks read and decoded ahead of the consumer when no chunk decoder sets its own depth. */
const READ_AHEAD = 2;

/** The events of `batch` with fromNs ≤ ts ≤ toNs, as a batch over the same bytes. */
function selectTimeRange(batch: EventBatch, fromNs: bigint, toNs: bigint): EventBatch {
  const dv = new DataView(batch.data.buffer, batch.data.byteOffset, batch.data.byteLength);
  const offsets = new Uint32Array(batch.count);
  let n = 0;
  for (const off of batch.offsets.subarray(0, batch.count)) {
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
      `expected a ${what} record (type 0x${type.toString(16)}), found type 0x${(head[0] ?? 0).toString(16)}`,
      offset,
    );
  }
  const len = new DataView(head.buffer, head.byteOffset, head.byteLength).getUint32(1, true);
  const max = maxBodyLength(type, limits);
  if (len > max) throw new ScapFormatError(`${what} record declares ${len} bytes, limit ${max}`, offset + 1);
  return readAt(source, offset + RECORD_HEADER_SIZE, len, end);
}

/**
 * Whether no core is free for segment workers (scapkit replay's segments, the viewer's parallel first
 * pass): the 1-minute load average above the cores but one. Segments buy wall time only with idle cores
 * and cost more CPU than a serial replay (bench/replay.bench.mjs, "segments vs serial", measures how
 * much), which a busy machine pays in wall time too. Given the load and the cores (in Node, `loadavg()[0]`
 * and `availableParallelism()` of node:os), so that this entry stays browser-safe.
 */
export function noCoreFree(loadAverage: number, cores: number): boolean {
  return loadAverage > cores - 1;
}

/**
 * `segments` joined with their neighbours into at most about `n` of similar event counts; a joined segment
 * starts at its first part's checkpoint (a segment reader starts from the last one at or before its start).
 * What a pool of `n` workers is given: a busy trace has dozens of checkpoints (every 32 MiB of events).
 */
export function joinSegments(segments: readonly TraceSegment[], n: number): TraceSegment[] {
  let total = 0;
  for (const s of segments) total += s.events;
  const target = total / Math.max(1, n);
  const out: TraceSegment[] = [];
  let open: TraceSegment | undefined;
  for (const s of segments) {
    open = open ? { ...open, end: s.end, events: open.events + s.events } : s;
    if (open.events >= target) {
      out.push(open);
      open = undefined;
    }
  }
  if (open) out.push(open);
  return out;
}
