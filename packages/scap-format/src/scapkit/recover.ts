// recoverScapkit: rewrites a damaged or unclosed trace, keeping the header, every metadata record and
// every chunk that passes its checks, with a new footer and trailer. Records are copied byte for byte (no
// recompression). After damage it resynchronises byte by byte and only accepts a record that fully
// verifies (CRC, lengths, decompression, framing), so garbage never reaches the output.
import { ScapFormatError } from '../errors.js';
import type { CaptureStats } from '../source.js';
import { FileAssembler } from './assembler.js';
import { RecordType } from './constants.js';
import { RecordDecoder, type ScapkitReadOptions } from './reader.js';
import {
  decodeChunk,
  parseChunkHeader,
  parseFooterBody,
  parseHeaderBody,
  parseMetadataBody,
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

export async function recoverScapkit(
  input: AsyncIterable<Uint8Array>,
  sink: ByteSink,
  opts: ScapkitReadOptions = {},
): Promise<RecoverResult> {
  const rules = new RecordDecoder({ ...opts, verifyCrc: true });
  const scanner = new RecordScanner(rules.limits);
  let file: FileAssembler | undefined;
  let footerStats: CaptureStats | undefined;
  let eventsKept = 0;
  let chunksKept = 0;
  let bytesDropped = 0;
  /** After a drop, only a record of a known type that verifies is trusted to be a record. */
  let resyncing = false;
  let done = false;

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
        if (!atEnd || scanner.buffered === 0) return;
        scanner.skip(1); // a record that the input cuts (or whose length is damaged)
        bytesDropped++;
        resyncing = true;
        continue;
      }
      if (await take(rec)) {
        resyncing = false;
      } else if (!file && rec.type === RecordType.HEADER) {
        throw new ScapFormatError('the header record is damaged: nothing to recover', rec.offset);
      } else {
        scanner.unread(rec.bytes.length);
        scanner.skip(1);
        bytesDropped++;
        resyncing = true;
      }
    }
  };

  for await (const bytes of input) {
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
