// Truncation: a capture cut anywhere yields exactly the events complete before the cut, then
// ScapTruncatedError; `recoverScapkit` of a cut trace writes a file that reads exactly that prefix with no
// error. The expected counts come from tiny independent walkers over the uncut bytes (fuzz/lib/walk.mjs:
// block and record lengths only) and from zlib for gzip, never from the reader under test; the events'
// bytes are compared with the uncut read, whose own correctness the sysdig golden tests establish.
import { constants, gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { loadCaptures, sysdigSlim, toScapkit } from '../../../fuzz/lib/corpus.mjs';
import { pieces } from '../../../fuzz/lib/oracle.mjs';
import { Rng } from '../../../fuzz/lib/prng.mjs';
import { SK, SYSDIG_SHB, walkScapkit, walkSysdig } from '../../../fuzz/lib/walk.mjs';
import {
  type CaptureStream,
  createLz4Codec,
  MemorySink,
  noneCodec,
  readScapkit,
  readSysdigCapture,
  recoverScapkit,
  ScapFormatError,
  ScapkitWriter,
  ScapTruncatedError,
} from '../src/index.js';
import { nativeZstdCodec } from '../src/node/index.js';

const zstdCodec = nativeZstdCodec();
const corpusDeps = { readSysdigCapture, ScapkitWriter, MemorySink, createLz4Codec, noneCodec, zstdCodec };
const captures = loadCaptures();

interface Read {
  events: number;
  /** Framed events of every batch, concatenated: equal bytes = same events, cpus and flags. */
  bytes: Buffer;
  err?: unknown;
}

async function readAll(stream: CaptureStream): Promise<Read> {
  const parts: Buffer[] = [];
  let events = 0;
  try {
    for await (const r of stream) {
      if (r.kind !== 'events') continue;
      events += r.batch.count;
      const d = r.batch.data;
      parts.push(Buffer.from(d.buffer, d.byteOffset, d.byteLength));
    }
  } catch (err) {
    return { events, bytes: Buffer.concat(parts), err };
  }
  return { events, bytes: Buffer.concat(parts) };
}

/**
 * Deterministic cut offsets: the edges (0..8, the end), each side of a few record boundaries, and random
 * ones; `n` in all (every offset when the file is that small).
 */
function cutOffsets(len: number, boundaries: number[], n: number, seed: number): number[] {
  if (len <= n) return [...Array(len).keys()];
  const rng = new Rng(seed, len);
  const set = new Set<number>();
  for (let i = 0; i <= 8 && i < len; i++) set.add(i);
  set.add(len - 1);
  for (let k = 0; k < n / 4 && boundaries.length; k++) {
    const b = rng.pick(boundaries);
    for (const d of [-1, 0, 1]) if (b + d >= 0 && b + d < len) set.add(b + d);
  }
  while (set.size < n) set.add(rng.int(len));
  return [...set].sort((a, b) => a - b);
}

/** For a sysdig cut at `c`: event blocks complete before it, and whether a reader may end without error. */
function sysdigExpectation(plain: Uint8Array, c: number): { events: number; clean: boolean } {
  let events = 0;
  let sectionEvents = 0;
  let atBoundary = c === 0;
  for (const b of walkSysdig(plain)) {
    if (b.end > c) break;
    if (b.type === SYSDIG_SHB) sectionEvents = 0;
    if (b.isEvent) {
      events++;
      sectionEvents++;
    }
    if (b.end === c) atBoundary = true;
  }
  // Cut exactly between blocks after at least one event of the section: nothing shows it was cut (as libscap).
  return { events, clean: atBoundary && sectionEvents > 0 };
}

describe('truncation: sysdig captures, decompressed, cut at sampled offsets', () => {
  for (const [i, cap] of captures.entries()) {
    it(`${cap.name} (${cap.plain.length} bytes)`, async () => {
      const full = await readAll(readSysdigCapture(pieces(cap.plain, 1 << 20)));
      expect(full.err).toBeUndefined();
      const blocks = walkSysdig(cap.plain);
      expect(blocks.at(-1)?.end).toBe(cap.plain.length); // the walker covers the whole file
      expect(full.events).toBe(blocks.filter((b) => b.isEvent).length);
      // About 25 MB of reading per capture (fewer cuts of the large ones), keeps the file under ~30 s.
      const n = Math.max(12, Math.min(160, Math.floor(25e6 / cap.plain.length)));
      const offsets = cutOffsets(
        cap.plain.length,
        blocks.map((b) => b.end),
        n,
        i,
      );
      for (const c of offsets) {
        const want = sysdigExpectation(cap.plain, c);
        // Read sizes vary with the offset: the result must not depend on them.
        const got = await readAll(
          readSysdigCapture(pieces(cap.plain.subarray(0, c), [0, 4096, 65536][c % 3]!)),
        );
        expect({ c, events: got.events }).toEqual({ c, events: want.events });
        expect(got.bytes.equals(full.bytes.subarray(0, got.bytes.length))).toBe(true);
        if (want.clean) expect(got.err, `cut at ${c}`).toBeUndefined();
        else expect(got.err, `cut at ${c}`).toBeInstanceOf(ScapTruncatedError);
      }
    });
  }
});

/** The decompressed bytes that a cut gzip stream still holds, from zlib (not from the reader). */
const inflatable = (cut: Uint8Array): Uint8Array =>
  cut.length < 10
    ? new Uint8Array(0)
    : new Uint8Array(gunzipSync(cut, { finishFlush: constants.Z_SYNC_FLUSH }));

describe('truncation: gzip captures, cut in the compressed stream', () => {
  const gz = captures.filter((c) => c.raw !== c.plain);
  for (const [i, cap] of gz.entries()) {
    it(`${cap.name} (${cap.raw.length} gzip bytes)`, async () => {
      const full = await readAll(readSysdigCapture(pieces(cap.raw, 0)));
      expect(full.err).toBeUndefined();
      const n = Math.max(10, Math.min(40, Math.floor(4e6 / cap.raw.length)));
      for (const c of cutOffsets(cap.raw.length, [], n, 100 + i)) {
        const cut = cap.raw.subarray(0, c);
        const plain = inflatable(cut);
        // The reader yields the events of every event block that zlib can inflate from the cut stream.
        const want = plain.length ? sysdigExpectation(plain, plain.length).events : 0;
        const got = await readAll(readSysdigCapture(pieces(cut, 0)));
        expect({ c, events: got.events }).toEqual({ c, events: want });
        expect(got.bytes.equals(full.bytes.subarray(0, got.bytes.length))).toBe(true);
        expect(got.err, `cut at ${c}`).toBeInstanceOf(ScapTruncatedError);
      }
    });
  }

  // Found by fuzz/run.mjs ("read-boundaries"): inflated output the DecompressionStream still queued was
  // dropped when the stream errored, so a cut capture fed in 4096-byte reads (cat_write.scap cut at 12,520
  // of its 12,532 bytes) yielded 290 of its 344 events. decoded() now drains the decompressor eagerly and
  // feeds it at fixed offsets.
  it('a cut gzip capture yields the same events whatever the read size', async () => {
    const cap = captures.find((c) => c.name === 'cat_write')!;
    const cut = cap.raw.subarray(0, cap.raw.length - 12);
    const want = sysdigExpectation(inflatable(cut), inflatable(cut).length).events;
    expect(want).toBe(344);
    for (const size of [0, 65536, 4096, 512]) {
      const got = await readAll(readSysdigCapture(pieces(cut, size)));
      expect({ size, events: got.events }).toEqual({ size, events: want });
      expect(got.err).toBeInstanceOf(ScapTruncatedError);
    }
  });
});

/** Events in the chunks complete before `c`, from the record lengths of the uncut file. */
const scapkitExpected = (file: Uint8Array, c: number): number =>
  walkScapkit(file)
    .filter((r) => r.type === SK.CHUNK && r.end <= c)
    .reduce((n, r) => n + r.events, 0);

async function checkScapkitCuts(file: Uint8Array, offsets: number[], recoverEvery: number): Promise<void> {
  const full = await readAll(readScapkit(pieces(file, 0)));
  expect(full.err).toBeUndefined();
  const recs = walkScapkit(file);
  expect(recs.at(-1)?.end).toBe(file.length);
  expect(recs.at(-1)?.type).toBe(SK.TRAILER);
  expect(full.events).toBe(scapkitExpected(file, file.length));
  const headerEnd = recs[0]!.end;
  for (const [k, c] of offsets.entries()) {
    const cut = file.subarray(0, c);
    const want = scapkitExpected(file, c);
    const got = await readAll(readScapkit(pieces(cut, [0, 1, 7, 4096][c % 4]!)));
    expect({ c, events: got.events }).toEqual({ c, events: want });
    expect(got.bytes.equals(full.bytes.subarray(0, got.bytes.length))).toBe(true);
    expect(got.err, `cut at ${c}`).toBeInstanceOf(ScapTruncatedError);
    if (k % recoverEvery !== 0) continue;
    const sink = new MemorySink();
    const recovered = recoverScapkit(pieces(cut, 0), sink);
    if (c < headerEnd) {
      // Nothing to keep without a header: a typed error, no file.
      await expect(recovered, `recover cut at ${c}`).rejects.toBeInstanceOf(ScapFormatError);
      continue;
    }
    const res = await recovered;
    expect(res.eventsKept, `recover cut at ${c}`).toBe(want);
    const back = await readAll(readScapkit(pieces(sink.bytes(), 0)));
    expect(back.err, `recovered cut at ${c}`).toBeUndefined();
    expect(back.events).toBe(want);
    expect(back.bytes.equals(full.bytes.subarray(0, back.bytes.length))).toBe(true);
  }
}

describe('truncation: scapkit traces converted from the captures', () => {
  it('a small trace (LZ4, 1 KiB chunks), cut at every offset; recover at every offset', async () => {
    const cap = captures.find((c) => c.name === 'write_tmp_test')!;
    const slim = sysdigSlim(cap.plain, { threads: 2, fdLists: 1, events: 20 });
    const file = await toScapkit(corpusDeps, slim, { chunkBytes: 1024, codec: 'lz4' });
    expect(walkScapkit(file).filter((r) => r.type === SK.CHUNK).length).toBeGreaterThan(1);
    expect(file.length).toBeLessThan(12_000);
    await checkScapkitCuts(file, [...Array(file.length).keys()], 1);
  });

  const traces = [
    ['cat_write', 'lz4'],
    ['curl_google', 'none'],
    ['run_as_user_0_container', 'zstd'],
  ] as const;
  for (const [i, [name, codec]] of traces.entries()) {
    it(`${name} as a trace (${codec}), cut at sampled offsets`, async () => {
      if (codec === 'zstd')
        expect(zstdCodec, 'zstd-napi is not installed (npm test installs it)').toBeDefined();
      const cap = captures.find((c) => c.name === name)!;
      const file = await toScapkit(corpusDeps, cap.plain, { chunkBytes: 8192, codec });
      const recs = walkScapkit(file);
      const offsets = cutOffsets(
        file.length,
        recs.map((r) => r.end),
        240,
        200 + i,
      );
      await checkScapkitCuts(file, offsets, 3);
    });
  }
});
