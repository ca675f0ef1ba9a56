// A chunk-decoding worker (see decode-pool.ts): checks a chunk record's CRC, decompresses it with the
// native codecs and frames its events, then hands the batch's buffers back without copying them.
import { parentPort } from 'node:worker_threads';
import { codecTable } from '../codec/index.js';
import { ScapFormatError } from '../errors.js';
import { roomFor } from '../scapkit/chunk-decoder.js';
import { type ChunkBuffers, decodeChunk, parseChunkHeader } from '../scapkit/chunk-record.js';
import { DEFAULT_LIMITS, type ScapkitLimits } from '../scapkit/constants.js';
import { installedNativeCodecs } from './native-codecs.js';

export interface DecodeJob {
  id: number;
  /** The chunk record's body, at the start of a buffer of the pool's (transferred, and given back). */
  body: Uint8Array;
  /** File offset of the chunk record. */
  offset: number;
  verifyCrc: boolean;
  limits?: Partial<ScapkitLimits>;
  /** Buffers of batches the reader is done with, to decode into (transferred). */
  spare?: ChunkBuffers;
}

export type DecodeReply =
  /** Sent once, when the worker has loaded: the pool then sends it chunks (it decodes them itself until). */
  | { ready: true }
  /** `spare`: the buffers offered and not used, given back. */
  | { id: number; data: Uint8Array; offsets: Uint32Array; count: number; spare: ChunkBuffers }
  /** A ScapFormatError's message without the offset its constructor appends, so it is rebuilt the same. */
  | { id: number; error: { name: string; message: string; offset: number }; body?: ArrayBuffer };

const codecs = codecTable(installedNativeCodecs());

const port = parentPort!;

port.on('message', (job: DecodeJob) => {
  try {
    const limits = job.limits ? { ...DEFAULT_LIMITS, ...job.limits } : DEFAULT_LIMITS;
    const h = parseChunkHeader(job.body, job.offset, limits);
    // Without a buffer to reuse, or with one too small, a new one with room to spare: chunks differ by a
    // few events, and an exact fit would rarely serve the next chunk, leaving the reader to allocate
    // (and the allocator to fragment) a megabyte a chunk.
    const into = { ...job.spare };
    if (!into.data || into.data.byteLength < h.rawLength) into.data = new ArrayBuffer(roomFor(h.rawLength));
    if (!into.offsets || into.offsets.byteLength < h.eventCount * 4)
      into.offsets = new ArrayBuffer(roomFor(h.eventCount * 4));
    const b = decodeChunk(job.body, h, job.offset, codecs, job.verifyCrc, into);
    const used = [b.data.buffer, b.offsets.buffer] as ArrayBuffer[];
    const unused = (x: ArrayBuffer | undefined) => (x && !used.includes(x) ? x : undefined);
    // An uncompressed chunk's events are a view of the body: then the body's buffer goes back as the batch's.
    const spare = {
      data: unused(job.spare?.data),
      offsets: unused(job.spare?.offsets),
      body: unused(job.body.buffer as ArrayBuffer),
    };
    const reply: DecodeReply = { id: job.id, data: b.data, offsets: b.offsets, count: b.count, spare };
    const back = [spare.data, spare.offsets, spare.body].filter((x) => x !== undefined);
    port.postMessage(reply, [...used, ...back]);
  } catch (e) {
    const typed = e instanceof ScapFormatError;
    const message = e instanceof Error ? e.message : String(e);
    port.postMessage(
      {
        id: job.id,
        error: {
          name: typed ? 'ScapFormatError' : 'Error',
          message: typed ? message.replace(/ \(at byte offset -?\d+\)$/, '') : message,
          offset: typed ? e.offset : job.offset,
        },
        body: job.body.buffer as ArrayBuffer,
      } satisfies DecodeReply,
      [job.body.buffer as ArrayBuffer],
    );
  }
});

port.postMessage({ ready: true } satisfies DecodeReply);
