// A small pool of worker threads that decode scapkit chunks (CRC32C, decompression, framing) while the
// main thread runs state, filter and output. Chunk bodies, batches and their offsets live in
// SharedArrayBuffers: a job names the buffers to read and decode into, the answer says where the events
// are (numbers only), and every buffer comes back to be used again (a body's once its chunk is decoded, a
// batch's once the reader is done with it): nothing is allocated per chunk once the pool is warm. Buffers
// moved between threads instead (transferred, as the pool first did) were a new ArrayBuffer object on the
// main thread per chunk, and V8 counts each one's bytes as external memory allocated since its last
// mark-compact (--trace-incremental-marking: marking started at 10 MB of a 20 MB limit): the main thread
// ran a mark-compact every ~10 MB of batches, 22 in a filtered replay of work.scap against 5 now
// (--trace-gc), their concurrent marking ~150 ms of V8's threads (packages/replay/docs/replay.md). A buffer allocated per chunk would also be freed only by a garbage collection of the
// isolate that held it last: the workers collected every few chunks and decoding cost twice the CPU.
// Workers hold the process open only while they have work; one that dies fails its chunks with a
// ScapDecodeWorkerError naming each chunk, and the pool with it, so a reader never waits for an answer
// that will not come. Until a worker has started (a Node worker takes ~100 ms of a core to boot), chunks
// decode on the caller's thread instead: the consumer would only have waited for them.
// node:os and node:worker_threads are loaded when a pool is made, not when @scapkit/scap-format/node is
// imported (npm run bench import): small files never start one.
import type { Worker } from 'node:worker_threads';
import type { EventBatch } from '../batch.js';
import { codecTable } from '../codec/index.js';
import type { ChunkCodec } from '../codec/types.js';
import { ScapDecodeWorkerError, ScapFormatError } from '../errors.js';
import { type ChunkDecoder, roomFor } from '../scapkit/chunk-decoder.js';
import {
  type ChunkBuffers,
  type ChunkHeader,
  decodeChunk,
  parseChunkHeader,
} from '../scapkit/chunk-record.js';
import { DEFAULT_LIMITS, RECORD_HEADER_SIZE, type ScapkitLimits } from '../scapkit/constants.js';
import type { DecodeJob, DecodeReply } from './decode-worker.js';
import { keepHeapFlags } from './heap-flags.js';
import { installedNativeCodecs } from './native-codecs.js';

export interface DecodePoolOptions {
  /** Worker threads (default: the cores here but the one the consumer runs on, 1 to 4). */
  size?: number;
  /** Chunks in flight ahead of the consumer (default 4 per worker). */
  depth?: number;
  /** Check each chunk's CRC32C (default true). */
  verifyCrc?: boolean;
  limits?: Partial<ScapkitLimits>;
  /** The worker script (default: decode-worker.js beside this module, built by `tsc -b`). */
  workerUrl?: URL;
  /**
   * Decode on the caller's thread while no worker has started yet (default true): the caller would wait
   * for the first chunks otherwise.
   */
  inlineWhileStarting?: boolean;
}

interface Job {
  offset: number;
  slot: Slot;
  /** The shared buffers the job names: the body's and the spares it offered. */
  body: ArrayBufferLike;
  spare: ChunkBuffers;
  resolve(b: EventBatch): void;
  reject(e: Error): void;
}

interface Slot {
  worker: Worker;
  busy: number;
  /** The worker has loaded its modules (it said so). */
  ready: boolean;
}

/** The built worker: beside this module, or (running from the TypeScript sources, as tests do) in dist. */
function defaultWorkerUrl(): URL {
  const here = import.meta.url;
  return here.endsWith('.ts')
    ? new URL('../../dist/node/decode-worker.js', here)
    : new URL('./decode-worker.js', here);
}

