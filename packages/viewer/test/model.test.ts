// The model outside the browser, over both stores: capture.scap (a sysdig capture: the store keeps its
// batches, as for a dropped file) and its `scapkit export --format scapkit` (a closed scapkit trace: the
// store reads chunks again through the index, as the `scapkit view` server does). Pages of event lines
// taken from anywhere — after a state snapshot, before it, backwards — are exactly the lines `scapkit
// replay` prints; where a row is equals where replay prints the event; a time range that starts after a
// snapshot counts what replay counts; the fields of an event there are replay's.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openCapture } from '@scapkit/scap-format';
import { openIndexedScapkitFile } from '@scapkit/scap-format/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHECKPOINT_EVENTS, TraceSession } from '../src/model/session.js';
import { blobSource, readSequentially } from '../src/model/source.js';
import { IndexedStore, MemoryStore } from '../src/model/store.js';
import { capture, haveCaptures, lines, scapkit, scapkitOut } from './support.js';

const source = capture('capture.scap');
let dir: string;
let scapkitTrace: string;
let replayLines: string[];

beforeAll(async () => {
  if (!haveCaptures) return;
  dir = await mkdtemp(join(tmpdir(), 'scapkit-viewer-model-'));
  scapkitTrace = join(dir, 'capture.scapkit');
  const r = await scapkit(['export', '-r', source, '--format', 'scapkit', '-w', scapkitTrace]);
  expect(r.code).toBe(0);
  replayLines = lines(await scapkitOut(['replay', '-r', source]));
}, 120_000);
afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

const noProgress = () => {};
const file = (name: string, size: number) => ({ name, size, bytes: () => size, reader: 'server' as const });

/** The session over the sysdig capture, its batches kept. */
async function memorySession(): Promise<TraceSession> {
  const src = blobSource(new Blob([await readFile(source)]));
  const records = openCapture(readSequentially(src, noProgress));
  return TraceSession.open(records, new MemoryStore(), file('capture.scap', src.size), noProgress);
}

/** The session over the scapkit trace, read through its chunk index (as the server reads one). */
async function indexedSession(): Promise<TraceSession> {
  const reader = await openIndexedScapkitFile(scapkitTrace);
  async function* records() {
    yield { kind: 'header' as const, header: reader.header };
    yield* reader.readAfterChunk(-1);
  }
  return TraceSession.open(records(), new IndexedStore(reader), file('capture.scapkit', 0), noProgress);
}

describe.skipIf(!haveCaptures).each([
  ['batches kept (sysdig capture)', memorySession, 'memory'],
  ['chunks read again through the index (scapkit trace)', indexedSession, 'index'],
] as const)('the model of capture.scap (146,038 events), %s', (_, open, store) => {
  let s: TraceSession;
  beforeAll(async () => {
    s = await open();
  }, 120_000);
  afterAll(async () => {
    await s?.close();
  });

  it('keeps state snapshots and counts every event replay prints', () => {
    expect(s.info.store).toBe(store);
    expect(s.info.checkpoints).toBeGreaterThan(0);
    expect(s.info.checkpoints).toBeLessThanOrEqual(Math.floor(s.info.events / CHECKPOINT_EVENTS));
    expect(s.firstModel().events).toBe(replayLines.length);
  });

  it('counts the processes and containers whose ids replay prints (looked at once per thread and change)', async () => {
    const distinct = async (field: string, filter: string) =>
      new Set(lines(await scapkitOut(['replay', '-r', source, '-p', `%${field}`, filter]))).size;
    const tile = (id: string) => s.firstModel().tiles.find((t) => t.id === id)?.value;
    expect(tile('processes')).toBe(await distinct('proc.pid', 'proc.pid exists'));
    const containers = await distinct('container.id', 'container.id exists and container.id!=host');
    expect(containers).toBeGreaterThan(1);
    expect(tile('containers')).toBe(containers);
  });

  it('pages of lines anywhere, in any order, are replay lines', async () => {
    const key = s.firstModel().key;
    // After a snapshot, then before it (a restart), then across it, then backwards, then a next page.
    for (const start of [120_000, 10, 99_000, 143_850, 5, 70_000, 0, 60]) {
      const rows = await s.rows(key, start, 60);
      expect(rows.map((r) => r.line)).toEqual(replayLines.slice(start, start + 60));
      expect(rows.map((r) => r.row)).toEqual(rows.map((_, i) => start + i));
    }
  });

  it("a row's place is where replay prints its event", async () => {
    const key = s.firstModel().key;
    for (const row of [131_072, 7, 99_999]) {
      const [r] = await s.rows(key, row, 1);
      expect(await s.rowOf(key, r!.num)).toBe(row);
    }
  });

  it('a range after a snapshot counts what replay counts between the same times, and lists its lines', async () => {
    const t0 = BigInt(s.info.t0);
    const from = Math.round(s.info.duration * 0.8);
    const to = Math.round(s.info.duration * 0.9);
    const m = await s.model('proc.name!=sshd', from, to, noProgress);
    const golden = lines(
      await scapkitOut([
        'replay',
        '-r',
        source,
        `proc.name!=sshd and evt.rawtime>=${t0 + BigInt(from)} and evt.rawtime<=${t0 + BigInt(to)}`,
      ]),
    );
    expect(m.events).toBe(golden.length);
    expect((await s.rows(m.key, 0, 20)).map((r) => r.line)).toEqual(golden.slice(0, 20));
    const mid = Math.floor(golden.length / 2);
    expect((await s.rows(m.key, mid, 20)).map((r) => r.line)).toEqual(golden.slice(mid, mid + 20));
  });

  it("an event's fields after a snapshot are replay's", async () => {
    const [row] = await s.rows(s.firstModel().key, 130_000, 1);
    const names = ['proc.name', 'proc.pid', 'proc.cmdline', 'fd.name', 'thread.tid', 'user.name', 'evt.args'];
    const f = new Map((await s.fields(row!.num)).map((x) => [x.name, x.value]));
    const [json] = lines(
      await scapkitOut([
        'replay',
        '-r',
        source,
        '-j',
        '-p',
        names.map((n) => `*%${n}`).join(' '),
        `evt.num=${row!.num}`,
      ]),
    );
    const want = JSON.parse(json!) as Record<string, unknown>;
    expect(names.map((n) => f.get(n))).toEqual(
      names.map((n) => (want[n] === null ? undefined : String(want[n]))),
    );
  });
});
