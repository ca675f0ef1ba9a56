// Node-only entry point of @scapkit/scap-format: file access, the native LZ4 and zstd codecs.
import { createLz4Codec } from '../codec/lz4.js';
import { noneCodec } from '../codec/none.js';
import type { ChunkCodec, CodecName } from '../codec/types.js';
import { nativeLz4Codec } from './lz4-native.js';
import { installNativeCrc32c } from './native-crc32c.js';
import { nativeZstdCodec, nativeZstdUnavailable, type ZstdCodecOptions } from './zstd-native.js';

export { type FileByteSourceOptions, fileByteSource, readableByteSource } from './byte-source.js';
export { DecodePool, type DecodePoolOptions, detachOnce, sharedDecodePool } from './decode-pool.js';
export { createFileSink, type FileSink, type FileSinkOptions, FileWriteError } from './file-sink.js';
export { nodeGunzip } from './gunzip.js';
export { HEAP_FLAGS_KEY, keepHeapFlags } from './heap-flags.js';
export { fileRandomAccessSource, openIndexedScapkitFile } from './indexed-reader.js';
export { nativeLz4Codec } from './lz4-native.js';
export { installNativeCrc32c } from './native-crc32c.js';
export {
  installedNativeCodecs,
  type OpenCaptureFileOptions,
  openCaptureFile,
  readScapkitFile,
  sniffFile,
  WORKER_MIN_BYTES,
} from './open-file.js';
export {
  DEFAULT_ZSTD_LEVEL,
  type NativeZstdUnavailable,
  nativeZstdCodec,
  nativeZstdUnavailable,
  nativeZstdVersion,
  type ZstdCodecOptions,
} from './zstd-native.js';

/** The fastest LZ4 codec here: native when lz4-napi is installed, else the pure-TypeScript one. */
export function bestLz4Codec(): ChunkCodec {
  return nativeLz4Codec() ?? createLz4Codec();
}

/**
 * A writer's codec by name, the best implementation here: zstd needs the native module (zstd-napi) and
 * throws without it, saying so; lz4 is native when lz4-napi is installed, else pure TypeScript.
 */
export function chunkCodec(name: CodecName, options: ZstdCodecOptions = {}): ChunkCodec {
  installNativeCrc32c(); // a writer checksums every record it writes
  switch (name) {
    case 'zstd': {
      const c = nativeZstdCodec(options);
      if (!c) {
        const why = nativeZstdUnavailable();
        throw new Error(
          `the zstd codec cannot write here: ${why?.reason ?? 'zstd-napi does not load'}; ` +
            `${why?.installed ? 'rebuild it (npm rebuild zstd-napi)' : 'install it (npm install zstd-napi)'}, ` +
            'which builds it from source with node-gyp (python3, make and a C++ compiler), or use the lz4 codec',
        );
      }
      return c;
    }
    case 'lz4':
      return bestLz4Codec();
    case 'none':
      return noneCodec;
    default:
      throw new Error(`unknown codec '${name as string}' (known: zstd, lz4, none)`);
  }
}

/** The codec a recorder writes with by default: native zstd when installed, else the best LZ4. */
export function defaultChunkCodec(): ChunkCodec {
  installNativeCrc32c();
  return nativeZstdCodec() ?? bestLz4Codec();
}
