// Codec registry of the browser-safe core: which codec decodes a stored codec id.
import { ScapFormatError } from '../errors.js';
import { createLz4Codec } from './lz4.js';
import { noneCodec } from './none.js';
import type { ChunkCodec } from './types.js';

export {
  createLz4Codec,
  lz4CompressBlock,
  lz4CompressBound,
  lz4DecompressBlock,
  lz4MaxRawLength,
} from './lz4.js';
export { noneCodec } from './none.js';
export { type ChunkCodec, CodecId } from './types.js';

/**
 * The codecs a reader uses by id: the given ones first (e.g. native LZ4 in Node), then the built-in
 * pure-TypeScript ones.
 */
export function codecTable(
  preferred: readonly ChunkCodec[] = [],
): (id: number, offset: number) => ChunkCodec {
  const byId = new Map<number, ChunkCodec>();
  for (const c of [noneCodec, createLz4Codec(), ...preferred]) byId.set(c.id, c);
  return (id, offset) => {
    const c = byId.get(id);
    if (!c)
      throw new ScapFormatError(`unknown codec id ${id} (known: ${[...byId.keys()].join(', ')})`, offset);
    return c;
  };
}