export class DecodePool implements ChunkDecoder {
  readonly depth: number;
  readonly size: number;
  private readonly slots: Slot[] = [];
  private readonly jobs = new Map<number, Job>();
  private nextId = 1;
  private broken: Error | undefined;
  private readonly verifyCrc: boolean;
  private readonly limits: Partial<ScapkitLimits> | undefined;
  private readonly workerUrl: URL;
  private readonly inlineWhileStarting: boolean;
  /** Whether a worker has started; until then (with inlineWhileStarting) chunks decode here. */
  private started = false;
  /** The codecs and limits of inline decoding, made on first use. */
  private inline: { codecs: ReturnType<typeof codecTable>; limits: ScapkitLimits } | undefined;
  /** Buffers of batches readers are done with (recycle), handed to the next jobs to decode into. */
  private readonly freeData: ArrayBufferLike[] = [];
  private readonly freeOffsets: ArrayBufferLike[] = [];
  /** Buffers chunk bodies were copied into, back from the workers. */
  private readonly freeBodies: ArrayBufferLike[] = [];

  constructor(opts: DecodePoolOptions = {}) {
    // The consumer (state, filter, output) keeps one core busy; decoding is a third of its work or less.
    this.size = Math.max(
      1,
      opts.size ?? Math.min(4, process.getBuiltinModule('node:os').availableParallelism() - 1),
    );
    this.depth = Math.max(1, opts.depth ?? 4 * this.size);
    this.verifyCrc = opts.verifyCrc ?? true;
    this.limits = opts.limits;
    this.workerUrl = opts.workerUrl ?? defaultWorkerUrl();
    this.inlineWhileStarting = opts.inlineWhileStarting ?? true;
  }

  decode(body: Uint8Array, offset: number): Promise<EventBatch> {
    if (this.broken) return Promise.reject(this.failure(this.broken, offset));
    let slot: Slot | undefined;
    try {
      // While no worker has started, every one boots at once (one started later would keep its first
      // chunks waiting) and this thread decodes.
      if (!this.started && this.inlineWhileStarting) while (this.slots.length < this.size) this.start();
      else slot = this.leastBusy();
    } catch (e) {
      this.broken = e instanceof Error ? e : new Error(String(e));
      return Promise.reject(this.failure(this.broken, offset));
    }
    if (!slot) return this.decodeHere(body, offset);
    const busy = slot;
    const id = this.nextId++;
    return new Promise<EventBatch>((resolve, reject) => {
      if (busy.busy++ === 0) busy.worker.ref(); // keep the process alive while an answer is due
      const copy = this.bodyBuffer(body.length);
      copy.set(body);
      const spare = { data: this.freeData.pop(), offsets: this.freeOffsets.pop() };
      this.jobs.set(id, { offset, slot: busy, body: copy.buffer, spare, resolve, reject });
      const job: DecodeJob = {
        id,
        body: copy,
        offset,
        verifyCrc: this.verifyCrc,
        limits: this.limits,
        spare,
      };
      busy.worker.postMessage(job);
    });
  }

  /**
   * Decodes a chunk on this thread, as a worker would (into the pool's free buffers; errors the same).
   */
  private decodeHere(body: Uint8Array, offset: number): Promise<EventBatch> {
    try {
      this.inline ??= {
        codecs: codecTable(installedNativeCodecs()),
        limits: this.limits ? { ...DEFAULT_LIMITS, ...this.limits } : DEFAULT_LIMITS,
      };
      const h = parseChunkHeader(body, offset, this.inline.limits);
      const codec = this.inline.codecs(h.codec, offset + RECORD_HEADER_SIZE);
      // Shared, as the workers' are: a recycled buffer may be offered to a worker next.
      const spare = {
        data: codec.decompressInto ? this.freeData.pop() : undefined,
        offsets: this.freeOffsets.pop(),
      };
      const into = chunkBuffers(h, codec, spare);
      return Promise.resolve(decodeChunk(body, h, offset, this.inline.codecs, this.verifyCrc, into));
    } catch (e) {
      return Promise.reject(e);
    }
  }

  /**
   * The caller is done with `batch` (it came from this pool): its buffers may be decoded into again, which
   * spares allocating (and collecting) a megabyte per chunk.
   */
  recycle(batch: EventBatch): void {
    this.keep({ data: batch.data.buffer, offsets: batch.offsets.buffer });
  }

