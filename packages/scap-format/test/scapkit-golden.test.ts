// The committed golden files (test/golden, written by an independent generator) against the stream
// reader, the indexed reader and the writer: whole, one byte at a time, and cut at every offset.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  type CaptureMetadata,
  type ChunkCodec,
  MemorySink,
  noneCodec,
  readScapkit,
  ScapFormatError,
  ScapkitWriter,
  ScapTruncatedError,
} from '../src/index.js';
import { nativeLz4Codec, openIndexedScapkitFile } from '../src/node/index.js';
import {
  batchOf,
  type Collected,
  collect,
  type PlainCheckpoint,
  type PlainEvent,
  pieces,
} from './golden/synthetic.js';

const golden = (name: string) => fileURLToPath(new URL(`./golden/${name}`, import.meta.url));

interface GoldenCase {
  description: string;
  size: number;
  version: string;
  header: Record<string, unknown> | null;
  metadata: unknown[];
  events: PlainEvent[];
  chunks: { offset: number; length: number; events: number; firstTs: string; lastTs: string }[];
  metadataOffsets: number[];
  checkpoints: (PlainCheckpoint & { length: number })[];
  stats: unknown;
  error: { name: string; offset: number; match?: string } | null;
}

const load = (name: string) => ({
  bytes: new Uint8Array(readFileSync(golden(`${name}.scapkit`))),
  want: JSON.parse(readFileSync(golden(`${name}.json`), 'utf8')) as GoldenCase,
});

function expectMatches(got: Collected, want: GoldenCase): void {
  expect(got.events).toEqual(want.events);
  expect(got.header).toEqual(want.header);
  if (want.header) expect(got.version).toBe(want.version);
  expect(got.metadata).toEqual(want.metadata);
  // Checkpoints up to where the input stopped making sense (a cut or damaged file ends before its footer).
  const reached = want.error ? want.error.offset : Number.POSITIVE_INFINITY;
  const checkpoints = want.checkpoints
    .filter((c) => c.offset + c.length <= reached)
    .map(({ length: _l, damage, ...c }) => (damage ? { ...c, damage: expect.stringContaining(damage) } : c));
  expect(got.checkpoints).toEqual(checkpoints);
  expect(got.stats).toEqual(want.stats);
  if (want.error) {
    expect(got.error).toBeInstanceOf(
      want.error.name === 'ScapTruncatedError' ? ScapTruncatedError : ScapFormatError,
    );
    expect((got.error as ScapFormatError).name).toBe(want.error.name);
    expect((got.error as ScapFormatError).offset).toBe(want.error.offset);
    if (want.error.match) expect((got.error as Error).message).toContain(want.error.match);
  } else {
    expect(got.error).toBeNull();
  }
}

/** Offsets where records end (the preamble counts as one), read from the bytes by their lengths. */
function recordEnds(bytes: Uint8Array): number[] {
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const ends = [0, 16];
  for (let p = 16; p + 5 <= bytes.length; ) {
    p += 5 + dv.getUint32(p + 1, true);
    if (p > bytes.length) break;
    ends.push(p);
  }
  return ends;
}

const CASES = [
  'basic-none',
  'basic-lz4',
  'v1-0',
  'checkpoint',
  'checkpoint-damaged',
  'future-minor',
  'cut-in-chunk',
  'bad-crc',
  'major-2',
];

