// IndexedScapkitReader: random access to a closed scapkit file through its footer. open() reads the
// preamble, the header record, the trailer and the footer; readRange() seeks straight to the chunks whose
// time range meets the query, using the index, without scanning the file.
import { type FileHandle, open } from 'node:fs/promises';
import type { EventBatch } from '../batch.js';
import { codecTable } from '../codec/index.js';
import type { ChunkCodec } from '../codec/types.js';
import { ScapFormatError, ScapTruncatedError } from '../errors.js';
import {
  CHUNK_HEADER_SIZE,
  DEFAULT_LIMITS,
  PREAMBLE_SIZE,
  RECORD_HEADER_SIZE,
  RecordType,
  type ScapkitLimits,
  TRAILER_SIZE,
} from '../scapkit/constants.js';
import type { ScapkitReadOptions } from '../scapkit/reader.js';
import {
  type ChunkIndexEntry,
  decodeChunk,
  maxBodyLength,
  parseChunkHeader,
  parseFooterBody,
  parseHeaderBody,
  parseMetadataBody,
  parsePreamble,
  parseTrailer,
} from '../scapkit/records.js';
import type { CaptureHeader, CaptureRecord, CaptureStats, CaptureStream } from '../source.js';
import { installedNativeCodecs } from './open-file.js';

export class IndexedScapkitReader {
  private constructor(
    private readonly fh: FileHandle,
    readonly path: string,
    readonly size: number,
    readonly header: CaptureHeader,
    /** The chunk index, in file order. */
    readonly chunks: readonly ChunkIndexEntry[],
    /** File offsets of the metadata records, in file order. */
    readonly metadataOffsets: readonly number[],
    readonly stats: CaptureStats,
    private readonly limits: ScapkitLimits,
    private readonly codecs: (id: number, offset: number) => ChunkCodec,
    private readonly verifyCrc: boolean,
  ) {}

  /** Opens a closed scapkit file; an unclosed one (no trailer) is a ScapFormatError: read it as a stream. */
  static async open(path: string, opts: ScapkitReadOptions = {}): Promise<IndexedScapkitReader> {
    const fh = await open(path, 'r');
    try {
      const limits = { ...DEFAULT_LIMITS, ...opts.limits };
      const verifyCrc = opts.verifyCrc ?? true;
      const codecs = codecTable([...installedNativeCodecs(), ...(opts.codecs ?? [])]);
      const size = (await fh.stat()).size;
      const preamble = parsePreamble(await readAt(fh, 0, PREAMBLE_SIZE, size));
      const headerRec = await readRecord(fh, PREAMBLE_SIZE, RecordType.HEADER, 'header', limits, size);
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
        await readAt(fh, trailerAt, TRAILER_SIZE, size),
        trailerAt,
      );
      if (footerOffset < PREAMBLE_SIZE || footerOffset + footerLength !== trailerAt) {
        throw new ScapFormatError(
          `trailer points at a footer of ${footerLength} bytes at ${footerOffset}, which does not end at the trailer (${trailerAt})`,
          trailerAt,
        );
      }
      const footerBody = await readRecord(fh, footerOffset, RecordType.FOOTER, 'footer', limits, trailerAt);
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
      return new IndexedScapkitReader(
        fh,
        path,
        size,
        header,
        footer.chunks,
        footer.metadataOffsets,
        footer.stats,
        limits,
        codecs,
        verifyCrc,
      );
    } catch (e) {
      await fh.close();
      throw e;
    }
  }

  /** The chunks whose time range meets [fromNs, toNs]. */
  chunksInRange(fromNs: bigint, toNs: bigint): ChunkIndexEntry[] {
    return this.chunks.filter((c) => c.lastTs >= fromNs && c.firstTs <= toNs);
  }

  /**
   * The header, the metadata in force at the first matching chunk (and any metadata record between the
   * matching chunks), the events with fromNs ≤ ts ≤ toNs, then the stats.
   */
  readRange(fromNs: bigint, toNs: bigint): CaptureStream {
    return { [Symbol.asyncIterator]: () => this.range(fromNs, toNs) };
  }

  /** Every record of the file, through the index. */
  readAll(): CaptureStream {
    return this.readRange(0n, 0xffffffffffffffffn);
  }

  async close(): Promise<void> {
    await this.fh.close();
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

  private async metadataAt(offset: number) {
    const body = await readRecord(this.fh, offset, RecordType.METADATA, 'metadata', this.limits, this.size);
    return parseMetadataBody(body, offset, this.codecs, this.limits, this.verifyCrc);
  }

  private async chunkAt(c: ChunkIndexEntry): Promise<EventBatch> {
    const rec = await readAt(this.fh, c.offset, c.recordLength, this.size);
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

async function readAt(fh: FileHandle, offset: number, length: number, size: number): Promise<Uint8Array> {
  if (offset + length > size) {
    throw new ScapTruncatedError(
      `the file ends at ${size}, inside a ${length}-byte record`,
      offset,
      size - offset,
    );
  }
  const buf = new Uint8Array(length);
  let p = 0;
  while (p < length) {
    const { bytesRead } = await fh.read(buf, p, length - p, offset + p);
    if (bytesRead === 0) throw new ScapTruncatedError('the file shrank while being read', offset + p, p);
    p += bytesRead;
  }
  return buf;
}

/** Reads the body of the record at `offset`, which must be of `type`; `end` bounds where it may reach. */
async function readRecord(
  fh: FileHandle,
  offset: number,
  type: number,
  what: string,
  limits: ScapkitLimits,
  end: number,
): Promise<Uint8Array> {
  const head = await readAt(fh, offset, RECORD_HEADER_SIZE, end);
  if (head[0] !== type) {
    throw new ScapFormatError(
      `expected a ${what} record (type 0x${type.toString(16)}), found type 0x${head[0]!.toString(16)}`,
      offset,
    );
  }
  const len = new DataView(head.buffer).getUint32(1, true);
  const max = maxBodyLength(type, limits);
  if (len > max) throw new ScapFormatError(`${what} record declares ${len} bytes, limit ${max}`, offset + 1);
  return readAt(fh, offset + RECORD_HEADER_SIZE, len, end);
}
