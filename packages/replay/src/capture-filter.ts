// The recorder's capture filter (`scapkit record -w FILE FILTER`): a batch in, the batch to write out.
// Every event goes through the state engine (the same Pipeline as replay); an event is kept when it
// matches, or when it creates, changes or destroys thread or fd state, so a filtered trace still names
// every process and file it shows.
import { EF, EVENT_MAX, EVENTS, type EventBatch, EventBatchBuilder, EventView } from '@scapkit/scap-format';
import type { FieldResolver } from './fields/types.js';
import { Pipeline } from './pipeline.js';

/** Events that create, change or destroy thread or fd state: a capture filter always keeps them. */
const STATEFUL = new Uint8Array(EVENT_MAX);
for (let t = 0; t < EVENT_MAX; t++) {
  const e = EVENTS[t]!;
  STATEFUL[t] = e.flags & (EF.CREATES_FD | EF.DESTROYS_FD | EF.MODIFIES_STATE) ? 1 : 0;
}

export class CaptureFilter {
  /** Its pipeline: feed it the metadata records the batches go with (pipeline.push). */
  readonly pipeline: Pipeline;
  private matched: number[] = [];
  private readonly view = new EventView();

  /** Throws FilterSyntaxError / UnknownFieldError for a bad filter. */
  constructor(text: string, registry?: FieldResolver) {
    this.pipeline = new Pipeline({
      filter: text,
      registry,
      showInternal: true,
      sink: { event: (ctx) => void this.matched.push(ctx.view.off) },
    });
  }

  /** The events of `batch` to keep, as a new batch (the state engine has seen all of them). */
  select(batch: EventBatch): EventBatch {
    this.matched.length = 0;
    this.pipeline.processBatch(batch);
    const out = new EventBatchBuilder(Math.max(1024, batch.data.byteLength >>> 2));
    const v = this.view;
    let m = 0;
    for (let i = 0; i < batch.count; i++) {
      const off = batch.offsets[i]!;
      while (m < this.matched.length && this.matched[m]! < off) m++;
      v.at(batch, i);
      const t = v.type;
      if (this.matched[m] === off || (t < EVENT_MAX && STATEFUL[t]))
        out.append(v.bytes(), v.cpu, v.frameFlags);
    }
    return out.take();
  }
}
