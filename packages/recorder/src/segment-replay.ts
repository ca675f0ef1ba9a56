// Segment-parallel replay: a scapkit trace with checkpoints is cut at them into segments (its reader's
// segments()), each replayed from its checkpoint's tables on a worker thread of its own (segment-worker.ts:
// read, decode, state, filter, output), while the main thread writes their output strictly in order. The
// output is byte for byte what one replay of the whole trace prints: evt.num and the state come from the
// checkpoints, and a run that needs anything a segment cannot know on its own (the previous event shown:
// evt.deltatime, -t D; a count across the trace: -n, -S, -v) replays serially. Memory stays bounded: at
// most WINDOW segments are in flight, each at most CREDIT_BYTES of output ahead of the writing. A chisel
// whose report is sums over events (ChiselParts: the table chisels, topfiles_bytes …) replays the same way:
// each segment's sums come back with its end, and the main thread joins them in order and prints the report.
import { availableParallelism, loadavg } from 'node:os';
import type { Worker } from 'node:worker_threads';
import {
  type IndexedScapkitReader,
  joinSegments,
  noCoreFree,
  ScapFormatError,
  ScapTruncatedError,
  type TraceSegment,
} from '@scapkit/scap-format';
import { keepHeapFlags, openIndexedScapkitFile, WORKER_MIN_BYTES } from '@scapkit/scap-format/node';
import type { CaptureInput } from './capture-input.js';
import type { PrintOptions } from './live.js';
import type { TextOutput } from './output.js';
import type {
  FromSegmentWorker,
  SegmentChiselPart,
  SegmentWorkerInit,
  ToSegmentWorker,
} from './segment-worker.js';

/** What a replay run asks for, as far as segments are concerned: a printer or a chisel. */
export interface SegmentReplayRequest {
  print?: PrintOptions;
  /** A chisel whose sums join (ChiselRun.parts): each segment's sums are handed to `join`, in order. */
  chisel?: { name: string; words: string[]; join(part: SegmentChiselPart): void };
  maxEvents: number | undefined;
  /** -R, --unbuffered: the main thread's business. */
  resolvePorts: boolean;
  unbuffered: boolean;
  keepLineBreaks: boolean;
}

/** What the segments' replay read, for the end-of-input messages (CaptureInput.readElsewhere). */
export interface SegmentReplayResult {
  /** evt.num of the last event read. */
  lastNum: number;
  events: number;
  /** The chunk that did not read (every event before it was printed), else undefined. */
  damage: ScapFormatError | undefined;
}

/**
 * The segments to replay `input` on, or undefined to replay it serially: SCAPKIT_WORKERS=0 (or
 * SCAPKIT_SEGMENTS=0: serially, decoding on the pool, for comparisons), a trace under
 * WORKER_MIN_BYTES (SCAPKIT_WORKERS=1 lifts that), a sysdig capture, an unclosed trace, one without two
 * segments, a time range, a terminal on stdout (its escaping is the main thread's), or an output that
 * depends on more than one segment can know. Also serially on fewer than MIN_CORES cores, or when no core
 * is free (noCoreFree). SCAPKIT_SEGMENTS=1 replays on segments whatever the cores, load and size.
 */