  /**
   * Keeps a batch's or a body's buffers to be decoded into again. Only shared ones: a worker offered an
   * ArrayBuffer would decode into its own copy of it (a codec's own buffer, an lz4 chunk's, is not kept).
   */
  private keep(b: ChunkBuffers): void {
    const room = this.depth + this.size;
    if (!(b.data instanceof SharedArrayBuffer)) b.data = undefined;
    if (!(b.offsets instanceof SharedArrayBuffer)) b.offsets = undefined;
    if (!(b.body instanceof SharedArrayBuffer)) b.body = undefined;
    if (b.data && this.freeData.length < room && !this.freeData.includes(b.data)) this.freeData.push(b.data);
    if (b.offsets && this.freeOffsets.length < room && !this.freeOffsets.includes(b.offsets))
      this.freeOffsets.push(b.offsets);
    if (b.body && this.freeBodies.length < room) this.freeBodies.push(b.body);
  }

  /**
   * A view of `n` bytes over a free body buffer, or a new shared one with room to spare (bodies differ a
   * little).
   */
  private bodyBuffer(n: number): Uint8Array {
    const i = this.freeBodies.findIndex((b) => b.byteLength >= n);
    const [b] = i >= 0 ? this.freeBodies.splice(i, 1) : [];
    if (b) return new Uint8Array(b, 0, n);
    return new Uint8Array(new SharedArrayBuffer(roomFor(n)), 0, n);
  }

  /** Whether a worker died (or the pool was closed): it decodes nothing more. */
  get failed(): boolean {
    return this.broken !== undefined;
  }

  /** Ends the workers; chunks still decoding fail. */
  async close(): Promise<void> {
    this.fail(new Error('the decoding pool was closed'));
    await Promise.all(this.slots.splice(0).map((s) => s.worker.terminate()));
  }

  private leastBusy(): Slot {
    if (this.slots.length < this.size) {
      const least = this.slots.find((s) => s.busy === 0);
      if (least) return least;
      return this.start();
    }
    let best: Slot | undefined;
    for (const s of this.slots) if (!best || s.busy < best.busy) best = s;
    return best ?? this.start();
  }

  private start(): Slot {
    // A worker's own heap holds little (the chunks are outside it): a small old generation keeps its RSS
    // small. Not a small young one: at 8 MiB or less V8 allocated the worker's objects in the old
    // generation and ran a mark-compact every dozen chunks, which doubled the CPU that decoding costs.
    const worker = new (process.getBuiltinModule('node:worker_threads').Worker)(this.workerUrl, {
      resourceLimits: { maxOldGenerationSizeMb: 24 },
    });
    keepHeapFlags(worker);
    worker.unref();
    const slot: Slot = { worker, busy: 0, ready: false };
    worker.on('message', (r: DecodeReply) => {
      if ('ready' in r) {
        slot.ready = this.started = true;
        // Started for chunks this thread then decoded itself: nothing keeps the process open for it.
        if (slot.busy === 0) worker.unref();
      } else this.answer(r);
    });
    worker.on('error', (e) => this.fail(e));
    worker.on('exit', (code) => {
      if (this.slots.includes(slot)) this.fail(new Error(`a decoding worker exited (code ${code})`));
    });
    this.slots.push(slot);
    return slot;
  }

  private answer(r: Exclude<DecodeReply, { ready: true }>): void {
    const job = this.jobs.get(r.id);
    if (!job) return;
    this.jobs.delete(r.id);
    if (--job.slot.busy === 0) job.slot.worker.unref();
    if ('error' in r) {
      this.keep({ body: job.body, ...job.spare });
      job.reject(rebuild(r.error));
      return;
    }
    const data = r.in === 'spare' ? job.spare.data : r.in === 'body' ? job.body : r.data;
    const offsets = r.offsets ?? job.spare.offsets;
    if (!data || !offsets) {
      job.reject(this.failure(new Error('a worker named a buffer it was not given'), job.offset));
      return;
    }
    // What the batch does not use goes back (a spare data buffer a codec of its own buffers left unused
    // too); a spare the worker found too small does not.
    if (r.in !== 'body') this.keep({ body: job.body });
    const spare = job.spare.data;
    if (r.in !== 'spare' && spare && spare.byteLength >= r.rawLength) this.keep({ data: spare });
    job.resolve({
      data: new Uint8Array(data, r.dataOffset, r.rawLength),
      offsets: new Uint32Array(offsets, 0, r.count),
      count: r.count,
    });
  }

