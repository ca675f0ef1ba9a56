// The whole `scapkit replay` in one call, for the CLI and for programs: compiles the filter and the
// output format against one field registry, and runs a capture stream through the Pipeline into a
// line writer. Bad filters and formats throw before the first record is read.
import type { CaptureStream } from '@scapkit/scap-format';
import { createFieldRegistry, type FieldRegistry } from './fields/registry.js';
import { PrintSink } from './output/sinks.js';
import type { OutputTimeFormat } from './output/time.js';
import { Pipeline, type PipelineResult, type TimeRange } from './pipeline.js';
import type { BufferFormat } from './render/buffer.js';
import type { ServiceNames } from './render/services.js';

export interface ReplayOptions {
  /** Receives each output line, without its newline. */
  write(line: string): void;
  /** A sysdig filter (`proc.name=cat and fd.type=file`); all events when absent. */
  filter?: string;
  /** A sysdig -p format; the default line when absent. */
  format?: string;
  /** One JSON object per event (-j). */
  json?: boolean;
  /** Stop after this many events passed the filter (-n). */
  maxEvents?: number;
  /** Show internal events too (-D). */
  showInternal?: boolean;
  /** How buffers print: 'ascii' (-A), 'hex' (-x), 'hexascii' (-X), 'base64' (-b); 'dots' by default. */
  bufferFormat?: BufferFormat;
  /** Whole buffers in text lines, not cut at 80 characters (-v). */
  verbose?: boolean;
  /** How evt.outputtime prints in text lines (-t h|a|r|d|D). */
  outputTime?: OutputTimeFormat;
  /** Ports as service names (-R): `new ServiceNames(readFileSync('/etc/services', 'utf8'))`. */
  services?: ServiceNames;
  /** Print only the events in this range; the others only update state (--from/--to). */
  timeRange?: TimeRange;
  /** The registry to compile against (a new one by default). */
  registry?: FieldRegistry;
}

/**
 * A Pipeline that prints as `sysdig -r` does. Throws FilterSyntaxError for a bad filter and
 * FormatError / UnknownFieldError for a bad format.
 */
export function createReplayPipeline(opts: ReplayOptions): Pipeline {
  const registry = opts.registry ?? createFieldRegistry();
  const sink = new PrintSink({
    registry,
    format: opts.format,
    json: opts.json,
    verbose: opts.verbose,
    outputTime: opts.outputTime,
    write: opts.write,
  });
  return new Pipeline({
    sink,
    filter: opts.filter,
    registry,
    maxEvents: opts.maxEvents,
    showInternal: opts.showInternal,
    bufferFormat: opts.bufferFormat,
    services: opts.services,
    timeRange: opts.timeRange,
  });
}

/** Replays a capture stream (openCaptureFile(path), readSysdigCapture(…), the live probe …). */
export function replay(stream: CaptureStream, opts: ReplayOptions): Promise<PipelineResult> {
  return createReplayPipeline(opts).run(stream);
}
