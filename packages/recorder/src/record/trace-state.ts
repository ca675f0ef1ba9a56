// The state of what a recording has written: a state engine fed exactly the tables and events the trace
// files get, in the same order. Its tables are what a reader of the files has at any point, so they are
// what a rotated file starts with (each file reads alone, and a series reads as one trace) and what each
// checkpoint holds (a replay that starts there continues exactly as one from the start of the file).
// Without a capture filter it is the recording's live engine: it sees every event of the probe.
//
// The engine runs on a worker thread (trace-state-worker.ts): on the main thread it took ~150 ns of every
// event from the loop that drains the probe, which then fell behind a syscall storm sooner. The main
// thread copies each batch's bytes once and posts them; the worker processes them in order, so a
// snapshot asked for after batch k is the state after batch k. Where a worker cannot start, the engine
// runs in place.
import { Worker } from 'node:worker_threads';
import { StateEngine } from '@scapkit/replay';
import { type CaptureMetadata, copyBatch, type EventBatch, EventView } from '@scapkit/scap-format';

/** The engine died or failed on an event: its tables can no longer be trusted. */
export class TraceStateError extends Error {
  override readonly name = 'TraceStateError';
}

/** What the worker is sent, in order. */
export type TraceStateMessage =
  | { op: 'reset'; meta: CaptureMetadata }
  | { op: 'events'; data: Uint8Array; offsets: Uint32Array; count: number }
  | { op: 'snapshot'; id: number };

export type TraceStateReply = { id: number; meta: CaptureMetadata } | { id: number; error: string };

/** The engine itself, fed in order: what the worker runs, and the fallback in place. */
export class TraceEngine {
  private readonly engine = new StateEngine();
  private readonly view = new EventView();

  handle(m: Exclude<TraceStateMessage, { op: 'snapshot' }>): void {
    if (m.op === 'reset') {
      this.engine.reset(m.meta);
      return;
    }
    const v = this.view;
    const b: EventBatch = { data: m.data, offsets: m.offsets, count: m.count };
    for (let i = 0; i < b.count; i++) this.engine.process(v.at(b, i));
  }

  snapshot(): CaptureMetadata {
    return this.engine.snapshot();
  }
}

export class TraceState {
  private worker: Worker | undefined;
  private inPlace: TraceEngine | undefined;
  private failure: TraceStateError | undefined;
  private nextId = 1;
  private readonly waiting = new Map<
    number,
    { resolve: (m: CaptureMetadata) => void; reject: (e: Error) => void }
  >();

  constructor() {
    try {
      const w = new Worker(new URL('./trace-state-worker.js', import.meta.url));
      w.unref();
      w.on('message', (r: TraceStateReply) => {
        const p = this.waiting.get(r.id);
        if (!p) return;
        this.waiting.delete(r.id);
        if ('meta' in r) p.resolve(r.meta);
        else p.reject(this.fail(r.error));
      });
      w.on('error', (e) => this.fail(e.message));
      w.on('exit', (code) => {
        if (this.worker) this.fail(`the state worker exited (${code})`);
      });
      this.worker = w;
    } catch {
      this.inPlace = new TraceEngine();
    }
  }

  /** The tables a file starts with, or a metadata record in it: they replace every table. */
  reset(meta: CaptureMetadata): void {
    if (this.inPlace) this.inPlace.handle({ op: 'reset', meta });
    else this.post({ op: 'reset', meta });
  }

  /** Events about to be written, in file order (their bytes are copied: the batch may be reused). */
  process(batch: EventBatch): void {
    if (batch.count === 0 || this.failure) return;
    if (this.inPlace) {
      try {
        this.inPlace.handle({ op: 'events', data: batch.data, offsets: batch.offsets, count: batch.count });
      } catch (e) {
        this.fail(e instanceof Error ? e.message : String(e));
      }
      return;
    }
    // One copy of the batch's events (a part of a probe batch shares its buffer), handed over whole.
    const { data, offsets, count } = copyBatch(batch);
    this.post({ op: 'events', data, offsets, count }, [data.buffer, offsets.buffer]);
  }

  /** The tables now, as a reader of every event written so far has them. */
  snapshot(): Promise<CaptureMetadata> {
    if (this.failure) return Promise.reject(this.failure);
    if (this.inPlace) {
      try {
        return Promise.resolve(this.inPlace.snapshot());
      } catch (e) {
        return Promise.reject(this.fail(e instanceof Error ? e.message : String(e)));
      }
    }
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.waiting.set(id, { resolve, reject });
      this.post({ op: 'snapshot', id });
    });
  }

  async close(): Promise<void> {
    const w = this.worker;
    this.worker = undefined;
    if (w) await w.terminate();
  }

  private post(m: TraceStateMessage, transfer: ArrayBuffer[] = []): void {
    if (this.failure) return;
    this.worker!.postMessage(m, transfer);
  }

  private fail(why: string): TraceStateError {
    this.failure ??= new TraceStateError(`the recording's state engine failed: ${why}`);
    const pending = [...this.waiting.values()];
    this.waiting.clear();
    for (const p of pending) p.reject(this.failure);
    return this.failure;
  }
}
