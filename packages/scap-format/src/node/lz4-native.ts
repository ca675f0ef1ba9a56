// The native LZ4 codec (lz4-napi, i.e. Rust lz4_flex), loaded in this one file. lz4-napi's
// compressSync/uncompressSync speak LZ4 *block* format behind a 4-byte little-endian size prefix
// (lz4_flex's `compress_prepend_size`); the file stores the bare block, since the record header already
// holds the raw length, so this codec strips the prefix on write and puts it back on read. The bytes on
// disk are thus the same whichever LZ4 codec wrote them.
import { createRequire } from 'node:module';
import { lz4MaxRawLength } from '../codec/lz4.js';
import { type ChunkCodec, CodecId } from '../codec/types.js';
import { ScapFormatError } from '../errors.js';

interface Lz4Napi {
  compressSync(data: Buffer): Buffer;
  uncompressSync(data: Buffer): Buffer;
}

let loaded: Lz4Napi | null | undefined;

function load(): Lz4Napi | null {
  if (loaded === undefined) {
    try {
      loaded = createRequire(import.meta.url)('lz4-napi') as Lz4Napi;
    } catch {
      loaded = null; // an optional dependency: the pure-TypeScript codec takes over
    }
  }
  return loaded;
}

const asBuffer = (u: Uint8Array): Buffer => Buffer.from(u.buffer, u.byteOffset, u.byteLength);

/** The native LZ4 codec, or undefined when lz4-napi is not installed. */
export function nativeLz4Codec(): ChunkCodec | undefined {
  const lz4 = load();
  if (!lz4) return undefined;
  return {
    id: CodecId.LZ4,
    name: 'lz4-native',
    maxRawLength: lz4MaxRawLength,
    compress(raw) {
      return lz4.compressSync(asBuffer(raw)).subarray(4);
    },
    decompress(src, rawLength) {
      // The caller has bounded rawLength, so the prefix cannot make lz4_flex reserve a huge buffer.
      const prefixed = Buffer.allocUnsafe(src.length + 4);
      prefixed.writeUInt32LE(rawLength, 0);
      prefixed.set(src, 4);
      let out: Buffer;
      try {
        out = lz4.uncompressSync(prefixed);
      } catch (e) {
        throw new ScapFormatError(`corrupt LZ4 block: ${(e as Error).message}`, 0);
      }
      if (out.length !== rawLength) {
        throw new ScapFormatError(
          `corrupt LZ4 block: decodes to ${out.length} bytes, expected ${rawLength}`,
          0,
        );
      }
      return new Uint8Array(out.buffer, out.byteOffset, out.byteLength);
    },
  };
}
