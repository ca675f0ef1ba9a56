// A pure-TypeScript LZ4 block codec (the block format of lz4/lz4 `doc/lz4_Block_format.md`), so traces
// are written and read where no native LZ4 exists (a browser). Its output is a bare LZ4 block, the same
// bytes the native codec stores, and either decodes the other's. The decoder checks every length and
// offset against both buffers: bad input is a ScapFormatError, never a write outside the output.
import { ScapFormatError } from '../errors.js';
import { type ChunkCodec, CodecId } from './types.js';

const MIN_MATCH = 4;
/** The last 5 bytes of a block are always literals. */
const LAST_LITERALS = 5;
/** The last match starts at least 12 bytes before the end of the block. */
const MF_LIMIT = 12;
const MAX_DISTANCE = 65535;
const HASH_LOG = 16;
/** Smaller copies are done byte by byte: cheaper than a subarray and a native call. */
const SHORT_COPY = 32;

/** Worst-case size of the LZ4 block of `n` bytes. */
export function lz4CompressBound(n: number): number {
  return n + ((n / 255) | 0) + 16;
}

/** Writes the length remainder (≥ 15 already in the token) as 255-runs; returns the new position. */
function writeLengthTail(dst: Uint8Array, dp: number, rest: number): number {
  while (rest >= 255) {
    dst[dp++] = 255;
    rest -= 255;
  }
  dst[dp++] = rest;
  return dp;
}

function copyBytes(dst: Uint8Array, dp: number, src: Uint8Array, sp: number, n: number): void {
  if (n < SHORT_COPY) {
    for (let k = 0; k < n; k++) dst[dp + k] = src[sp + k] ?? 0;
  } else {
    dst.set(src.subarray(sp, sp + n), dp);
  }
}

/** Emits one sequence (literals, then a match unless matchLen < 0); returns the new output position. */
function emitSequence(
  dst: Uint8Array,
  dp: number,
  src: Uint8Array,
  anchor: number,
  litLen: number,
  offset: number,
  matchLen: number,
): number {
  const tokenAt = dp++;
  let token = 0;
  if (litLen >= 15) {
    token = 0xf0;
    dp = writeLengthTail(dst, dp, litLen - 15);
  } else {
    token = litLen << 4;
  }
  copyBytes(dst, dp, src, anchor, litLen);
  dp += litLen;
  if (matchLen >= 0) {
    dst[dp++] = offset & 0xff;
    dst[dp++] = offset >>> 8;
    if (matchLen >= 15) {
      token |= 0x0f;
      dp = writeLengthTail(dst, dp, matchLen - 15);
    } else {
      token |= matchLen;
    }
  }
  dst[tokenAt] = token;
  return dp;
}

/**
 * Compresses `src` into `dst` (at least lz4CompressBound(src.length) bytes) as one LZ4 block; returns the
 * block's length. `table` is scratch space of 2^16 entries, reused across calls.
 */
export function lz4CompressBlock(src: Uint8Array, dst: Uint8Array, table: Int32Array): number {
  const n = src.length;
  let dp = 0;
  let anchor = 0;
  // DataView word reads: V8 inlines them, faster than combining four byte loads.
  const dv = new DataView(src.buffer, src.byteOffset, src.byteLength);
  if (n > MF_LIMIT) {
    table.fill(-1);
    const matchLimit = n - LAST_LITERALS;
    const ipLimit = n - MF_LIMIT;
    let ip = 0;
    outer: for (;;) {
      // Find a match; the step grows while nothing matches, so incompressible data passes quickly.
      let attempts = 1 << 6;
      let ref = -1;
      for (;;) {
        if (ip > ipLimit) break outer;
        const seq = dv.getInt32(ip, true);
        const h = Math.imul(seq, -1640531535) >>> (32 - HASH_LOG);
        ref = table[h] ?? -1;
        table[h] = ip;
        if (ref >= 0 && ip - ref <= MAX_DISTANCE && dv.getInt32(ref, true) === seq) break;
        ip += attempts++ >> 6;
      }
      while (ip > anchor && ref > 0 && src[ip - 1] === src[ref - 1]) {
        ip--;
        ref--;
      }
      let end = ip + MIN_MATCH;
      let r = ref + MIN_MATCH;
      while (end + 4 <= matchLimit && dv.getInt32(end, true) === dv.getInt32(r, true)) {
        end += 4;
        r += 4;
      }
      while (end < matchLimit && src[end] === src[r]) {
        end++;
        r++;
      }
      dp = emitSequence(dst, dp, src, anchor, ip - anchor, ip - ref, end - ip - MIN_MATCH);
      ip = end;
      anchor = end;
      if (ip - 2 <= ipLimit) {
        table[Math.imul(dv.getInt32(ip - 2, true), -1640531535) >>> (32 - HASH_LOG)] = ip - 2;
      }
    }
  }
  return emitSequence(dst, dp, src, anchor, n - anchor, 0, -1);
}

