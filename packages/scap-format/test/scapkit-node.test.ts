// The Node side of the scapkit format: the file sink (no symlinks followed, mode, replacing only regular
// files), the file and Readable byte sources (following a growing file), and reading files by path.
import {
  appendFileSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import {
  blankThread,
  crc32c,
  emptyMetadata,
  readScapkit,
  ScapkitWriter,
  ScapTruncatedError,
} from '../src/index.js';
import {
  bestLz4Codec,
  createFileSink,
  FileWriteError,
  fileByteSource,
  openIndexedScapkitFile,
  readableByteSource,
  readScapkitFile,
} from '../src/node/index.js';
import { batchOf, collect, type PlainEvent } from './golden/synthetic.js';

const dir = mkdtempSync(join(tmpdir(), 'scapkit-node-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const events = (n: number): PlainEvent[] =>
  Array.from({ length: n }, (_, i) => ({
    ts: String(10n ** 18n + BigInt(i)),
    tid: 9,
    cpu: 0,
    flags: 0,
    type: 7,
    params: ['63'.repeat(50 + (i % 30))],
  }));

async function writeFile(path: string, n: number): Promise<void> {
  const w = new ScapkitWriter(
    await createFileSink(path),
    { recorderVersion: 'node-test' },
    { codec: bestLz4Codec(), chunkBytes: 4096 },
  );
  await w.writeBatch(batchOf(events(n)));
  await w.close();
}

describe('createFileSink', () => {
  it('creates the file with mode 0600 and the bytes written', async () => {
    const p = join(dir, 'a.scapkit');
    await writeFile(p, 100);
    expect(lstatSync(p).mode & 0o777).toBe(0o600);
    const got = await collect(readScapkitFile(p));
    expect(got.error).toBeNull();
    expect(got.events).toEqual(events(100));
  });

  it('replaces an existing regular file, never what a symlink points at, never a directory', async () => {
    const p = join(dir, 'b.scapkit');
    writeFileSync(p, 'old contents');
    await writeFile(p, 3);
    expect((await collect(readScapkitFile(p))).events.length).toBe(3);

    const target = join(dir, 'precious');
    writeFileSync(target, 'do not touch');
    const link = join(dir, 'link.scapkit');
    symlinkSync(target, link);
    await expect(createFileSink(link)).rejects.toThrow(/symbolic link; refusing/);
    expect(readFileSync(target, 'utf8')).toBe('do not touch');
    expect(lstatSync(link).isSymbolicLink()).toBe(true);

    mkdirSync(join(dir, 'adir'));
    await expect(createFileSink(join(dir, 'adir'))).rejects.toThrow(FileWriteError);
    await expect(createFileSink(p, { overwrite: false })).rejects.toMatchObject({ code: 'EEXIST', path: p });
  });

  it('names the file and the cause when the directory does not exist', async () => {
    const p = join(dir, 'missing', 'x.scapkit');
    await expect(createFileSink(p)).rejects.toThrow(
      `cannot create trace file ${p}: no such directory (ENOENT)`,
    );
  });
});

describe('IndexedScapkitReader', () => {
  it('readRange yields exactly the events in range, with the metadata in force, for random ranges', async () => {
    const p = join(dir, 'indexed.scapkit');
    const w = new ScapkitWriter(await createFileSink(p), {}, { codec: bestLz4Codec(), chunkBytes: 2048 });
    const all = events(600);
    const metaAt = [0, 250, 400]; // a new table snapshot before events 0, 250 and 400
    for (let i = 0; i < all.length; i += 50) {
      if (metaAt.includes(i)) {
        const m = emptyMetadata();
        m.threads.push(blankThread(i));
        await w.writeMetadata(m);
      }
      await w.writeBatch(batchOf(all.slice(i, i + 50)));
    }
    await w.close({ eventsSeen: 600, eventsWritten: 600, drops: {} });
    const r = await openIndexedScapkitFile(p);
    try {
      expect(r.chunks.length).toBeGreaterThan(10);
      expect(r.metadataOffsets.length).toBe(3);
      expect(r.stats.eventsWritten).toBe(600);
      await fc.assert(
        fc.asyncProperty(fc.nat({ max: 620 }), fc.nat({ max: 620 }), async (a, b) => {
          const from = 10n ** 18n + BigInt(Math.min(a, b));
          const to = 10n ** 18n + BigInt(Math.max(a, b));
          const got = await collect(r.readRange(from, to));
          const want = all.filter((e) => BigInt(e.ts) >= from && BigInt(e.ts) <= to);
          expect(got.events).toEqual(want);
          if (want.length > 0) {
            // The snapshot in force at the first event in range, then each later one met on the way.
            const first = Number(BigInt(want[0]!.ts) - 10n ** 18n);
            const last = Number(BigInt(want.at(-1)!.ts) - 10n ** 18n);
            const inForce = Math.max(...metaAt.filter((m) => m <= first));
            const expected = metaAt.filter((m) => m === inForce || (m > first && m <= last));
            expect(got.metadata.map((m) => (m as { threads: { tid: number }[] }).threads[0]!.tid)).toEqual(
              expected,
            );
          }
          expect(got.stats).toMatchObject({ eventsWritten: 600 });
        }),
        { numRuns: 40 },
      );
    } finally {
      await r.close();
    }
  });

  it('refuses a footer index that points outside the file', async () => {
    const p = join(dir, 'badindex.scapkit');
    await writeFile(p, 50);
    const bytes = new Uint8Array(readFileSync(p));
    const dv = new DataView(bytes.buffer);
    const footerAt = Number(dv.getBigUint64(bytes.length - 20, true));
    dv.setBigUint64(footerAt + 5 + 16, BigInt(bytes.length * 2), true); // first chunk's offset
    // Keep the footer CRC right so the bounds check is what refuses it.
    const len = dv.getUint32(footerAt + 1, true);
    dv.setUint32(footerAt + 5, crc32c(bytes, 0, footerAt + 9, footerAt + 5 + len), true);
    writeFileSync(p, bytes);
    await expect(openIndexedScapkitFile(p)).rejects.toThrow(/lies outside the file/);
  });
});

describe('byte sources', () => {
  it('follows a growing file until the trace is closed', async () => {
    const full = join(dir, 'full.scapkit');
    await writeFile(full, 300);
    const bytes = readFileSync(full);
    const growing = join(dir, 'growing.scapkit');
    writeFileSync(growing, bytes.subarray(0, 1000));
    // The file grows only once the reader has read all of it so far (it is then waiting for more),
    // however slow the box: told by onRead, not by a clock.
    let readBytes = 0;
    let wake = () => {};
    const readTo = (n: number) =>
      new Promise<void>((resolve) => {
        const check = () => {
          if (readBytes >= n) resolve();
          else wake = check;
        };
        check();
      });
    const reading = collect(
      readScapkit(
        fileByteSource(growing, {
          follow: true,
          pollMs: 20,
          chunkSize: 512,
          onRead: (n) => {
            readBytes += n;
            wake();
          },
        }),
      ),
    );
    await readTo(1000);
    appendFileSync(growing, bytes.subarray(1000, 3000));
    await readTo(3000);
    appendFileSync(growing, bytes.subarray(3000));
    const got = await reading;
    expect(got.error).toBeNull();
    expect(got.events).toEqual(events(300));
  });

  it('stops following when told to, then reports the cut', async () => {
    const full = join(dir, 'full2.scapkit');
    await writeFile(full, 50);
    const growing = join(dir, 'growing2.scapkit');
    writeFileSync(growing, readFileSync(full).subarray(0, 500));
    // Told to stop once it has read what there is, so it stops at the cut rather than before any byte.
    const stop = new AbortController();
    let readBytes = 0;
    const got = await collect(
      readScapkit(
        fileByteSource(growing, {
          follow: true,
          pollMs: 20,
          signal: stop.signal,
          onRead: (n) => {
            readBytes += n;
            if (readBytes >= 500) stop.abort();
          },
        }),
      ),
    );
    expect(got.error).toBeInstanceOf(ScapTruncatedError);
  });

  it('reads a Node Readable', async () => {
    const p = join(dir, 'c.scapkit');
    await writeFile(p, 20);
    const bytes = readFileSync(p);
    const stream = Readable.from([bytes.subarray(0, 10), bytes.subarray(10, 77), bytes.subarray(77)]);
    const got = await collect(readScapkit(readableByteSource(stream)));
    expect(got.events).toEqual(events(20));
  });
});
