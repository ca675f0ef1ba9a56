// Byte sources for the stream readers: a file (read once, or followed as it grows, like tail -f) and a
// Node Readable. Each read goes into a fresh buffer, since a reader may keep views of what it was given,
// unless the caller says its reader copies what it keeps. A file read once keeps the next read in flight
// while the consumer works on the last one.
import { open } from 'node:fs/promises';
import type { Readable } from 'node:stream';

export interface FileByteSourceOptions {
  /** Keep reading as the file grows, until `signal` aborts or the consumer stops (default false). */
  follow?: boolean;
  signal?: AbortSignal;
  /** How often a followed file is polled for new bytes, ms (default 200). */
  pollMs?: number;
  /** Bytes per read (default 1 MiB). */
  chunkSize?: number;
  /** Byte offset to start at (default 0). */
  start?: number;
  /**
   * The reader copies what it keeps of each piece by the time it asks for the second piece after it:
   * reads go round three buffers (a piece is overwritten from then on; a scanner still holds the end of
   * the last piece until it is given the next one). Not with `follow`.
   */
  reuseBuffers?: boolean;
  /** Told the size of each read, as it completes (a progress bar). */
  onRead?: (bytes: number) => void;
}

/** The bytes of the file at `path`, in reads of `chunkSize`. */
export async function* fileByteSource(
  path: string,
  opts: FileByteSourceOptions = {},
): AsyncGenerator<Uint8Array> {
  const chunkSize = opts.chunkSize ?? 1 << 20;
  const pollMs = opts.pollMs ?? 200;
  if (!opts.follow) {
    yield* readAhead(path, chunkSize, opts);
    return;
  }
  const fh = await open(path, 'r');
  try {
    let pos = opts.start ?? 0;
    for (;;) {
      if (opts.signal?.aborted) return;
      const buf = new Uint8Array(chunkSize);
      const { bytesRead } = await fh.read(buf, 0, chunkSize, pos);
      if (bytesRead > 0) {
        pos += bytesRead;
        opts.onRead?.(bytesRead);
        yield buf.subarray(0, bytesRead);
        continue;
      }
      if (!opts.follow) return;
      await sleep(pollMs, opts.signal);
    }
  } finally {
    await fh.close();
  }
}

/** A file to its end, one read always in flight (the main thread would otherwise wait for each). */
async function* readAhead(
  path: string,
  chunkSize: number,
  opts: FileByteSourceOptions,
): AsyncGenerator<Uint8Array> {
  const fh = await open(path, 'r');
  let inFlight: Promise<unknown> | undefined;
  try {
    let pos = opts.start ?? 0;
    const read = (b: Uint8Array, at: number): Promise<Uint8Array> => {
      const r = fh.read(b, 0, b.length, at).then(({ bytesRead }) => b.subarray(0, bytesRead));
      inFlight = r.catch(() => {}); // awaited below; a failure is thrown from there
      return r;
    };
    // With reuse, three buffers: when the consumer asks for a piece it is done with the one two before
    // it, which then takes the read after next. (With two, a scapkit reader's scanner, which holds the
    // end of the last piece until it is given the next, read records out of bytes being overwritten.)
    const spares: Uint8Array[] = opts.reuseBuffers
      ? [new Uint8Array(chunkSize), new Uint8Array(chunkSize)]
      : [];
    let next = read(new Uint8Array(chunkSize), pos);
    for (;;) {
      const got = await next;
      if (opts.signal?.aborted || got.length === 0) return;
      pos += got.length;
      opts.onRead?.(got.length);
      const b = spares.shift() ?? new Uint8Array(chunkSize);
      if (opts.reuseBuffers) spares.push(new Uint8Array(got.buffer));
      next = read(b, pos);
      yield got;
    }
  } finally {
    await inFlight; // the handle stays open until no read uses it
    await fh.close();
  }
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
  });
}

/** The bytes of a Node Readable (a pipe, a socket, stdin, an http response) in binary mode. */
export async function* readableByteSource(stream: Readable): AsyncGenerator<Uint8Array> {
  for await (const chunk of stream) {
    if (typeof chunk === 'string')
      throw new TypeError('readableByteSource needs a binary stream (no setEncoding)');
    yield chunk as Uint8Array;
  }
}
