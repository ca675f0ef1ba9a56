// recoverScapkit: rewrites a damaged or unclosed trace, keeping the header, every metadata record and
// every chunk that passes its checks, with a new footer and trailer. Records are copied byte for byte (no
// recompression). After damage it resynchronises byte by byte and only accepts a record that fully
// verifies (CRC, lengths, decompression, framing), so garbage never reaches the output.

import { CodecId } from '../codec/types.js';
import { ScapFormatError } from '../errors.js';
import type { CaptureStats } from '../source.js';
import { FileAssembler } from './assembler.js';
import {
  CHECKPOINT_HEADER_SIZE,
  CHUNK_ENTRY_SIZE,
  CHUNK_HEADER_SIZE,
  FOOTER_FIXED_SIZE,
  METADATA_HEADER_SIZE,
  RECORD_HEADER_SIZE,
  RecordType,
  TRAILER_BODY_SIZE,
} from './constants.js';
import { RecordDecoder, type ScapkitReadOptions } from './reader.js';
import {
  decodeCheckpointTables,
  decodeChunk,
  parseCheckpointHeader,
  parseChunkHeader,
  parseFooterBody,
  parseHeaderBody,
  parseMetadataBody,
  verifyCheckpointCrc,
} from './records.js';
import { type RawRecord, RecordScanner } from './scanner.js';
import type { ByteSink } from './sink.js';

export interface RecoverResult {
  eventsKept: number;
  chunksKept: number;
  /** Input bytes not carried over (damaged or cut records; the old footer and trailer are not counted). */
  bytesDropped: number;
  /** Nothing was lost: every input byte outside the old footer belongs to a kept record. */
  lossless: boolean;
}

/** Bytes a resynchronising reader looks at before it accepts a record start: enough for a chunk's lengths. */
const RESYNC_PEEK = RECORD_HEADER_SIZE + 16;

/**
 * Work bound of the resynchronisation: the body bytes of candidates that failed their checks (each one
 * CRC'd, perhaps decompressed) may add up to RESYNC_WORK_FACTOR times the input plus RESYNC_WORK_BASE.
 * Without it, crafted input with a plausible record start every few bytes, each claiming a body to the
 * end of the file, takes time quadratic in its size. Past the bound, a candidate whose body is larger than
 * what is left is dropped unchecked (only adversarial input gets there: random damage fails the cheap
 * plausibility test almost always).
 */
const RESYNC_WORK_FACTOR = 8;
const RESYNC_WORK_BASE = 64 << 20;

/**
 * Whether the bytes can start a record worth checking in full: a known type, and fixed fields that random
 * bytes rarely get right (a chunk's stored length must match its record length, to the byte).
 */
function plausibleRecordStart(h: Uint8Array): boolean {
  const dv = new DataView(h.buffer, h.byteOffset, h.byteLength);
  const len = dv.getUint32(1, true);
  const body = RECORD_HEADER_SIZE;
  // The raw length of a metadata or checkpoint payload must fit the stored one: equal without compression;
  // compressed, the stored bytes are at most LZ4's worst-case expansion of the raw ones (above zstd's).
  const tablesFit = (headerSize: number): boolean => {
    const raw = dv.getUint32(body + 4, true);
    const stored = len - headerSize;
    return h[body] === CodecId.NONE ? raw === stored : stored <= raw + Math.floor(raw / 255) + 16;
  };
  switch (h[0]) {
    case RecordType.CHUNK:
      return (
        dv.getUint8(body) <= CodecId.ZSTD &&
        len >= CHUNK_HEADER_SIZE &&
        dv.getUint32(body + 12, true) === len - CHUNK_HEADER_SIZE
      );
    case RecordType.METADATA:
      return (
        dv.getUint8(body) <= CodecId.ZSTD &&
        h[body + 1] === 0 &&
        h[body + 2] === 0 &&
        h[body + 3] === 0 &&
        len >= METADATA_HEADER_SIZE &&
        tablesFit(METADATA_HEADER_SIZE)
      );
    case RecordType.CHECKPOINT:
      return (
        dv.getUint8(body) <= CodecId.ZSTD &&
        h[body + 1] === 0 &&
        h[body + 2] === 0 &&
        h[body + 3] === 0 &&
        len >= CHECKPOINT_HEADER_SIZE &&
        tablesFit(CHECKPOINT_HEADER_SIZE)
      );
    case RecordType.FOOTER:
      return (
        len >= FOOTER_FIXED_SIZE &&
        dv.getUint16(body + 4, true) === CHUNK_ENTRY_SIZE &&
        dv.getUint16(body + 6, true) === 0
      );
    case RecordType.TRAILER:
      return len === TRAILER_BODY_SIZE;
    default:
      return false;
  }
}

