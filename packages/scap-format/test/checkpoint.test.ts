// Checkpoint records (format 1.1): the writer puts them after the events they account for and lists them
// in the footer; the stream reader yields them in place, a damaged one marked and harmless; the indexed
// reader starts a time range at the last usable one (over a file or a Blob); recover keeps them; and a
// v1.0 reader, frozen from before they existed, reads the same file as if they were not there.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import {
  blankThread,
  blobSource,
  type CaptureMetadata,
  type CaptureRecord,
  type CaptureStream,
  createLz4Codec,
  EVENTS,
  emptyMetadata,
  IndexedScapkitReader,
  MemorySink,
  noneCodec,
  RecordType,
  readScapkit,
  recoverScapkit,
  ScapkitWriter,
} from '../src/index.js';
import { nativeZstdCodec, openIndexedScapkitFile } from '../src/node/index.js';
import { batchOf, collect, type PlainEvent, pieces, wireMetadata } from './golden/synthetic.js';
import { records } from './support/records.js';

const dir = mkdtempSync(join(tmpdir(), 'scapkit-checkpoint-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const T0 = 10n ** 18n;
const CONTAINER = EVENTS.findIndex((e) => e.name === 'container' && e.params.length === 4);

/** Events 1 µs apart, except `jitter` makes a few run late (timestamps in a file need not be sorted). */
function events(n: number, jitter = false): PlainEvent[] {
  return Array.from({ length: n }, (_, i) => ({
    ts: String(T0 + BigInt(i) * 1000n + (jitter && i % 37 === 5 ? 2500n : 0n)),
    tid: 100 + (i % 4),
    cpu: i % 2,
    flags: 0,
    type: 7,
    params: ['61'.repeat(20 + (i % 50))],
  }));
}

/** Tables that say which checkpoint they are: one thread whose tid is the number of events before it. */
function tablesAt(eventsBefore: number): CaptureMetadata {
  const m = emptyMetadata();
  m.threads.push(blankThread(eventsBefore + 1));
  m.fds.set(eventsBefore + 1, [{ fd: 3, ino: 1, type: 1, name: `/tmp/after-${eventsBefore}` }]);
  return m;
}

/** A closed file of `all` in batches of `step`, a checkpoint every `every` events. */
async function writeWithCheckpoints(
  all: PlainEvent[],
  opts: { step?: number; every?: number; codec?: ReturnType<typeof createLz4Codec> } = {},
): Promise<Uint8Array> {
  const step = opts.step ?? 50;
  const every = opts.every ?? 200;
  const sink = new MemorySink();
  const w = new ScapkitWriter(
    sink,
    { recorderVersion: 'checkpoint-test' },
    { codec: opts.codec, chunkBytes: 4096 },
  );
  await w.writeMetadata(tablesAt(0));
  for (let i = 0; i < all.length; i += step) {
    if (i > 0 && i % every === 0) await w.checkpoint(tablesAt(i));
    await w.writeBatch(batchOf(all.slice(i, i + step)));
  }
  await w.close({ eventsSeen: all.length, eventsWritten: all.length, drops: {} });
  return sink.bytes();
}

const maxTs = (evs: PlainEvent[]) => evs.reduce((m, e) => (BigInt(e.ts) > m ? BigInt(e.ts) : m), 0n);
const tidOf = (m: unknown) => (m as { threads: { tid: number }[] }).threads[0]!.tid;

async function kinds(stream: CaptureStream): Promise<string[]> {
  const out: string[] = [];
  for await (const r of stream as AsyncIterable<CaptureRecord>) out.push(r.kind);
  return out;
}

describe('the writer and the stream reader', () => {
  for (const codec of [noneCodec, createLz4Codec(), nativeZstdCodec()!]) {
    it(`round trip (${codec.name ?? codec.id}): each checkpoint after the events it accounts for`, async () => {
      const all = events(1000, true);
      const bytes = await writeWithCheckpoints(all, { codec });
      const got = await collect(readScapkit(pieces(bytes, 777)));
      expect(got.error).toBeNull();
      expect(got.events).toEqual(all);
      expect(got.checkpoints.map((c) => c.eventsBefore)).toEqual([200, 400, 600, 800]);
      for (const c of got.checkpoints) {
        const before = all.slice(0, c.eventsBefore);
        expect(c.ts).toBe(String(maxTs(before)));
        expect(c.firstTs).toBe(all[0]!.ts);
        expect(c.metadata).toEqual(wireMetadata(tablesAt(c.eventsBefore)));
      }
      // In the stream, each comes right after the chunk holding its last event.
      const seq = await kinds(readScapkit(pieces(bytes)));
      let n = 0;
      let k = 0;
      for await (const r of readScapkit(pieces(bytes)) as AsyncIterable<CaptureRecord>) {
        if (r.kind === 'events') n += r.batch.count;
        if (r.kind === 'checkpoint') expect(r.checkpoint.eventsBefore).toBe(n);
        k++;
      }
      expect(k).toBe(seq.length);
      expect(seq.filter((s) => s === 'checkpoint').length).toBe(4);
    });
  }

  it("firstTs is the first event after the container records a capture may start with (evt.reltime's origin)", async () => {
    const sink = new MemorySink();
    const w = new ScapkitWriter(sink, {});
    const all = events(10);
    const lead = [0, 1].map((i) => ({ ...all[0]!, ts: String(T0 - 50n + BigInt(i)), type: CONTAINER }));
    await w.writeBatch(batchOf([...lead, ...all]));
    await w.checkpoint(emptyMetadata());
    await w.close();
    const got = await collect(readScapkit(pieces(sink.bytes())));
    expect(got.checkpoints).toMatchObject([
      { eventsBefore: 12, firstTs: String(T0), ts: String(maxTs(all)) },
    ]);
  });

  it('a damaged checkpoint is marked, and every event around it still reads', async () => {
    const all = events(600);
    const bytes = await writeWithCheckpoints(all);
    const cps = records(bytes).filter((r) => r.type === RecordType.CHECKPOINT);
    expect(cps.length).toBe(2);
    for (const at of [5 + 3, 5 + 20, cps[0]!.length - 1]) {
      const bad = bytes.slice();
      bad[cps[0]!.offset + at] ^= 0x10;
      const got = await collect(readScapkit(pieces(bad)));
      expect(got.error).toBeNull();
      expect(got.events).toEqual(all);
      expect(got.checkpoints[0]!.damage).toMatch(/CRC32C mismatch/);
      expect(got.checkpoints[1]!.metadata).toEqual(wireMetadata(tablesAt(400)));
    }
  });

  it('the footer lists every checkpoint, and the stats come back without the index in them', async () => {
    const bytes = await writeWithCheckpoints(events(1000));
    const r = await IndexedScapkitReader.open(blobSource(new Blob([bytes])));
    const onDisk = records(bytes).filter((x) => x.type === RecordType.CHECKPOINT);
    expect(r.checkpoints.map((c) => [c.offset, c.recordLength, c.eventsBefore])).toEqual(
      onDisk.map((x, i) => [x.offset, x.length, 200 * (i + 1)]),
    );
    expect(r.stats).toEqual({ eventsSeen: 1000, eventsWritten: 1000, drops: {} });
    const got = await collect(readScapkit(pieces(bytes)));
    expect(got.stats).toEqual(r.stats);
  });
});

describe('readFromCheckpoint', () => {
  const all = events(2000, true);
  let file: string;
  const open = async () => {
    if (!file) {
      file = join(dir, 'ranges.scapkit');
      writeFileSync(file, await writeWithCheckpoints(all, { codec: createLz4Codec() }));
    }
    return openIndexedScapkitFile(file);
  };

  it('starts at the last checkpoint whose events all precede the range and reaches past its end', async () => {
    const r = await open();
    try {
      await fc.assert(
        fc.asyncProperty(fc.nat({ max: 2_100_000 }), fc.nat({ max: 200_000 }), async (a, len) => {
          const from = T0 + BigInt(a);
          const to = from + BigInt(len);
          const notes: string[] = [];
          const got = await collect(r.readFromCheckpoint(from, to, { onNotice: (m) => notes.push(m) }));
          expect(got.error).toBeNull();
          // The checkpoint it starts from: the last one whose events are all before `from`.
          const want = [200, 400, 600, 800, 1000, 1200, 1400, 1600, 1800]
            .filter((n) => maxTs(all.slice(0, n)) < from)
            .at(-1);
          if (want === undefined) {
            expect(got.checkpoints).toEqual([]);
            expect(got.metadata.map(tidOf)).toEqual([1]);
          } else {
            expect(got.checkpoints.map((c) => c.eventsBefore)).toEqual([want]);
            expect(tidOf(got.checkpoints[0]!.metadata)).toBe(want + 1);
          }
          expect(notes).toEqual([]);
          // Every event from there on, in file order, and every event in range among them.
          const start = want ?? 0;
          expect(got.events).toEqual(all.slice(start, start + got.events.length));
          const inRange = all.filter((e) => BigInt(e.ts) >= from && BigInt(e.ts) <= to);
          const yielded = new Set(got.events.map((e) => e.ts));
          for (const e of inRange) expect(yielded.has(e.ts)).toBe(true);
        }),
        { numRuns: 60 },
      );
      // Chunks decoded on the worker pool, ahead: the same records.
      const pooled = await openIndexedScapkitFile(file, { workers: true });
      try {
        for (const [a, b] of [
          [0n, 2_100_000n],
          [1_234_567n, 1_300_000n],
          [1_999_000n, 2_000_000n],
        ] as const) {
          expect(await collect(pooled.readFromCheckpoint(T0 + a, T0 + b))).toEqual(
            await collect(r.readFromCheckpoint(T0 + a, T0 + b)),
          );
        }
      } finally {
        await pooled.close();
      }
      // A printer's reading (each batch done with before the next is asked for): chunks decoded into the
      // reader's own buffers, used in turn, also when it has a pool that a short read passes over.
      const reusing = await openIndexedScapkitFile(file, { workers: true, reuseBatchBuffers: true });
      try {
        for (const [a, b] of [
          [0n, 2_100_000n],
          [1_234_567n, 1_300_000n],
        ] as const) {
          const want = await collect(r.readFromCheckpoint(T0 + a, T0 + b));
          for (const inlineUnder of [0, Number.MAX_SAFE_INTEGER]) {
            expect(await collect(reusing.readFromCheckpoint(T0 + a, T0 + b, { inlineUnder }))).toEqual(want);
          }
        }
      } finally {
        await reusing.close();
      }
      // Cost follows the range: a range near the end reads about the last checkpoint's worth of events.
      const late = await collect(r.readFromCheckpoint(T0 + 1_900_000n, T0 + 1_910_000n));
      expect(late.events.length).toBeLessThan(400);
    } finally {
      await r.close();
    }
  });

  it('a damaged checkpoint: the one before it, said once; none usable: the start', async () => {
    const bytes = await writeWithCheckpoints(all, { codec: createLz4Codec() });
    const cps = records(bytes).filter((x) => x.type === RecordType.CHECKPOINT);
    const bad = bytes.slice();
    bad[cps[4]!.offset + 60] ^= 1; // the checkpoint after 1000 events
    const r = await IndexedScapkitReader.open(blobSource(new Blob([bad])), { codecs: [createLz4Codec()] });
    const notes: string[] = [];
    const got = await collect(
      r.readFromCheckpoint(T0 + 1_050_000n, T0 + 1_060_000n, { onNotice: (m) => notes.push(m) }),
    );
    expect(got.checkpoints.map((c) => c.eventsBefore)).toEqual([800]);
    expect(notes).toEqual([
      expect.stringMatching(
        new RegExp(`checkpoint at byte ${cps[4]!.offset} is damaged .*CRC32C.*the one before it`),
      ),
    ]);
    expect(got.events[0]).toEqual(all[800]);

    // Only the first checkpoint could serve, and it is damaged: from the start, with its metadata.
    const early = bytes.slice();
    early[cps[0]!.offset + 60] ^= 1;
    const r2 = await IndexedScapkitReader.open(blobSource(new Blob([early])));
    const notes2: string[] = [];
    const got2 = await collect(
      r2.readFromCheckpoint(T0 + 250_000n, T0 + 260_000n, { onNotice: (m) => notes2.push(m) }),
    );
    expect(got2.checkpoints).toEqual([]);
    expect(got2.metadata.map(tidOf)).toEqual([1]);
    expect(got2.events[0]).toEqual(all[0]);
    expect(notes2).toEqual([expect.stringMatching(/damaged .*replaying from the start/)]);
  });

  it('a file without checkpoints: from the start, said once', async () => {
    const sink = new MemorySink();
    const w = new ScapkitWriter(sink, {}, { chunkBytes: 4096 });
    await w.writeMetadata(tablesAt(0));
    await w.writeBatch(batchOf(all));
    await w.close();
    const r = await IndexedScapkitReader.open(blobSource(new Blob([sink.bytes()])));
    const notes: string[] = [];
    const got = await collect(
      r.readFromCheckpoint(T0 + 500_000n, T0 + 501_000n, { onNotice: (m) => notes.push(m) }),
    );
    expect(notes).toEqual([expect.stringMatching(/no checkpoints: replaying from its start/)]);
    expect(got.metadata.map(tidOf)).toEqual([1]);
    expect(got.events[0]).toEqual(all[0]);
    expect(got.events.length).toBeLessThan(all.length); // still stops after the range
  });
});

describe('recover', () => {
  it('keeps the checkpoints of an intact file, and drops those after a lost chunk', async () => {
    const all = events(1000);
    const bytes = await writeWithCheckpoints(all, { codec: createLz4Codec() });
    const out = new MemorySink();
    expect(await recoverScapkit(pieces(bytes, 999), out)).toMatchObject({ lossless: true });
    const kept = await collect(readScapkit(pieces(out.bytes())));
    expect(kept.checkpoints).toEqual((await collect(readScapkit(pieces(bytes)))).checkpoints);
    const r = await IndexedScapkitReader.open(blobSource(new Blob([out.bytes()])));
    expect(r.checkpoints.map((c) => c.eventsBefore)).toEqual([200, 400, 600, 800]);

    // A chunk lost between the second and third checkpoints: the later ones no longer match a replay.
    const chunks = records(bytes).filter((x) => x.type === RecordType.CHUNK);
    const cps = records(bytes).filter((x) => x.type === RecordType.CHECKPOINT);
    const victim = chunks.find((c) => c.offset > cps[1]!.offset && c.offset < cps[2]!.offset)!;
    const bad = bytes.slice();
    bad[victim.offset + 50] ^= 0xff;
    const out2 = new MemorySink();
    expect(await recoverScapkit(pieces(bad), out2)).toMatchObject({ lossless: false });
    const got = await collect(readScapkit(pieces(out2.bytes())));
    expect(got.checkpoints.map((c) => c.eventsBefore)).toEqual([200, 400]);
  });
});

describe('a v1.0 reader (frozen before checkpoints existed)', () => {
  it('reads a file with checkpoints as if they were not there', async () => {
    // @ts-expect-error: a frozen JavaScript bundle, no types
    const v10 = await import('./golden/reader-v1.0.mjs');
    const all = events(1000);
    const bytes = await writeWithCheckpoints(all, { codec: createLz4Codec() });
    const now = await collect(readScapkit(pieces(bytes)));
    const old = await collect(v10.readScapkit(pieces(bytes, 333)));
    expect(old.error).toBeNull();
    expect(old.version).toBe('1.1');
    expect(old.events).toEqual(all);
    expect(old.metadata).toEqual(now.metadata);
    expect(old.checkpoints).toEqual([]); // it has no such record kind: skipped by length
    // The index is one more key of the footer map, which it keeps among the stats.
    const { checkpoints, ...stats } = old.stats as Record<string, unknown>;
    expect(stats).toEqual(now.stats);
    expect(checkpoints).toHaveLength(4);
    // Its seeking reader too.
    const p = join(dir, 'for-v1.0.scapkit');
    writeFileSync(p, bytes);
    const r = await v10.IndexedScapkitReader.open(p);
    try {
      expect((await collect(r.readAll())).events).toEqual(all);
    } finally {
      await r.close();
    }
  });
});
