// A worker thread of segment-replay.ts: replays whole segments of one scapkit trace (read, decode, state,
// filter, output) and hands the output back as byte chunks, transferred, never copied. It starts each
// segment from the checkpoint before it (the tables `--from` starts from) and prints only the segment's
// own events, so the main thread can join the segments' output in order into exactly what one replay
// of the whole trace prints. Output ahead of the main thread's writing is bounded by credits: past
// CREDIT_BYTES not yet written, the worker waits. A chisel whose sums join (ChiselParts) runs the same
// way and hands over its sums at each segment's end instead of bytes.
import { parentPort, workerData } from 'node:worker_threads';
import type { ChiselSpan, Pipeline } from '@scapkit/replay';
import { type CaptureRecord, ScapFormatError, type TraceSegment } from '@scapkit/scap-format';
import { detachOnce, openIndexedScapkitFile } from '@scapkit/scap-format/node';
import { startChisel } from './commands/chisel.js';
import { createPrinter, type PrintOptions } from './live.js';
import { TextOutput } from './output.js';

/** What every segment of the run shares (workerData): a printer's options, or a chisel's command line. */
export interface SegmentWorkerInit {
  path: string;
  /** The printer's options: only those a structured clone carries (no -R services, no -n, -v, -S). */
  print?: PrintOptions;
  /** A chisel whose sums join (ChiselParts): its name and the words after it (arguments, filter). */
  chisel?: { name: string; words: string[] };
  keepLineBreaks: boolean;
}

/** Main thread → worker. */
export type ToSegmentWorker =
  | { kind: 'segment'; index: number; segment: TraceSegment }
  /** `bytes` of segment `index` were written: that much more may be produced ahead. */
  | { kind: 'credit'; index: number; bytes: number };

/**
 * A chisel's sums over one segment (ChiselParts.take) and the span: the segment's events handed to the
 * chisel, and the first and last timestamps the worker's run read. Its first is the segment's own only for
 * the run's first segment (a kept run goes on from segment to segment): the main thread takes the first
 * timestamp from segment 0's part alone, the last from the last part's.
 */
export interface SegmentChiselPart {
  part: unknown;
  span: ChiselSpan;
}

/** Worker → main thread. */
export type FromSegmentWorker =
  | { kind: 'bytes'; index: number; data: Uint8Array }
  | {
      kind: 'end';
      index: number;
      /** evt.num of the last event read (the segment's last, or the last before the damage). */
      lastNum: number;
      /** Events of the segment read. */
      events: number;
      /** A chunk that does not read (the serial replay's ScapFormatError, rebuilt by the main thread). */
      damage?: { name: string; message: string; offset: number };
      /** A chisel run's sums over the segment. */
      chisel?: SegmentChiselPart;
    }
  | { kind: 'error'; index: number; message: string };

/** Output bytes a segment may have produced and the main thread not yet written. */
export const CREDIT_BYTES = 8 << 20;

if (!parentPort) throw new Error('segment-worker runs as a worker thread');
const port = parentPort;
const init = workerData as SegmentWorkerInit;
// Output moves to the main thread by transfer: detached first, before the replay's code is optimized (a
// first transfer in the middle of a segment threw that code away).
detachOnce();
const reader = openIndexedScapkitFile(init.path, { workers: false, reuseBatchBuffers: true });

let current = -1;
let outstanding = 0;
let creditCame: (() => void) | undefined;

/**
 * Where the TextOutput's chunks go: posted to the main thread (or dropped, for events before the segment).
 * It reports bytes as still queued so the TextOutput encodes the next lines into a fresh buffer, whose
 * ownership then moves with the message.
 */
const collector = {
  discard: false,
  writableLength: 1,
  isTTY: false,
  write(chunk: Uint8Array): boolean {
    if (this.discard || chunk.length === 0) return true;
    // A small Buffer may sit in Node's shared pool: copied, never transferred.
    const data = chunk.byteOffset === 0 && chunk.buffer.byteLength > 8192 ? chunk : new Uint8Array(chunk);
    outstanding += data.length;
    port.postMessage({ kind: 'bytes', index: current, data } satisfies FromSegmentWorker, [
      data.buffer as ArrayBuffer,
    ]);
    return true;
  },
  on() {},
  off() {},
};

port.on('message', (m: ToSegmentWorker) => {
  if (m.kind === 'credit') {
    if (m.index !== current) return;
    outstanding -= m.bytes;
    creditCame?.();
  } else {
    replaySegment(m.index, m.segment).catch((e: unknown) =>
      port.postMessage({
        kind: 'error',
        index: m.index,
        message: e instanceof Error ? (e.stack ?? e.message) : String(e),
      } satisfies FromSegmentWorker),
    );
  }
});

