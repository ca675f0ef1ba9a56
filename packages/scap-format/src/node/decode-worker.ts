// A chunk-decoding worker (see decode-pool.ts): checks a chunk record's CRC, decompresses it with the
// native codecs and frames its events into the pool's shared buffers, then says where they are.
import { parentPort } from 'node:worker_threads';
import { codecTable } from '../codec/index.js';
import { ScapFormatError } from '../errors.js';
import { type ChunkBuffers, decodeChunk, parseChunkHeader } from '../scapkit/chunk-record.js';
import { DEFAULT_LIMITS, RECORD_HEADER_SIZE, type ScapkitLimits } from '../scapkit/constants.js';
import { chunkBuffers } from './decode-pool.js';
import { installedNativeCodecs } from './native-codecs.js';

export interface DecodeJob {
  id: number;
  /** The chunk record's body, at the start of one of the pool's shared buffers. */
  body: Uint8Array;
  /** File offset of the chunk record. */
  offset: number;
  verifyCrc: boolean;
  limits?: Partial<ScapkitLimits>;
  /** Shared buffers of batches the reader is done with, to decode into. */
  spare?: ChunkBuffers;
}

/**
 * Where a decoded batch's bytes are, told by numbers: the buffers of the job (shared with the pool) need
 * no message of their own. `data` / `offsets` come only when the job's were missing or too small (or the
 * codec decodes into a buffer of its own).
 */
export interface DecodedChunk {
  id: number;
  count: number;
  /** The events: `rawLength` bytes at `dataOffset` of the job's spare data buffer, of the body's (a codec that returns a view of it), or of `data`. */
  in: 'spare' | 'body' | 'new';
  dataOffset: number;
  rawLength: number;
  data?: ArrayBufferLike;
  offsets?: ArrayBufferLike;
}

export type DecodeReply =
  /** Sent once, when the worker has loaded: the pool then sends it chunks (it decodes them itself until). */
  | { ready: true }
  | DecodedChunk
  /** A ScapFormatError's message without the offset its constructor appends, so it is rebuilt the same. */
  | { id: number; error: { name: string; message: string; offset: number } };

const codecs = codecTable(installedNativeCodecs());

const port = parentPort!;

port.on('message', (job: DecodeJob) => {
  try {
    const limits = job.limits ? { ...DEFAULT_LIMITS, ...job.limits } : DEFAULT_LIMITS;
    const h = parseChunkHeader(job.body, job.offset, limits);
    const into = chunkBuffers(h, codecs(h.codec, job.offset + RECORD_HEADER_SIZE), job.spare);
    const b = decodeChunk(job.body, h, job.offset, codecs, job.verifyCrc, into);
    const events = b.data.buffer;
    // In the spare (zstd), or in a buffer of the codec's own (lz4; none copies the body's); a codec that
    // returned a view of its input would leave them in the body.
    const where = events === job.spare?.data ? 'spare' : events === job.body.buffer ? 'body' : 'new';
    const reply: DecodedChunk = {
      id: job.id,
      count: b.count,
      in: where,
      dataOffset: b.data.byteOffset,
      rawLength: b.data.length,
    };
    if (where === 'new') reply.data = events;
    if (b.offsets.buffer !== job.spare?.offsets) reply.offsets = b.offsets.buffer;
    // A codec's own buffer is not shared: it moves.
    const moved = [reply.data, reply.offsets].filter((x) => x instanceof ArrayBuffer);
    port.postMessage(reply, moved);
  } catch (e) {
    const typed = e instanceof ScapFormatError;
    const message = e instanceof Error ? e.message : String(e);
    port.postMessage({
      id: job.id,
      error: {
        name: typed ? 'ScapFormatError' : 'Error',
        message: typed ? e.reason : message,
        offset: typed ? e.offset : job.offset,
      },
    } satisfies DecodeReply);
  }
});

port.postMessage({ ready: true } satisfies DecodeReply);
