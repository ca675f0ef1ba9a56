// When a writer should put a checkpoint in a scapkit trace, and what it holds: a state engine follows the
// records being written exactly as a replay of the file would (the Pipeline with nothing to show), and
// every `intervalNs` of event time the tables it has built are due. `scapkit export --format scapkit`
// writes them; a live recorder can do the same from its own engine.
import type { CaptureMetadata, CaptureRecord, EventBatch } from '@scapkit/scap-format';
import { Pipeline } from './pipeline.js';

export class CheckpointClock {
  private readonly pipeline = Pipeline.stateOnly();
  // Event times as doubles (exact to a few hundred ns today): plenty to space checkpoints, and no bigint
  // per event.
  private last = -1;
  private latest = 0;
  private readonly intervalNs: number;

  /** `intervalNs`: event time between two checkpoints (a recorder's default is 10 s). */
  constructor(intervalNs: number | bigint) {
    this.intervalNs = Number(intervalNs);
  }

  /** Follows one record of the stream being written, in order (a checkpoint record is ignored). */
  push(rec: CaptureRecord): void {
    if (rec.kind === 'checkpoint') return;
    this.pipeline.push(rec);
    if (rec.kind !== 'events') return;
    const b = rec.batch;
    const dv = new DataView(b.data.buffer, b.data.byteOffset, b.data.byteLength);
    for (const off of b.offsets.subarray(0, b.count)) {
      const ts = dv.getUint32(off + 4, true) * 4294967296 + dv.getUint32(off, true);
      if (ts > this.latest) this.latest = ts;
      if (this.last < 0) this.last = this.latest; // the interval counts from the first event
    }
  }

  /**
   * How many of the first events of `batch` to write (and push) before a checkpoint falls due: all of
   * them when none does. A writer that splits its batches there spaces checkpoints evenly however large
   * its batches are.
   */
  eventsUntilDue(batch: EventBatch): number {
    const dv = new DataView(batch.data.buffer, batch.data.byteOffset, batch.data.byteLength);
    let latest = this.latest;
    let last = this.last;
    let n = 0;
    for (const off of batch.offsets.subarray(0, batch.count)) {
      n++;
      const ts = dv.getUint32(off + 4, true) * 4294967296 + dv.getUint32(off, true);
      if (ts > latest) latest = ts;
      if (last < 0) last = latest;
      if (latest - last >= this.intervalNs) return n;
    }
    return batch.count;
  }

  /**
   * The tables for a checkpoint after the events pushed so far, when `intervalNs` of event time has passed
   * since the last one (or since the first event); undefined otherwise. Call it between events only.
   */
  due(): CaptureMetadata | undefined {
    if (this.last < 0 || this.latest - this.last < this.intervalNs) return undefined;
    this.last = this.latest;
    return this.pipeline.state.snapshot();
  }
}
