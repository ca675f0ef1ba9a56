// The first pass of `scapkit view` cut at the trace's checkpoints: the segments between them (the reader's
// segments(), as `scapkit replay` cuts them) are built on worker threads (overview-worker.ts), one per core,
// each from its checkpoint's tables, and their parts merged in order (ModelBuilder.merge) into the overview
// one serial pass builds, number for number. A trace it does not suit — no two segments, too small to pay
// for the workers, rules to judge (their state runs in one order), SCAPKIT_WORKERS=0 or SCAPKIT_SEGMENTS=0,
// no core free — takes the serial pass (TraceSession.open); so does one whose segment fails (damage: the
// serial pass says where).
import { availableParallelism, loadavg } from 'node:os';
import { Worker } from 'node:worker_threads';
import { Pipeline } from '@scapkit/replay';
import {
  type IndexedScapkitReader,
  joinSegments,
  noCoreFree,
  restoreLabelMaps,
  type TraceSegment,
} from '@scapkit/scap-format';
import { keepHeapFlags, openIndexedScapkitFile, WORKER_MIN_BYTES } from '@scapkit/scap-format/node';
import type { BuilderPart } from '../model/builder.js';
import type { PrebuiltFirstPass } from '../model/session.js';
import type { FromOverviewWorker, OverviewTask, OverviewWorkerInit } from './overview-worker.js';

/** The built worker: beside this module, or (running from the TypeScript sources, as tests do) in dist. */
function workerUrl(): URL {
  const here = import.meta.url;
  return here.endsWith('.ts')
    ? new URL('../../dist/server/overview-worker.js', here)
    : new URL('./overview-worker.js', here);
}

/** A worker's young generation may grow this far (as segment-replay.ts's). */
const YOUNG_GENERATION_MB = 48;

/**
 * The segments to build the overview of `reader`'s trace on, or undefined for the serial pass: the rules
 * of segmentsFor in @scapkit/recorder's segment-replay.ts (SCAPKIT_SEGMENTS=1 forces the segments).
 */
export function overviewSegments(reader: IndexedScapkitReader, judged: boolean): TraceSegment[] | undefined {
  const env = process.env.SCAPKIT_WORKERS;
  const forced = process.env.SCAPKIT_SEGMENTS === '1';
  if (judged || env === '0' || process.env.SCAPKIT_SEGMENTS === '0') return undefined;
  if (!forced && env !== '1' && reader.size < WORKER_MIN_BYTES) return undefined;
  if (!forced && noCoreFree(loadavg()[0] ?? 0, availableParallelism())) return undefined;
  const segments = joinSegments(reader.segments(), SEGMENTS_PER_WORKER * availableParallelism());
  return segments.length < 2 ? undefined : segments;
}

/**
 * Segments a worker builds, about: each costs the worker its checkpoint's tables and a builder, so
 * neighbours are joined, into few enough that those stay small and enough that the workers end together.
 */
const SEGMENTS_PER_WORKER = 2;

/**
 * The first pass over `segments` of the trace at `path` on worker threads; rejects when
 * a segment fails. `onProgress` hears the events built so far.
 */
export async function parallelFirstPass(
  path: string,
  segments: readonly TraceSegment[],
  onProgress: (events: number) => void,
): Promise<PrebuiltFirstPass> {
  const size = Math.max(1, Math.min(availableParallelism(), segments.length));
  const init: OverviewWorkerInit = { path };
  const workers: Worker[] = [];
  for (let i = 0; i < size; i++) {
    const w = new Worker(workerUrl(), {
      workerData: init,
      resourceLimits: { maxYoungGenerationSizeMb: YOUNG_GENERATION_MB },
    });
    keepHeapFlags(w);
    workers.push(w);
  }
  try {
    // Time zero while the workers start: the first event the pipeline shows (decoded here: the decode
    // workers of `reader` would start for one chunk).
    const t0 = await timeZero(path);
    const done = await new Promise<(FromOverviewWorker & { kind: 'done' })[]>((resolve, reject) => {
      const out: (FromOverviewWorker & { kind: 'done' })[] = [];
      let next = 0;
      let finished = 0;
      let events = 0;
      const give = (w: Worker) => {
        const segment = segments[next];
        if (!segment) return;
        w.postMessage({ index: next++, segment, t0 } satisfies OverviewTask);
      };
      for (const w of workers) {
        w.on('message', (m: FromOverviewWorker) => {
          if (m.kind === 'error') return reject(new Error(`segment ${m.index}: ${m.message}`));
          out[m.index] = m;
          events += segments[m.index]?.events ?? 0;
          onProgress(events);
          if (++finished === segments.length) resolve(out);
          else give(w);
        });
        w.on('error', reject);
        w.on('exit', (code) => reject(new Error(`an overview worker exited (code ${code})`)));
        give(w);
      }
    });
    return assemble(done);
  } finally {
    for (const w of workers) void w.terminate();
  }
}

/** The first shown event's timestamp (the serial pass's time zero), from the first chunks. */
async function timeZero(path: string): Promise<{ hi: number; lo: number }> {
  const reader = await openIndexedScapkitFile(path, { workers: false });
  let t0: { hi: number; lo: number } | undefined;
  const p = new Pipeline({
    sink: {
      event(ctx) {
        t0 ??= { hi: ctx.view.tsHi, lo: ctx.view.tsLo };
      },
    },
  });
  try {
    for await (const rec of reader.readAfterChunk(-1)) {
      p.push(rec);
      if (t0) break;
    }
  } finally {
    await reader.close();
  }
  if (!t0) throw new Error('the trace shows no event');
  return t0;
}

/** The segments' results joined in order: the merged builder, evt.num per batch, the snapshots. */
function assemble(done: readonly (FromOverviewWorker & { kind: 'done' })[]): PrebuiltFirstPass {
  const parts: BuilderPart[] = [];
  const segBefore: number[] = [];
  const snapshots: PrebuiltFirstPass['snapshots'] = [];
  let last = 0;
  let hostname = '';
  let events = 0;
  for (const d of done) {
    const base = segBefore.length;
    for (const s of d.snapshots) {
      // One where a segment starts follows the previous segment's last batch.
      if (s.batch < 0 && base === 0) continue;
      const tables = restoreLabelMaps(s.tables); // posted by the worker: a structured clone
      snapshots.push({
        seg: base + s.batch,
        num: s.num,
        rel: Math.max(last, s.rel),
        checkpoint: {
          offset: -1,
          eventsBefore: s.num,
          ts: s.ts,
          firstTs: s.firstTs,
          metadata: () => tables,
        },
      });
    }
    segBefore.push(...d.nums.slice(0, -1));
    events = d.nums.at(-1) ?? events;
    last = Math.max(last, d.part.last);
    hostname = d.hostname;
    parts.push(d.part);
  }
  segBefore.push(events);
  return { parts, segBefore, snapshots, events, hostname };
}
