import type { ChunkCodec } from '../codec/types.js';
import { CodecId } from '../codec/types.js';
import { crc32c } from '../crc32c.js';
import { ScapFormatError } from '../errors.js';
import type { CaptureMetadata, MachineInfo } from '../metadata.js';
import type { CaptureStats, Checkpoint } from '../source.js';
import { crcError, decompress, le, verifyRecordCrc } from './chunk-record.js';
import {
  CHECKPOINT_HEADER_SIZE,
  CHUNK_ENTRY_SIZE,
  CHUNK_HEADER_SIZE,
  FOOTER_FIXED_SIZE,
  FORMAT_MAJOR,
  FORMAT_MINOR,
  HEADER_CRC_SIZE,
  MAGIC,
  METADATA_HEADER_SIZE,
  PREAMBLE_SIZE,
  RECORD_HEADER_SIZE,
  RecordType,
  type ScapkitLimits,
  TRAILER_BODY_SIZE,
  TRAILER_SIZE,
} from './constants.js';
import {
  checkHeaderFields,
  MAX_METADATA_CONTAINERS,
  metadataFromWire,
  metadataToWire,
} from './metadata-wire.js';
import { checkMsgpackContainers, decodeMsgpack, encodeMsgpack, expectMap } from './msgpack.js';

export {
  type ChunkBuffers,
  type ChunkHeader,
  decodeChunk,
  parseChunkHeader,
  verifyChunkCrc,
} from './chunk-record.js';

/** Header fields a recorder writes; any other field is kept and read back as is. */
export interface ScapkitHeaderFields {
  machine?: MachineInfo;
  recorderVersion?: string;
  /** Version of the event table the events were recorded with. */
  eventTableVersion?: string;
  snaplen?: number;
  /** The capture filter, as the user wrote it. */
  filter?: string;
  /** Capture start, ns since the epoch. */
  startTs?: bigint;
  [key: string]: unknown;
}

/** One entry of the footer's chunk index. */
export interface ChunkIndexEntry {
  /** File offset of the chunk record (its type byte). */
  offset: number;
  firstTs: bigint;
  lastTs: bigint;
  eventCount: number;
  /** Length of the whole record, its 5-byte record header included. */
  recordLength: number;
}

/** One entry of the footer's checkpoint index (v1.1). */
export interface CheckpointIndexEntry {
  /** File offset of the checkpoint record (its type byte). */
  offset: number;
  /** Length of the whole record, its 5-byte record header included. */
  recordLength: number;
  /** As in the record's header: events before it, and their latest timestamp (ns). */
  eventsBefore: number;
  ts: bigint;
}

/** The fixed fields of a checkpoint record. */
export interface CheckpointHeader {
  codec: number;
  rawLength: number;
  eventsBefore: number;
  ts: bigint;
  firstTs: bigint;
  crc: number;
}

/** Where a replay stands at a checkpoint: what the writer puts in the record's header. */
export interface CheckpointPosition {
  eventsBefore: number;
  ts: bigint;
  firstTs: bigint;
}

export interface Footer {
  chunks: ChunkIndexEntry[];
  /** File offsets of the metadata records, in file order. */
  metadataOffsets: number[];
  /** The checkpoint records, in file order (empty in v1.0 files). */
  checkpoints: CheckpointIndexEntry[];
  stats: CaptureStats;
}

/** Key of the footer map that holds the checkpoint index (v1.1); the map's other keys are the stats. */
const FOOTER_CHECKPOINTS_KEY = 'checkpoints';

export interface Preamble {
  major: number;
  minor: number;
}

// ---- encoding --------------------------------------------------------------------------------------------

export function encodePreamble(minor = FORMAT_MINOR): Uint8Array {
  const b = new Uint8Array(PREAMBLE_SIZE);
  b.set(MAGIC);
  const dv = le(b);
  dv.setUint16(8, FORMAT_MAJOR, true);
  dv.setUint16(10, minor, true);
  return b;
}

/** A record with room for `bodyLength` bytes; the caller fills the body from RECORD_HEADER_SIZE. */
export function allocRecord(type: number, bodyLength: number): Uint8Array {
  const b = new Uint8Array(RECORD_HEADER_SIZE + bodyLength);
  b[0] = type;
  le(b).setUint32(1, bodyLength, true);
  return b;
}

export function encodeHeaderRecord(fields: ScapkitHeaderFields): Uint8Array {
  const payload = encodeMsgpack(fields);
  const rec = allocRecord(RecordType.HEADER, HEADER_CRC_SIZE + payload.length);
  le(rec).setUint32(RECORD_HEADER_SIZE, crc32c(payload), true);
  rec.set(payload, RECORD_HEADER_SIZE + HEADER_CRC_SIZE);
  return rec;
}

