// When a writer should put a checkpoint in a scapkit trace, and what it holds: a state engine follows the
// records being written exactly as a replay of the file would (the Pipeline with nothing to show), and
// every `intervalNs` of event time, or every `eventBytes` of events (CHECKPOINT_EVENT_BYTES: a busy trace
// gets them by volume, so a time range costs in proportion to itself), whichever comes first, the tables it
// has built are due (checkpointDue, the rule the live recorder follows too). `scapkit export --format
// scapkit` writes them.
import {
  type CaptureMetadata,
  type CaptureRecord,
  CHECKPOINT_EVENT_BYTES,
  checkpointDue,
  EV_LEN,
  EV_TS,
  type EventBatch,
} from '@scapkit/scap-format';
import { Pipeline } from './pipeline.js';

export class CheckpointClock {
  private readonly pipeline = Pipeline.stateOnly();
  // Event times as doubles (exact to a few hundred ns today): plenty to space checkpoints, and no bigint
  // per event.
  private last = -1;
  private latest = 0;
  /** Raw event bytes pushed since the last checkpoint. */
  private bytes = 0;
  private readonly intervalNs: number;

  /**
   * `intervalNs`: event time between two checkpoints at most (a recorder's default is 10 s);
   * `eventBytes`: raw event bytes between two checkpoints at most.
   */
  constructor(
    intervalNs: number | bigint,
    private readonly eventBytes = CHECKPOINT_EVENT_BYTES,
  ) {
    this.intervalNs = Number(intervalNs);
  }

  /** Follows one record of the stream being written, in order (a checkpoint record is ignored). */
  push(rec: CaptureRecord): void {
    if (rec.kind === 'checkpoint') return;
    this.pipeline.push(rec);
    if (rec.kind === 'events') this.scan(rec.batch, true);
  }

  /**
   * How many of the first events of `batch` to write (and push) before a checkpoint falls due: all of
   * them when none does. A writer that splits its batches there spaces checkpoints evenly however large
   * its batches are.
   */
  eventsUntilDue(batch: EventBatch): number {
    return this.scan(batch, false);
  }

  /**
   * Walks the event headers of `batch` on from the clock's state. With `commit`, all of them, and the clock
   * takes what it read; without, up to the first event at which a checkpoint falls due. Returns the number
   * of events walked.
   */
  private scan(batch: EventBatch, commit: boolean): number {
    const dv = new DataView(batch.data.buffer, batch.data.byteOffset, batch.data.byteLength);
    let latest = this.latest;
    let last = this.last;
    let bytes = this.bytes;
    let n = 0;
    for (const off of batch.offsets.subarray(0, batch.count)) {
      n++;
      const ts = dv.getUint32(off + EV_TS + 4, true) * 4294967296 + dv.getUint32(off + EV_TS, true);
      if (ts > latest) latest = ts;
      if (last < 0) last = latest; // the interval counts from the first event
      bytes += dv.getUint32(off + EV_LEN, true);
      if (!commit && checkpointDue(latest - last, bytes, this.intervalNs, this.eventBytes)) return n;
    }
    if (commit) {
      this.latest = latest;
      this.last = last;
      this.bytes = bytes;
    }
    return n;
  }

  /**
   * The tables for a checkpoint after the events pushed so far, when `intervalNs` of event time has passed
   * since the last one (or since the first event), or `eventBytes` of events were pushed since; undefined
   * otherwise. Call it between events only.
   */
  due(): CaptureMetadata | undefined {
    if (this.last < 0) return undefined;
    if (!checkpointDue(this.latest - this.last, this.bytes, this.intervalNs, this.eventBytes))
      return undefined;
    this.last = this.latest;
    this.bytes = 0;
    return this.pipeline.state.snapshot();
  }
}
