// Decoding chunks away from the consumer's thread, and ahead of it: the contract a reader is given (Node's
// worker pool implements it; without one, chunks decode inline), and the ordered queue that keeps records
// in file order while their chunks decode in parallel.
import type { EventBatch } from '../batch.js';

/** Decodes chunk records (CRC, decompression, framing) somewhere else: a pool of worker threads. */
export interface ChunkDecoder {
  /**
   * Starts decoding the body of the chunk record at file offset `offset`. The body is only borrowed for
   * the call (the decoder copies what it keeps): a reader may pass a view of a buffer it reuses. Resolves
   * to the chunk's events; rejects with the ScapFormatError reading the chunk inline would throw, or a
   * ScapDecodeWorkerError.
   */
  decode(body: Uint8Array, offset: number): Promise<EventBatch>;
  /** How many chunks a reader keeps in flight ahead of its consumer. */
  readonly depth: number;
  /** The reader's consumer is done with a batch this decoder made: its buffers may be used again. */
  recycle?(batch: EventBatch): void;
}

/**
 * A batch `decoder` made, in buffers of its own, with the decoder's handed back at once: what a reader
 * yields when it does not hand its batches back itself (no reuseBatchBuffers: the consumer may keep them).
 * A decode pool's batches are in SharedArrayBuffers, whose bytes V8's collector does not weigh when it
 * decides to collect: left to the collector, a new shared megabyte per chunk lingered (a library read of
 * work.scap without reuse: 1.25 GB of peak RSS, 178 MB with this copy; a `--from/--to` over most of it:
 * 812 MB, 139 MB before the pool's buffers were shared).
 */
export function ownedBatch(decoder: ChunkDecoder, batch: EventBatch): EventBatch {
  if (!decoder.recycle) return batch;
  const own = { data: batch.data.slice(), offsets: batch.offsets.slice(0, batch.count), count: batch.count };
  decoder.recycle(batch);
  return own;
}

/**
 * Values in the order they were pushed, produced in parallel: `push` a value or a promise, take the head
 * with `shift` once `full`. A rejection waits its turn, so an error is met after everything before it;
 * a rejection nobody reached (the consumer stopped) is not reported as unhandled.
 */
export class OrderedQueue<T> {
  private readonly items: Promise<T>[] = [];
  constructor(private readonly depth: number) {}

  push(v: T | Promise<T>): void {
    const p = Promise.resolve(v);
    p.catch(() => {}); // handled when shifted; a stopped consumer never gets there
    this.items.push(p);
  }

  /**
   * Runs `fn`, queueing what it returns or throws (a synchronous error waits its turn too). False when it
   * threw: whatever comes after it is not worth producing.
   */
  run(fn: () => T | Promise<T>): boolean {
    try {
      this.push(fn());
      return true;
    } catch (e) {
      this.push(Promise.reject(e));
      return false;
    }
  }

  get full(): boolean {
    return this.items.length > this.depth;
  }
  get length(): number {
    return this.items.length;
  }

  shift(): Promise<T> {
    return this.items.shift()!;
  }
}

/** A buffer size of `n` and an eighth more, in 64 KiB steps: chunks differ by a few events, and an exact
 *  fit would rarely serve the next one. */
export const roomFor = (n: number): number => Math.ceil((n + (n >>> 3)) / 65536) * 65536;
