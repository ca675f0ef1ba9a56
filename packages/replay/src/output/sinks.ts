// Sinks that print: one line per event in a -p format (the default line without -p), or one JSON object
// per event (-j). They write through a caller-supplied function, so the CLI, tests and chisels decide
// where text goes, or straight into the caller's byte buffer (the CLI's stdout), building no string.

import type { ReplayContext } from '../fields/context.js';
import type { FieldRegistry } from '../fields/registry.js';
import type { Sink } from '../pipeline.js';
import type { ByteWriter } from '../render/byte-writer.js';
import { type CompiledFormat, compileFormat, DEFAULT_FORMAT } from './format.js';
import type { OutputTimeFormat } from './time.js';

/** Where a print sink writes its lines as bytes (the CLI's stdout buffer): no string per line. */
export interface LineBytesOutput {
  /** The buffer each line is written into, at its `pos`. */
  readonly bytes: ByteWriter;
  /** Called after each line and its newline were written: the owner may send what is buffered. */
  endLine(): void;
}

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
  /** Receives each output line, without its newline (unless `output` takes them). */
  write?(line: string): void;
  /** Takes each output line as bytes, newline included, instead of `write`. */
  output?: LineBytesOutput;
}

/** Prints events as sysdig -r does, with -p, -j, -v and -t. */
export class PrintSink implements Sink {
  readonly format: CompiledFormat;
  private readonly json: boolean;
  private readonly truncate: boolean;
  private readonly write: ((line: string) => void) | undefined;
  private readonly output: LineBytesOutput | undefined;

  constructor(opts: PrintSinkOptions) {
    this.format = compileFormat(opts.format ?? DEFAULT_FORMAT, opts.registry, {
      outputTime: opts.outputTime,
    });
    this.json = opts.json ?? false;
    // sysdig cuts buffers only in its default text form: never in JSON, never with -v.
    this.truncate = !this.json && opts.verbose !== true;
    this.write = opts.write;
    this.output = opts.output;
    if (!this.write && !this.output) throw new TypeError('PrintSink needs `write` or `output`');
  }

  event(ctx: ReplayContext): void {
    ctx.render.truncate = this.truncate;
    const out = this.output;
    if (out) {
      const w = out.bytes;
      if (this.json ? this.format.writeJson(ctx, w) : this.format.writeLine(ctx, w)) {
        w.byte(0x0a);
        out.endLine();
      }
      return;
    }
    const s = this.json ? this.format.json(ctx) : this.format.line(ctx);
    if (s !== undefined) this.write?.(s);
  }
}
