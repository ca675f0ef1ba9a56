// Chunk records of a scapkit v1 file: the parsing and decoding of a chunk's body (CRC32C, decompression,
// framing of its events). Apart from records.ts, which handles the other records (and whose msgpack a
// chunk never needs), so that a decoding worker loads only this.
import type { EventBatch } from '../batch.js';
import { EVENT_HEADER_SIZE, FRAME_SIZE } from '../batch.js';
import type { ChunkCodec } from '../codec/types.js';
import { crc32c } from '../crc32c.js';
import { ScapFormatError } from '../errors.js';
import { CHUNK_HEADER_SIZE, MIN_FRAMED_EVENT, RECORD_HEADER_SIZE, type ScapkitLimits } from './constants.js';

export const le = (b: Uint8Array): DataView => new DataView(b.buffer, b.byteOffset, b.byteLength);

export interface ChunkHeader {
  codec: number;
  eventCount: number;
  rawLength: number;
  storedLength: number;
  /** Earliest and latest event timestamps in the chunk (ns). */
  firstTs: bigint;
  lastTs: bigint;
  crc: number;
}

export function crcError(what: string, offset: number, want: number, got: number): ScapFormatError {
  const hex = (x: number) => `0x${x.toString(16).padStart(8, '0')}`;
  return new ScapFormatError(`${what} CRC32C mismatch: expected ${hex(want)}, found ${hex(got)}`, offset);
}

/** Buffers a decoder may fill instead of allocating (a reader that reuses its batches hands them back). */
export interface ChunkBuffers {
  data?: ArrayBufferLike;
  offsets?: ArrayBufferLike;
  /** A decode pool's: the buffer a chunk's body was copied into, going back to be copied into again. */
  body?: ArrayBufferLike;
}

/** A record's stored payload decompressed to exactly `rawLength` bytes (into `into` when it has room). */
export function decompress(
  codec: ChunkCodec,
  stored: Uint8Array,
  rawLength: number,
  at: number,
  what: string,
  into?: ArrayBufferLike,
): Uint8Array {
  const name = codec.name ?? `codec ${codec.id}`;
  if (codec.maxRawLength && rawLength > codec.maxRawLength(stored.length)) {
    throw new ScapFormatError(
      `${what} declares ${rawLength} raw bytes, more than ${stored.length} ${name} bytes can decode to`,
      at,
    );
  }
  let raw: Uint8Array;
  try {
    if (into && codec.decompressInto && into.byteLength >= rawLength) {
      raw = new Uint8Array(into, 0, rawLength);
      codec.decompressInto(stored, raw);
    } else {
      raw = codec.decompress(stored, rawLength);
    }
  } catch (e) {
    if (e instanceof ScapFormatError) {
      throw new ScapFormatError(`${what} body (${name}): ${e.reason}`, at + Math.max(0, e.offset));
    }
    throw e;
  }
  // An injected codec that returns another length is as wrong as a corrupt block.
  if (raw.length !== rawLength) {
    throw new ScapFormatError(
      `${what} body (${name}) decodes to ${raw.length} bytes, expected ${rawLength}`,
      at,
    );
  }
  return raw;
}

/** Parses and bounds a chunk header; the body is not touched. */
export function parseChunkHeader(body: Uint8Array, offset: number, limits: ScapkitLimits): ChunkHeader {
  const at = offset + RECORD_HEADER_SIZE;
  if (body.length < CHUNK_HEADER_SIZE) {
    throw new ScapFormatError(
      `chunk record of ${body.length} bytes, shorter than its ${CHUNK_HEADER_SIZE}-byte header`,
      at,
    );
  }
  const dv = le(body);
  const h: ChunkHeader = {
    codec: dv.getUint8(0),
    eventCount: dv.getUint32(4, true),
    rawLength: dv.getUint32(8, true),
    storedLength: dv.getUint32(12, true),
    firstTs: dv.getBigUint64(16, true),
    lastTs: dv.getBigUint64(24, true),
    crc: dv.getUint32(32, true),
  };
  if (h.storedLength !== body.length - CHUNK_HEADER_SIZE) {
    throw new ScapFormatError(
      `chunk stored length: expected ${body.length - CHUNK_HEADER_SIZE} (from the record length), found ${h.storedLength}`,
      at + 12,
    );
  }
  if (h.rawLength > limits.maxChunkRawBytes) {
    throw new ScapFormatError(
      `chunk declares ${h.rawLength} raw bytes, limit ${limits.maxChunkRawBytes}`,
      at + 8,
    );
  }
  if (h.eventCount * MIN_FRAMED_EVENT > h.rawLength || (h.eventCount === 0) !== (h.rawLength === 0)) {
    throw new ScapFormatError(`chunk declares ${h.eventCount} events in ${h.rawLength} raw bytes`, at + 4);
  }
  if (h.firstTs > h.lastTs)
    throw new ScapFormatError(`chunk first ts ${h.firstTs} after last ts ${h.lastTs}`, at + 16);
  return h;
}

