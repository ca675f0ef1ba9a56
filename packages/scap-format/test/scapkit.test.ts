// The scapkit writer and stream reader together: random batches round-trip through every codec and every
// way of splitting the bytes; damage (CRC, lengths, bombs, hostile msgpack) ends in typed errors with
// offsets; the writer's chunking and timed flush; recover keeps every intact chunk.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Encoder } from '@msgpack/msgpack';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  CHUNK_HEADER_SIZE,
  type ChunkCodec,
  crc32c,
  createLz4Codec,
  emptyMetadata,
  MemorySink,
  noneCodec,
  PREAMBLE_SIZE,
  RecordType,
  readScapkit,
  recoverScapkit,
  ScapFormatError,
  ScapkitWriter,
  ScapTruncatedError,
} from '../src/index.js';
import { nativeLz4Codec, nativeZstdCodec } from '../src/node/index.js';
import { batchOf, collect, type PlainEvent, pieces, prng, splitAt } from './golden/synthetic.js';
import { cpuMs } from './support/cpu.js';
import { records } from './support/records.js';

const native = nativeLz4Codec()!;
// Native zstd writes; the reader decodes it with its built-in pure decoder (fzstd).
const codecs: ChunkCodec[] = [noneCodec, createLz4Codec(), native, nativeZstdCodec({ level: 1 })!];

const hexOf = (a: Uint8Array) => Buffer.from(a).toString('hex');

const arbEvent: fc.Arbitrary<PlainEvent> = fc.record({
  ts: fc.bigInt({ min: 0n, max: (1n << 64n) - 1n }).map(String),
  tid: fc.integer({ min: -1, max: 4194304 }),
  cpu: fc.integer({ min: 0, max: 255 }),
  flags: fc.constantFrom(0, 1),
  type: fc.integer({ min: 0, max: 500 }),
  params: fc.array(
    fc
      .oneof(
        fc.uint8Array({ maxLength: 8 }),
        fc.uint8Array({ maxLength: 120 }),
        fc.constant(new Uint8Array(80).fill(0x61)),
      )
      .map(hexOf),
    { maxLength: 6 },
  ),
});

async function writeAll(
  batches: PlainEvent[][],
  opts: { codec: ChunkCodec; chunkBytes: number },
  close = true,
): Promise<{ bytes: Uint8Array; writer: ScapkitWriter }> {
  const sink = new MemorySink();
  const writer = new ScapkitWriter(sink, { recorderVersion: 'test', snaplen: 80, startTs: 1n << 62n }, opts);
  const meta = emptyMetadata();
  meta.threads.push({ tid: 1, comm: 'init' } as never);
  meta.fds.set(1, [{ fd: 0, ino: 1, type: 1, name: '/dev/null' }]);
  await writer.writeMetadata(meta);
  for (const b of batches) await writer.writeBatch(batchOf(b));
  if (close) await writer.close({ eventsSeen: 9, eventsWritten: 7, drops: { ringbuf_full: 2 } });
  else await writer.flush();
  return { bytes: sink.bytes(), writer };
}

describe('round trips', () => {
  it('random batches survive every codec, chunk size and split of the bytes', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.array(arbEvent, { maxLength: 40 }), { maxLength: 6 }),
        fc.constantFrom(...codecs),
        fc.integer({ min: 1024, max: 6000 }),
        fc.array(fc.nat(), { maxLength: 8 }),
        async (batches, codec, chunkBytes, cuts) => {
          const { bytes, writer } = await writeAll(batches, { codec, chunkBytes });
          const events = batches.flat();
          expect(writer.eventsWritten).toBe(events.length);
          const got = await collect(
            readScapkit(
              splitAt(
                bytes,
                cuts.map((c) => c % (bytes.length + 1)),
              ),
            ),
          );
          expect(got.error).toBeNull();
          expect(got.events).toEqual(events);
          expect(got.stats).toEqual({ eventsSeen: 9, eventsWritten: 7, drops: { ringbuf_full: 2 } });
          expect(got.header).toMatchObject({
            recorderVersion: 'test',
            snaplen: 80,
            startTs: String(1n << 62n),
          });
          // Every chunk holds at most chunkBytes raw, unless one event alone is bigger.
          for (const r of records(bytes).filter((x) => x.type === RecordType.CHUNK)) {
            const raw = new DataView(bytes.buffer, bytes.byteOffset + r.offset + 5).getUint32(8, true);
            const count = new DataView(bytes.buffer, bytes.byteOffset + r.offset + 5).getUint32(4, true);
            expect(raw <= chunkBytes || count === 1).toBe(true);
          }
        },
      ),
      { numRuns: 60 },
    );
  });

  it('batches whose events are not back to back (gaps, reordered offsets) are written event by event', async () => {
    const evs: PlainEvent[] = [0, 1, 2].map((i) => ({
      ts: String(100 + i),
      tid: i,
      cpu: 0,
      flags: 0,
      type: 3,
      params: ['00'],
    }));
    const b = batchOf(evs);
    const offsets = Uint32Array.from([b.offsets[2]!, b.offsets[0]!]);
    const sink = new MemorySink();
    const w = new ScapkitWriter(sink, {}, { codec: noneCodec });
    await w.writeBatch({ data: b.data, offsets, count: 2 });
    await w.close();
    const got = await collect(readScapkit(pieces(sink.bytes())));
    expect(got.events).toEqual([evs[2], evs[0]]);
  });

  it('a malformed batch is refused before anything is written', async () => {
    const b = batchOf([{ ts: '1', tid: 1, cpu: 0, flags: 0, type: 3, params: [] }]);
    new DataView(b.data.buffer).setUint32(b.offsets[0]! + 16, 1000, true);
    const w = new ScapkitWriter(new MemorySink(), {});
    await expect(w.writeBatch(b)).rejects.toThrow(ScapFormatError);
  });
});

