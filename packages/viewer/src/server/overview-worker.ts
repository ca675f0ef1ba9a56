// A worker thread of the first pass cut at the trace's checkpoints (parallel-pass.ts): builds the overview of
// whole segments of one scapkit trace. A segment starts from its checkpoint's tables, as the segment
// replay of `scapkit replay` does (IndexedScapkitReader.readSegment), and goes through replay's Pipeline
// into a ModelBuilder of its own; the worker posts back the builder's part (ModelBuilder.merge adds the
// parts up in order), the evt.num before each of its batches and the state snapshots it took on the way.
import { parentPort, workerData } from 'node:worker_threads';
import { createFieldRegistry, Pipeline } from '@scapkit/replay';
import type { CaptureMetadata, TraceSegment } from '@scapkit/scap-format';
import { openIndexedScapkitFile } from '@scapkit/scap-format/node';
import { type BuilderPart, ModelBuilder } from '../model/builder.js';
import { CHECKPOINT_EVENTS } from '../model/session.js';

export interface OverviewWorkerInit {
  path: string;
}

/** Main thread → worker: build segment `index`, with the first pass's time zero. */
export interface OverviewTask {
  index: number;
  segment: TraceSegment;
  t0: { hi: number; lo: number };
}

/**
 * A state snapshot taken after batch `batch` of the segment (as TraceSession takes them), -1: where the
 * segment starts (its checkpoint).
 */
export interface SegmentSnapshot {
  batch: number;
  num: number;
  /** The segment's latest relative time then (the merge makes it the trace's; 0 at its start). */
  rel: number;
  ts: bigint;
  firstTs: bigint;
  tables: CaptureMetadata;
}

/** Worker → main thread. */
export type FromOverviewWorker =
  | {
      kind: 'done';
      index: number;
      part: BuilderPart;
      /** evt.num before each batch of the segment, then after its last. */
      nums: number[];
      snapshots: SegmentSnapshot[];
      hostname: string;
    }
  | { kind: 'error'; index: number; message: string };

if (!parentPort) throw new Error('overview-worker runs as a worker thread');
const port = parentPort;
const init = workerData as OverviewWorkerInit;
const reader = openIndexedScapkitFile(init.path, { workers: false, reuseBatchBuffers: true });
const registry = createFieldRegistry();
const TWO32 = 4294967296n;

port.on('message', (m: OverviewTask) => {
  build(m).then(
    (done) => port.postMessage(done),
    (e: unknown) =>
      port.postMessage({
        kind: 'error',
        index: m.index,
        message: e instanceof Error ? (e.stack ?? e.message) : String(e),
      } satisfies FromOverviewWorker),
  );
});

async function build({ index, segment, t0 }: OverviewTask): Promise<FromOverviewWorker> {
  const builder = new ModelBuilder({ registry, whole: true, tree: true, tables: false, segment: true, t0 });
  const p = new Pipeline({ sink: builder });
  const ctx = p.ctx;
  const nums: number[] = [];
  const snapshots: SegmentSnapshot[] = [];
  let sinceSnapshot = 0;
  for await (const rec of (await reader).readSegment(segment)) {
    if (rec.kind === 'checkpoint') {
      builder.resuming = true;
      p.push(rec);
      builder.resuming = false;
      // The state where the segment starts: a snapshot too (a later pass may start here).
      snapshots.push({
        batch: -1,
        num: ctx.num,
        rel: 0,
        ts: rec.checkpoint.ts,
        firstTs: BigInt(ctx.firstTsHi) * TWO32 + BigInt(ctx.firstTsLo),
        tables: p.state.snapshot(),
      });
      continue;
    }
    if (rec.kind !== 'events') {
      p.push(rec);
      continue;
    }
    // A damaged checkpoint made it start from an earlier one: the serial pass does this segment.
    if (nums.length === 0 && ctx.num !== segment.eventsBefore)
      throw new Error(`segment ${index} starts after event ${ctx.num}, not ${segment.eventsBefore}`);
    builder.list.seg = nums.length;
    nums.push(ctx.num);
    p.processBatch(rec.batch);
    sinceSnapshot += rec.batch.count;
    if (sinceSnapshot >= CHECKPOINT_EVENTS) {
      sinceSnapshot = 0;
      const v = ctx.view;
      snapshots.push({
        batch: nums.length - 1,
        num: ctx.num,
        rel: builder.last,
        ts: BigInt(v.tsHi) * TWO32 + BigInt(v.tsLo),
        firstTs: BigInt(ctx.firstTsHi) * TWO32 + BigInt(ctx.firstTsLo),
        tables: p.state.snapshot(),
      });
    }
  }
  const batches = nums.length;
  nums.push(ctx.num);
  return { kind: 'done', index, part: builder.part(batches), nums, snapshots, hostname: ctx.hostname };
}