export async function segmentsFor(
  input: CaptureInput,
  req: SegmentReplayRequest,
): Promise<{ reader: IndexedScapkitReader; segments: TraceSegment[] } | undefined> {
  const env = process.env.SCAPKIT_WORKERS;
  const forced = process.env.SCAPKIT_SEGMENTS === '1';
  if (env === '0' || process.env.SCAPKIT_SEGMENTS === '0') return undefined;
  if (input.format !== 'scapkit' || input.timeRange) return undefined;
  if (!forced && env !== '1' && input.size < WORKER_MIN_BYTES) return undefined;
  const cores = availableParallelism();
  if (!forced && (cores < MIN_CORES || noCoreFree(loadavg()[0] ?? 0, cores))) return undefined;
  if (process.stdout.isTTY || req.maxEvents !== undefined || req.resolvePorts || req.unbuffered)
    return undefined;
  const p = req.print ?? {};
  if (p.verbose || p.summary || p.outputTime === 'D' || p.services) return undefined;
  // Measured from the previous event shown, which may be in the segment before.
  const words = `${p.filter ?? ''} ${p.format ?? ''} ${req.chisel?.words.join(' ') ?? ''}`;
  if (/deltatime/.test(words)) return undefined;
  let reader: IndexedScapkitReader;
  try {
    reader = await openIndexedScapkitFile(input.path, { workers: false });
  } catch (e) {
    if (e instanceof ScapFormatError) return undefined; // unclosed or damaged: the stream reader says how
    throw e;
  }
  const perWorker = Number(process.env.SCAPKIT_SEGMENTS_PER_WORKER) || SEGMENTS_PER_WORKER;
  const segments = joinSegments(reader.segments(), perWorker * availableParallelism());
  if (segments.length < 2) {
    await reader.close();
    return undefined;
  }
  return { reader, segments };
}

/**
 * Cores segments need to pay. Two isolates replaying cost about 1.3x one's CPU (each compiles the same hot
 * code, each warms up), so on two cores, where a serial replay already keeps both busy (its decode pool and
 * V8's compiler and GC threads take the second), they lose: the filter of bench/replay.bench.mjs on
 * work.scap took 2.37-2.42 s against serial's 2.17 s on an idle 2-core VM, 4.4-4.6 against 3.4 CPU-s
 * (perf by thread, docs/replay.md of @scapkit/replay, "Segments in parallel").
 */
const MIN_CORES = 3;

/**
 * Segments a worker replays, about (SCAPKIT_SEGMENTS_PER_WORKER overrides it). A busy trace has a
 * checkpoint every 32 MiB of events (CHECKPOINT_EVENT_BYTES), dozens of them: neighbours are joined into
 * parts of similar event counts. Each more segment costs a worker a checkpoint's tables and a resume, and
 * one a worker is the cheapest: the filter of bench/replay.bench.mjs on work.scap, forced on 2 cores, took
 * 4.43-4.66 CPU-s with one, 4.65-4.88 with three (three interleaved pairs; -c topfiles_bytes 4.05-4.46
 * against 4.27-4.71), its two workers within 5% of each other. More would balance workers whose segments
 * cost unlike amounts (a worker free takes the next segment); a segment's output beyond CREDIT_BYTES waits
 * for the segments before it in any case.
 */
const SEGMENTS_PER_WORKER = 1;

/**
 * A worker's young generation may grow this far (the bin's heap flags keep the main thread's small): a
 * default-line replay of 1.1M events spent 6.9 CPU-s with V8's default, 5.8 with this.
 */
const YOUNG_GENERATION_MB = 48;

/** Segments started and not yet written out, at most. */
const WINDOW_PER_WORKER = 1.5;

/** The built worker: beside this module, or (running from the TypeScript sources, as tests do) in dist. */
function workerUrl(): URL {
  const here = import.meta.url;
  return here.endsWith('.ts')
    ? new URL('../dist/segment-worker.js', here)
    : new URL('./segment-worker.js', here);
}

/**
 * Replays `segments` of the trace at `path` on worker threads (one per core), writing their output to
 * `out` in order. Stops at the first segment that meets damage (after writing every event before it), or
 * when the reader of `out` goes away. Rejects when a worker fails.
 */
