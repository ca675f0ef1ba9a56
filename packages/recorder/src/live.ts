// The printing side shared by `replay` and live `record`: a Pipeline with the user's filter and a print
// sink (-p, -j), writing through the buffered stdout. Replay and live capture differ only in the source.

import {
  createFieldRegistry,
  type FieldRegistry,
  Pipeline,
  PrintSink,
  type TimeRange,
} from '@scapkit/replay';
import type { CaptureRecord } from '@scapkit/scap-format';
import type { TextOutput } from './output.js';

export interface PrintOptions {
  filter?: string;
  format?: string;
  json?: boolean;
  maxEvents?: number;
  showInternal?: boolean;
  timeRange?: TimeRange;
}

export interface Printer {
  readonly pipeline: Pipeline;
  readonly registry: FieldRegistry;
  /** Feeds one record; resolves when the output has room again. */
  push(rec: CaptureRecord): Promise<void> | undefined;
  /** Whether -n is reached or the reader of stdout went away. */
  readonly done: boolean;
}

/** Compiles filter and format (throwing FilterSyntaxError / FormatError before anything runs). */
export function createPrinter(opts: PrintOptions, out: TextOutput): Printer {
  const registry = createFieldRegistry();
  let pending: Promise<void> | undefined;
  const sink = new PrintSink({
    registry,
    format: opts.format,
    json: opts.json,
    write: (line) => {
      pending = out.line(line) ?? pending;
    },
  });
  const pipeline = new Pipeline({
    sink,
    filter: opts.filter,
    registry,
    maxEvents: opts.maxEvents,
    showInternal: opts.showInternal,
    timeRange: opts.timeRange,
  });
  return {
    pipeline,
    registry,
    push(rec) {
      pipeline.push(rec);
      const p = pending;
      pending = undefined;
      return p;
    },
    get done() {
      return pipeline.finished || out.closed;
    },
  };
}

export function joinFilter(parts: readonly (string | number)[] | undefined): string | undefined {
  const s = (parts ?? []).map(String).join(' ').trim();
  return s.length ? s : undefined;
}