/**
 * Decodes one LZ4 block into `dst`, which must be exactly the raw length: a block that decodes to more
 * or fewer bytes, reads past its end, or points a match before the output's start is a ScapFormatError
 * whose offset is the position in `src`.
 */
export function lz4DecompressBlock(src: Uint8Array, dst: Uint8Array): void {
  const sEnd = src.length;
  const dEnd = dst.length;
  let sp = 0;
  let dp = 0;
  const fail = (what: string): never => {
    throw new ScapFormatError(`corrupt LZ4 block: ${what}`, sp);
  };
  if (sEnd === 0) fail('empty block');
  for (;;) {
    if (sp >= sEnd) fail('block ends without a final literal run');
    const token = src[sp++] ?? 0;
    let lit = token >>> 4;
    if (lit === 15) {
      let b = 255;
      while (b === 255) {
        if (sp >= sEnd) fail('literal length runs past the block');
        b = src[sp++] ?? 0;
        lit += b;
      }
    }
    if (lit > sEnd - sp) fail(`${lit} literals run past the block`);
    if (lit > dEnd - dp) fail(`${lit} literals overflow the ${dEnd}-byte output`);
    copyBytes(dst, dp, src, sp, lit);
    sp += lit;
    dp += lit;
    if (sp === sEnd) break; // the last sequence has literals only
    if (sEnd - sp < 2) fail('match offset runs past the block');
    const offset = (src[sp] ?? 0) | ((src[sp + 1] ?? 0) << 8);
    sp += 2;
    if (offset === 0 || offset > dp) fail(`match offset ${offset} before the start of the output`);
    let len = token & 15;
    if (len === 15) {
      let b = 255;
      while (b === 255) {
        if (sp >= sEnd) fail('match length runs past the block');
        b = src[sp++] ?? 0;
        len += b;
      }
    }
    len += MIN_MATCH;
    if (len > dEnd - dp) fail(`match of ${len} bytes overflows the ${dEnd}-byte output`);
    let from = dp - offset;
    if (offset >= len && len >= SHORT_COPY) {
      dst.copyWithin(dp, from, from + len);
      dp += len;
    } else {
      // Overlapping match (offset < len) repeats the last `offset` bytes: copy forward one at a time.
      const stop = dp + len;
      while (dp < stop) dst[dp++] = dst[from++] ?? 0;
    }
  }
  if (dp !== dEnd) fail(`block decodes to ${dp} bytes, expected ${dEnd}`);
}

/**
 * The most an LZ4 block of `storedLength` bytes decodes to: a match length byte of 255 adds at most 255
 * bytes, so the ratio never exceeds 255:1 (plus the few bytes of a minimal sequence).
 */
export function lz4MaxRawLength(storedLength: number): number {
  return storedLength * 255 + 64;
}

/** The pure-TypeScript LZ4 codec. Each instance owns its hash table: use one per writer. */
export function createLz4Codec(): ChunkCodec {
  const table = new Int32Array(1 << HASH_LOG);
  return {
    id: CodecId.LZ4,
    name: 'lz4',
    maxRawLength: lz4MaxRawLength,
    compress(raw) {
      const dst = new Uint8Array(lz4CompressBound(raw.length));
      return dst.subarray(0, lz4CompressBlock(raw, dst, table));
    },
    decompress(src, rawLength) {
      const dst = new Uint8Array(rawLength);
      lz4DecompressBlock(src, dst);
      return dst;
    },
  };
}