describe('writer', () => {
  const ev = (i: number): PlainEvent => ({
    ts: String(1000 + i),
    tid: 7,
    cpu: 1,
    flags: 0,
    type: 7,
    params: ['aa'.repeat(80)],
  });

  /**
   * A file on a disk with `room` bytes free: a write past it keeps what fits (a partial write), then
   * fails with ENOSPC; `truncate` cuts the file back as ftruncate does.
   */
  function smallDisk() {
    const disk = { mem: new MemorySink(), room: 1 << 20, cut: -1 };
    const sink = {
      write(b: Uint8Array) {
        const have = disk.mem.bytes().length;
        if (have + b.length > disk.room) {
          disk.mem.write(b.subarray(0, Math.max(0, disk.room - have)));
          throw Object.assign(new Error('no space'), { code: 'ENOSPC' });
        }
        disk.mem.write(b);
      },
      close() {},
      async truncate(n: number) {
        disk.cut = n;
        const kept = disk.mem.bytes().slice(0, n);
        disk.mem = new MemorySink();
        disk.mem.write(kept);
      },
    };
    return { disk, sink };
  }

  /** A writer whose first chunk (9 events) is on disk and whose second failed halfway: the disk is full. */
  async function writerOnFullDisk() {
    const { disk, sink } = smallDisk();
    const w = new ScapkitWriter(sink, {}, { codec: noneCodec, chunkBytes: 1024 });
    await w.writeBatch(batchOf(Array.from({ length: 9 }, (_, i) => ev(i))));
    await w.flush(); // one whole chunk of 9 events
    const committed = disk.mem.bytes().length;
    disk.room = committed + 200; // the next chunk (~1 KB) does not fit
    await w.writeBatch(batchOf(Array.from({ length: 9 }, (_, i) => ev(9 + i))));
    await expect(w.flush()).rejects.toThrow(/no space/);
    expect(w.eventsWritten).toBe(9);
    return { disk, w, committed };
  }
  const firstNine = Array.from({ length: 9 }, (_, i) => String(1000 + i));
  const lostNine = { eventsSeen: 18, eventsWritten: 9, drops: { write_error: 9 } };

  // A full disk halfway through a chunk: closeAfterFailure cuts the partial record away and writes the
  // footer in its place, so the file is whole, with the statistics the caller gives (what was lost).
  it('closeAfterFailure: after a failed write the file ends after its last complete chunk, with a footer', async () => {
    const { disk, w } = await writerOnFullDisk();
    disk.room = 1 << 20; // the footer fits once the partial chunk is cut away
    expect(await w.closeAfterFailure(lostNine)).toBe(true);
    expect(disk.cut).toBeGreaterThan(PREAMBLE_SIZE);
    const back = await collect(readScapkit(pieces(disk.mem.bytes())));
    expect(back.error).toBeNull();
    expect(back.events.map((e) => e.ts)).toEqual(firstNine);
    expect(back.stats).toEqual(lostNine);
    // A writer that did not fail has nothing to close after.
    const ok = new ScapkitWriter(new MemorySink(), {});
    expect(await ok.closeAfterFailure(lostNine)).toBe(false);
  });

  // The other outcome: cutting the partial chunk frees less than the footer needs (what a loaded CI run
  // had on a 1 MB tmpfs). The file then ends in part of a footer: a reader gives every complete chunk's
  // events and a truncation error (not a damage one), and recover rewrites it whole with the same events.
  it('closeAfterFailure: when the footer does not fit either, the file reads as cut after its last chunk and recovers whole', async () => {
    const { disk, w, committed } = await writerOnFullDisk();
    disk.room = committed + 16; // less than any footer
    expect(await w.closeAfterFailure(lostNine)).toBe(false);
    expect(disk.cut).toBe(committed);
    const onDisk = disk.mem.bytes();
    expect(onDisk.length).toBeGreaterThan(disk.cut); // part of the footer was written
    const back = await collect(readScapkit(pieces(onDisk)));
    expect(back.error).toBeInstanceOf(ScapTruncatedError);
    expect(back.events.map((e) => e.ts)).toEqual(firstNine);
    const out = new MemorySink();
    expect(await recoverScapkit(pieces(onDisk), out)).toMatchObject({ eventsKept: 9 });
    const whole = await collect(readScapkit(pieces(out.bytes())));
    expect(whole.error).toBeNull();
    expect(whole.events.map((e) => e.ts)).toEqual(firstNine);
  });

  it('flushes a chunk when it reaches chunkBytes, and on flushIfOlderThan when old enough', async () => {
    let now = 0;
    const sink = new MemorySink();
    const w = new ScapkitWriter(sink, {}, { codec: createLz4Codec(), chunkBytes: 1024, clock: () => now });
    await w.writeBatch(batchOf([ev(0), ev(1), ev(2)])); // 3 × 112 framed bytes: one pending chunk
    expect(w.eventsWritten).toBe(0);
    expect(w.eventsPending).toBe(3);
    now = 500;
    expect(await w.flushIfOlderThan(1000)).toBe(false);
    now = 1000;
    expect(await w.flushIfOlderThan(1000)).toBe(true);
    expect(w.eventsWritten).toBe(3);
    const before = w.bytesWritten;
    expect(await w.flushIfOlderThan(1000)).toBe(false); // nothing pending
    expect(w.bytesWritten).toBe(before);
    await w.writeBatch(batchOf(Array.from({ length: 12 }, (_, i) => ev(3 + i)))); // 9 fit in 1024 bytes
    expect(w.eventsWritten).toBe(12);
    expect(w.eventsPending).toBe(3);
    // The file so far (no footer) is readable and yields exactly the flushed events.
    const partial = await collect(readScapkit(pieces(sink.bytes())));
    expect(partial.events.length).toBe(12);
    expect(partial.error).toBeInstanceOf(ScapTruncatedError);
    await w.close();
    expect(w.eventsWritten).toBe(15);
    const all = await collect(readScapkit(pieces(sink.bytes())));
    expect(all.events.map((e) => e.ts)).toEqual(Array.from({ length: 15 }, (_, i) => String(1000 + i)));
    expect(all.batches).toBe(3);
    expect(all.stats).toEqual({ eventsSeen: 15, eventsWritten: 15, drops: {} });
    await expect(w.writeBatch(batchOf([ev(99)]))).rejects.toThrow(/closed/);
  });

  it('calls made without awaiting run in order', async () => {
    const sink = new MemorySink();
    const w = new ScapkitWriter(sink, {}, { codec: noneCodec, chunkBytes: 1024 });
    const ps = [w.writeBatch(batchOf([ev(0)])), w.flush(), w.writeBatch(batchOf([ev(1)])), w.close()];
    await Promise.all(ps);
    const got = await collect(readScapkit(pieces(sink.bytes())));
    expect(got.events.map((e) => e.ts)).toEqual(['1000', '1001']);
    expect(got.batches).toBe(2);
  });

  it('after the sink fails, every later call fails with that error and nothing more is written', async () => {
    const writes: number[] = [];
    const full = new Error('ENOSPC');
    const sink = {
      write(b: Uint8Array) {
        if (writes.length === 3) throw full; // preamble, header and a chunk head pass; the chunk body fails
        writes.push(b.length);
      },
      close() {},
    };
    const w = new ScapkitWriter(sink, {}, { codec: noneCodec, chunkBytes: 1024 });
    await w.writeBatch(batchOf([ev(0)]));
    await w.flush().then(
      () => expect.unreachable(),
      () => undefined,
    );
    await expect(w.flush()).rejects.toBe(full);
    await expect(w.writeBatch(batchOf([ev(1)]))).rejects.toBe(full);
    await expect(w.close()).rejects.toBe(full);
    expect(writes.length).toBe(3);
  });

  it('a header the sink refuses fails the first call, with no unhandled rejection', async () => {
    const refused = new Error('EIO');
    const w = new ScapkitWriter({ write: () => Promise.reject(refused), close() {} }, {});
    await new Promise((r) => setTimeout(r, 10));
    await expect(w.writeBatch(batchOf([ev(0)]))).rejects.toBe(refused);
  });

  it('stores a chunk that does not compress as is (codec 0)', async () => {
    const r = prng(5);
    const rnd = Uint8Array.from({ length: 900 }, () => (r() * 256) | 0);
    const { bytes } = await writeAll(
      [[{ ts: '5', tid: 1, cpu: 0, flags: 0, type: 9, params: [hexOf(rnd)] }]],
      {
        codec: createLz4Codec(),
        chunkBytes: 4096,
      },
    );
    const chunk = records(bytes).find((r) => r.type === RecordType.CHUNK)!;
    expect(bytes[chunk.offset + 5]).toBe(0);
  });
});

