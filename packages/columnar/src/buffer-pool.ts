// The ArrayBuffers under finished batches, used again: the builders take a finished column's buffers from
// here, and whoever is done with a batch's buffers (the Parquet export, once its encoding thread has
// encoded the batch and sent them back) gives them back, so that the export's steady state allocates no
// new ones (V8 counts every ArrayBuffer that arrives on a thread as old-generation growth: see
// recorder/src/commands/parquet-export.ts). Nothing gives buffers back by default (toArrow's batches are
// the caller's): the pool is then empty and a take is a plain allocation.

/**
 * Size classes: each power of two cut in 8 steps (a buffer at most 12.5% larger than asked). A take also
 * accepts a buffer of the next two classes, so columns whose size varies a little from batch to batch
 * (text) still find theirs.
 */
const STEPS = 8;
const CLASSES_UP = 2;
/** Buffers smaller than this are allocated as usual (V8 handles them cheaply, and they are few). */
const SMALLEST = 4096;

function sizeClass(bytes: number): number {
  const top = 31 - Math.clz32(bytes);
  const step = Math.max(1, 2 ** Math.max(0, top - 3));
  const k = Math.ceil(bytes / step);
  // Classes in order of size: the power of two times STEPS plus the step within it (8..16 of them).
  return top * STEPS + (k - STEPS);
}

function classBytes(bytes: number): number {
  const top = 31 - Math.clz32(bytes);
  const step = Math.max(1, 2 ** Math.max(0, top - 3));
  return Math.ceil(bytes / step) * step;
}

export class BufferPool {
  private readonly free = new Map<number, ArrayBuffer[]>();
  private held = 0;

  /** `limit`: the most bytes the pool keeps; a buffer given past it is left to the garbage collector. */
  constructor(private readonly limit: number) {}

  /** An ArrayBuffer of at least `bytes` (a free one when the pool has one of about that size). */
  take(bytes: number): ArrayBuffer {
    if (bytes >= SMALLEST) {
      const c = sizeClass(bytes);
      for (let k = c; k <= c + CLASSES_UP; k++) {
        const b = this.free.get(k)?.pop();
        if (b) {
          this.held -= b.byteLength;
          return b;
        }
      }
      return new ArrayBuffer(classBytes(bytes));
    }
    return new ArrayBuffer(bytes);
  }

  /** `n` int32s. Their values are whatever the buffer held: the caller writes every one. */
  int32(n: number): Int32Array<ArrayBuffer> {
    return new Int32Array(this.take(n * 4), 0, n);
  }

  /** `n` bytes. Their values are whatever the buffer held: the caller writes every one. */
  uint8(n: number): Uint8Array<ArrayBuffer> {
    return new Uint8Array(this.take(n), 0, n);
  }

  /** A copy of `src`'s first `n` values, in a buffer of the pool. */
  copyInt32(src: Int32Array, n: number): Int32Array<ArrayBuffer> {
    const out = this.int32(n);
    out.set(src.subarray(0, n));
    return out;
  }

  copyUint8(src: Uint8Array, n: number): Uint8Array<ArrayBuffer> {
    const out = this.uint8(n);
    out.set(src.subarray(0, n));
    return out;
  }

  /** Buffers nothing uses any more (each given once, by whoever owned it last). */
  give(buffers: readonly ArrayBuffer[]): void {
    for (const b of buffers) {
      const size = b.byteLength;
      // A class's own size (what take allocates): other sizes would be taken for less than they hold.
      if (size < SMALLEST || size !== classBytes(size) || this.held + size > this.limit) continue;
      const c = sizeClass(size);
      let list = this.free.get(c);
      if (!list) {
        list = [];
        this.free.set(c, list);
      }
      list.push(b);
      this.held += size;
    }
  }

  /** Bytes held free. */
  get size(): number {
    return this.held;
  }
}

/**
 * The pool of the columns' buffers of finished batches (the builders take from it; the Parquet export
 * gives back). 128 MiB: the export keeps at most 5 batches in flight, about 18 MB each.
 */
export const batchBufferPool = new BufferPool(128 << 20);
