// The state of what a recording has written: a state engine fed exactly the tables and events the trace
// files get, in the same order. Its tables are what a reader of the files has at any point, so they are
// what a rotated file starts with (each file reads alone, and a series reads as one trace) and what each
// checkpoint holds (a replay that starts there continues exactly as one from the start of the file).
// Without a capture filter it is the recording's live engine: it sees every event of the probe.
import { StateEngine } from '@scapkit/replay';
import { type CaptureMetadata, type EventBatch, EventView } from '@scapkit/scap-format';

export class TraceState {
  readonly engine = new StateEngine();
  private readonly view = new EventView();

  /** The tables a file starts with, or a metadata record in it: they replace every table. */
  reset(meta: CaptureMetadata): void {
    this.engine.reset(meta);
  }

  /** Events about to be written, in file order. */
  process(batch: EventBatch): void {
    const v = this.view;
    const engine = this.engine;
    for (let i = 0; i < batch.count; i++) engine.process(v.at(batch, i));
  }

  /** The tables now, as a reader of every event written so far has them (call between events). */
  snapshot(): CaptureMetadata {
    return this.engine.snapshot();
  }
}