describe('damage', () => {
  const base = async () =>
    (
      await writeAll(
        [
          Array.from({ length: 30 }, (_, i) => ({
            ts: String(i),
            tid: 1,
            cpu: 0,
            flags: 0,
            type: 7,
            params: ['61'.repeat(40 + i)],
          })),
        ],
        { codec: createLz4Codec(), chunkBytes: 1024 },
      )
    ).bytes;

  it('a flipped byte anywhere in a chunk record is a ScapFormatError inside that record, after the chunks before it', async () => {
    const bytes = await base();
    const chunks = records(bytes).filter((r) => r.type === RecordType.CHUNK);
    expect(chunks.length).toBeGreaterThan(2);
    const c = chunks[1]!;
    const eventsBefore = (await collect(readScapkit(pieces(bytes.subarray(0, c.offset))))).events.length;
    for (let i = c.offset; i < c.offset + c.length; i++) {
      const bad = bytes.slice();
      bad[i] ^= 0x10;
      const got = await collect(readScapkit(pieces(bad, 333)));
      expect(got.error, `flip at ${i}`).toBeInstanceOf(ScapFormatError);
      const e = got.error as ScapFormatError;
      if (i === c.offset) {
        // The type byte: the record reads as an unknown type and is skipped; the footer's index catches it.
        expect(e.offset).toBe(records(bytes).find((r) => r.type === RecordType.FOOTER)!.offset);
        expect(e.message).toMatch(/footer index/);
        continue;
      }
      expect(e.offset, `flip at ${i}: ${e.message}`).toBeGreaterThanOrEqual(c.offset);
      expect(e.offset).toBeLessThan(c.offset + c.length);
      expect(got.events.length).toBe(eventsBefore);
    }
  });

  it('the CRC error names the expected and found values; verifyCrc:false reads past a harmless flip', async () => {
    const bytes = await base();
    const c = records(bytes).filter((r) => r.type === RecordType.CHUNK)[0]!;
    const bad = bytes.slice();
    bad[c.offset + 5 + 4] ^= 0; // unchanged
    bad[c.offset + 5 + 16] ^= 1; // first ts: a field the CRC covers but decoding does not need
    const got = await collect(readScapkit(pieces(bad)));
    expect((got.error as Error).message).toMatch(
      /CRC32C mismatch: expected 0x[0-9a-f]{8}, found 0x[0-9a-f]{8}/,
    );
    expect((got.error as ScapFormatError).offset).toBe(c.offset + 5 + 32);
    const lax = await collect(readScapkit(pieces(bad), { verifyCrc: false }));
    expect(lax.error).toBeNull();
    expect(lax.events.length).toBe(30);
  });

  it('a record length beyond the limit is refused at once, without waiting for the bytes', async () => {
    const bytes = await base();
    const c = records(bytes).filter((r) => r.type === RecordType.CHUNK)[0]!;
    const bad = bytes.slice(0, c.offset + 5);
    new DataView(bad.buffer).setUint32(c.offset + 1, 0xfffffff0, true);
    const got = await collect(readScapkit(pieces(bad)));
    expect(got.error).toBeInstanceOf(ScapFormatError);
    expect(got.error).not.toBeInstanceOf(ScapTruncatedError);
    expect((got.error as ScapFormatError).offset).toBe(c.offset + 1);
    expect((got.error as Error).message).toMatch(/limit/);
  });

  it('a decompression bomb (huge declared raw length) is refused before any allocation', async () => {
    const bytes = await base();
    const c = records(bytes).filter((r) => r.type === RecordType.CHUNK)[0]!;
    for (const raw of [0xfffffff0, 60 << 20]) {
      const bad = bytes.slice();
      const dv = new DataView(bad.buffer);
      dv.setUint32(c.offset + 5 + 8, raw, true);
      // Keep the CRC right, so only the length check can catch it.
      dv.setUint32(
        c.offset + 5 + 32,
        crc32c(
          bad,
          crc32c(bad, 0, c.offset + 5, c.offset + 5 + 32),
          c.offset + 5 + CHUNK_HEADER_SIZE,
          c.offset + c.length,
        ),
        true,
      );
      const heap = process.memoryUsage().arrayBuffers;
      const got = await collect(readScapkit(pieces(bad)));
      expect(got.error).toBeInstanceOf(ScapFormatError);
      expect((got.error as Error).message).toMatch(/limit|can decode to/);
      expect((got.error as ScapFormatError).offset).toBeGreaterThanOrEqual(c.offset);
      expect(process.memoryUsage().arrayBuffers - heap).toBeLessThan(16 << 20);
    }
  });

  it('a declared event count that does not match the events is a ScapFormatError', async () => {
    const bytes = await base();
    const c = records(bytes).filter((r) => r.type === RecordType.CHUNK)[0]!;
    const bad = bytes.slice();
    const dv = new DataView(bad.buffer);
    dv.setUint32(c.offset + 5 + 4, dv.getUint32(c.offset + 5 + 4, true) + 1, true);
    const got = await collect(readScapkit(pieces(bad), { verifyCrc: false }));
    expect((got.error as Error).message).toMatch(/events/);
    expect((got.error as ScapFormatError).offset).toBe(c.offset + 5);
  });

  /** A file whose metadata record carries `payload` as its (uncompressed, correctly checksummed) msgpack. */
  async function withMetadataPayload(payload: Uint8Array): Promise<Uint8Array> {
    const body = new Uint8Array(12 + payload.length);
    const dv = new DataView(body.buffer);
    dv.setUint32(4, payload.length, true);
    dv.setUint32(8, crc32c(payload), true);
    body.set(payload, 12);
    const { bytes } = await writeAll([], { codec: noneCodec, chunkBytes: 1024 });
    const metaAt = records(bytes).find((r) => r.type === RecordType.METADATA)!;
    const rec = new Uint8Array(5 + body.length);
    rec[0] = RecordType.METADATA;
    new DataView(rec.buffer).setUint32(1, body.length, true);
    rec.set(body, 5);
    return new Uint8Array([...bytes.subarray(0, metaAt.offset), ...rec]);
  }

  it('hostile metadata (__proto__ keys) is refused and pollutes nothing', async () => {
    const hostile = new Encoder().encode({
      threads: [JSON.parse('{"__proto__": {"polluted": 1}, "tid": 1}')],
    });
    const got = await collect(readScapkit(pieces(await withMetadataPayload(hostile))));
    expect(got.error).toBeInstanceOf(ScapFormatError);
    expect((got.error as Error).message).toMatch(/__proto__/);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('metadata fields of the wrong type are refused by name; missing ones take the model defaults', async () => {
    const enc = new Encoder({ useBigInt64: true });
    const cases: [unknown, RegExp][] = [
      [
        { threads: [{ tid: 1, cgroups: [7] }] },
        /threads\[0\]\.cgroups: expected a list of strings, found a list/,
      ],
      [{ threads: [{ comm: 'x' }] }, /threads\[0\]\.tid: missing/],
      [{ fds: [[1, [{ fd: 3, name: 5 }]]] }, /fds\[0\]\[0\]\.name: expected a string, found number/],
      [{ fds: { 1: [] } }, /fds: not a list/],
      [{ users: [{ uid: '0' }] }, /users\[0\]\.uid: expected a number, found string/],
      [{ machine: { hostname: 'h', bootTs: 'yesterday' } }, /machine\.bootTs: expected an integer/],
      [{ containers: [null] }, /containers\[0\]: not a map/],
      // What a state engine's snapshot adds is optional, and checked like the rest when present.
      [{ threads: [{ tid: 1, lastEnterEvent: 'x' }] }, /threads\[0\]\.lastEnterEvent: expected bytes/],
      [{ threads: [{ tid: 1, nchilds: '2' }] }, /threads\[0\]\.nchilds: expected a number/],
      [{ fds: [[1, [{ fd: 3, role: true }]]] }, /fds\[0\]\[0\]\.role: expected a number, found boolean/],
    ];
    for (const [meta, message] of cases) {
      const got = await collect(readScapkit(pieces(await withMetadataPayload(enc.encode(meta)))));
      expect(got.error, String(message)).toBeInstanceOf(ScapFormatError);
      expect((got.error as Error).message).toMatch(message);
    }
    const sparse = {
      threads: [
        { tid: 42, comm: 'x', pfMajor: 7n, extra: 'kept' },
        { tid: 43, nchilds: 1, lastEnterEvent: new Uint8Array([1, 2]), cloneTs: 1n << 62n, exited: true },
      ],
      fds: [[42, [{ fd: 1 }]]],
    };
    const got = await collect(readScapkit(pieces(await withMetadataPayload(enc.encode(sparse)))));
    expect(got.error).toBeInstanceOf(ScapTruncatedError); // the file ends after the metadata record
    const m = got.metadata[0] as {
      threads: Record<string, unknown>[];
      fds: [number, Record<string, unknown>[]][];
    };
    expect(m.threads[0]).toMatchObject({
      tid: 42,
      comm: 'x',
      pid: -1,
      args: [],
      pfMajor: 7,
      extra: 'kept',
      exeWritable: false,
    });
    expect(m.threads[0]!.nchilds).toBeUndefined();
    // (collect() gives bigints as strings and bytes as lists)
    expect(m.threads[1]).toMatchObject({
      nchilds: 1,
      lastEnterEvent: [1, 2],
      cloneTs: String(1n << 62n),
      exited: true,
    });
    expect(m.fds).toEqual([[42, [{ fd: 1, ino: 0, type: 0, name: '' }]]]);
  });

  it('a header field of the wrong type is refused by name', async () => {
    const { bytes } = await writeAll([], { codec: noneCodec, chunkBytes: 1024 });
    const payload = new Encoder().encode({ snaplen: 'eighty' });
    const rec = new Uint8Array(5 + 4 + payload.length);
    rec[0] = RecordType.HEADER;
    new DataView(rec.buffer).setUint32(1, 4 + payload.length, true);
    new DataView(rec.buffer).setUint32(5, crc32c(payload), true);
    rec.set(payload, 9);
    const got = await collect(
      readScapkit(pieces(new Uint8Array([...bytes.subarray(0, PREAMBLE_SIZE), ...rec]))),
    );
    expect((got.error as Error).message).toMatch(/header\.snaplen: expected a number, found string/);
    expect((got.error as ScapFormatError).offset).toBe(PREAMBLE_SIZE + 5 + 4);
  });

  it('metadata declaring a billion-entry list is refused before the decoder builds it', async () => {
    // { threads: array32 of 2^30 entries } followed by almost nothing
    const payload = Uint8Array.of(
      0x81,
      0xa7,
      ...new TextEncoder().encode('threads'),
      0xdd,
      0x40,
      0,
      0,
      0,
      0xc0,
    );
    const got = await collect(readScapkit(pieces(await withMetadataPayload(payload))));
    expect(got.error).toBeInstanceOf(ScapFormatError);
    expect((got.error as Error).message).toMatch(/Max length exceeded/);
  });

  it('metadata that would build millions of objects is refused before they are built', async () => {
    // msgpack of `{ <key>: [<head>, ...n × <entry>] }`, built by hand: the encoder would need the objects.
    const listOf = (key: string, n: number, entry: number[], head: number[] = []): Uint8Array => {
      const k = new TextEncoder().encode(key);
      const out = new Uint8Array(1 + 1 + k.length + 5 + head.length + n * entry.length);
      out.set([0x81, 0xa0 | k.length, ...k, 0xdd], 0);
      new DataView(out.buffer).setUint32(2 + k.length + 1, head.length > 0 ? n + 1 : n);
      let p = 2 + k.length + 5;
      out.set(head, p);
      p += head.length;
      for (let i = 0; i < n; i++, p += entry.length) out.set(entry, p);
      return out;
    };
    // 262,145 threads `{tid: 1}` (1.5 MB): each would become a ~40-field ThreadInfo.
    const tid1 = [0x81, 0xa3, 0x74, 0x69, 0x64, 0x01];
    const threads = await collect(
      readScapkit(pieces(await withMetadataPayload(listOf('threads', 262_145, tid1)))),
    );
    expect(threads.error).toBeInstanceOf(ScapFormatError);
    expect((threads.error as Error).message).toMatch(/threads: 262145 entries, more than the 262144 allowed/);
    // One tid's fd list of 2.1M empty maps (2.1 MB): refused by the container count, before decoding.
    const fds = listOf(
      'fds',
      1,
      [],
      [0x92, 0x01, 0xdd, 0x00, 0x20, 0x10, 0x00, ...new Array(0x201000).fill(0x80)],
    );
    const many = await collect(readScapkit(pieces(await withMetadataPayload(fds))));
    expect(many.error).toBeInstanceOf(ScapFormatError);
    expect((many.error as Error).message).toMatch(/more than 2097152 maps and lists/);
    // At the bounds, a real-sized table still reads.
    const ok = await collect(readScapkit(pieces(await withMetadataPayload(listOf('threads', 50_000, tid1)))));
    expect(ok.error).toBeInstanceOf(ScapTruncatedError); // the file ends after the metadata record
    expect((ok.metadata[0] as { threads: unknown[] }).threads).toHaveLength(50_000);
  });

  it('a file that is not scapkit is refused at the first wrong byte', async () => {
    const got = await collect(readScapkit(pieces(new Uint8Array([0x89, 0x53, 0x43, 0x41, 0x58]), 1)));
    expect(got.error).toBeInstanceOf(ScapFormatError);
    expect((got.error as ScapFormatError).offset).toBe(4);
    const empty = await collect(readScapkit(pieces(new Uint8Array(0))));
    expect(empty.error).toBeInstanceOf(ScapTruncatedError);
    expect((empty.error as ScapTruncatedError).offset).toBe(0);
  });
});

describe('recover', () => {
  const build = async (codec: ChunkCodec = createLz4Codec()) =>
    (
      await writeAll(
        [
          Array.from({ length: 40 }, (_, i) => ({
            ts: String(i),
            tid: 1,
            cpu: 0,
            flags: 0,
            type: 7,
            params: ['62'.repeat(30 + (i % 9))],
          })),
        ],
        { codec, chunkBytes: 1024 },
      )
    ).bytes;

  it('resynchronisation work stays bounded on a tail of fake records each claiming the rest of the file', async () => {
    // After the header: 1 MiB in which every 16th byte starts a metadata record (no compression, raw
    // length = stored length, so it passes the cheap checks) whose body reaches the end of the input.
    // Each one failing its CRC over the rest made recovery quadratic (~30 s); a budget on the bytes
    // checked while resynchronising bounds it (fuzz regression scapkit-recover-resync-quadratic).
    const bytes = await build();
    const headerEnd = records(bytes)[0]!.offset + records(bytes)[0]!.length;
    const tail = 1 << 20;
    const input = new Uint8Array(headerEnd + tail);
    input.set(bytes.subarray(0, headerEnd));
    const dv = new DataView(input.buffer);
    for (let o = headerEnd; o + 17 <= input.length; o += 16) {
      input[o] = RecordType.METADATA;
      dv.setUint32(o + 1, input.length - o - 5, true);
      dv.setUint32(o + 9, input.length - o - 5 - 12, true);
    }
    const out = new MemorySink();
    const r = await recoverScapkit(pieces(input, 65536), out);
    expect(r).toMatchObject({ eventsKept: 0, chunksKept: 0, bytesDropped: tail, lossless: false });
    const back = await collect(readScapkit(pieces(out.bytes())));
    expect(back.error).toBeNull();
  });

  it('a clean file is recovered losslessly into the same events and stats', async () => {
    const bytes = await build();
    const out = new MemorySink();
    const r = await recoverScapkit(pieces(bytes, 100), out);
    expect(r).toMatchObject({ eventsKept: 40, bytesDropped: 0, lossless: true });
    const a = await collect(readScapkit(pieces(bytes)));
    const b = await collect(readScapkit(pieces(out.bytes())));
    expect(b.error).toBeNull();
    expect(b.events).toEqual(a.events);
    expect(b.metadata).toEqual(a.metadata);
    expect(b.stats).toMatchObject({ eventsSeen: 9, drops: { ringbuf_full: 2 } });
  });

  it('a file cut at any offset recovers every complete chunk into a closed file', async () => {
    const bytes = await build();
    const recs = records(bytes);
    const headerEnd = recs[0]!.offset + recs[0]!.length;
    for (let cut = headerEnd; cut < bytes.length; cut += 7) {
      const out = new MemorySink();
      const r = await recoverScapkit(pieces(bytes.subarray(0, cut), 64), out);
      const complete = recs.filter((x) => x.type === RecordType.CHUNK && x.offset + x.length <= cut);
      expect(r.chunksKept, `cut at ${cut}`).toBe(complete.length);
      const got = await collect(readScapkit(pieces(out.bytes())));
      expect(got.error, `cut at ${cut}`).toBeNull();
      expect(got.events.length).toBe(r.eventsKept);
      // Before the footer, what is dropped is exactly the incomplete record the cut falls in.
      if (cut < recs.find((x) => x.type === RecordType.FOOTER)!.offset) {
        const lastEnd = Math.max(...recs.map((x) => x.offset + x.length).filter((e) => e <= cut));
        expect(r.lossless, `cut at ${cut}`).toBe(cut === lastEnd);
        expect(r.bytesDropped).toBe(cut - lastEnd);
      }
    }
  });

  it.each([
    ['lz4', createLz4Codec()],
    ['zstd', nativeZstdCodec({ level: 1 })!],
  ])('a damaged chunk in the middle is dropped and every chunk after it kept (%s)', async (_name, codec) => {
    const bytes = await build(codec);
    const chunks = records(bytes).filter((r) => r.type === RecordType.CHUNK);
    const victim = chunks[1]!;
    for (const at of [victim.offset + 1, victim.offset + 5 + 12, victim.offset + 60]) {
      const bad = bytes.slice();
      bad[at] ^= 0xff;
      const out = new MemorySink();
      const r = await recoverScapkit(pieces(bad, 50), out, { codecs: [codec] });
      expect(r.chunksKept, `damage at ${at}`).toBe(chunks.length - 1);
      expect(r.lossless).toBe(false);
      expect(r.bytesDropped).toBe(victim.length);
      const got = await collect(readScapkit(pieces(out.bytes())));
      expect(got.error).toBeNull();
      const victimEvents = new DataView(bytes.buffer, victim.offset + 5).getUint32(4, true);
      expect(got.events.length).toBe(40 - victimEvents);
    }
  });

  it('garbage spliced between chunks is dropped byte for byte and every chunk kept', async () => {
    const bytes = await build();
    const chunks = records(bytes).filter((r) => r.type === RecordType.CHUNK);
    const at = chunks[1]!.offset;
    const r = prng(99);
    // 2 MiB of noise, with record-like type bytes sprinkled in: the scan must stay cheap.
    const noise = Uint8Array.from({ length: 2 << 20 }, () =>
      r() < 0.05 ? 2 + ((r() * 3) | 0) : (r() * 256) | 0,
    );
    const spliced = new Uint8Array([...bytes.subarray(0, at), ...noise, ...bytes.subarray(at)]);
    const out = new MemorySink();
    const t = cpuMs();
    const res = await recoverScapkit(pieces(spliced, 1 << 16), out);
    expect(cpuMs() - t).toBeLessThan(20_000);
    expect(res).toMatchObject({
      eventsKept: 40,
      chunksKept: chunks.length,
      bytesDropped: noise.length,
      lossless: false,
    });
    const got = await collect(readScapkit(pieces(out.bytes())));
    expect(got.error).toBeNull();
    expect(got.events.length).toBe(40);
  });

  it('keeps a record of a later minor version when a verified record follows it', async () => {
    const golden = new Uint8Array(
      readFileSync(fileURLToPath(new URL('./golden/future-minor.scapkit', import.meta.url))),
    );
    for (const step of [1 << 16, 1]) {
      const out = new MemorySink();
      const r = await recoverScapkit(pieces(golden, step), out);
      expect(r).toMatchObject({ eventsKept: 40, chunksKept: 2, bytesDropped: 0, lossless: true });
      const types = records(out.bytes()).map((x) => x.type);
      expect(types).toEqual([1, 2, 3, 0x40, 3, 4, 5]);
      const got = await collect(readScapkit(pieces(out.bytes())));
      expect(got.error).toBeNull();
      expect(got.version).toBe('1.7');
    }
  });

  it('refuses input that is not a scapkit file', async () => {
    await expect(
      recoverScapkit(pieces(new TextEncoder().encode('hello world, not a trace')), new MemorySink()),
    ).rejects.toThrow(ScapFormatError);
  });
});
