// The capture filter of `record -w FILE FILTER` and `export FILTER`: what a filtered trace keeps. Every
// event goes through a state engine (the same Pipeline as replay), so the filter sees proc.*, fd.* of
// every event; an event is kept when it matches, or when it changes thread or fd state, so a filtered
// trace still names every process and file of the events it keeps.
import { compileFilter, createFieldRegistry, Pipeline } from '@scapkit/replay';
import {
  type CaptureMetadata,
  type CaptureRecord,
  type CaptureStream,
  EF,
  EVENT_MAX,
  EVENTS,
  type EventBatch,
  EventBatchBuilder,
  EventView,
} from '@scapkit/scap-format';

// Events that create, change or destroy thread or fd state: a capture filter always keeps them.
const STATEFUL = new Uint8Array(EVENT_MAX);
for (let t = 0; t < EVENT_MAX; t++) {
  const e = EVENTS[t]!;
  STATEFUL[t] = e.flags & (EF.CREATES_FD | EF.DESTROYS_FD | EF.MODIFIES_STATE) ? 1 : 0;
}

export class CaptureFilter {
  readonly text: string;
  private readonly pipeline: Pipeline;
  private matched: number[] = [];
  private readonly view = new EventView();

  /** Compiles the filter (FilterSyntaxError, UnknownFieldError before anything runs). */
  constructor(text: string) {
    this.text = text;
    const filter = compileFilter(text, createFieldRegistry());
    this.pipeline = new Pipeline({
      filter: (ctx) => filter.match(ctx),
      showInternal: true,
      sink: { event: (ctx) => void this.matched.push(ctx.view.off) },
    });
  }

  /** The tables at the start of the input (or of a new file of it): returns the tables the output keeps. */
  tables(meta: CaptureMetadata): CaptureMetadata {
    this.pipeline.push({ kind: 'metadata', metadata: meta });
    return meta;
  }

  /** The events of a batch the filtered output keeps. */
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

  /**
   * A whole capture, filtered: the tables it keeps, the events it keeps; its header names the filter (after
   * the one it was recorded with, if any) and its statistics count the events left out.
   */
  async *apply(stream: CaptureStream): AsyncGenerator<CaptureRecord> {
    let read = 0;
    let kept = 0;
    for await (const rec of stream) {
      if (rec.kind === 'metadata') yield { kind: 'metadata', metadata: this.tables(rec.metadata) };
      else if (rec.kind === 'events') {
        const out = this.select(rec.batch);
        read += rec.batch.count;
        kept += out.count;
        if (out.count) yield { kind: 'events', batch: out };
      } else if (rec.kind === 'header') {
        const before = typeof rec.header.filter === 'string' ? rec.header.filter : '';
        const filter = before ? `(${before}) and (${this.text})` : this.text;
        yield { kind: 'header', header: { ...rec.header, filter } };
      } else {
        const s = rec.stats;
        const filtered = (typeof s.eventsFiltered === 'number' ? s.eventsFiltered : 0) + read - kept;
        yield { kind: 'stats', stats: { ...s, eventsWritten: kept, eventsFiltered: filtered } };
      }
    }
  }
}
