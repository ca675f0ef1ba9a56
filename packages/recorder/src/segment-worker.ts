// A worker thread of segment-replay.ts: replays whole segments of one scapkit trace (read, decode, state,
// filter, output) and hands the output back as byte chunks, transferred, never copied. It starts each
// segment from the checkpoint before it (the tables `--from` starts from) and prints only the segment's
// own events, so the main thread can join the segments' output in order into exactly what one replay
// of the whole trace prints. Output ahead of the main thread's writing is bounded by credits: past
// CREDIT_BYTES not yet written, the worker waits.
import { parentPort, workerData } from 'node:worker_threads';
import { ScapFormatError, type TraceSegment } from '@scapkit/scap-format';
import { detachOnce, openIndexedScapkitFile } from '@scapkit/scap-format/node';
import { createPrinter, type PrintOptions } from './live.js';
import { TextOutput } from './output.js';

/** What every segment of the run shares (workerData). */
export interface SegmentWorkerInit {
  path: string;
  /** The printer's options: only those a structured clone carries (no -R services, no -n, -v, -S). */
  print: PrintOptions;
  keepLineBreaks: boolean;
}

/** Main thread → worker. */
export type ToSegmentWorker =
  | { kind: 'segment'; index: number; segment: TraceSegment }
  /** `bytes` of segment `index` were written: that much more may be produced ahead. */
  | { kind: 'credit'; index: number; bytes: number };

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

async function replaySegment(index: number, segment: TraceSegment): Promise<void> {
  current = index;
  outstanding = 0;
  const out = new TextOutput(collector as never, {
    escapeControlChars: false,
    keepLineBreaks: init.keepLineBreaks,
    // Large chunks: each is a message to the main thread, which costs as much as encoding 64 KiB of lines.
    highWater: 1 << 20,
  });
  const printer = createPrinter(init.print, out);
  const ctx = printer.pipeline.ctx;
  let damage: { name: string; message: string; offset: number } | undefined;
  // A damaged checkpoint is passed over silently, as the serial replay passes over it: the output is the same.
  const stream = (await reader).readSegment(segment);
  try {
    for await (const rec of stream) {
      if (rec.kind === 'events') {
        // After a damaged checkpoint the segment starts from an earlier one: those events only set state.
        const before = ctx.num < segment.eventsBefore;
        if (before !== collector.discard) {
          await out.flush();
          collector.discard = before;
        }
      }
      printer.push(rec);
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
      message: e.message.replace(/ \(at byte offset -?\d+\)$/, ''),
      offset: e.offset,
    };
  }
  await out.flush();
  collector.discard = false;
  port.postMessage({
    kind: 'end',
    index,
    lastNum: ctx.num,
    events: Math.max(0, ctx.num - segment.eventsBefore),
    damage,
  } satisfies FromSegmentWorker);
}
