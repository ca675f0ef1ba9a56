// Codec registry of the browser-safe core: which codec decodes a stored codec id.
import { ScapFormatError } from '../errors.js';
import { createLz4Codec } from './lz4.js';
import { noneCodec } from './none.js';
import { type ChunkCodec, codecName } from './types.js';
import { createZstdCodec } from './zstd.js';

export {
  createLz4Codec,
  lz4CompressBlock,
  lz4CompressBound,
  lz4DecompressBlock,
  lz4MaxRawLength,
} from './lz4.js';
export { noneCodec } from './none.js';
export { type ChunkCodec, CODEC_NAMES, CodecId, type CodecName, codecName } from './types.js';
export {
  checkZstdFrame,
  createZstdCodec,
  parseZstdFrame,
  ZSTD_BLOCK_MAX,
  ZSTD_MAGIC,
  type ZstdFrameInfo,
  zstdMaxRawLength,
} from './zstd.js';

/**
 * The codecs a reader uses by id: the given ones first (e.g. native LZ4 and zstd in Node), then the
 * built-in pure ones (none, LZ4, zstd decoding).
 */
export function codecTable(
  preferred: readonly ChunkCodec[] = [],
): (id: number, offset: number) => ChunkCodec {
  const byId = new Map<number, ChunkCodec>();
  for (const c of [noneCodec, createLz4Codec(), createZstdCodec(), ...preferred]) byId.set(c.id, c);
  return (id, offset) => {
    const c = byId.get(id);
    if (!c) {
      const known = [...byId.keys()].map((k) => `${k} ${codecName(k)}`).join(', ');
      throw new ScapFormatError(
        `unknown codec id ${id} (this reader knows ${known}; a newer scapkit may have written it)`,
        offset,
      );
    }
    return c;
  };
}