export async function recoverScapkit(
  input: AsyncIterable<Uint8Array>,
  sink: ByteSink,
  opts: ScapkitReadOptions = {},
): Promise<RecoverResult> {
  const rules = new RecordDecoder({ ...opts, verifyCrc: true });
  const scanner = new RecordScanner(rules.limits, false);
  let file: FileAssembler | undefined;
  let footerStats: CaptureStats | undefined;
  let eventsKept = 0;
  let chunksKept = 0;
  let bytesDropped = 0;
  /** After a drop, only a record of a known type that verifies is trusted to be a record. */
  let resyncing = false;
  let done = false;
  let inputBytes = 0;
  /** Body bytes of the candidates that failed verification while resynchronising. */
  let resyncWork = 0;

  /** Verifies a record; true when it was kept (or is the footer/trailer), false when it is damaged. */
  const take = async (rec: RawRecord): Promise<boolean> => {
    try {
      switch (rec.type) {
        case RecordType.HEADER: {
          if (file) return false; // a second header can only be damage
          parseHeaderBody(rec.body, rec.offset, true);
          file = new FileAssembler(sink, scanner.preamble!.minor);
          await file.write(rec.bytes);
          return true;
        }
        case RecordType.METADATA:
          if (!file) return false;
          parseMetadataBody(rec.body, rec.offset, rules.codecs, rules.limits, true);
          await file.writeMetadata(rec.bytes);
          return true;
        case RecordType.CHUNK: {
          if (!file) return false;
          const h = parseChunkHeader(rec.body, rec.offset, rules.limits);
          decodeChunk(rec.body, h, rec.offset, rules.codecs, true);
          await file.writeChunk(
            { firstTs: h.firstTs, lastTs: h.lastTs, eventCount: h.eventCount },
            rec.bytes,
          );
          eventsKept += h.eventCount;
          chunksKept++;
          return true;
        }
        case RecordType.CHECKPOINT: {
          if (!file) return false;
          const h = parseCheckpointHeader(rec.body, rec.offset, rules.limits);
          verifyCheckpointCrc(rec.body, h, rec.offset);
          decodeCheckpointTables(rec.body, h, rec.offset, rules.codecs);
          // Its tables account for the events before it in the input: after a lost chunk, a replay of the
          // recovered file no longer reaches that state, so the checkpoint goes too.
          if (h.eventsBefore !== eventsKept) return false;
          await file.writeCheckpoint({ eventsBefore: h.eventsBefore, ts: h.ts }, rec.bytes);
          return true;
        }
        case RecordType.FOOTER:
          footerStats = parseFooterBody(rec.body, rec.offset, true).stats;
          return true;
        case RecordType.TRAILER:
          if (footerStats === undefined) return false;
          done = true;
          return true;
        default:
          if (resyncing || !file) return false;
          await file.write(rec.bytes); // a record type from a later minor version: kept as is
          return true;
      }
    } catch (e) {
      if (e instanceof ScapFormatError) return false;
      throw e;
    }
  };

  /** Reads every complete record; at the end of input also walks the incomplete tail byte by byte. */
  const drain = async (atEnd: boolean): Promise<void> => {
    while (!done) {
      if (resyncing) {
        // Judge a candidate by its first bytes before waiting for (and checking) a body of many MiB.
        const head = scanner.peek(RESYNC_PEEK);
        if (!head) {
          if (!atEnd || scanner.buffered === 0) return;
        } else if (!plausibleRecordStart(head)) {
          scanner.skip(1);
          bytesDropped++;
          continue;
        }
      }
      let rec: RawRecord | undefined;
      try {
        rec = scanner.next();
      } catch (e) {
        if (!(e instanceof ScapFormatError) || !scanner.preamble) throw e; // not a scapkit file at all
        scanner.skip(1); // an impossible record length: this is no record start
        bytesDropped++;
        resyncing = true;
        continue;
      }
      if (!rec) {
        if (!atEnd || scanner.buffered === 0 || !scanner.preamble) return;
        scanner.skip(1); // a record that the input cuts (or whose length is damaged)
        bytesDropped++;
        resyncing = true;
        continue;
      }
      if ((rec.type < RecordType.HEADER || rec.type > RecordType.CHECKPOINT) && file && !resyncing) {
        // An unknown record cannot be verified; keep it only if a plausible record (or the end) follows.
        const next = scanner.peek(RESYNC_PEEK);
        if (!next && !atEnd) {
          scanner.unread(rec.bytes.length); // wait for the bytes that decide
          return;
        }
        if (next ? !plausibleRecordStart(next) : scanner.buffered !== 0) {
          scanner.unread(rec.bytes.length);
          scanner.skip(1);
          bytesDropped++;
          resyncing = true;
          continue;
        }
      }
      const unchecked =
        resyncing && rec.body.length > RESYNC_WORK_FACTOR * inputBytes + RESYNC_WORK_BASE - resyncWork;
      if (!unchecked && (await take(rec))) {
        resyncing = false;
      } else if (!file && rec.type === RecordType.HEADER) {
        throw new ScapFormatError('the header record is damaged: nothing to recover', rec.offset);
      } else {
        if (resyncing && !unchecked) resyncWork += rec.body.length;
        scanner.unread(rec.bytes.length);
        scanner.skip(1);
        bytesDropped++;
        resyncing = true;
      }
    }
  };

  for await (const bytes of input) {
    inputBytes += bytes.length;
    scanner.push(bytes);
    await drain(false);
    if (done) break;
  }
  await drain(true);
  if (!file) throw scanner.truncated('nothing to recover: the input ends before its header');
  const stats: CaptureStats = {
    ...(footerStats ?? { eventsSeen: eventsKept, drops: {} }),
    eventsWritten: eventsKept,
    recovered: { eventsKept, chunksKept, bytesDropped },
  };
  await file.finish(stats);
  return { eventsKept, chunksKept, bytesDropped, lossless: bytesDropped === 0 };
}
