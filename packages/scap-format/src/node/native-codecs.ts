// The native codecs installed here, in one list: what every Node reader prefers over the pure ones.
import type { ChunkCodec } from '../codec/types.js';
import { nativeLz4Codec } from './lz4-native.js';
import { installNativeCrc32c } from './native-crc32c.js';
import { nativeZstdCodec } from './zstd-native.js';

/**
 * The native codecs installed here (zstd, LZ4), fastest first; the pure ones cover the rest. Every Node
 * reader asks for them: this is also where the native CRC32C replaces the TypeScript one.
 */
export function installedNativeCodecs(): ChunkCodec[] {
  installNativeCrc32c();
  return [nativeZstdCodec(), nativeLz4Codec()].filter((c): c is ChunkCodec => c !== undefined);
}