export function encodeMetadataRecord(meta: CaptureMetadata, codec: ChunkCodec): Uint8Array {
  const raw = encodeMsgpack(metadataToWire(meta));
  let stored = codec.compress(raw);
  let codecId = codec.id;
  if (stored.length >= raw.length) {
    stored = raw;
    codecId = CodecId.NONE;
  }
  const rec = allocRecord(RecordType.METADATA, METADATA_HEADER_SIZE + stored.length);
  const dv = le(rec);
  const h = RECORD_HEADER_SIZE;
  rec[h] = codecId;
  dv.setUint32(h + 4, raw.length, true);
  dv.setUint32(h + 8, crc32c(stored), true);
  rec.set(stored, h + METADATA_HEADER_SIZE);
  return rec;
}

/**
 * A checkpoint record: the tables (`meta`, in the METADATA payload's msgpack form) at `pos`, compressed
 * with `codec` unless that does not pay.
 */
export function encodeCheckpointRecord(
  meta: CaptureMetadata,
  pos: CheckpointPosition,
  codec: ChunkCodec,
): Uint8Array {
  const raw = encodeMsgpack(metadataToWire(meta));
  let stored = codec.compress(raw);
  let codecId = codec.id;
  if (stored.length >= raw.length) {
    stored = raw;
    codecId = CodecId.NONE;
  }
  const rec = allocRecord(RecordType.CHECKPOINT, CHECKPOINT_HEADER_SIZE + stored.length);
  const dv = le(rec);
  const h = RECORD_HEADER_SIZE;
  rec[h] = codecId;
  dv.setUint32(h + 4, raw.length, true);
  dv.setBigUint64(h + 8, BigInt(pos.eventsBefore), true);
  dv.setBigUint64(h + 16, pos.ts, true);
  dv.setBigUint64(h + 24, pos.firstTs, true);
  rec.set(stored, h + CHECKPOINT_HEADER_SIZE);
  dv.setUint32(h + 32, crc32c(stored, crc32c(rec, 0, h, h + 32)), true);
  return rec;
}

/**
 * The record header and chunk header of a chunk whose stored body is `stored` (written after it, so the
 * body is never copied).
 */
export function encodeChunkHead(
  codecId: number,
  eventCount: number,
  rawLength: number,
  stored: Uint8Array,
  firstTs: bigint,
  lastTs: bigint,
): Uint8Array {
  const head = new Uint8Array(RECORD_HEADER_SIZE + CHUNK_HEADER_SIZE);
  head[0] = RecordType.CHUNK;
  le(head).setUint32(1, CHUNK_HEADER_SIZE + stored.length, true);
  const dv = le(head);
  const h = RECORD_HEADER_SIZE;
  head[h] = codecId;
  dv.setUint32(h + 4, eventCount, true);
  dv.setUint32(h + 8, rawLength, true);
  dv.setUint32(h + 12, stored.length, true);
  dv.setBigUint64(h + 16, firstTs, true);
  dv.setBigUint64(h + 24, lastTs, true);
  const crc = crc32c(stored, crc32c(head, 0, h, h + 32));
  dv.setUint32(h + 32, crc, true);
  return head;
}

export function encodeFooterRecord(footer: Footer): Uint8Array {
  // The checkpoint index rides in the footer's final map, beside the stats: a v1.0 reader decodes that map
  // whole and keeps keys it does not know, where a new binary section would have broken it.
  const map: Record<string, unknown> = { ...footer.stats };
  delete map[FOOTER_CHECKPOINTS_KEY];
  if (footer.checkpoints.length > 0) {
    map[FOOTER_CHECKPOINTS_KEY] = footer.checkpoints.map((c) => ({
      offset: c.offset,
      length: c.recordLength,
      eventsBefore: c.eventsBefore,
      ts: c.ts,
    }));
  }
  const stats = encodeMsgpack(map);
  const n = footer.chunks.length;
  const m = footer.metadataOffsets.length;
  const bodyLength = FOOTER_FIXED_SIZE + n * CHUNK_ENTRY_SIZE + m * 8 + stats.length;
  const rec = allocRecord(RecordType.FOOTER, bodyLength);
  const dv = le(rec);
  const h = RECORD_HEADER_SIZE;
  dv.setUint16(h + 4, CHUNK_ENTRY_SIZE, true);
  dv.setUint32(h + 8, n, true);
  dv.setUint32(h + 12, m, true);
  let p = h + FOOTER_FIXED_SIZE;
  for (const c of footer.chunks) {
    dv.setBigUint64(p, BigInt(c.offset), true);
    dv.setBigUint64(p + 8, c.firstTs, true);
    dv.setBigUint64(p + 16, c.lastTs, true);
    dv.setUint32(p + 24, c.eventCount, true);
    dv.setUint32(p + 28, c.recordLength, true);
    p += CHUNK_ENTRY_SIZE;
  }
  for (const o of footer.metadataOffsets) {
    dv.setBigUint64(p, BigInt(o), true);
    p += 8;
  }
  rec.set(stats, p);
  dv.setUint32(h, crc32c(rec, 0, h + 4, rec.length), true);
  return rec;
}

