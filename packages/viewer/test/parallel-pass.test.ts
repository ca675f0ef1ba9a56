// The first pass on worker threads (server/parallel-pass.ts) against the serial one, on capture.scap
// exported with a checkpoint every second (13 checkpoints: segments a process, a file, a connection
// crosses): the overview built a segment per worker and merged is the serial pass's, tile by tile — each
// tile's value and its series — with the timeline, the process tree and the trace's info; its state
// snapshots (taken by the workers) give the lines replay prints; the tables' pass after it counts alike.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { IndexedScapkitReader } from '@scapkit/scap-format';
import { openIndexedScapkitFile } from '@scapkit/scap-format/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TraceSession } from '../src/model/session.js';
import { IndexedStore } from '../src/model/store.js';
import type { Model } from '../src/model/types.js';
import { overviewSegments, parallelFirstPass } from '../src/server/parallel-pass.js';
import { capture, haveCaptures, lines, scapkit, scapkitOut } from './support.js';

const noProgress = () => {};
const file = (name: string) => ({ name, size: 0, bytes: () => 0, reader: 'server' as const });

let dir: string;
let trace: string;
let serial: TraceSession;
let parallel: TraceSession;
let segments: number;

async function reader(): Promise<IndexedScapkitReader> {
  return openIndexedScapkitFile(trace);
}

beforeAll(async () => {
  if (!haveCaptures) return;
  dir = await mkdtemp(join(tmpdir(), 'scapkit-viewer-parallel-'));
  trace = join(dir, 'capture-cp1s.scap');
  const r = await scapkit([
    'export',
    '-r',
    capture('capture.scap'),
    '--format',
    'scapkit',
    '--checkpoint-seconds',
    '1',
    '-w',
    trace,
  ]);
  expect(r.code).toBe(0);
  const a = await reader();
  serial = await TraceSession.open(
    (async function* () {
      yield { kind: 'header' as const, header: a.header };
      yield* a.readAfterChunk(-1);
    })(),
    new IndexedStore(a),
    file('capture-cp1s.scap'),
    noProgress,
  );
  const b = await reader();
  // Segments whatever the trace's size and the machine's load.
  const before = process.env.SCAPKIT_SEGMENTS;
  process.env.SCAPKIT_SEGMENTS = '1';
  const cut = overviewSegments(b, false);
  process.env.SCAPKIT_SEGMENTS = before;
  segments = cut?.length ?? 0;
  if (!cut) throw new Error('no segments');
  const pass = await parallelFirstPass(trace, cut, noProgress);
  parallel = TraceSession.adopt(pass, b.header, new IndexedStore(b), file('capture-cp1s.scap'));
}, 180_000);
afterAll(async () => {
  await serial?.close();
  await parallel?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

const series = (m: Model, id: string) => [...(m.tiles.find((t) => t.id === id)?.series ?? [])];

describe.skipIf(!haveCaptures)('the first pass on worker threads, a checkpoint segment each', () => {
  it('is cut into segments and reads every event', () => {
    expect(segments).toBeGreaterThanOrEqual(2);
    expect(parallel.info.events).toBe(146_038);
    expect(parallel.firstModel().events).toBe(serial.firstModel().events);
    expect(parallel.info).toEqual({ ...serial.info, checkpoints: parallel.info.checkpoints });
    expect(parallel.info.checkpoints).toBeGreaterThan(0);
  });

  it('shows the serial overview, tile by tile: value and series', () => {
    const a = serial.firstModel();
    const b = parallel.firstModel();
    expect(b.tiles.map((t) => t.id)).toEqual(a.tiles.map((t) => t.id));
    for (const t of a.tiles) {
      const u = b.tiles.find((x) => x.id === t.id);
      expect({ id: t.id, value: u?.value }).toEqual({ id: t.id, value: t.value });
      expect({ id: t.id, series: series(b, t.id) }).toEqual({ id: t.id, series: series(a, t.id) });
    }
    // Tiles that could be false: distinct values met in several segments, sums, counts.
    for (const id of ['processes', 'files-accessed', 'connections', 'file-in', 'net-out', 'errors'])
      expect(a.tiles.find((t) => t.id === id)?.value).toBeGreaterThan(0);
  });

  it('has the serial timeline and process tree', () => {
    const a = serial.firstModel();
    const b = parallel.firstModel();
    expect(b.timeline?.slots).toBe(a.timeline?.slots);
    expect(b.timeline?.counts.map((c) => [...c])).toEqual(a.timeline?.counts.map((c) => [...c]));
    expect(b.processes?.length).toBeGreaterThan(10);
    expect(b.processes).toEqual(a.processes);
  });

  it('pages lines from its snapshots as replay prints them, and its tables count alike', async () => {
    const replayLines = lines(await scapkitOut(['replay', '-r', trace]));
    const key = parallel.firstModel().key;
    for (const start of [120_000, 10, 99_000, 143_850, 70_000]) {
      const rows = await parallel.rows(key, start, 40);
      expect(rows.map((r) => r.line)).toEqual(replayLines.slice(start, start + 40));
    }
    const inf = Number.POSITIVE_INFINITY;
    const [ta, tb] = await Promise.all([
      serial.model('', 0, inf, noProgress),
      parallel.model('', 0, inf, noProgress),
    ]);
    expect(tb.tables).toEqual(ta.tables);
  });
});
