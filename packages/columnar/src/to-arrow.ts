// toArrow: a capture as a stream of Arrow RecordBatches of its events, with the state resolved at each
// event, through the replay Pipeline. Runs wherever the readers run (Node, a browser).
import {
  compileFilter,
  createFieldRegistry,
  type EvalContext,
  Pipeline,
  type ReplayContext,
} from '@scapkit/replay';
import type { CaptureRecord, CaptureStream } from '@scapkit/scap-format';
import type { RecordBatch } from 'apache-arrow';
import { EventBatchBuilder, type EventBatchOptions } from './events.js';

/** A time range in ns since the epoch; either end may be open. `to` is exclusive. */
export interface TimeRange {
  from?: bigint;
  to?: bigint;
}

export interface ToArrowOptions extends EventBatchOptions, TimeRange {
  /** A sysdig filter: only the events it matches become rows (state still sees every event). */
  filter?: string;
}

/**
 * The Pipeline filter for a time range and a sysdig filter, or undefined when neither applies. Every
 * event still goes through the state engine; only the rows are limited.
 */
export function rowFilter(
  opts: ToArrowOptions,
  registry = opts.registry ?? createFieldRegistry(),
): ((ctx: EvalContext) => boolean) | undefined {
  const compiled = opts.filter?.trim() ? compileFilter(opts.filter, registry) : undefined;
  const from = opts.from;
  const to = opts.to;
  if (!compiled && from === undefined && to === undefined) return undefined;
  const fromHi = from === undefined ? -1 : Number(from >> 32n);
  const fromLo = from === undefined ? 0 : Number(from & 0xffffffffn);
  const toHi = to === undefined ? Number.POSITIVE_INFINITY : Number(to >> 32n);
  const toLo = to === undefined ? 0 : Number(to & 0xffffffffn);
  return (c) => {
    const v = (c as ReplayContext).view;
    const hi = v.tsHi;
    const lo = v.tsLo;
    if (hi < fromHi || (hi === fromHi && lo < fromLo)) return false;
    if (hi > toHi || (hi === toHi && lo >= toLo)) return false;
    return compiled ? compiled.match(c) : true;
  };
}

/**
 * The events of `capture` as RecordBatches (EVENT_COLUMNS, or `columns`), rows sorted by ts within each
 * batch. A cut capture yields the batches of every complete event, then throws the reader's
 * ScapTruncatedError.
 */
export async function* toArrow(
  capture: CaptureStream,
  opts: ToArrowOptions = {},
): AsyncGenerator<RecordBatch> {
  const registry = opts.registry ?? createFieldRegistry();
  const ready: RecordBatch[] = [];
  const builder = new EventBatchBuilder({ ...opts, registry }, (b) => ready.push(b));
  const pipeline = new Pipeline({ sink: builder, filter: rowFilter(opts, registry) });
  let cut: unknown;
  try {
    for await (const rec of capture as AsyncIterable<CaptureRecord>) {
      pipeline.push(rec);
      while (ready.length > 0) yield ready.shift()!;
    }
  } catch (e) {
    cut = e;
  }
  // A cut file: the rows of every complete event first, then the reader's error.
  builder.end();
  while (ready.length > 0) yield ready.shift()!;
  if (cut !== undefined) throw cut;
}
