// The zstd chunk codec (codec 2): the native codec (zstd-napi) and the pure decoder (fzstd) round-trip and
// read each other's frames, frames built by hand from RFC 8878 and frames written by the `zstd` CLI
// (Debian's `zstd` package, installed by scripts/setup.sh); damaged, cut and lying frames end in
// ScapFormatError without allocating more than the declared raw length; a scapkit file with zstd chunks
// reads without the native module.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  CHUNK_HEADER_SIZE,
  type ChunkCodec,
  CODEC_NAMES,
  CodecId,
  crc32c,
  createZstdCodec,
  emptyMetadata,
  MemorySink,
  PREAMBLE_SIZE,
  parseZstdFrame,
  RecordType,
  readScapkit,
  ScapFormatError,
  ScapkitWriter,
  ScapTruncatedError,
  ZSTD_BLOCK_MAX,
  zstdMaxRawLength,
} from '../src/index.js';
import {
  chunkCodec,
  defaultChunkCodec,
  nativeZstdCodec,
  nativeZstdUnavailable,
  nativeZstdVersion,
} from '../src/node/index.js';
import { batchOf, collect, type PlainEvent, pieces, prng } from './golden/synthetic.js';
import { records } from './support/records.js';

const native = nativeZstdCodec()!;
const pure = createZstdCodec();
const decoders: [string, ChunkCodec][] = [
  ['native', native],
  ['pure', pure],
];

/** Data that compresses like event streams do: repeated records with small variations. */
function eventish(n: number, seed: number): Uint8Array {
  const r = prng(seed);
  const out = new Uint8Array(n);
  const words = ['/usr/lib/x86_64-linux-gnu/', 'GET / HTTP/1.1\r\n', '\0\0\0\0', 'nginx', 'openat'];
  let p = 0;
  while (p < n) {
    if (r() < 0.3) out[p++] = (r() * 256) | 0;
    else for (const ch of words[(r() * words.length) | 0]!) if (p < n) out[p++] = ch.charCodeAt(0);
  }
  return out;
}

type Block = { type: 'raw'; data: Uint8Array } | { type: 'rle'; byte: number; size: number };

/**
 * A zstd frame built by hand from RFC 8878 (single segment, 4-byte content size, no checksum, no
 * dictionary) out of raw and RLE blocks: an encoder independent of both codecs.
 */
function handFrame(blocks: Block[], contentSize?: number): Uint8Array {
  const size = contentSize ?? blocks.reduce((n, b) => n + (b.type === 'raw' ? b.data.length : b.size), 0);
  const out: number[] = [
    0x28,
    0xb5,
    0x2f,
    0xfd,
    0xa0,
    size & 255,
    (size >>> 8) & 255,
    (size >>> 16) & 255,
    size >>> 24,
  ];
  blocks.forEach((b, i) => {
    const last = i === blocks.length - 1 ? 1 : 0;
    const n = b.type === 'raw' ? b.data.length : b.size;
    const h = last | ((b.type === 'raw' ? 0 : 1) << 1) | (n << 3);
    out.push(h & 255, (h >>> 8) & 255, h >>> 16);
    if (b.type === 'raw') out.push(...b.data);
    else out.push(b.byte);
  });
  return Uint8Array.from(out);
}