/**
 * Checks the CRC32C of a chunk or checkpoint record at `offset`: it covers the body's first 32 bytes (the
 * fixed fields before the CRC) and the stored payload after the `headerSize` bytes of its header.
 */
export function verifyRecordCrc(
  what: 'chunk' | 'checkpoint',
  body: Uint8Array,
  headerSize: number,
  want: number,
  offset: number,
): void {
  const got = crc32c(body, crc32c(body, 0, 0, 32), headerSize);
  if (got !== want) throw crcError(what, offset + RECORD_HEADER_SIZE + 32, want, got);
}

/** Checks the chunk's CRC32C (header fields and stored body). */
export function verifyChunkCrc(body: Uint8Array, h: ChunkHeader, offset: number): void {
  verifyRecordCrc('chunk', body, CHUNK_HEADER_SIZE, h.crc, offset);
}

/**
 * Decompresses a chunk and frames its events into a batch, checking that exactly `eventCount` well-formed
 * events fill exactly `rawLength` bytes.
 */
export function decodeChunk(
  body: Uint8Array,
  h: ChunkHeader,
  offset: number,
  codecs: (id: number, offset: number) => ChunkCodec,
  verifyCrc: boolean,
  into?: ChunkBuffers,
): EventBatch {
  const at = offset + RECORD_HEADER_SIZE;
  if (verifyCrc) verifyChunkCrc(body, h, offset);
  const stored = body.subarray(CHUNK_HEADER_SIZE);
  const codec = codecs(h.codec, at);
  const data = decompress(codec, stored, h.rawLength, at + CHUNK_HEADER_SIZE, 'chunk', into?.data);
  const offsets =
    into?.offsets && into.offsets.byteLength >= h.eventCount * 4
      ? new Uint32Array(into.offsets, 0, h.eventCount)
      : new Uint32Array(h.eventCount);
  return frameChunk(data, offsets, at);
}

/**
 * The offsets of a chunk's `offsets.length` events in `data`. Its errors are made out of line: with the
 * template strings in the loop, TurboFan's code converted the loop's numbers to strings for every event
 * (Builtins_NumberToString, a string allocated and cached each time: 3-5% of a decoding worker's perf
 * samples on work.scap, a tenth of its instructions under callgrind).
 */
function frameChunk(data: Uint8Array, offsets: Uint32Array, at: number): EventBatch {
  const count = offsets.length;
  const dv = le(data);
  const n = data.length;
  let p = 0;
  for (let i = 0; i < count; i++) {
    if (n - p < FRAME_SIZE + EVENT_HEADER_SIZE) throw framingError(at, 'short', i, count);
    const len = dv.getUint32(p + FRAME_SIZE + 16, true);
    if (len < EVENT_HEADER_SIZE || len > n - p - FRAME_SIZE) {
      throw framingError(at, 'length', i, len, n - p - FRAME_SIZE);
    }
    offsets[i] = p + FRAME_SIZE;
    p += FRAME_SIZE + len;
  }
  if (p !== n) throw framingError(at, 'end', p, n);
  return { data, offsets, count };
}

/** frameChunk's errors: `short` (event a, header count b), `length` (event a of length b, c bytes left), `end` (events end at a, raw length b). */
function framingError(
  at: number,
  what: 'short' | 'length' | 'end',
  a: number,
  b: number,
  c = 0,
): ScapFormatError {
  const message =
    what === 'short'
      ? `chunk holds ${a} events, header says ${b}`
      : what === 'length'
        ? `event ${a} of chunk has length ${b}, ${c} bytes left`
        : `chunk events end at raw byte ${a}, raw length is ${b}`;
  return new ScapFormatError(message, at);
}
