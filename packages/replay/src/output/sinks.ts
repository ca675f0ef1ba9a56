// Sinks that print: one line per event in a -p format (the default line without -p), or one JSON object
// per event (-j). They write through a caller-supplied function, so the CLI, tests and chisels decide
// where text goes.

import type { ReplayContext } from '../fields/context.js';
import type { FieldRegistry } from '../fields/registry.js';
import type { Sink } from '../pipeline.js';
import { type CompiledFormat, compileFormat, DEFAULT_FORMAT } from './format.js';
import type { OutputTimeFormat } from './time.js';

export interface PrintSinkOptions {
  registry: FieldRegistry;
  /** sysdig -p format; the default line when absent. */
  format?: string;
  /** One JSON object per event (sysdig -j). */
  json?: boolean;
  /** Whole buffers in text lines, not cut at 80 characters (sysdig -v). */
  verbose?: boolean;
  /** How evt.outputtime prints in text lines (sysdig -t); the time of day by default. */
  outputTime?: OutputTimeFormat;
  /** Receives each output line, without its newline. */
  write(line: string): void;
}

/** Prints events as sysdig -r does, with -p, -j, -v and -t. */
export class PrintSink implements Sink {
  readonly format: CompiledFormat;
  private readonly json: boolean;
  private readonly truncate: boolean;
  private readonly write: (line: string) => void;

  constructor(opts: PrintSinkOptions) {
    this.format = compileFormat(opts.format ?? DEFAULT_FORMAT, opts.registry, {
      outputTime: opts.outputTime,
    });
    this.json = opts.json ?? false;
    // sysdig cuts buffers only in its default text form: never in JSON, never with -v.
    this.truncate = !this.json && opts.verbose !== true;
    this.write = opts.write;
  }

  event(ctx: ReplayContext): void {
    ctx.render.truncate = this.truncate;
    const s = this.json ? this.format.json(ctx) : this.format.line(ctx);
    if (s !== undefined) this.write(s);
  }
}
