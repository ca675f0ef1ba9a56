// The zstd chunk codec's browser-safe half: the frame checks every zstd codec runs before decoding, and a
// pure-JavaScript decoder (fzstd), so a reader opens zstd traces where the native module is missing (a
// browser, an install without a C++ compiler). Compression needs the native codec
// (`nativeZstdCodec()` of `@scapkit/scap-format/node`); this one only decodes.
//
// Codec 2 stores one zstd frame (RFC 8878) per chunk or metadata record: no dictionary, its content size
// in the frame header equal to the record's raw length, nothing after it. The checks below walk the frame
// and block headers (a few bytes per 128 KiB block) so both decoders refuse the same inputs, and so the
// pure one, which writes into the caller's buffer without telling how much it wrote, never decodes a frame
// whose blocks cannot add up to the raw length.
import { decompress as fzstdDecompress } from 'fzstd';
import { ScapFormatError } from '../errors.js';
import { type ChunkCodec, CodecId } from './types.js';

/** The little-endian magic number that starts a zstd frame. */
export const ZSTD_MAGIC = 0xfd2fb528;
/** The most one zstd block decodes to (Block_Maximum_Size, RFC 8878 §3.1.1.2.3). */
export const ZSTD_BLOCK_MAX = 128 << 10;
/** The smallest block that decodes to ZSTD_BLOCK_MAX bytes: an RLE block, 3-byte header and 1 byte. */
const SMALLEST_FULL_BLOCK = 4;
/** The smallest frame header: magic, frame header descriptor, a 1-byte content size. */
const SMALLEST_FRAME_HEADER = 6;

/**
 * The most raw bytes a zstd frame of `storedLength` bytes can decode to: every 4 bytes after the frame
 * header an RLE block of 128 KiB (no block type expands further). Readers refuse a larger declared raw
 * length before allocating anything.
 */
export function zstdMaxRawLength(storedLength: number): number {
  const blocks = Math.floor(Math.max(0, storedLength - SMALLEST_FRAME_HEADER) / SMALLEST_FULL_BLOCK);
  return blocks * ZSTD_BLOCK_MAX;
}

/** What the frame and block headers of a zstd frame say, checked against its bytes. */
export interface ZstdFrameInfo {
  /** Frame_Content_Size from the header, or undefined when the frame does not declare it. */
  contentSize: number | undefined;
  /** Bytes of the frame header (magic included). */
  headerSize: number;
  /** Whether a 4-byte content checksum follows the last block. */
  checksum: boolean;
  /** Bytes the raw and RLE blocks decode to (exact). */
  exactBytes: number;
  /** Number of compressed blocks (each decodes to at most ZSTD_BLOCK_MAX bytes). */
  compressedBlocks: number;
}

/**
 * Walks one zstd frame's header and block headers and checks that the frame fills `src` exactly; throws
 * ScapFormatError (offset within `src`) otherwise. Decodes nothing.
 */
