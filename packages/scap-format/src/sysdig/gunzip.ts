// Gunzip for the sysdig reader, injected: the bytes of a capture, inflated when they start with the gzip
// magic, with the same records and errors whatever the sizes of the input's reads and whichever
// decompressor runs (the web-standard DecompressionStream by default; Node's zlib from the Node entry,
// src/node/gunzip.ts, which inflates on libuv's threadpool for half the main thread's CPU).
import { ScapFormatError, ScapTruncatedError } from '../errors.js';

/**
 * A gzip stream goes into the decompressor in pieces of this size at fixed offsets, however it was read
 * (see decoded()). At least the writable high-water mark of Node's zlib (16 KiB in Node 20, 64 KiB from
 * Node 22), so that writing a piece waits until it is inflated. One piece inflates to ~1032 times its size
 * at most.
 */
const GZIP_SLICE = 64 << 10;
/**
 * Inflated bytes held for the consumer before the next piece goes in: ~40 ms of replay, so that the
 * consumer does not wait when the threadpool thread that inflates is scheduled late (a busy machine).
 */
const GZIP_QUEUE_BYTES = 4 << 20;
/**
 * Inflated bytes are handed to the consumer in slices of this size, with one turn of the event loop before
 * each. Node's zlib starts each next output buffer (NODE_GUNZIP_CHUNK) from a main-thread callback, which
 * runs only in such a turn: with one turn per 256 KiB output it could never get ahead of the consumer, with
 * four it runs up to four outputs ahead (GZIP_QUEUE_BYTES bounds the lead).
 */
const CONSUMER_SLICE = 64 << 10;

/**
 * A gzip decompressor fed one piece at a time: write() settles once the piece is inflated (its output
 * already handed to drain's `chunk`), and drain's `end` comes once, with the failure if there is one.
 */
export interface Inflater {
  drain(chunk: (c: Uint8Array) => void, end: (failure?: unknown) => void): Promise<void>;
  /** Lets the event loop run once (I/O completions included), when the decompressor needs it to. */
  turn?(): Promise<void>;
  write(piece: Uint8Array): Promise<void>;
  close(): Promise<void>;
  abort(e: unknown): void;
  cancel(): void;
}

/** Opens a decompressor for one gzip stream. */
export type Gunzip = () => Inflater;

/**
 * The bytes of `input`, gunzipped by `gunzip` when they start with the gzip magic (whatever the file is
 * called); by default with the web-standard DecompressionStream, so this runs in a browser too.
 */
