// Node-only entry point of @scapkit/scap-format: file access, the native LZ4 codec.
import { createLz4Codec } from '../codec/lz4.js';
import type { ChunkCodec } from '../codec/types.js';
import { nativeLz4Codec } from './lz4-native.js';

export { type FileByteSourceOptions, fileByteSource, readableByteSource } from './byte-source.js';
export { createFileSink, type FileSink, type FileSinkOptions, FileWriteError } from './file-sink.js';
export { IndexedScapkitReader } from './indexed-reader.js';
export { nativeLz4Codec } from './lz4-native.js';
export { openCaptureFile, readScapkitFile } from './open-file.js';

/** The fastest LZ4 codec here: native when lz4-napi is installed, else the pure-TypeScript one. */
export function bestLz4Codec(): ChunkCodec {
  return nativeLz4Codec() ?? createLz4Codec();
}
