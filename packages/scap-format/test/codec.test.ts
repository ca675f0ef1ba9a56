// CRC32C against published check values and a bitwise reference; both LZ4 codecs round-trip, read each
// other's blocks, and turn damaged blocks into ScapFormatError without writing outside their output.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { crc32cPortable } from '../src/crc32c.js';
import {
  crc32c,
  createLz4Codec,
  lz4CompressBlock,
  lz4CompressBound,
  lz4DecompressBlock,
  noneCodec,
  ScapFormatError,
} from '../src/index.js';
import { installNativeCrc32c, nativeLz4Codec } from '../src/node/index.js';
import { prng } from './golden/synthetic.js';

function crcBitwise(b: Uint8Array): number {
  let c = 0xffffffff;
  for (const x of b) {
    c ^= x;
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ 0x82f63b78 : c >>> 1;
  }
  return ~c >>> 0;
}

/** Data that compresses like event streams do: repeated records with small variations. */
function eventish(n: number, seed: number): Uint8Array {
  const r = prng(seed);
  const out = new Uint8Array(n);
  const words = [
    '/usr/lib/x86_64-linux-gnu/',
    'GET / HTTP/1.1\r\n',
    '\u0000\u0000\u0000\u0000',
    'nginx',
    'openat',
  ];
  let p = 0;
  while (p < n) {
    if (r() < 0.3) out[p++] = (r() * 256) | 0;
    else for (const ch of words[(r() * words.length) | 0]!) if (p < n) out[p++] = ch.charCodeAt(0);
  }
  return out;
}

describe('crc32c', () => {
  it('matches the published check values (RFC 3720 B.4)', () => {
    expect(crc32c(new TextEncoder().encode('123456789'))).toBe(0xe3069283);
    expect(crc32c(new Uint8Array(32))).toBe(0x8a9136aa);
    expect(crc32c(new Uint8Array(32).fill(0xff))).toBe(0x62a8ab43);
    expect(crc32c(Uint8Array.from({ length: 32 }, (_, i) => i))).toBe(0x46dd794e);
    expect(crc32c(new Uint8Array(0))).toBe(0);
  });

  it('equals the bitwise reference, and continues across split inputs', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), fc.nat(), (b, k) => {
        const whole = crc32c(b);
        expect(whole).toBe(crcBitwise(b));
        const cut = b.length ? k % b.length : 0;
        expect(crc32c(b, crc32c(b, 0, 0, cut), cut)).toBe(whole);
      }),
    );
  });

  it('gives the same answer on the word path at every alignment and length', () => {
    const big = Uint8Array.from({ length: 4096 + 64 }, (_, i) => (i * 2654435761) >>> 19);
    for (let start = 0; start < 8; start++) {
      for (const len of [63, 64, 65, 79, 80, 1000, 4095]) {
        const view = big.subarray(start, start + len);
        expect(crc32c(view)).toBe(crcBitwise(view));
        expect(crc32c(big, 0, start, start + len)).toBe(crcBitwise(view));
      }
    }
  });

  it('the native one (@node-rs/crc32) installs here and agrees with the bitwise reference and ours', () => {
    expect(installNativeCrc32c()).toBe(true);
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 200, maxLength: 3000 }), fc.nat(), fc.nat(), (b, i, j) => {
        const start = i % b.length;
        const end = start + (j % (b.length - start + 1));
        const want = crcBitwise(b.subarray(start, end));
        expect(crc32c(b, 0, start, end)).toBe(want);
        expect(crc32cPortable(b, 0, start, end)).toBe(want);
        expect(crc32c(b, crc32c(b, 0, 0, start), start)).toBe(crc32c(b));
      }),
    );
  });
});

/** Byte equality without vitest's element-by-element diffing (slow on large arrays). */
const same = (a: Uint8Array, b: Uint8Array): boolean => Buffer.compare(a, b) === 0;

const native = nativeLz4Codec();
const ts = createLz4Codec();

