// The identity codec: for tests, for data that does not compress, and for readers without LZ4.
import { ScapFormatError } from '../errors.js';
import { type ChunkCodec, CodecId } from './types.js';

export const noneCodec: ChunkCodec = {
  id: CodecId.NONE,
  name: 'none',
  compress: (raw) => raw.slice(),
  maxRawLength: (storedLength) => storedLength,
  decompress(src, rawLength) {
    if (src.length !== rawLength) {
      throw new ScapFormatError(`stored body is ${src.length} bytes, header says ${rawLength}`, 0);
    }
    return src.slice();
  },
};