export async function* decoded(
  input: AsyncIterable<Uint8Array>,
  onGzip: (gz: boolean) => void,
  gunzip: Gunzip = webGunzip,
): AsyncGenerator<Uint8Array> {
  const it = input[Symbol.asyncIterator]();
  const head: Uint8Array[] = [];
  let headLen = 0;
  let done = false;
  while (headLen < 2) {
    const r = await it.next();
    if (r.done) {
      done = true;
      break;
    }
    if (r.value.length === 0) continue;
    head.push(r.value);
    headLen += r.value.length;
  }
  const b0 = head[0]?.[0];
  const b1 = head[0] && head[0].length > 1 ? head[0][1] : head[1]?.[0];
  const gzip = b0 === 0x1f && b1 === 0x8b;
  onGzip(gzip);
  if (!gzip) {
    try {
      yield* head;
      if (done) return;
      for (;;) {
        const r = await it.next();
        if (r.done) return;
        yield r.value;
      }
    } finally {
      if (!done) await it.return?.();
    }
  }

  // What a cut or corrupt stream yields must depend on its bytes only, not on read sizes or timing:
  // - the decompressed side is drained eagerly into `queue`, whatever the consumer does: a web stream drops
  //   the chunks it still holds when it errors, and Node's adapter pauses (and its zlib then buffers, to
  //   drop them too) when they are not read;
  // - the compressed side goes in as GZIP_SLICE-byte pieces at fixed offsets of the stream, whatever the
  //   sizes of the input's reads: zlib keeps nothing of the piece it fails in (a corrupt stream);
  // - each piece is written once the one before it is inflated (Node's zlib signals it through its write
  //   backpressure: a piece of at least its high-water mark waits for 'drain'), so no piece is still
  //   queued when close() comes: Node's zlib inflates a queued last piece with Z_FINISH, and the
  //   truncation error then drops that piece's output (a cut stream);
  // - the error is surfaced only once every byte inflated before it has been handed out.
  const inflater = gunzip();
  const queue: Uint8Array[] = [];
  let queued = 0;
  let ended = false;
  let failure: { e: unknown } | undefined;
  let inputError: { e: unknown } | undefined;
  let stop = false;
  let consumerWait: (() => void) | undefined;
  let pumpWait: (() => void) | undefined;
  const wakeConsumer = (): void => {
    const w = consumerWait;
    consumerWait = undefined;
    w?.();
  };
  const wakePump = (): void => {
    const w = pumpWait;
    pumpWait = undefined;
    w?.();
  };
  const drain = inflater.drain(
    (chunk) => {
      queue.push(chunk);
      queued += chunk.length;
      wakeConsumer();
    },
    (e) => {
      if (e !== undefined) failure = { e };
      ended = true;
      wakeConsumer();
    },
  );
  const pump = (async () => {
    const pending = new Uint8Array(GZIP_SLICE);
    let fill = 0;
    // Backpressure: the next piece goes in only once the consumer has taken most of the output.
    const write = async (piece: Uint8Array): Promise<boolean> => {
      while (queued > GZIP_QUEUE_BYTES && !stop) await new Promise<void>((r) => (pumpWait = r));
      if (stop) return false;
      await inflater.write(piece);
      return true;
    };
    const feed = async (c: Uint8Array): Promise<boolean> => {
      let i = 0;
      while (i < c.length) {
        if (fill === 0 && c.length - i >= GZIP_SLICE) {
          if (!(await write(c.subarray(i, i + GZIP_SLICE)))) return false;
          i += GZIP_SLICE;
          continue;
        }
        const n = Math.min(GZIP_SLICE - fill, c.length - i);
        pending.set(c.subarray(i, i + n), fill);
        fill += n;
        i += n;
        if (fill === GZIP_SLICE) {
          fill = 0;
          if (!(await write(pending.slice()))) return false;
        }
      }
      return true;
    };
    try {
      for (const c of head) if (!(await feed(c))) return;
      if (!done) {
        for (;;) {
          if (stop) return;
          let r: IteratorResult<Uint8Array>;
          try {
            r = await it.next();
          } catch (e) {
            inputError = { e }; // the input's own failure (a read error), passed on as is
            throw e;
          }
          if (r.done) break;
          if (!(await feed(r.value))) return;
        }
      }
      if (fill > 0 && !(await write(pending.slice(0, fill)))) return;
      await inflater.close();
    } catch (e) {
      // A decompression failure also errors the readable side, where the drain sees it.
      inflater.abort(e);
    }
  })();
  try {
    for (;;) {
      const v = queue.shift();
      if (v !== undefined) {
        queued -= v.length;
        if (queued <= GZIP_QUEUE_BYTES) wakePump();
        // The consumer works through a chunk in microtasks, which keep the event loop from delivering
        // the decompressor's completions: one turn of it per chunk lets the next piece inflate on the
        // threadpool while this one is processed, instead of after.
        if (!inflater.turn) {
          yield v;
          continue;
        }
        for (let at = 0; at < v.length; at += CONSUMER_SLICE) {
          await inflater.turn();
          yield at === 0 && v.length <= CONSUMER_SLICE ? v : v.subarray(at, at + CONSUMER_SLICE);
        }
        continue;
      }
      if (ended) break;
      await new Promise<void>((r) => (consumerWait = r));
    }
    await drain;
    if (failure) throw inputError ? inputError.e : gzipError(failure.e);
    await pump;
    if (inputError) throw inputError.e;
  } finally {
    stop = true;
    wakePump();
    inflater.cancel();
    if (!done) it.return?.()?.catch?.(() => {});
  }
}

/** The web-standard DecompressionStream as a Gunzip (browsers, and Node without the Node entry). */
export const webGunzip: Gunzip = () => {
  const ds = new DecompressionStream('gzip');
  const writer = ds.writable.getWriter();
  const reader = ds.readable.getReader();
  return {
    async drain(chunk, end) {
      try {
        for (;;) {
          const r = await reader.read();
          if (r.done) break;
          chunk(r.value as Uint8Array);
        }
      } catch (e) {
        end(e);
        return;
      }
      end();
    },
    write: (piece) => writer.write(piece),
    close: () => writer.close(),
    abort: (e) => {
      writer.abort(e).catch(() => {});
    },
    cancel: () => {
      reader.cancel().catch(() => {});
    },
  };
};

/** Turns a decompressor failure into a typed error: a cut gzip stream is a truncation. */
export function gzipError(e: unknown): Error {
  const code = (e as { code?: string } | null)?.code ?? '';
  const msg = e instanceof Error ? e.message : String(e);
  if (code === 'Z_BUF_ERROR' || /unexpected end|truncat|incomplete|premature/i.test(msg)) {
    return new ScapTruncatedError(`gzip stream is cut short: ${msg}`, -1, 0);
  }
  return new ScapFormatError(`bad gzip stream: ${msg}`, -1);
}