export function parseZstdFrame(src: Uint8Array): ZstdFrameInfo {
  const fail = (what: string, at: number): never => {
    throw new ScapFormatError(`corrupt zstd frame: ${what}`, at);
  };
  const n = src.length;
  if (n < SMALLEST_FRAME_HEADER) fail(`${n} bytes, shorter than a frame header`, 0);
  const sv = new DataView(src.buffer, src.byteOffset, src.byteLength);
  const magic = sv.getUint32(0, true);
  if (magic !== ZSTD_MAGIC) {
    fail(`magic 0x${magic.toString(16).padStart(8, '0')}, expected 0x${ZSTD_MAGIC.toString(16)}`, 0);
  }
  const fhd = sv.getUint8(4);
  const fcsFlag = fhd >>> 6;
  const singleSegment = (fhd >>> 5) & 1;
  if (fhd & 0x08) fail('reserved bit of the frame header descriptor is set', 4);
  const checksum = ((fhd >>> 2) & 1) === 1;
  const dictIdSize = (fhd & 3) === 3 ? 4 : fhd & 3;
  const fcsSize = fcsFlag === 0 ? singleSegment : 1 << fcsFlag;
  let p = 5 + (singleSegment ? 0 : 1);
  if (p + dictIdSize + fcsSize > n) fail('frame header runs past the record', 4);
  let dictId = 0;
  for (let i = 0; i < dictIdSize; i++) dictId += sv.getUint8(p + i) * 2 ** (8 * i);
  if (dictId !== 0) fail(`frame needs dictionary ${dictId}; scapkit chunks use none`, p);
  p += dictIdSize;
  let contentSize: number | undefined;
  if (fcsSize > 0) {
    let v = 0;
    for (let i = 0; i < fcsSize; i++) v += sv.getUint8(p + i) * 2 ** (8 * i);
    contentSize = fcsSize === 2 ? v + 256 : v;
    p += fcsSize;
  }
  const headerSize = p;
  let exactBytes = 0;
  let compressedBlocks = 0;
  for (;;) {
    if (n - p < 3) fail('block header runs past the record', p);
    const bh = sv.getUint16(p, true) | (sv.getUint8(p + 2) << 16);
    const last = bh & 1;
    const type = (bh >>> 1) & 3;
    const size = bh >>> 3;
    const at = p;
    p += 3;
    if (type === 3) fail('reserved block type', at);
    if (size > ZSTD_BLOCK_MAX) fail(`block of ${size} bytes, more than the ${ZSTD_BLOCK_MAX} allowed`, at);
    const stored = type === 1 ? 1 : size; // an RLE block stores one byte, repeated `size` times
    if (stored > n - p) fail(`block of ${stored} bytes runs past the record`, at);
    p += stored;
    if (type === 2) compressedBlocks++;
    else exactBytes += size;
    if (last) break;
  }
  if (checksum) {
    if (n - p < 4) fail('content checksum runs past the record', p);
    p += 4;
  }
  if (p !== n) fail(`frame ends at byte ${p}, record holds ${n} (one frame per record)`, p);
  return { contentSize, headerSize, checksum, exactBytes, compressedBlocks };
}

/**
 * Checks that `src` is one zstd frame that can decode to exactly `rawLength` bytes: it declares that
 * content size, and its blocks can add up to it. Both zstd codecs call this before decoding.
 */
export function checkZstdFrame(src: Uint8Array, rawLength: number): ZstdFrameInfo {
  const f = parseZstdFrame(src);
  if (f.contentSize === undefined) {
    throw new ScapFormatError('corrupt zstd frame: its header does not declare the content size', 4);
  }
  if (f.contentSize !== rawLength) {
    throw new ScapFormatError(
      `corrupt zstd frame: declares ${f.contentSize} bytes of content, the record says ${rawLength}`,
      4,
    );
  }
  if (f.exactBytes > rawLength || f.exactBytes + f.compressedBlocks * ZSTD_BLOCK_MAX < rawLength) {
    throw new ScapFormatError(
      `corrupt zstd frame: its blocks cannot decode to ${rawLength} bytes`,
      f.headerSize,
    );
  }
  return f;
}

/**
 * The pure-JavaScript zstd codec (fzstd): decodes codec-2 chunks and metadata into a buffer of exactly
 * the declared raw length, so a frame cannot make it allocate more. It does not compress.
 */
export function createZstdCodec(): ChunkCodec {
  return {
    id: CodecId.ZSTD,
    name: 'zstd',
    maxRawLength: zstdMaxRawLength,
    compress() {
      throw new Error(
        'zstd compression needs the native codec: use nativeZstdCodec() from @scapkit/scap-format/node ' +
          '(the zstd-napi package), or the lz4 codec',
      );
    },
    decompress(src, rawLength) {
      checkZstdFrame(src, rawLength);
      const dst = new Uint8Array(rawLength);
      try {
        const out = fzstdDecompress(src, dst);
        if (out !== dst && out.length !== rawLength) {
          throw new Error(`decodes to ${out.length} bytes, expected ${rawLength}`);
        }
      } catch (e) {
        throw new ScapFormatError(`corrupt zstd frame: ${(e as Error).message}`, 0);
      }
      return dst;
    },
  };
}
