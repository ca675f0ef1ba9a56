// Byte sources for the stream readers: a file (read once, or followed as it grows, like tail -f) and a
// Node Readable. Each read goes into a fresh buffer, since a reader may keep views of what it was given.
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
}

/** The bytes of the file at `path`, in reads of `chunkSize`. */
export async function* fileByteSource(
  path: string,
  opts: FileByteSourceOptions = {},
): AsyncGenerator<Uint8Array> {
  const chunkSize = opts.chunkSize ?? 1 << 20;
  const pollMs = opts.pollMs ?? 200;
  const fh = await open(path, 'r');
  try {
    let pos = opts.start ?? 0;
    for (;;) {
      if (opts.signal?.aborted) return;
      const buf = new Uint8Array(chunkSize);
      const { bytesRead } = await fh.read(buf, 0, chunkSize, pos);
      if (bytesRead > 0) {
        pos += bytesRead;
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
