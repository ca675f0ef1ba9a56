// The scapkit stream reader: bytes in from any async source (a file, a pipe, a socket, a fetch body),
// CaptureRecords out. It needs no footer and no seeking: a file cut by a crash yields every complete chunk
// and then throws ScapTruncatedError at the offset where the complete records end. Given a ChunkDecoder
// (Node's worker pool), it keeps several chunks decoding ahead of the consumer, in file order.

import { codecTable } from '../codec/index.js';
import type { ChunkCodec } from '../codec/types.js';
import { ScapFormatError } from '../errors.js';
import type { CaptureHeader, CaptureRecord, CaptureStream } from '../source.js';
import { type ChunkDecoder, OrderedQueue, ownedBatch, roomFor } from './chunk-decoder.js';
import { DEFAULT_LIMITS, RecordType, type ScapkitLimits } from './constants.js';
import {
  type ChunkBuffers,
  checkpointFromBody,
  decodeChunk,
  parseChunkHeader,
  parseFooterBody,
  parseHeaderBody,
  parseMetadataBody,
} from './records.js';
import { type RawRecord, RecordScanner } from './scanner.js';

export interface ScapkitReadOptions {
  /** Check CRC32C of every record (default true). */
  verifyCrc?: boolean;
  /** Codecs to prefer over the built-in pure-TypeScript ones (e.g. native LZ4). */
  codecs?: readonly ChunkCodec[];
  limits?: Partial<ScapkitLimits>;
  /** Decodes chunks elsewhere, ahead of the consumer (Node: a worker pool); inline by default. */
  chunkDecoder?: ChunkDecoder;
  /**
   * The consumer keeps nothing of a batch once it asks for the next record: the chunk decoder may decode
   * into its buffers again.
   */
  reuseBatchBuffers?: boolean;
}

/** Reads a scapkit trace as a stream of header, metadata, event and stats records. */
export function readScapkit(input: AsyncIterable<Uint8Array>, opts: ScapkitReadOptions = {}): CaptureStream {
  return { [Symbol.asyncIterator]: () => records(input, opts) };
}

async function* records(
  input: AsyncIterable<Uint8Array>,
  opts: ScapkitReadOptions,
): AsyncGenerator<CaptureRecord> {
  const decoder = new RecordDecoder(opts);
  const scanner = new RecordScanner(decoder.limits);
  if (opts.chunkDecoder) {
    yield* ahead(input, scanner, decoder, opts.chunkDecoder, opts.reuseBatchBuffers ?? false);
    return;
  }
  // A consumer done with each batch once it asks for the next record: every chunk decodes into the same
  // buffers (a buffer a chunk made a collection away from being freed: a third of the inline decode's CPU).
  const into: ChunkBuffers | undefined = opts.reuseBatchBuffers ? {} : undefined;
  for await (const bytes of input) {
    scanner.push(bytes);
    for (let rec = scanner.next(); rec; rec = scanner.next()) {
      const out = decoder.decode(rec, `${scanner.preamble!.major}.${scanner.preamble!.minor}`, into);
      if (out) yield out;
      if (decoder.done) return; // the trailer is the last record: stop pulling (a followed file may grow)
    }
  }
  throw scanner.truncated(decoder.sawHeader ? 'scapkit file cut' : 'scapkit file cut before its header');
}

/**
 * The same records with chunks decoding on `chunks` up to its depth ahead of the consumer. Every record
 * (and every error, a scanner's included) takes its place in one ordered queue, so the consumer meets them
 * exactly where the inline reader would.
 */
async function* ahead(
  input: AsyncIterable<Uint8Array>,
  scanner: RecordScanner,
  decoder: RecordDecoder,
  chunks: ChunkDecoder,
  reuse: boolean,
): AsyncGenerator<CaptureRecord> {
  const queue = new OrderedQueue<CaptureRecord | undefined>(chunks.depth);
  let stop = false;
  const drain = async function* (all: boolean): AsyncGenerator<CaptureRecord> {
    while (all ? queue.length > 0 : queue.full) {
      const out = await queue.shift();
      if (!out) continue;
      if (out.kind === 'events' && !reuse) {
        yield { kind: 'events', batch: ownedBatch(chunks, out.batch) };
        continue;
      }
      yield out;
      // The consumer asked for the next record: it is done with this one.
      if (reuse && out.kind === 'events') chunks.recycle?.(out.batch);
    }
  };
  for await (const bytes of input) {
    scanner.push(bytes);
    for (;;) {
      // An error (framing or decoding) ends the reading: it waits its turn in the queue, then is thrown.
      let rec: RawRecord | undefined;
      try {
        rec = scanner.next();
      } catch (e) {
        queue.push(Promise.reject(e));
        stop = true;
        break;
      }
      if (!rec) break;
      const r = rec;
      const version = `${scanner.preamble!.major}.${scanner.preamble!.minor}`;
      stop = !queue.run(() => decoder.decodeWith(r, version, chunks)) || decoder.done;
      yield* drain(false);
      if (stop) break;
    }
    if (stop) break;
  }
  yield* drain(true);
  if (!stop)
    throw scanner.truncated(decoder.sawHeader ? 'scapkit file cut' : 'scapkit file cut before its header');
}

