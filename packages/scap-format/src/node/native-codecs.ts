// The native codecs installed here, in one list: what every Node reader prefers over the pure ones.
import { createLz4Codec, lz4MaxRawLength } from '../codec/lz4.js';
import { type ChunkCodec, CodecId } from '../codec/types.js';
import { nativeLz4Codec } from './lz4-native.js';
import { installNativeCrc32c } from './native-crc32c.js';
import { nativeZstdCodec } from './zstd-native.js';

/**
 * The native codecs installed here (zstd, LZ4), fastest first; the pure ones cover the rest. Every Node
 * reader asks for them: this is also where the native CRC32C replaces the TypeScript one.
 */
export function installedNativeCodecs(): ChunkCodec[] {
  installNativeCrc32c();
  return [nativeZstdCodec(), lz4WhenNeeded].filter((c): c is ChunkCodec => c !== undefined);
}

let lz4: ChunkCodec | undefined;
const loadLz4 = (): ChunkCodec => (lz4 ??= nativeLz4Codec() ?? createLz4Codec());

/**
 * LZ4 as readers take it: lz4-napi is loaded when the first LZ4 record is met, not by every reader (most
 * traces are zstd, and loading it cost ~10 ms of a command's start-up and of each decoding worker's);
 * the pure codec where it does not load.
 */
const lz4WhenNeeded: ChunkCodec = {
  id: CodecId.LZ4,
  get name() {
    return loadLz4().name;
  },
  maxRawLength: lz4MaxRawLength,
  compress: (raw) => loadLz4().compress(raw),
  decompress: (src, rawLength) => loadLz4().decompress(src, rawLength),
};
