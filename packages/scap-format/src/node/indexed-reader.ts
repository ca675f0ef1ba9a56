// The indexed reader over a file: a FileHandle as the random-access source, the native codecs.
import { open } from 'node:fs/promises';
import { IndexedScapkitReader, type RandomAccessSource } from '../scapkit/indexed-reader.js';
import type { ScapkitReadOptions } from '../scapkit/reader.js';
import { installedNativeCodecs } from './native-codecs.js';
import { chunkDecoderFor } from './open-file.js';

/** The file at `path` as a random-access source (one open handle until close()). */
export async function fileRandomAccessSource(path: string): Promise<RandomAccessSource> {
  const fh = await open(path, 'r');
  try {
    const size = (await fh.stat()).size;
    return {
      size,
      async read(offset, length) {
        const buf = new Uint8Array(length);
        let p = 0;
        while (p < length) {
          const { bytesRead } = await fh.read(buf, p, length - p, offset + p);
          if (bytesRead === 0) return buf.subarray(0, p);
          p += bytesRead;
        }
        return buf;
      },
      close: () => fh.close(),
    };
  } catch (e) {
    await fh.close();
    throw e;
  }
}

/**
 * Opens a closed scapkit file by path for seeking, with the native codecs installed here, and chunks
 * decoded on the worker pool as openCaptureFile decides (`workers`).
 */
export async function openIndexedScapkitFile(
  path: string,
  opts: ScapkitReadOptions & { workers?: boolean } = {},
): Promise<IndexedScapkitReader> {
  const source = await fileRandomAccessSource(path);
  return IndexedScapkitReader.open(source, {
    ...opts,
    codecs: [...installedNativeCodecs(), ...(opts.codecs ?? [])],
    chunkDecoder: opts.chunkDecoder ?? chunkDecoderFor(opts, source.size),
  });
}