export function encodeTrailerRecord(footerOffset: number, footerLength: number): Uint8Array {
  const rec = allocRecord(RecordType.TRAILER, TRAILER_BODY_SIZE);
  const dv = le(rec);
  dv.setBigUint64(RECORD_HEADER_SIZE, BigInt(footerOffset), true);
  dv.setUint32(RECORD_HEADER_SIZE + 8, footerLength, true);
  rec.set(MAGIC, RECORD_HEADER_SIZE + 12);
  return rec;
}

// ---- parsing ---------------------------------------------------------------------------------------------

/** Checks the magic as far as `b` goes, so a wrong file is refused at its first wrong byte. */
export function checkMagic(b: Uint8Array): void {
  for (let i = 0; i < MAGIC.length && i < b.length; i++) {
    if (b[i] !== MAGIC[i]) {
      throw new ScapFormatError(
        `not a scapkit file: byte ${i} is 0x${(b[i] ?? 0).toString(16)}, expected 0x${(MAGIC[i] ?? 0).toString(16)}`,
        i,
      );
    }
  }
}

/** Parses the 16-byte preamble at file offset 0; rejects a major version this reader does not know. */
export function parsePreamble(b: Uint8Array): Preamble {
  checkMagic(b);
  const dv = le(b);
  const major = dv.getUint16(8, true);
  if (major !== FORMAT_MAJOR) {
    throw new ScapFormatError(
      `unsupported scapkit format major version ${major}, this reader knows ${FORMAT_MAJOR}`,
      8,
    );
  }
  return { major, minor: dv.getUint16(10, true) };
}

/** Largest body a record of `type` may declare; a bigger one is corrupt, however the file goes on. */
export function maxBodyLength(type: number, limits: ScapkitLimits): number {
  switch (type) {
    case RecordType.HEADER:
      return limits.maxHeaderBytes;
    case RecordType.CHUNK:
      // LZ4's worst case, above zstd's (n + n/256 + 512); a chunk that did not compress is stored raw.
      return CHUNK_HEADER_SIZE + limits.maxChunkRawBytes + ((limits.maxChunkRawBytes / 255) | 0) + 16;
    case RecordType.TRAILER:
      return TRAILER_BODY_SIZE;
    default:
      return limits.maxRecordBytes;
  }
}

export function parseHeaderBody(
  body: Uint8Array,
  offset: number,
  verifyCrc: boolean,
): Record<string, unknown> {
  if (body.length < HEADER_CRC_SIZE) throw new ScapFormatError('header record shorter than its CRC', offset);
  const at = offset + RECORD_HEADER_SIZE;
  if (verifyCrc) {
    const want = le(body).getUint32(0, true);
    const got = crc32c(body, 0, HEADER_CRC_SIZE);
    if (want !== got) throw crcError('header', at, want, got);
  }
  // Decoded from a copy: msgpack binary values are views, and must not alias the reader's buffer.
  const payload = body.slice(HEADER_CRC_SIZE);
  const fields = expectMap(decodeMsgpack(payload, at + HEADER_CRC_SIZE, 'header'), at, 'header');
  return checkHeaderFields(fields, at + HEADER_CRC_SIZE);
}

export function parseMetadataBody(
  body: Uint8Array,
  offset: number,
  codecs: (id: number, offset: number) => ChunkCodec,
  limits: ScapkitLimits,
  verifyCrc: boolean,
): CaptureMetadata {
  const at = offset + RECORD_HEADER_SIZE;
  if (body.length < METADATA_HEADER_SIZE)
    throw new ScapFormatError('metadata record shorter than its header', at);
  const dv = le(body);
  const rawLength = dv.getUint32(4, true);
  checkTablesRawLength(rawLength, limits, 'metadata', at + 4);
  const stored = body.subarray(METADATA_HEADER_SIZE);
  if (verifyCrc) {
    const want = dv.getUint32(8, true);
    const got = crc32c(stored);
    if (want !== got) throw crcError('metadata', at, want, got);
  }
  return decodeTables(
    codecs(le(body).getUint8(0), at),
    stored,
    rawLength,
    at + METADATA_HEADER_SIZE,
    'metadata',
    at,
  );
}