describe('golden files', () => {
  for (const name of CASES) {
    it(`${name}: read whole and one byte at a time`, async () => {
      const { bytes, want } = load(name);
      expect(bytes.length).toBe(want.size);
      expectMatches(await collect(readScapkit(pieces(bytes))), want);
      expectMatches(await collect(readScapkit(pieces(bytes, 1))), want);
      expectMatches(await collect(readScapkit(pieces(bytes, 7))), want);
    });
  }

  for (const name of ['basic-none', 'basic-lz4', 'checkpoint', 'future-minor']) {
    it(`${name}: cut at every offset yields exactly the complete chunks, then ScapTruncatedError`, async () => {
      const { bytes, want } = load(name);
      const ends = recordEnds(bytes);
      expect(ends.at(-1)).toBe(bytes.length);
      for (let cut = 0; cut < bytes.length; cut++) {
        const got = await collect(readScapkit(pieces(bytes.subarray(0, cut), 97)));
        const complete = want.chunks
          .filter((c) => c.offset + c.length <= cut)
          .reduce((n, c) => n + c.events, 0);
        expect(got.events.length, `cut at ${cut}`).toBe(complete);
        expect(got.events).toEqual(want.events.slice(0, complete));
        const checkpoints = want.checkpoints.filter((c) => c.offset + c.length <= cut);
        expect(got.checkpoints.map((c) => c.offset)).toEqual(checkpoints.map((c) => c.offset));
        expect(got.error, `cut at ${cut}`).toBeInstanceOf(ScapTruncatedError);
        const lastEnd = ends.filter((e) => e <= cut).at(-1)!;
        expect((got.error as ScapTruncatedError).offset, `cut at ${cut}`).toBe(lastEnd);
        expect((got.error as ScapTruncatedError).trailingBytes).toBe(cut - lastEnd);
      }
    });
  }

  it('the writer reproduces basic-none byte for byte (codec none)', async () => {
    const { bytes, want } = load('basic-none');
    expect(await rewrite(want, noneCodec)).toEqual(bytes);
  });

  it('the writer with native LZ4 reproduces basic-lz4 byte for byte', async () => {
    const native = nativeLz4Codec();
    expect(native).toBeDefined();
    const { bytes, want } = load('basic-lz4');
    expect(await rewrite(want, native!)).toEqual(bytes);
  });

  it('the writer reproduces the checkpoint file byte for byte (native LZ4)', async () => {
    const { bytes, want } = load('checkpoint');
    expect(await rewrite(want, nativeLz4Codec()!)).toEqual(bytes);
  });

  it('the indexed reader finds the chunks and the stats through the footer', async () => {
    const { want } = load('basic-lz4');
    const r = await openIndexedScapkitFile(golden('basic-lz4.scapkit'));
    try {
      expect(r.chunks.map((c) => ({ ...c, firstTs: String(c.firstTs), lastTs: String(c.lastTs) }))).toEqual(
        want.chunks.map((c) => ({
          offset: c.offset,
          recordLength: c.length,
          eventCount: c.events,
          firstTs: c.firstTs,
          lastTs: c.lastTs,
        })),
      );
      expect(r.metadataOffsets).toEqual(want.metadataOffsets);
      expect(r.stats).toEqual(want.stats);
      const all = await collect(r.readAll());
      expectMatches(all, want);
      // A range inside the second chunk: only its events in range, with the metadata in force.
      const from = BigInt(want.events[20]!.ts);
      const to = BigInt(want.events[30]!.ts);
      const part = await collect(r.readRange(from, to));
      expect(part.events).toEqual(want.events.filter((e) => BigInt(e.ts) >= from && BigInt(e.ts) <= to));
      expect(part.metadata).toEqual(want.metadata);
      expect(r.chunksInRange(from, to).map((c) => c.offset)).toEqual([want.chunks[1]!.offset]);
    } finally {
      await r.close();
    }
  });

  it('the indexed reader refuses a file without a trailer', async () => {
    await expect(openIndexedScapkitFile(golden('cut-in-chunk.scapkit'))).rejects.toThrow(ScapFormatError);
  });
});

/** Writes the golden capture again through ScapkitWriter, with the generator's chunk boundaries. */
async function rewrite(want: GoldenCase, codec: ChunkCodec): Promise<Uint8Array> {
  const sink = new MemorySink();
  const header = reviveBigints(want.header) as Record<string, unknown>;
  const w = new ScapkitWriter(sink, header, { codec, chunkBytes: 1 << 20 });
  const meta = reviveBigints(want.metadata[0]) as Record<string, unknown>;
  await w.writeMetadata({
    ...meta,
    fds: new Map(meta.fds as [number, never[]][]),
  } as unknown as CaptureMetadata);
  let from = 0;
  for (const c of want.chunks) {
    for (const k of want.checkpoints) {
      if (k.eventsBefore !== from || !k.metadata) continue;
      const m = reviveBigints(k.metadata) as Record<string, unknown>;
      const entry = await w.checkpoint({
        ...m,
        fds: new Map(m.fds as [number, never[]][]),
      } as unknown as CaptureMetadata);
      expect(entry).toEqual({
        offset: k.offset,
        recordLength: k.length,
        eventsBefore: from,
        ts: BigInt(k.ts),
      });
    }
    await w.writeBatch(batchOf(want.events.slice(from, from + c.events)));
    await w.flush();
    from += c.events;
  }
  await w.close(want.stats as never);
  expect(sink.closed).toBe(true);
  expect(w.eventsWritten).toBe(want.events.length);
  expect(w.bytesWritten).toBe(sink.bytes().length);
  return sink.bytes();
}

/** The generator wrote these fields as bigints (JSON has them as decimal strings). */
const BIGINT_FIELDS = new Set(['bootTs', 'startTs', 'exeInoCtime', 'exeInoMtime']);
function reviveBigints(v: unknown, key = ''): unknown {
  if (typeof v === 'string' && BIGINT_FIELDS.has(key)) return BigInt(v);
  if (Array.isArray(v)) return v.map((x) => reviveBigints(x));
  if (typeof v === 'object' && v !== null) {
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, reviveBigints(x, k)]));
  }
  return v;
}
