// Chunks decoded on worker threads (the Node reader's default for large traces) read exactly as inline:
// the same records in the same order, the same errors at the same place, with buffers reused or not. A
// worker that dies fails the chunks it had with a typed error naming each one's offset, after every
// event before them, and never leaves a reader waiting. (The workers run the built decode-worker.js:
// `pnpm exec tsc -b` first, as `npm test` does.)
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import {
  type CaptureRecord,
  createLz4Codec,
  type EventBatch,
  emptyMetadata,
  MemorySink,
  noneCodec,
  RecordType,
  readScapkit,
  ScapDecodeWorkerError,
  ScapFormatError,
  ScapkitWriter,
} from '../src/index.js';
import { chunkBuffers, DecodePool } from '../src/node/decode-pool.js';
import {
  fileByteSource,
  nativeZstdCodec,
  openCaptureFile,
  openIndexedScapkitFile,
} from '../src/node/index.js';
import { CHUNK_HEADER_SIZE } from '../src/scapkit/constants.js';
import { batchOf, collect, type PlainEvent, pieces, plainEvents } from './golden/synthetic.js';
import { records } from './support/records.js';

const dir = mkdtempSync(join(tmpdir(), 'scapkit-pool-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const golden = (name: string) => fileURLToPath(new URL(`./golden/${name}`, import.meta.url));

function events(n: number): PlainEvent[] {
  return Array.from({ length: n }, (_, i) => ({
    ts: String(10n ** 18n + BigInt(i) * 977n),
    tid: 10 + (i % 7),
    cpu: i % 3,
    flags: i % 11 === 0 ? 1 : 0,
    type: 3 + 2 * (i % 9),
    params: [(i * 2654435761).toString(16).padStart(8, '0').slice(0, 8), '62'.repeat(i % 90)],
  }));
}

async function trace(codec: ReturnType<typeof createLz4Codec>, n = 3000): Promise<Uint8Array> {
  const sink = new MemorySink();
  const w = new ScapkitWriter(sink, { recorderVersion: 'pool-test' }, { codec, chunkBytes: 8192 });
  await w.writeMetadata(emptyMetadata());
  const all = events(n);
  for (let i = 0; i < n; i += 250) {
    if (i === 1500) await w.checkpoint(emptyMetadata());
    await w.writeBatch(batchOf(all.slice(i, i + 250)));
  }
  await w.close();
  return sink.bytes();
}

/** `pool` as a reader's chunk decoder that counts the batches handed back to it. */
function countingRecycles(pool: DecodePool) {
  const counting = {
    depth: pool.depth,
    recycled: 0,
    decode: (body: Uint8Array, offset: number) => pool.decode(body, offset),
    recycle: (b: EventBatch) => {
      counting.recycled++;
      pool.recycle(b);
    },
  };
  return counting;
}

describe('chunks decoded by the worker pool', () => {
  const pool = new DecodePool({ size: 2 });
  afterAll(() => pool.close());

  for (const codec of [noneCodec, createLz4Codec(), nativeZstdCodec()!]) {
    it(`read as inline, in order, whole and cut (${codec.name ?? codec.id})`, async () => {
      const bytes = await trace(codec);
      const inline = await collect(readScapkit(pieces(bytes, 5000)));
      expect(inline.error).toBeNull();
      expect(await collect(readScapkit(pieces(bytes, 5000), { chunkDecoder: pool }))).toEqual(inline);
      expect(await collect(readScapkit(pieces(bytes, 1 << 20), { chunkDecoder: pool }))).toEqual(inline);
      // Cut anywhere: the same complete events, then the same truncation.
      for (const cut of [100, bytes.length >> 2, bytes.length >> 1, bytes.length - 30]) {
        const a = await collect(readScapkit(pieces(bytes.subarray(0, cut), 777)));
        const b = await collect(readScapkit(pieces(bytes.subarray(0, cut), 777), { chunkDecoder: pool }));
        expect(b, `cut at ${cut}`).toEqual(a);
      }
    });
  }

  it('reusing the batch buffers reads the same events (each batch read before the next is asked for)', async () => {
    const bytes = await trace(nativeZstdCodec()!, 6000);
    const want = (await collect(readScapkit(pieces(bytes)))).events;
    const got: PlainEvent[] = [];
    let batches = 0;
    let intoLarger = 0;
    const counting = countingRecycles(pool);
    const stream = readScapkit(pieces(bytes, 65536), { chunkDecoder: counting, reuseBatchBuffers: true });
    for await (const r of stream as AsyncIterable<CaptureRecord>) {
      if (r.kind !== 'events') continue;
      got.push(...plainEvents(r.batch));
      batches++;
      // Decoded into the buffer of an earlier, larger chunk: a fresh one would be the exact size.
      if (r.batch.data.buffer.byteLength > r.batch.data.byteLength) intoLarger++;
    }
    expect(got).toEqual(want);
    expect(counting.recycled).toBe(batches);
    expect(intoLarger).toBeGreaterThan(0);
  });

  it('a damaged chunk: every event before it, then the ScapFormatError the inline reader throws', async () => {
    for (const name of [
      'bad-crc.scapkit',
      'cut-in-chunk.scapkit',
      'checkpoint-damaged.scapkit',
      'future-minor.scapkit',
    ]) {
      const bytes = new Uint8Array(readFileSync(golden(name)));
      const a = await collect(readScapkit(pieces(bytes, 64)));
      const b = await collect(readScapkit(pieces(bytes, 64), { chunkDecoder: pool }));
      expect(b, name).toEqual(a);
      if (a.error) {
        expect((b.error as Error).message).toBe((a.error as Error).message);
        expect((b.error as Error).constructor).toBe((a.error as Error).constructor);
      }
    }
  });

  it('openCaptureFile decodes on workers when asked, and reads the same', async () => {
    const p = join(dir, 'file.scapkit');
    writeFileSync(p, await trace(nativeZstdCodec()!));
    const a = await collect(openCaptureFile(p, { workers: false }));
    const b = await collect(openCaptureFile(p, { workers: true }));
    const c = await collect(openCaptureFile(p, { workers: true, reuseBatchBuffers: true }));
    // Inline, every chunk decodes into the same buffers (collect copies each event as it comes).
    const d = await collect(openCaptureFile(p, { workers: false, reuseBatchBuffers: true }));
    expect(b).toEqual(a);
    expect(c.events).toEqual(a.events);
    expect(d.events).toEqual(a.events);
  });
});

describe('buffers shared with the workers', () => {
  it('a fresh pool: batches decoded here while the workers start, recycled, then decoded into by them, read the same; no buffer per chunk', async () => {
    const pool = new DecodePool({ size: 1 });
    const bytes = await trace(nativeZstdCodec()!, 12000);
    const want = (await collect(readScapkit(pieces(bytes)))).events;
    const got: PlainEvent[] = [];
    const buffers = new Set<ArrayBufferLike>();
    let batches = 0;
    const stream = readScapkit(pieces(bytes, 65536), { chunkDecoder: pool, reuseBatchBuffers: true });
    for await (const r of stream as AsyncIterable<CaptureRecord>) {
      if (r.kind !== 'events') continue;
      got.push(...plainEvents(r.batch));
      batches++;
      buffers.add(r.batch.data.buffer);
      // A batch's bytes are named to the main thread, not sent: shared, never a new buffer per chunk.
      expect(r.batch.data.buffer).toBeInstanceOf(SharedArrayBuffer);
    }
    await pool.close();
    expect(got).toEqual(want);
    expect(batches).toBeGreaterThan(3 * (pool.depth + pool.size));
    expect(buffers.size).toBeLessThanOrEqual(pool.depth + pool.size + 2);
  });
});

describe('a reader that keeps its batches (no reuseBatchBuffers)', () => {
  // A pool's buffers are shared, and V8 does not weigh shared bytes when it decides to collect: a batch
  // left in them until collected held a megabyte per chunk (1.25 GB of RSS reading work.scap).
  it("gets each batch in buffers of its own, the pool's handed back at once; kept to the end, they read the same", async () => {
    const pool = new DecodePool({ size: 1 });
    const bytes = await trace(nativeZstdCodec()!, 12000);
    const want = (await collect(readScapkit(pieces(bytes)))).events;
    const counting = countingRecycles(pool);
    const kept: EventBatch[] = [];
    for await (const r of readScapkit(pieces(bytes, 65536), {
      chunkDecoder: counting,
    }) as AsyncIterable<CaptureRecord>)
      if (r.kind === 'events') kept.push(r.batch);
    await pool.close();
    expect(kept.length).toBeGreaterThan(3 * (pool.depth + pool.size));
    expect(counting.recycled).toBe(kept.length);
    for (const b of kept) expect(b.data.buffer).not.toBeInstanceOf(SharedArrayBuffer);
    expect(kept.flatMap((b) => plainEvents(b))).toEqual(want);
  });

  it("an indexed read on the pool: copies without reuse; with reuse, the pool's buffers, handed back and decoded into again", async () => {
    const p = join(dir, 'indexed.scapkit');
    writeFileSync(p, await trace(nativeZstdCodec()!, 12000));
    const want = (await collect(openCaptureFile(p, { workers: false }))).events;
    for (const reuseBatchBuffers of [false, true]) {
      const reader = await openIndexedScapkitFile(p, { workers: true, reuseBatchBuffers });
      const got: PlainEvent[] = [];
      const buffers = new Set<ArrayBufferLike>();
      let batches = 0;
      try {
        for await (const r of reader.readRange(0n, 2n ** 64n - 1n) as AsyncIterable<CaptureRecord>) {
          if (r.kind !== 'events') continue;
          batches++;
          got.push(...plainEvents(r.batch));
          buffers.add(r.batch.data.buffer);
          expect(r.batch.data.buffer instanceof SharedArrayBuffer, `reuse ${reuseBatchBuffers}`).toBe(
            reuseBatchBuffers,
          );
        }
      } finally {
        await reader.close();
      }
      expect(got).toEqual(want);
      // Handed back: a few buffers serve every chunk.
      if (reuseBatchBuffers) expect(buffers.size).toBeLessThan(batches / 2);
      else expect(buffers.size).toBe(batches);
    }
  });
});

describe('a chunk its codec cannot decode (CRCs not checked)', () => {
  it("fails on the worker with the inline reader's error and offset; the pool decodes on into its buffers", async () => {
    const pool = new DecodePool({ size: 1, verifyCrc: false, inlineWhileStarting: false });
    const bytes = await trace(nativeZstdCodec()!, 6000);
    const chunk = records(bytes).filter((r) => r.type === RecordType.CHUNK)[3];
    if (!chunk) throw new Error('no fourth chunk');
    // The zstd frame's magic number: no zstd decoder takes the payload.
    const bad = bytes.slice();
    const at = chunk.offset + 5 + CHUNK_HEADER_SIZE;
    bad[at] = (bad[at] ?? 0) ^ 0xff;
    // The inline reader with the workers' codec, so that the messages name the same one.
    const inline = { verifyCrc: false, codecs: [nativeZstdCodec()!] };
    const a = await collect(readScapkit(pieces(bad, 5000), inline));
    const b = await collect(readScapkit(pieces(bad, 5000), { verifyCrc: false, chunkDecoder: pool }));
    expect(a.error).toBeInstanceOf(ScapFormatError);
    expect((a.error as ScapFormatError).offset).toBeGreaterThanOrEqual(chunk.offset);
    expect((a.error as ScapFormatError).offset).toBeLessThan(chunk.offset + chunk.length);
    expect(b).toEqual(a);
    expect((b.error as Error).message).toBe((a.error as Error).message);
    expect((b.error as Error).constructor).toBe(ScapFormatError);
    // The failed job's shared buffers went back to the pool: the next reads into them read right.
    expect(pool.failed).toBe(false);
    const good = await collect(readScapkit(pieces(bytes, 5000), inline));
    const again = readScapkit(pieces(bytes, 5000), {
      verifyCrc: false,
      chunkDecoder: pool,
      reuseBatchBuffers: true,
    });
    expect(await collect(again)).toEqual(good);
    await pool.close();
  });
});

describe('the buffers a chunk decodes into (chunkBuffers)', () => {
  const h = {
    codec: 0,
    eventCount: 1000,
    rawLength: 100_000,
    storedLength: 0,
    firstTs: 0n,
    lastTs: 0n,
    crc: 0,
  };
  const zstd = nativeZstdCodec()!;

  it("a spare large enough is used, one too small is not; lz4's and none's events get no data buffer", () => {
    const spare = { data: new SharedArrayBuffer(200_000), offsets: new SharedArrayBuffer(8000) };
    expect(chunkBuffers(h, zstd, spare)).toEqual(spare);
    const small = chunkBuffers(h, zstd, {
      data: new SharedArrayBuffer(1000),
      offsets: new SharedArrayBuffer(40),
    });
    expect(small.data).toBeInstanceOf(SharedArrayBuffer);
    expect(small.data?.byteLength ?? 0).toBeGreaterThanOrEqual(h.rawLength);
    expect(small.offsets?.byteLength ?? 0).toBeGreaterThanOrEqual(h.eventCount * 4);
    // These codecs return a buffer of their own: a data buffer made for them would be dropped unused.
    for (const codec of [createLz4Codec(), noneCodec]) {
      const b = chunkBuffers(h, codec, spare);
      expect(b.data).toBeUndefined();
      expect(b.offsets).toBe(spare.offsets);
    }
  });
});

describe('a pool whose workers are still starting', () => {
  it('decodes on the caller thread meanwhile, and reads the same (errors included)', async () => {
    // A worker that never says it has started: every chunk decodes here.
    const script = join(dir, 'starting-worker.mjs');
    writeFileSync(script, 'setInterval(() => {}, 1000);');
    const pool = new DecodePool({ size: 2, workerUrl: new URL(`file://${script}`) });
    const bytes = await trace(nativeZstdCodec()!);
    const inline = await collect(readScapkit(pieces(bytes, 5000)));
    expect(await collect(readScapkit(pieces(bytes, 5000), { chunkDecoder: pool }))).toEqual(inline);
    const bad = new Uint8Array(readFileSync(golden('bad-crc.scapkit')));
    const a = await collect(readScapkit(pieces(bad, 64)));
    const b = await collect(readScapkit(pieces(bad, 64), { chunkDecoder: pool }));
    expect(b).toEqual(a);
    expect((b.error as Error).message).toBe((a.error as Error).message);
    expect(pool.failed).toBe(false);
    await pool.close();
  });
});

describe('a file read into reused buffers', () => {
  // fileByteSource's reuseBuffers under the scapkit reader: everything the reader keeps must be copied
  // out before a buffer is read into again (the pool copies chunk bodies, the scanner the end of a piece
  // once it is given the next). Reads about the size of a chunk go round the buffers many times while
  // chunks wait in the queue; with two buffers (the scanner still holding the end of the last piece when
  // it is read into) this fails.
  for (const codec of [noneCodec, nativeZstdCodec()!]) {
    it(`reads as inline, on workers and while they start (${codec.name ?? codec.id})`, async () => {
      const p = join(dir, `reuse-${codec.id}.scapkit`);
      writeFileSync(p, await trace(codec));
      const inline = await collect(readScapkit(fileByteSource(p, { chunkSize: 3000 })));
      const script = join(dir, 'never-starting-worker.mjs');
      writeFileSync(script, 'setInterval(() => {}, 1000);');
      const starting = new DecodePool({ size: 1, workerUrl: new URL(`file://${script}`) });
      const pool = new DecodePool({ size: 1 });
      for (const chunkDecoder of [starting, pool]) {
        const read = (chunkSize: number) =>
          collect(readScapkit(fileByteSource(p, { chunkSize, reuseBuffers: true }), { chunkDecoder }));
        expect(await read(3000)).toEqual(inline);
        expect(await read(20000)).toEqual(inline);
      }
      await Promise.all([starting.close(), pool.close()]);
    });
  }
});

describe('a worker that dies', () => {
  it('fails the chunks it had, naming each, after every event before them; later chunks fail at once', async () => {
    // A worker script that decodes two chunks, then exits mid-job.
    const script = join(dir, 'dying-worker.mjs');
    const real = fileURLToPath(new URL('../dist/node/decode-worker.js', import.meta.url));
    writeFileSync(
      script,
      `import { parentPort } from 'node:worker_threads';
       let n = 0;
       const on = parentPort.on.bind(parentPort);
       parentPort.on = (ev, fn) => on(ev, (m) => { if (++n === 3) process.exit(7); fn(m); });
       await import(${JSON.stringify(real)});`,
    );
    const pool = new DecodePool({
      size: 1,
      depth: 2,
      workerUrl: new URL(`file://${script}`),
      inlineWhileStarting: false,
    });
    const bytes = await trace(nativeZstdCodec()!);
    const chunks = records(bytes).filter((r) => r.type === RecordType.CHUNK);
    const got = await collect(readScapkit(pieces(bytes), { chunkDecoder: pool }));
    expect(got.error).toBeInstanceOf(ScapDecodeWorkerError);
    const e = got.error as ScapDecodeWorkerError;
    expect(e.offset).toBe(chunks[2]!.offset);
    expect(e.message).toMatch(/worker exited \(code 7\).*decoding the chunk at byte offset/);
    const countOf = (c: { offset: number }) => new DataView(bytes.buffer).getUint32(c.offset + 5 + 4, true);
    expect(got.events.length).toBe(countOf(chunks[0]!) + countOf(chunks[1]!));
    expect(pool.failed).toBe(true);
    await expect(pool.decode(new Uint8Array(10), 1234)).rejects.toThrow(/chunk at byte offset 1234/);
    await pool.close();
  });
});
