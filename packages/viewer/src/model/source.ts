// Where the worker's bytes come from: a file the user dropped (a Blob, sliced) or the `scapkit view` server
// (HTTP range requests with the session's token in the URL). Both are random-access sources, so the worker
// reads the trace front to back in large reads, one always in flight, and could seek. No `node:` here.
import { ScapFormatError } from '@scapkit/scap-format';

export interface RandomAccessSource {
  readonly size: number;
  read(offset: number, length: number): Promise<Uint8Array>;
}

export function blobSource(blob: Blob): RandomAccessSource {
  return {
    size: blob.size,
    read: async (offset, length) => new Uint8Array(await blob.slice(offset, offset + length).arrayBuffer()),
  };
}

/** A trace behind the viewer's server: its size from a first one-byte range request, then ranges. */
export async function httpSource(url: string): Promise<RandomAccessSource> {
  const get = async (offset: number, length: number): Promise<{ bytes: Uint8Array; total: number }> => {
    const r = await fetch(url, { headers: { range: `bytes=${offset}-${offset + length - 1}` } });
    if (r.status !== 206 && r.status !== 200) {
      throw new Error(`the server answered ${r.status} ${r.statusText} for ${length} bytes at ${offset}`);
    }
    const bytes = new Uint8Array(await r.arrayBuffer());
    const range = /\/(\d+)$/.exec(r.headers.get('content-range') ?? '');
    const total = range ? Number(range[1]) : Number(r.headers.get('content-length') ?? bytes.length);
    // A server that ignores Range sends the whole file: take the part asked for.
    return { bytes: r.status === 200 ? bytes.subarray(offset, offset + length) : bytes, total };
  };
  const first = await get(0, 1);
  return { size: first.total, read: async (o, n) => (n === 0 ? new Uint8Array(0) : (await get(o, n)).bytes) };
}

/** The whole source front to back in reads of `chunk` bytes, the next read issued before yielding. */
export async function* readSequentially(
  src: RandomAccessSource,
  onBytes: (done: number) => void,
  chunk = 4 << 20,
): AsyncGenerator<Uint8Array> {
  let pos = 0;
  const next = (at: number) => (at < src.size ? src.read(at, Math.min(chunk, src.size - at)) : undefined);
  let pending = next(0);
  while (pending) {
    const bytes = await pending;
    if (bytes.length === 0) throw new ScapFormatError('the source returned no bytes before its end', pos);
    pos += bytes.length;
    pending = next(pos);
    onBytes(pos);
    yield bytes;
  }
}
