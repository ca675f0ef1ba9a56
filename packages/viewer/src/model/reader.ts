// Reading and decoding off the model worker: a second worker (the same script, in the reader role) reads
// the dropped file and decodes it (gunzip, zstd, LZ4 and the record layer) through openCapture, and posts the
// records to the model worker, event bytes transferred, not copied. The model worker runs state and the
// model meanwhile: on two cores the first pass takes the longer of the two instead of their sum.
import type { CaptureRecord, EventBatch } from '@scapkit/scap-format';
import { openCapture, ScapFormatError, ScapTruncatedError } from '@scapkit/scap-format';
import { blobSource, readSequentially } from './source.js';
import type { ReadProblem } from './types.js';

/** What the reader posts: records (events as bare buffers), bytes read, then the end or what stopped it. */
export type ReaderMessage =
  | { kind: 'size'; size: number; name: string }
  | { kind: 'record'; record: Exclude<CaptureRecord, { kind: 'events' }>; bytes: number }
  | { kind: 'events'; data: Uint8Array; offsets: Uint32Array; count: number; bytes: number }
  | { kind: 'end' }
  | { kind: 'failed'; problem: ReadProblem };

/** The reader stopped: a cut or damaged file (the records before it were delivered). */
export class ReaderFailed extends Error {
  override readonly name = 'ReaderFailed';
  constructor(readonly problem: ReadProblem) {
    super(problem.message);
  }
}

export function problemOf(e: unknown, events: number): ReadProblem {
  if (e instanceof ReaderFailed) return e.problem;
  if (e instanceof ScapTruncatedError) return { kind: 'truncated', message: e.message, offset: e.offset };
  if (e instanceof ScapFormatError) return { kind: 'format', message: e.message, offset: e.offset };
  return {
    kind: 'other',
    message: `${e instanceof Error ? e.message : String(e)} (after event ${events})`,
    offset: -1,
  };
}

/** The reader's side: reads `file` and posts every record to `post`. */
export async function runReader(
  file: File,
  post: (m: ReaderMessage, transfer?: Transferable[]) => void,
): Promise<void> {
  let bytes = 0;
  let events = 0;
  try {
    const src = blobSource(file);
    post({ kind: 'size', size: src.size, name: file.name });
    for await (const rec of openCapture(readSequentially(src, (b) => (bytes = b)))) {
      if (rec.kind !== 'events') {
        post({ kind: 'record', record: rec, bytes });
        continue;
      }
      const b = rec.batch;
      if (b.count === 0) continue;
      events += b.count;
      // Transferred when the batch owns its buffers, copied when it is a view into a larger one.
      const data = owns(b.data) ? b.data : b.data.slice();
      const offsets = owns(b.offsets) ? b.offsets : b.offsets.slice(0, b.count);
      post({ kind: 'events', data, offsets, count: b.count, bytes }, [data.buffer, offsets.buffer]);
    }
    post({ kind: 'end' });
  } catch (e) {
    post({ kind: 'failed', problem: problemOf(e, events) });
  }
}

const owns = (a: Uint8Array | Uint32Array) => a.byteOffset === 0 && a.byteLength === a.buffer.byteLength;

/**
 * The model worker's side: the reader's messages as a record stream (ending in ReaderFailed when the
 * reader stopped early), plus how many bytes the reader has read and the source's size and name.
 */
export class ReaderStream implements AsyncIterable<CaptureRecord> {
  bytes = 0;
  size = 0;
  name = '';
  private readonly queue: ReaderMessage[] = [];
  private wake: (() => void) | undefined;

  push(m: ReaderMessage): void {
    this.queue.push(m);
    this.wake?.();
  }

  /** Resolves once the reader has said how big the source is, or has failed (then size stays 0). */
  async started(): Promise<void> {
    while (this.queue.length === 0) await new Promise<void>((r) => (this.wake = r));
    const m = this.queue[0];
    if (m?.kind !== 'size') return;
    this.queue.shift();
    this.size = m.size;
    this.name = m.name;
  }

  async *[Symbol.asyncIterator](): AsyncGenerator<CaptureRecord> {
    for (;;) {
      const m = this.queue.shift();
      if (!m) {
        await new Promise<void>((r) => (this.wake = r));
        continue;
      }
      switch (m.kind) {
        case 'size':
          break;
        case 'record':
          this.bytes = m.bytes;
          yield m.record;
          break;
        case 'events': {
          this.bytes = m.bytes;
          const batch: EventBatch = { data: m.data, offsets: m.offsets, count: m.count };
          yield { kind: 'events', batch };
          break;
        }
        case 'end':
          return;
        case 'failed':
          throw new ReaderFailed(m.problem);
      }
    }
  }
}