/** Runs the `zstd` CLI (Debian package `zstd`, installed by scripts/setup.sh) on `raw`; returns the frame. */
function zstdCli(raw: Uint8Array, args: string[]): Uint8Array {
  const dir = mkdtempSync(join(tmpdir(), 'scapkit-zstd-'));
  try {
    writeFileSync(join(dir, 'raw'), raw);
    const r = spawnSync('zstd', ['-q', '-f', ...args, join(dir, 'raw'), '-o', join(dir, 'raw.zst')], {
      encoding: 'utf8',
    });
    if (r.error || r.status !== 0) {
      throw new Error(
        `the zstd CLI failed (${r.error?.message ?? r.stderr}): install Debian's zstd package (scripts/setup.sh does)`,
      );
    }
    return new Uint8Array(readFileSync(join(dir, 'raw.zst')));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function expectFormatError(f: () => unknown, match?: RegExp): ScapFormatError {
  let err: unknown;
  try {
    f();
  } catch (e) {
    err = e;
  }
  expect(err).toBeInstanceOf(ScapFormatError);
  if (match) expect((err as Error).message).toMatch(match);
  return err as ScapFormatError;
}

describe('zstd codecs', () => {
  it('zstd-napi is installed (built from its bundled sources) and is the default writer codec', () => {
    expect(native).toBeDefined();
    expect(nativeZstdVersion()).toMatch(/^1\.\d+\.\d+$/);
    expect(nativeZstdUnavailable()).toBeUndefined();
    expect(defaultChunkCodec().id).toBe(CodecId.ZSTD);
    expect(CODEC_NAMES).toEqual(['zstd', 'lz4', 'none']);
    expect(chunkCodec('zstd').id).toBe(CodecId.ZSTD);
    expect(chunkCodec('lz4').id).toBe(CodecId.LZ4);
    expect(chunkCodec('none').id).toBe(CodecId.NONE);
    expect(() => pure.compress(new Uint8Array(10))).toThrow(/native/);
  });

  it('native frames round-trip through the native and the pure decoder, at any level', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.uint8Array({ minLength: 1, maxLength: 3000 }),
          fc.tuple(fc.integer({ min: 1, max: 300_000 }), fc.nat()).map(([n, s]) => eventish(n, s)),
          fc.integer({ min: 1, max: 400_000 }).map((n) => new Uint8Array(n).fill(7)),
        ),
        fc.constantFrom(1, 3, 9, 19),
        (raw, level) => {
          const frame = nativeZstdCodec({ level })!.compress(raw);
          expect(frame.length).toBeLessThanOrEqual(raw.length + (raw.length >> 7) + 64);
          for (const [name, d] of decoders) {
            expect(Buffer.from(d.decompress(frame, raw.length)).equals(Buffer.from(raw)), name).toBe(true);
          }
          expect(raw.length).toBeLessThanOrEqual(zstdMaxRawLength(frame.length));
        },
      ),
      { numRuns: 40 },
    );
  });

  it('compress event-like data better than 3:1 (a regression guard on the level)', () => {
    const raw = eventish(1 << 20, 1);
    expect(native.compress(raw).length).toBeLessThan(raw.length / 3);
  });

  it('both decode frames built by hand from RFC 8878 (raw and RLE blocks)', () => {
    const r = prng(5);
    const data = Uint8Array.from({ length: 5000 }, () => (r() * 256) | 0);
    const blocks: Block[] = [
      { type: 'raw', data: data.subarray(0, 4000) },
      { type: 'rle', byte: 0x41, size: ZSTD_BLOCK_MAX },
      { type: 'raw', data: data.subarray(4000) },
    ];
    const want = new Uint8Array(5000 + ZSTD_BLOCK_MAX);
    want.set(data.subarray(0, 4000));
    want.fill(0x41, 4000, 4000 + ZSTD_BLOCK_MAX);
    want.set(data.subarray(4000), 4000 + ZSTD_BLOCK_MAX);
    const frame = handFrame(blocks);
    for (const [name, d] of decoders) {
      expect(Buffer.from(d.decompress(frame, want.length)).equals(Buffer.from(want)), name).toBe(true);
    }
  });

  it('both decode frames written by the zstd CLI (golden from an independent encoder)', () => {
    const raw = eventish(700_000, 9);
    for (const args of [['-1'], ['-3'], ['-19'], ['-3', '--check']]) {
      const frame = zstdCli(raw, args);
      expect(parseZstdFrame(frame).contentSize).toBe(raw.length);
      for (const [name, d] of decoders) {
        expect(Buffer.from(d.decompress(frame, raw.length)).equals(Buffer.from(raw)), `${name} ${args}`).toBe(
          true,
        );
      }
    }
    // And the CLI decodes what the native codec writes.
    const dir = mkdtempSync(join(tmpdir(), 'scapkit-zstd-'));
    try {
      writeFileSync(join(dir, 'n.zst'), native.compress(raw));
      const r = spawnSync('zstd', ['-q', '-d', '-c', join(dir, 'n.zst')], { maxBuffer: 1 << 24 });
      expect(r.status).toBe(0);
      expect(Buffer.from(r.stdout).equals(Buffer.from(raw))).toBe(true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('reject a wrong raw length in either direction, a missing content size, a second frame', () => {
    const raw = eventish(50_000, 2);
    const frame = native.compress(raw);
    for (const [, d] of decoders) {
      expectFormatError(() => d.decompress(frame, raw.length + 1), /declares 50000 bytes of content/);
      expectFormatError(() => d.decompress(frame, raw.length - 1), /declares 50000 bytes of content/);
      const two = new Uint8Array([...frame, ...frame]);
      expectFormatError(() => d.decompress(two, raw.length), /one frame per record/);
      // A CLI frame from a pipe does not declare its size: refused, the record must match the frame.
      const piped = spawnSync('zstd', ['-q', '-c'], { input: Buffer.from(raw) }).stdout as Buffer;
      expect(parseZstdFrame(new Uint8Array(piped)).contentSize).toBeUndefined();
      expectFormatError(() => d.decompress(new Uint8Array(piped), raw.length), /content size/);
      expectFormatError(() => d.decompress(new Uint8Array([1, 2, 3, 4, 5, 6, 7]), 10), /magic/);
    }
  });

  it('a frame cut anywhere is a ScapFormatError in both decoders', () => {
    const raw = eventish(20_000, 3);
    const frame = native.compress(raw);
    for (let cut = 0; cut < frame.length; cut += cut < 64 ? 1 : 97) {
      for (const [name, d] of decoders) {
        expectFormatError(() => d.decompress(frame.subarray(0, cut), raw.length), undefined);
        void name;
      }
    }
  });

  it('flip any byte of a frame: the right output, a ScapFormatError, or (pure, no checksum) same-size output', () => {
    const raw = eventish(3000, 4);
    const frame = native.compress(raw);
    for (let i = 0; i < frame.length; i++) {
      for (const bit of [0x01, 0x80]) {
        const bad = frame.slice();
        bad[i]! ^= bit;
        for (const [name, d] of decoders) {
          try {
            const out = d.decompress(bad, raw.length);
            expect(out.length, `${name} flip ${i}`).toBe(raw.length);
          } catch (e) {
            expect(e, `${name} flip ${i}: ${(e as Error).message}`).toBeInstanceOf(ScapFormatError);
          }
        }
      }
    }
  });

  it('garbage behind a valid frame header: ScapFormatError or output of exactly the raw length, in both', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 70_000 }),
        fc.uint8Array({ minLength: 1, maxLength: 400 }),
        fc.boolean(),
        (rawLength, garbage, compressedBlock) => {
          // One last block of type compressed (or raw) whose content is random.
          const bh = 1 | ((compressedBlock ? 2 : 0) << 1) | (garbage.length << 3);
          const frame = Uint8Array.from([
            ...handFrame([{ type: 'rle', byte: 0, size: 1 }], rawLength).subarray(0, 9),
            bh & 255,
            (bh >>> 8) & 255,
            bh >>> 16,
            ...garbage,
          ]);
          for (const [name, d] of decoders) {
            try {
              expect(d.decompress(frame, rawLength).length, name).toBe(rawLength);
            } catch (e) {
              expect(e, `${name}: ${(e as Error).message}`).toBeInstanceOf(ScapFormatError);
            }
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it('a frame whose blocks make more or less than its declared content is refused before decoding', () => {
    // 40 RLE blocks of 128 KiB in 160 bytes: 5 MiB, but the header (and the record) say 1000 bytes.
    const bomb = handFrame(
      Array.from({ length: 40 }, () => ({ type: 'rle' as const, byte: 0, size: ZSTD_BLOCK_MAX })),
      1000,
    );
    const short = handFrame([{ type: 'rle', byte: 1, size: 10 }], 1000);
    for (const [, d] of decoders) {
      const heap = process.memoryUsage().arrayBuffers;
      expectFormatError(() => d.decompress(bomb, 1000), /blocks cannot decode to 1000 bytes/);
      expect(process.memoryUsage().arrayBuffers - heap).toBeLessThan(1 << 20);
      expectFormatError(() => d.decompress(short, 1000), /blocks cannot decode to 1000 bytes/);
    }
    // 4 bytes per 128 KiB block is the most any zstd frame expands: the bound the reader applies.
    const densest = handFrame(
      Array.from({ length: 8 }, () => ({ type: 'rle' as const, byte: 3, size: ZSTD_BLOCK_MAX })),
    );
    expect(8 * ZSTD_BLOCK_MAX).toBeLessThanOrEqual(zstdMaxRawLength(densest.length));
    expect(zstdMaxRawLength(densest.length)).toBeLessThan(10 * ZSTD_BLOCK_MAX);
    for (const [, d] of decoders)
      expect(d.decompress(densest, 8 * ZSTD_BLOCK_MAX).every((b) => b === 3)).toBe(true);
  });
});

// ---- zstd in a scapkit file ------------------------------------------------------------------------------

const golden = (name: string) => fileURLToPath(new URL(`./golden/${name}`, import.meta.url));

/** A chunk record (type, length, 36-byte header, body) with its CRC32C computed. */
function chunkRecord(
  codec: number,
  count: number,
  rawLength: number,
  stored: Uint8Array,
  firstTs: bigint,
  lastTs: bigint,
) {
  const rec = new Uint8Array(5 + CHUNK_HEADER_SIZE + stored.length);
  const dv = new DataView(rec.buffer);
  rec[0] = RecordType.CHUNK;
  dv.setUint32(1, CHUNK_HEADER_SIZE + stored.length, true);
  rec[5] = codec;
  dv.setUint32(9, count, true);
  dv.setUint32(13, rawLength, true);
  dv.setUint32(17, stored.length, true);
  dv.setBigUint64(21, firstTs, true);
  dv.setBigUint64(29, lastTs, true);
  rec.set(stored, 5 + CHUNK_HEADER_SIZE);
  dv.setUint32(37, crc32c(stored, crc32c(rec, 0, 5, 37)), true);
  return rec;
}

const someEvents = (n: number): PlainEvent[] =>
  Array.from({ length: n }, (_, i) => ({
    ts: String(1_000_000 + i),
    tid: 100 + (i % 7),
    cpu: i % 2,
    flags: 0,
    type: i % 2 ? 7 : 9,
    params: ['0800000000000000', '61'.repeat(40 + (i % 30)), '0300000000000000'],
  }));

async function zstdFile(events: PlainEvent[], chunkBytes = 4096): Promise<Uint8Array> {
  const sink = new MemorySink();
  const w = new ScapkitWriter(sink, { recorderVersion: 'test' }, { codec: native, chunkBytes });
  const meta = emptyMetadata();
  for (let tid = 1; tid <= 200; tid++) meta.threads.push({ tid, comm: 'nginx' } as never);
  await w.writeMetadata(meta);
  await w.writeBatch(batchOf(events));
  await w.close({ eventsSeen: events.length, eventsWritten: events.length, drops: {} });
  return sink.bytes();
}

describe('zstd chunks in a scapkit file', () => {
  it('a file written with native zstd reads with the pure decoder alone and with the native one', async () => {
    const events = someEvents(500);
    const bytes = await zstdFile(events);
    const recs = records(bytes);
    const chunks = recs.filter((r) => r.type === RecordType.CHUNK);
    expect(chunks.length).toBeGreaterThan(2);
    for (const c of chunks) expect(bytes[c.offset + 5]).toBe(CodecId.ZSTD);
    expect(bytes[recs.find((r) => r.type === RecordType.METADATA)!.offset + 5]).toBe(CodecId.ZSTD);
    for (const codecs of [[], [native]]) {
      const got = await collect(readScapkit(pieces(bytes, 777), { codecs }));
      expect(got.error).toBeNull();
      expect(got.events).toEqual(events);
      expect(got.metadata).toHaveLength(1);
      expect((got.metadata[0] as { threads: unknown[] }).threads).toHaveLength(200);
    }
  });

  it('golden: chunks compressed by the zstd CLI into the independent generator’s file read back', async () => {
    // basic-none.scapkit (test/golden/generate.mjs) stores its chunks uncompressed; each chunk body is
    // recompressed by the zstd CLI into a codec-2 chunk. The footer's offsets no longer hold, so the file
    // is rebuilt without footer and trailer: every event is read, then the cut is reported.
    const src = new Uint8Array(readFileSync(golden('basic-none.scapkit')));
    const want = JSON.parse(readFileSync(golden('basic-none.json'), 'utf8'));
    const parts: Uint8Array[] = [src.subarray(0, PREAMBLE_SIZE)];
    let zstdChunks = 0;
    for (const r of records(src)) {
      const rec = src.subarray(r.offset, r.offset + r.length);
      if (r.type === RecordType.FOOTER || r.type === RecordType.TRAILER) continue;
      if (r.type !== RecordType.CHUNK) {
        parts.push(rec);
        continue;
      }
      const dv = new DataView(rec.buffer, rec.byteOffset, rec.byteLength);
      expect(rec[5]).toBe(CodecId.NONE);
      const body = rec.subarray(5 + CHUNK_HEADER_SIZE);
      const frame = zstdCli(body, ['-3']);
      parts.push(
        chunkRecord(
          CodecId.ZSTD,
          dv.getUint32(9, true),
          body.length,
          frame,
          dv.getBigUint64(21, true),
          dv.getBigUint64(29, true),
        ),
      );
      zstdChunks++;
    }
    expect(zstdChunks).toBeGreaterThan(0);
    const file = new Uint8Array(Buffer.concat(parts));
    for (const codecs of [[], [native]]) {
      const got = await collect(readScapkit(pieces(file, 101), { codecs }));
      expect(got.events).toEqual(want.events);
      expect(got.metadata).toEqual(want.metadata);
      expect(got.error).toBeInstanceOf(ScapTruncatedError);
    }
  });

  it('a bad CRC, a cut frame and a lying raw length are ScapFormatErrors inside the chunk', async () => {
    const bytes = await zstdFile(someEvents(200));
    const c = records(bytes).filter((r) => r.type === RecordType.CHUNK)[1]!;
    const fixCrc = (b: Uint8Array, len = c.length) => {
      const dv = new DataView(b.buffer, b.byteOffset);
      dv.setUint32(
        c.offset + 37,
        crc32c(b, crc32c(b, 0, c.offset + 5, c.offset + 37), c.offset + 41, c.offset + len),
        true,
      );
    };
    for (const codecs of [[], [native]]) {
      // A flipped body byte: the CRC catches it before any decoder sees it.
      const flipped = bytes.slice();
      flipped[c.offset + c.length - 3]! ^= 0x20;
      let got = await collect(readScapkit(pieces(flipped), { codecs }));
      expect((got.error as Error).message).toMatch(/chunk CRC32C mismatch/);
      // The frame cut short, the record shortened to match and the CRC made right: the frame check.
      const cut = new Uint8Array([
        ...bytes.subarray(0, c.offset + c.length - 5),
        ...bytes.subarray(c.offset + c.length),
      ]);
      const dv = new DataView(cut.buffer);
      dv.setUint32(c.offset + 1, c.length - 10, true); // body length: 5 bytes fewer
      dv.setUint32(c.offset + 17, c.length - 10 - CHUNK_HEADER_SIZE, true); // stored length
      fixCrc(cut, c.length - 5);
      got = await collect(readScapkit(pieces(cut), { codecs }));
      expect(got.error).toBeInstanceOf(ScapFormatError);
      expect((got.error as Error).message).toMatch(/chunk body \(zstd(-native)?\): corrupt zstd frame/);
      expect((got.error as ScapFormatError).offset).toBeGreaterThanOrEqual(c.offset);
      expect((got.error as ScapFormatError).offset).toBeLessThan(c.offset + c.length);
      // A huge declared raw length, CRC right: refused by the bound before anything is allocated.
      for (const raw of [60 << 20, 0xfffffff0]) {
        const bomb = bytes.slice();
        new DataView(bomb.buffer).setUint32(c.offset + 13, raw, true);
        fixCrc(bomb);
        const heap = process.memoryUsage().arrayBuffers;
        got = await collect(readScapkit(pieces(bomb), { codecs }));
        expect((got.error as Error).message).toMatch(/limit|can decode to/);
        expect(process.memoryUsage().arrayBuffers - heap).toBeLessThan(16 << 20);
      }
    }
  });

  it('an unknown codec id is refused with a message naming it and the codecs this reader knows', async () => {
    const bytes = await zstdFile(someEvents(50));
    const c = records(bytes).filter((r) => r.type === RecordType.CHUNK)[0]!;
    const bad = bytes.slice();
    bad[c.offset + 5] = 9;
    const dv = new DataView(bad.buffer);
    dv.setUint32(
      c.offset + 37,
      crc32c(bad, crc32c(bad, 0, c.offset + 5, c.offset + 37), c.offset + 41, c.offset + c.length),
      true,
    );
    const got = await collect(readScapkit(pieces(bad)));
    expect(got.error).toBeInstanceOf(ScapFormatError);
    expect((got.error as Error).message).toMatch(
      /unknown codec id 9 \(this reader knows 0 none, 1 lz4, 2 zstd/,
    );
    expect((got.error as ScapFormatError).offset).toBe(c.offset + 5);
  });
});
