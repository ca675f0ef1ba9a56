// Node conveniences over the browser-safe readers: open a capture file by path with the native codecs.

import type { ChunkCodec } from '../codec/types.js';
import { NotACaptureError } from '../errors.js';
import { openCapture } from '../open.js';
import { readScapkit, type ScapkitReadOptions } from '../scapkit/reader.js';
import type { CaptureStream } from '../source.js';
import { type FileByteSourceOptions, fileByteSource } from './byte-source.js';
import { nativeLz4Codec } from './lz4-native.js';
import { nativeZstdCodec } from './zstd-native.js';

/** The native codecs installed here (zstd, LZ4), fastest first; the pure ones cover the rest. */
export function installedNativeCodecs(): ChunkCodec[] {
  return [nativeZstdCodec(), nativeLz4Codec()].filter((c): c is ChunkCodec => c !== undefined);
}

function withNative(opts: ScapkitReadOptions): ScapkitReadOptions {
  const native = installedNativeCodecs();
  return native.length ? { ...opts, codecs: [...native, ...(opts.codecs ?? [])] } : opts;
}

/** Opens a scapkit trace or a sysdig/Falco .scap capture by path (sniffing the format). */
export function openCaptureFile(
  path: string,
  opts: ScapkitReadOptions & FileByteSourceOptions = {},
): CaptureStream {
  return namingThePath(path, openCapture(fileByteSource(path, opts), withNative(opts)));
}

/** The stream, with the path put on a NotACaptureError (the reader sees only bytes). */
function namingThePath(path: string, stream: CaptureStream): CaptureStream {
  return {
    async *[Symbol.asyncIterator]() {
      try {
        yield* stream;
      } catch (e) {
        if (e instanceof NotACaptureError) e.path ??= path;
        throw e;
      }
    },
  };
}

/** Reads a scapkit trace by path as a stream (no footer needed: works on cut and growing files). */
export function readScapkitFile(
  path: string,
  opts: ScapkitReadOptions & FileByteSourceOptions = {},
): CaptureStream {
  return readScapkit(fileByteSource(path, opts), withNative(opts));
}