/** Turns raw records into CaptureRecords, enforcing record order. Shared by the stream reader and recover. */
export class RecordDecoder {
  readonly limits: ScapkitLimits;
  readonly verifyCrc: boolean;
  readonly codecs: (id: number, offset: number) => ChunkCodec;
  sawHeader = false;
  sawFooter = false;
  done = false;
  /** Offsets of the chunks read, checked against the footer's index: a chunk lost to a damaged type byte shows. */
  private chunkOffsets: number[] = [];

  constructor(opts: ScapkitReadOptions = {}) {
    this.limits = { ...DEFAULT_LIMITS, ...opts.limits };
    this.verifyCrc = opts.verifyCrc ?? true;
    this.codecs = codecTable(opts.codecs);
  }

  /**
   * As decode(), with a chunk's decoding handed to `chunks` (which copies the body: the scanner reuses
   * its bytes); every other record is decoded here.
   */
  decodeWith(
    rec: RawRecord,
    version: string,
    chunks: ChunkDecoder,
  ): CaptureRecord | undefined | Promise<CaptureRecord> {
    if (rec.type !== RecordType.CHUNK || !this.sawHeader) return this.decode(rec, version);
    this.chunkOffsets.push(rec.offset);
    return chunks.decode(rec.body, rec.offset).then((batch) => ({ kind: 'events', batch }));
  }

  /**
   * The record's meaning, or undefined for records that carry nothing for the consumer. A chunk's events
   * are decoded into `into`'s buffers when they are large enough (they are replaced when not).
   */
  decode(rec: RawRecord, version = '1.0', into?: ChunkBuffers): CaptureRecord | undefined {
    if (!this.sawHeader) {
      if (rec.type !== RecordType.HEADER) {
        throw new ScapFormatError(
          `first record: expected header (type 0x01), found type 0x${rec.type.toString(16)}`,
          rec.offset,
        );
      }
      this.sawHeader = true;
      const fields = parseHeaderBody(rec.body, rec.offset, this.verifyCrc);
      const header: CaptureHeader = { ...fields, format: 'scapkit', version };
      return { kind: 'header', header };
    }
    switch (rec.type) {
      case RecordType.HEADER:
        throw new ScapFormatError('a second header record', rec.offset);
      case RecordType.METADATA:
        return {
          kind: 'metadata',
          metadata: parseMetadataBody(rec.body, rec.offset, this.codecs, this.limits, this.verifyCrc),
        };
      case RecordType.CHUNK: {
        const h = parseChunkHeader(rec.body, rec.offset, this.limits);
        if (into) {
          if (!into.data || into.data.byteLength < h.rawLength)
            into.data = new ArrayBuffer(roomFor(h.rawLength));
          if (!into.offsets || into.offsets.byteLength < h.eventCount * 4)
            into.offsets = new ArrayBuffer(roomFor(h.eventCount * 4));
        }
        const batch = decodeChunk(rec.body, h, rec.offset, this.codecs, this.verifyCrc, into);
        this.chunkOffsets.push(rec.offset);
        return { kind: 'events', batch };
      }
      case RecordType.CHECKPOINT:
        // Copied: the tables are decoded only if the consumer starts here, after the scanner reused its bytes.
        return {
          kind: 'checkpoint',
          checkpoint: checkpointFromBody(
            rec.body.slice(),
            rec.offset,
            this.codecs,
            this.limits,
            this.verifyCrc,
          ),
        };
      case RecordType.FOOTER: {
        this.sawFooter = true;
        const footer = parseFooterBody(rec.body, rec.offset, this.verifyCrc);
        const seen = this.chunkOffsets;
        const indexed = footer.chunks;
        for (let i = 0; i < Math.max(seen.length, indexed.length); i++) {
          if (seen[i] !== indexed[i]?.offset) {
            throw new ScapFormatError(
              `footer index: chunk ${i} expected at offset ${indexed[i]?.offset ?? '(none)'}, found ${seen[i] ?? '(none)'} in the stream`,
              rec.offset,
            );
          }
        }
        return { kind: 'stats', stats: footer.stats };
      }
      case RecordType.TRAILER:
        if (!this.sawFooter) throw new ScapFormatError('trailer without a footer before it', rec.offset);
        this.done = true;
        return undefined;
      default:
        return undefined; // a record type from a later minor version: skipped by its length
    }
  }
}