function checkTablesRawLength(rawLength: number, limits: ScapkitLimits, what: string, at: number): void {
  const maxRaw = Math.min(limits.maxRecordBytes, limits.maxMetadataRawBytes);
  if (rawLength > maxRaw) {
    throw new ScapFormatError(`${what} declares ${rawLength} raw bytes, limit ${maxRaw}`, at);
  }
}

/** The tables of a metadata or checkpoint record from its stored payload. */
function decodeTables(
  codec: ChunkCodec,
  stored: Uint8Array,
  rawLength: number,
  at: number,
  what: string,
  recordAt: number,
): CaptureMetadata {
  const raw = decompress(codec, stored, rawLength, at, what);
  // Each map or list costs far more heap than its msgpack bytes: count them before building any.
  checkMsgpackContainers(raw, MAX_METADATA_CONTAINERS, at, what);
  return metadataFromWire(decodeMsgpack(raw, at, what), recordAt);
}

/** Parses and bounds a checkpoint's fixed fields; the payload is not touched. */
export function parseCheckpointHeader(
  body: Uint8Array,
  offset: number,
  limits: ScapkitLimits,
): CheckpointHeader {
  const at = offset + RECORD_HEADER_SIZE;
  if (body.length < CHECKPOINT_HEADER_SIZE) {
    throw new ScapFormatError(
      `checkpoint record of ${body.length} bytes, shorter than its ${CHECKPOINT_HEADER_SIZE}-byte header`,
      at,
    );
  }
  const dv = le(body);
  const h: CheckpointHeader = {
    codec: dv.getUint8(0),
    rawLength: dv.getUint32(4, true),
    eventsBefore: safeOffset(dv.getBigUint64(8, true), at + 8),
    ts: dv.getBigUint64(16, true),
    firstTs: dv.getBigUint64(24, true),
    crc: dv.getUint32(32, true),
  };
  checkTablesRawLength(h.rawLength, limits, 'checkpoint', at + 4);
  return h;
}

/** Checks the checkpoint's CRC32C (its fixed fields and stored payload). */
export function verifyCheckpointCrc(body: Uint8Array, h: CheckpointHeader, offset: number): void {
  verifyRecordCrc('checkpoint', body, CHECKPOINT_HEADER_SIZE, h.crc, offset);
}

/** The tables of a checkpoint record whose CRC was checked. */
export function decodeCheckpointTables(
  body: Uint8Array,
  h: CheckpointHeader,
  offset: number,
  codecs: (id: number, offset: number) => ChunkCodec,
): CaptureMetadata {
  const at = offset + RECORD_HEADER_SIZE;
  const stored = body.subarray(CHECKPOINT_HEADER_SIZE);
  return decodeTables(
    codecs(h.codec, at),
    stored,
    h.rawLength,
    at + CHECKPOINT_HEADER_SIZE,
    'checkpoint',
    at,
  );
}

/**
 * A Checkpoint over a checkpoint record's body (which it keeps: pass a copy the caller will not reuse).
 * The fixed fields and the CRC are checked now, the tables decoded on demand; a record that fails a check
 * is returned with `damage` set, since the events around it read fine without it.
 */
export function checkpointFromBody(
  body: Uint8Array,
  offset: number,
  codecs: (id: number, offset: number) => ChunkCodec,
  limits: ScapkitLimits,
  verifyCrc: boolean,
): Checkpoint {
  let h: CheckpointHeader | undefined;
  let damage: ScapFormatError | undefined;
  try {
    h = parseCheckpointHeader(body, offset, limits);
    if (verifyCrc) verifyCheckpointCrc(body, h, offset);
  } catch (e) {
    if (!(e instanceof ScapFormatError)) throw e;
    damage = e;
  }
  const header = h;
  return {
    offset,
    eventsBefore: header?.eventsBefore ?? 0,
    ts: header?.ts ?? 0n,
    firstTs: header?.firstTs ?? 0n,
    damage,
    metadata: () => {
      if (damage || !header) throw damage;
      return decodeCheckpointTables(body, header, offset, codecs);
    },
  };
}