  /** A worker died (or the pool closed): every chunk in flight fails, and so does every later one. */
  private fail(e: Error): void {
    this.broken ??= e;
    for (const s of this.slots) s.worker.unref();
    const jobs = [...this.jobs.values()];
    this.jobs.clear();
    for (const j of jobs) j.reject(this.failure(e, j.offset));
  }

  private failure(e: Error, offset: number): ScapDecodeWorkerError {
    return new ScapDecodeWorkerError(`a chunk-decoding worker failed: ${e.message}`, offset);
  }
}

/**
 * The shared buffers chunk `h` decodes into (a worker's and decodeHere's): `spare`'s where they are large
 * enough, else new ones with room to spare: chunks differ by a few events, and an exact fit would rarely
 * serve the next chunk, leaving the reader to allocate (and the allocator to fragment) a megabyte a chunk.
 * Shared, so that a buffer is handed over once and then only named. A data buffer only for a codec that
 * decodes into one (zstd): lz4's and none's events come in a buffer of their own, and one made for them was
 * a megabyte allocated for nothing every chunk (their batches never come back to the pool to offer again).
 */
export function chunkBuffers(h: ChunkHeader, codec: ChunkCodec, spare: ChunkBuffers = {}): ChunkBuffers {
  let { data, offsets } = spare;
  if (!codec.decompressInto) data = undefined;
  else if (!data || data.byteLength < h.rawLength) data = new SharedArrayBuffer(roomFor(h.rawLength));
  if (!offsets || offsets.byteLength < h.eventCount * 4)
    offsets = new SharedArrayBuffer(roomFor(h.eventCount * 4));
  return { data, offsets };
}

/** The worker's error as the reader would have thrown it inline (same class, message and offset). */
function rebuild(e: { name: string; message: string; offset: number }): Error {
  if (e.name === 'ScapFormatError') return new ScapFormatError(e.message, e.offset);
  return new ScapDecodeWorkerError(`the worker failed: ${e.message}`, e.offset);
}

let detached = false;

/**
 * Detaches an ArrayBuffer of this thread once, before its hot code is optimized: a thread that will move
 * buffers to another (transfer them) calls it first. V8's optimized code assumes that no ArrayBuffer was
 * ever detached (the "array buffer detaching protector", one per isolate) until one is: then every
 * optimized function with typed-array or DataView accesses is thrown away at once and compiled again.
 * The pool once moved buffers with every chunk, and the first one, once a worker had booted, threw away
 * the state engine's optimized code in the middle of a replay: 57 functions, 64 more TurboFan
 * compilations in a filtered replay of work.scap (222 against 156; about 200 ms of V8's compiler threads,
 * --trace-opt / --trace-deopt and CPU by thread). The pool moves nothing now (its buffers are shared),
 * and a replay's main thread nothing either: its code then keeps V8's unchecked typed-array accesses
 * (`-p %evt.num` on work.scap, main-thread CPU 2.94-3.13 -> 2.71-2.84 s without this detach, 4
 * interleaved pairs). The threads that do move buffers call it: a segment worker (its output, recorder's
 * segment-worker.ts) and the Parquet export's main thread (batches to its encoder, recorder's
 * commands/parquet-export.ts). Compiled after it, the code checks for detached buffers from the start and stays.
 */
export function detachOnce(): void {
  if (detached) return;
  detached = true;
  const b = new ArrayBuffer(8);
  structuredClone(b, { transfer: [b] });
}

let shared: DecodePool | undefined;

/** The process's pool, started on first use (its workers start when the first chunk needs one). */
export function sharedDecodePool(): DecodePool {
  if (!shared || shared.failed) shared = new DecodePool();
  return shared;
}

/**
 * The process's pool for one reader, taken when the reader first decodes on it or asks its depth: a reader
 * that decodes inline after all (an indexed read shorter than its inlineUnder, as a --from/--to of 1% is)
 * then never makes it.
 */
export function sharedChunkDecoder(): ChunkDecoder {
  let pool: DecodePool | undefined;
  const get = (): DecodePool => {
    pool ??= sharedDecodePool();
    return pool;
  };
  return {
    get depth() {
      return get().depth;
    },
    decode: (body, offset) => get().decode(body, offset),
    recycle: (batch) => get().recycle(batch),
  };
}