describe('LZ4 block codecs', () => {
  it('lz4-napi is installed: its sync API is an LZ4 block behind a 4-byte size prefix', () => {
    expect(native).toBeDefined();
  });

  it('round-trip and interoperate on random and compressible data', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.uint8Array({ maxLength: 5000 }),
          fc.nat({ max: 70000 }).map((n) => eventish(n, n + 1)),
        ),
        (raw) => {
          const a = ts.compress(raw);
          const b = native!.compress(raw);
          expect(a.length).toBeLessThanOrEqual(lz4CompressBound(raw.length));
          expect(same(ts.decompress(a, raw.length), raw)).toBe(true);
          expect(same(native!.decompress(a, raw.length), raw)).toBe(true);
          expect(same(ts.decompress(b, raw.length), raw)).toBe(true);
          expect(same(native!.decompress(b, raw.length), raw)).toBe(true);
        },
      ),
      { numRuns: 40 },
    );
  });

  it('compress event-like data well (a regression guard on the match finder)', () => {
    const raw = eventish(1 << 20, 7);
    const a = ts.compress(raw);
    const b = native!.compress(raw);
    expect(a.length).toBeLessThan(raw.length * 0.6);
    expect(a.length).toBeLessThan(b.length * 1.3);
  });

  it('handle matches longer than 64 KiB apart and long runs', () => {
    const raw = new Uint8Array(300000);
    raw.set(eventish(1000, 3), 0);
    raw.set(eventish(1000, 3), 100000); // too far back to reference
    raw.fill(0x41, 200000, 290000); // one long overlapping match
    for (const c of [ts, native!]) expect(same(ts.decompress(c.compress(raw), raw.length), raw)).toBe(true);
  });

  it('reject a wrong raw length in either direction', () => {
    const raw = eventish(4000, 9);
    for (const c of [ts, native!]) {
      const block = c.compress(raw);
      expect(() => c.decompress(block, raw.length - 1)).toThrow(ScapFormatError);
      expect(() => c.decompress(block, raw.length + 1)).toThrow(ScapFormatError);
    }
  });

  it('reject offsets before the output, and never write past the output on garbage', () => {
    // token: 1 literal, match of 4 at offset 5 (only 1 byte decoded so far)
    expect(() => lz4DecompressBlock(new Uint8Array([0x10, 0x61, 0x05, 0x00]), new Uint8Array(5))).toThrow(
      /offset 5/,
    );
    expect(() => lz4DecompressBlock(new Uint8Array([0x10, 0x61, 0x00, 0x00]), new Uint8Array(5))).toThrow(
      /offset 0/,
    );
    expect(() => lz4DecompressBlock(new Uint8Array([0xf0]), new Uint8Array(20))).toThrow(ScapFormatError);
    expect(() => lz4DecompressBlock(new Uint8Array(0), new Uint8Array(0))).toThrow(ScapFormatError);
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 1, maxLength: 200 }), fc.nat({ max: 2000 }), (garbage, n) => {
        // A guard region behind the output shows any write past its end.
        const backing = new Uint8Array(n + 64).fill(0xee);
        const out = backing.subarray(0, n);
        try {
          lz4DecompressBlock(garbage, out);
        } catch (e) {
          expect(e).toBeInstanceOf(ScapFormatError);
        }
        expect(backing.subarray(n).every((x) => x === 0xee)).toBe(true);
        try {
          native!.decompress(garbage, n);
        } catch (e) {
          expect(e).toBeInstanceOf(ScapFormatError);
        }
      }),
      { numRuns: 2000 },
    );
  });

  it('flip any byte of a block: the result is the input, or ScapFormatError, never another error', () => {
    const raw = eventish(3000, 11);
    const block = ts.compress(raw);
    for (let i = 0; i < block.length; i++) {
      const bad = block.slice();
      bad[i] ^= 0x5a;
      for (const c of [ts, native!]) {
        try {
          c.decompress(bad, raw.length);
        } catch (e) {
          expect(e).toBeInstanceOf(ScapFormatError);
        }
      }
    }
  });

  it('bound what a block can decode to (255:1), and the none codec is exact', () => {
    const zeros = new Uint8Array(1 << 20);
    const block = new Uint8Array(lz4CompressBound(zeros.length));
    const n = lz4CompressBlock(zeros, block, new Int32Array(1 << 16));
    expect(zeros.length).toBeLessThanOrEqual(ts.maxRawLength(n));
    expect(noneCodec.maxRawLength(10)).toBe(10);
    expect(() => noneCodec.decompress(new Uint8Array(3), 4)).toThrow(ScapFormatError);
  });
});