/**
 * What replays the worker's segments: a printer, its output posted as bytes, or a chisel in parts, its sums
 * posted at each segment's end. One is made for the worker's first segment and kept for the next: one per
 * segment gave TurboFan new closures (the sink's, the filter's) at every segment, and the hot loop
 * deoptimized ("wrong call target") and was compiled again.
 */
interface SegmentRun {
  readonly pipeline: Pipeline;
  /** Feeds a record (the printer's output waits on credits, not on what push returns). */
  push(rec: CaptureRecord): void;
  /**
   * Whether the events from here on are the segment's own (the others, after a damaged checkpoint, are
   * those between the earlier checkpoint and the segment: they only set state). Called when it changes,
   * and with true when the segment starts.
   */
  own(yes: boolean): Promise<void>;
  /** Ends the segment: what its 'end' message carries besides the counts. */
  finish(): Promise<SegmentChiselPart | undefined>;
}

let kept: SegmentRun | undefined;

async function newRun(): Promise<SegmentRun> {
  const chisel = init.chisel;
  if (chisel) {
    const run = await startChisel(chisel.name, chisel.words, {
      write: () => {
        throw new Error(`chisel ${chisel.name} printed before its end, replayed in parts`);
      },
    });
    const parts = run.parts;
    if (!parts) throw new Error(`chisel ${chisel.name} does not replay in parts`);
    // The events handed to the chisel before the segment's own.
    let before = 0;
    return {
      pipeline: run.pipeline,
      push: (rec) => run.push(rec),
      own: async (yes) => {
        if (!yes) return;
        parts.take();
        before = run.span().events;
      },
      finish: async () => {
        const span = run.span();
        return { part: parts.take(), span: { ...span, events: span.events - before } };
      },
    };
  }
  const out = new TextOutput(collector as never, {
    escapeControlChars: false,
    keepLineBreaks: init.keepLineBreaks,
    // Large chunks: each is a message to the main thread, which costs as much as encoding 64 KiB of lines.
    highWater: 1 << 20,
  });
  const printer = createPrinter(init.print ?? {}, out);
  return {
    pipeline: printer.pipeline,
    push: (rec) => {
      printer.push(rec);
    },
    own: async (yes) => {
      await out.flush();
      collector.discard = !yes;
    },
    finish: async () => {
      await out.flush();
      collector.discard = false;
      return undefined;
    },
  };
}

async function replaySegment(index: number, segment: TraceSegment): Promise<void> {
  current = index;
  outstanding = 0;
  const source = await reader;
  kept ??= await newRun();
  let run = kept;
  let own = true;
  await run.own(true);
  let damage: { name: string; message: string; offset: number } | undefined;
  // A damaged checkpoint is passed over silently, as the serial replay passes over it: the output is the same.
  const stream = source.readSegment(segment);
  let first = true;
  try {
    for await (const rec of stream) {
      if (rec.kind === 'header') continue;
      if (first) {
        first = false;
        // The kept run goes on from the segment's checkpoint. It is where the run stands when the segment
        // follows the last one it replayed: its tables are the checkpoint's. Without a checkpoint (every
        // one before the segment damaged), a new run reads from the start.
        if (rec.kind !== 'checkpoint' || rec.checkpoint.damage) {
          kept = await newRun();
          run = kept;
          await run.own(true);
          run.push({ kind: 'header', header: source.header });
        } else if (rec.checkpoint.eventsBefore !== run.pipeline.ctx.num) {
          run.pipeline.resumeAt(rec.checkpoint);
        }
        if (rec.kind === 'checkpoint') continue;
      }
      if (rec.kind === 'events') {
        const mine = run.pipeline.ctx.num >= segment.eventsBefore;
        if (mine !== own) {
          own = mine;
          await run.own(mine);
        }
      }
      run.push(rec);
      while (outstanding > CREDIT_BYTES) {
        await new Promise<void>((resolve) => {
          creditCame = resolve;
        });
        creditCame = undefined;
      }
    }
  } catch (e) {
    if (!(e instanceof ScapFormatError)) throw e;
    damage = {
      name: e.name,
      message: e.reason,
      offset: e.offset,
    };
  }
  const chisel = await run.finish();
  const num = run.pipeline.ctx.num;
  port.postMessage({
    kind: 'end',
    index,
    lastNum: num,
    events: Math.max(0, num - segment.eventsBefore),
    damage,
    ...(chisel ? { chisel } : {}),
  } satisfies FromSegmentWorker);
}