export function replaySegments(
  path: string,
  segments: readonly TraceSegment[],
  req: SegmentReplayRequest,
  out: TextOutput,
): Promise<SegmentReplayResult> {
  const size = Math.max(1, Math.min(availableParallelism(), segments.length));
  const window = Math.max(size + 1, Math.ceil(size * WINDOW_PER_WORKER));
  const chisel = req.chisel;
  const init: SegmentWorkerInit = {
    path,
    ...(chisel ? { chisel: { name: chisel.name, words: chisel.words } } : { print: req.print ?? {} }),
    keepLineBreaks: req.keepLineBreaks,
  };
  interface Part {
    chunks: Uint8Array[];
    worker: Worker | undefined;
    end?: FromSegmentWorker & { kind: 'end' };
  }
  const parts: Part[] = segments.map(() => ({ chunks: [], worker: undefined }));
  const workers: Worker[] = [];
  const idle: Worker[] = [];
  let next = 0;
  let head = 0;
  let events = 0;
  let lastNum = segments[0]?.eventsBefore ?? 0;
  let pumping = false;
  let settled = false;

  return new Promise<SegmentReplayResult>((resolve, reject) => {
    const stop = () => {
      settled = true;
      for (const w of workers) void w.terminate();
    };
    const fail = (e: Error) => {
      if (settled) return;
      stop();
      reject(e);
    };
    const done = (damage: ScapFormatError | undefined) => {
      if (settled) return;
      stop();
      resolve({ lastNum, events, damage });
    };
    const dispatch = () => {
      while (idle.length > 0 && next < segments.length && next < head + window) {
        const w = idle.pop();
        const segment = segments[next];
        if (!w || !segment) break;
        const part = parts[next];
        if (part) part.worker = w;
        w.postMessage({ kind: 'segment', index: next, segment } satisfies ToSegmentWorker);
        next++;
      }
    };
    // Writes the head segment's chunks as they come, then moves to the next once the head ended.
    const pump = async () => {
      if (pumping || settled) return;
      pumping = true;
      try {
        for (;;) {
          const part = parts[head];
          if (!part) return done(undefined);
          for (let c = part.chunks.shift(); c; c = part.chunks.shift()) {
            const wait = out.writeEncoded(c);
            if (wait) await wait;
            if (out.closed) return done(undefined);
            if (!part.end)
              part.worker?.postMessage({
                kind: 'credit',
                index: head,
                bytes: c.length,
              } satisfies ToSegmentWorker);
          }
          const end = part.end;
          if (!end) return;
          events += end.events;
          lastNum = end.lastNum;
          if (end.chisel) chisel?.join(end.chisel);
          if (end.damage) return done(rebuild(end.damage));
          head++;
          dispatch();
        }
      } catch (e) {
        fail(e instanceof Error ? e : new Error(String(e)));
      } finally {
        pumping = false;
      }
    };
    const url = workerUrl();
    for (let i = 0; i < size; i++) {
      // node:worker_threads loaded here, not with the module: a serial replay never needs it (~3 ms of
      // every replay's start-up, --cpu-prof).
      const w = new (process.getBuiltinModule('node:worker_threads').Worker)(url, {
        workerData: init,
        resourceLimits: { maxYoungGenerationSizeMb: YOUNG_GENERATION_MB },
      });
      keepHeapFlags(w);
      workers.push(w);
      idle.push(w);
      w.on('message', (m: FromSegmentWorker) => {
        const part = parts[m.index];
        if (!part) return;
        if (m.kind === 'bytes') part.chunks.push(m.data);
        else if (m.kind === 'error')
          return fail(new Error(`replaying segment ${m.index} failed: ${m.message}`));
        else {
          part.end = m;
          idle.push(w);
          dispatch();
        }
        void pump();
      });
      w.on('error', (e) => fail(e));
      w.on('exit', (code) => {
        if (!settled) fail(new Error(`a segment-replay worker exited (code ${code})`));
      });
    }
    dispatch();
  });
}

/** The damage a worker met, as the serial replay would have thrown it. */
function rebuild(d: { name: string; message: string; offset: number }): ScapFormatError {
  return d.name === 'ScapTruncatedError'
    ? new ScapTruncatedError(d.message, d.offset, 0)
    : new ScapFormatError(d.message, d.offset);
}
