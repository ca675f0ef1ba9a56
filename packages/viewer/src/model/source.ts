// Where the worker's bytes come from: a file the user dropped (a Blob, sliced), a random-access source, read
// front to back in large reads, one always in flight. (A trace served by `scapkit view` is read in the
// server's process, through the native read path.) No `node:` here.
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