export function parseFooterBody(body: Uint8Array, offset: number, verifyCrc: boolean): Footer {
  const at = offset + RECORD_HEADER_SIZE;
  if (body.length < FOOTER_FIXED_SIZE) throw new ScapFormatError('footer shorter than its fixed part', at);
  const dv = le(body);
  if (verifyCrc) {
    const want = dv.getUint32(0, true);
    const got = crc32c(body, 0, 4);
    if (want !== got) throw crcError('footer', at, want, got);
  }
  const entrySize = dv.getUint16(4, true);
  const n = dv.getUint32(8, true);
  const m = dv.getUint32(12, true);
  if (entrySize < CHUNK_ENTRY_SIZE)
    throw new ScapFormatError(`footer index entries of ${entrySize} bytes`, at + 4);
  if (n * entrySize + m * 8 > body.length - FOOTER_FIXED_SIZE) {
    throw new ScapFormatError(
      `footer declares ${n} chunks and ${m} metadata records, more than it holds`,
      at + 8,
    );
  }
  const chunks: ChunkIndexEntry[] = [];
  let p = FOOTER_FIXED_SIZE;
  for (let i = 0; i < n; i++, p += entrySize) {
    chunks.push({
      offset: safeOffset(dv.getBigUint64(p, true), at + p),
      firstTs: dv.getBigUint64(p + 8, true),
      lastTs: dv.getBigUint64(p + 16, true),
      eventCount: dv.getUint32(p + 24, true),
      recordLength: dv.getUint32(p + 28, true),
    });
  }
  const metadataOffsets: number[] = [];
  for (let i = 0; i < m; i++, p += 8) metadataOffsets.push(safeOffset(dv.getBigUint64(p, true), at + p));
  const stats = expectMap(decodeMsgpack(body.slice(p), at + p, 'footer stats'), at + p, 'footer stats');
  const checkpoints = checkpointIndexFromWire(stats[FOOTER_CHECKPOINTS_KEY], at + p);
  delete stats[FOOTER_CHECKPOINTS_KEY];
  return { chunks, metadataOffsets, checkpoints, stats: stats as CaptureStats };
}

function checkpointIndexFromWire(v: unknown, at: number): CheckpointIndexEntry[] {
  if (v === undefined) return [];
  const bad = (what: string) => new ScapFormatError(`footer checkpoint index: ${what}`, at);
  if (!Array.isArray(v)) throw bad('expected a list');
  const num = (x: unknown, what: string): number => {
    const n = typeof x === 'bigint' ? safeOffset(x, at) : x;
    if (typeof n !== 'number' || !Number.isSafeInteger(n) || n < 0) throw bad(`${what} is not a count`);
    return n;
  };
  return v.map((e, i) => {
    if (typeof e !== 'object' || e === null || Array.isArray(e)) throw bad(`entry ${i} is not a map`);
    const m = e as Record<string, unknown>;
    const ts = typeof m.ts === 'number' && Number.isSafeInteger(m.ts) ? BigInt(m.ts) : m.ts;
    if (typeof ts !== 'bigint' || ts < 0n) throw bad(`entry ${i}: ts is not a timestamp`);
    return {
      offset: num(m.offset, `entry ${i}: offset`),
      recordLength: num(m.length, `entry ${i}: length`),
      eventsBefore: num(m.eventsBefore, `entry ${i}: eventsBefore`),
      ts,
    };
  });
}

function safeOffset(v: bigint, at: number): number {
  if (v > BigInt(Number.MAX_SAFE_INTEGER)) throw new ScapFormatError(`offset ${v} beyond any file`, at);
  return Number(v);
}

/** Parses the trailer (the last TRAILER_SIZE bytes of a closed file, record header included). */
export function parseTrailer(
  rec: Uint8Array,
  offset: number,
): { footerOffset: number; footerLength: number } {
  const dv = le(rec);
  if (
    rec.length !== TRAILER_SIZE ||
    rec[0] !== RecordType.TRAILER ||
    dv.getUint32(1, true) !== TRAILER_BODY_SIZE
  ) {
    throw new ScapFormatError(
      'no scapkit trailer at the end of the file (not closed, or not a scapkit file)',
      offset,
    );
  }
  for (let i = 0; i < MAGIC.length; i++) {
    if (rec[RECORD_HEADER_SIZE + 12 + i] !== MAGIC[i])
      throw new ScapFormatError('trailer magic mismatch', offset);
  }
  return {
    footerOffset: safeOffset(dv.getBigUint64(RECORD_HEADER_SIZE, true), offset + RECORD_HEADER_SIZE),
    footerLength: dv.getUint32(RECORD_HEADER_SIZE + 8, true),
  };
}
