// The printing side shared by `replay` and live `record`: a Pipeline with the user's filter and a print
// sink (-p, -j and sysdig's other printing flags), writing through the buffered stdout. Replay and live
// capture differ only in the source.

import { readFile } from 'node:fs/promises';
import {
  type BufferFormat,
  createFieldRegistry,
  DEFAULT_FORMAT,
  EventSummary,
  type FieldRegistry,
  namedFormat,
  OUTPUT_TIME_FORMATS,
  type OutputTimeFormat,
  Pipeline,
  PrintSink,
  type ReplayContext,
  ServiceNames,
  type TimeRange,
} from '@scapkit/replay';
import type { CaptureRecord, CaptureStats } from '@scapkit/scap-format';
import { UsageError } from './exit.js';
import type { TextOutput, TextOutputOptions } from './output.js';

export interface PrintOptions {
  filter?: string;
  format?: string;
  json?: boolean;
  maxEvents?: number;
  showInternal?: boolean;
  timeRange?: TimeRange;
  /** -A, -x, -X, -b. */
  bufferFormat?: BufferFormat;
  /** -v: whole buffers, and the counts and CPU time on stderr at the end. */
  verbose?: boolean;
  /** -t. */
  outputTime?: OutputTimeFormat;
  /** -R: the services database. */
  services?: ServiceNames;
  /** -S: the table of events by type at the end. */
  summary?: boolean;
}

export interface Printer {
  readonly pipeline: Pipeline;
  readonly registry: FieldRegistry;
  /** Feeds one record; resolves when the output has room again. */
  push(rec: CaptureRecord): Promise<void> | undefined;
  /** Whether -n is reached or the reader of stdout went away. */
  readonly done: boolean;
  /** Prints what comes after the events (-S table, -v counts); call once, at the end of the run. */
  end(): void;
}

/** Compiles filter and format (throwing FilterSyntaxError / FormatError before anything runs). */
export function createPrinter(opts: PrintOptions, out: TextOutput): Printer {
  const registry = createFieldRegistry();
  let pending: Promise<void> | undefined;
  const print = new PrintSink({
    registry,
    format: opts.format,
    json: opts.json,
    verbose: opts.verbose,
    outputTime: opts.outputTime,
    write: (line) => {
      pending = out.line(line) ?? pending;
    },
    // Lines go into stdout's buffer as bytes, unless they must be escaped for a terminal.
    output: out.takesBytes
      ? {
          bytes: out.bytes,
          endLine: () => {
            pending = out.endLine() ?? pending;
          },
        }
      : undefined,
  });
  const summary = opts.summary ? new EventSummary() : undefined;
  // Events that passed the filter (sysdig's "Captured Events" of -v), and the driver's counts.
  let captured = 0;
  let stats: CaptureStats | undefined;
  const counting = summary !== undefined || opts.verbose === true;
  const pipeline = new Pipeline({
    sink: {
      event: (ctx) => print.event(ctx),
      ...(counting
        ? {
            matched: (ctx: ReplayContext) => {
              captured++;
              summary?.count(ctx.view);
            },
          }
        : {}),
      stats: (s) => {
        stats = s;
      },
    },
    filter: opts.filter,
    registry,
    maxEvents: opts.maxEvents,
    showInternal: opts.showInternal,
    timeRange: opts.timeRange,
    bufferFormat: opts.bufferFormat,
    services: opts.services,
  });
  const cpuStart = process.cpuUsage();
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
    end() {
      if (summary) for (const l of summary.lines()) out.line(l);
      if (opts.verbose) {
        // sysdig -v's closing lines: the driver's counts (those the trace recorded; none in a sysdig
        // capture), then the CPU time of the run and the events that passed the filter.
        const cpu = process.cpuUsage(cpuStart);
        const seconds = (cpu.user + cpu.system) / 1e6;
        const drops = Object.values(stats?.drops ?? {}).reduce((a, b) => a + b, 0);
        process.stderr.write(
          `Driver Events:${stats?.eventsSeen ?? 0}\nDriver Drops:${drops}\nSuppressed by Comm:0\n` +
            `Elapsed time: ${seconds.toFixed(3)}, Captured Events: ${captured}, ` +
            `${(seconds > 0 ? captured / seconds : 0).toFixed(2)} eps\n`,
        );
      }
    },
  };
}

/** sysdig's printing flags as parsed by yargs or the fast path (flags.ts PRINT_FLAGS). */
export interface PrintFlags {
  print?: string;
  json: boolean;
  'print-ascii'?: boolean;
  'print-hex'?: boolean;
  'print-hex-ascii'?: boolean;
  'print-base64'?: boolean;
  verbose?: boolean;
  timetype?: string;
  'resolve-ports'?: boolean;
  summary?: boolean;
  unbuffered?: boolean;
}

/** The buffer form the flags ask for; two of -A, -x, -X, -b are a usage error, as in sysdig. */
function bufferFormatOf(f: PrintFlags): BufferFormat {
  const chosen: [BufferFormat, string][] = [];
  if (f['print-ascii']) chosen.push(['ascii', '-A']);
  if (f['print-hex']) chosen.push(['hex', '-x']);
  if (f['print-hex-ascii']) chosen.push(['hexascii', '-X']);
  if (f['print-base64']) chosen.push(['base64', '-b']);
  if (chosen.length > 1) {
    throw new UsageError(
      `${chosen.map((c) => c[1]).join(' and ')} both choose how buffers print: give only one of -A, -x, -X, -b`,
    );
  }
  return chosen[0]?.[0] ?? 'dots';
}

/** The -t value checked: h, a, r, d or D. */
function outputTimeOf(t: string | undefined): OutputTimeFormat | undefined {
  if (t === undefined) return undefined;
  if (!(OUTPUT_TIME_FORMATS as readonly string[]).includes(t)) {
    throw new UsageError(
      `-t ${t}: the time forms are h (time of day), a (since the epoch), r (since the first event), ` +
        'd (latency) and D (since the previous event)',
    );
  }
  return t as OutputTimeFormat;
}

/** The services database for -R: /etc/services, or none at all (ports stay numbers) where it is missing. */
async function servicesOf(resolve: boolean | undefined): Promise<ServiceNames | undefined> {
  if (!resolve) return undefined;
  try {
    return new ServiceNames(await readFile('/etc/services', 'utf8'));
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return new ServiceNames('');
    throw e;
  }
}

/**
 * The print options of the flags (everything but filter, -n and -D, which each command reads its way),
 * checked: usage errors for two buffer forms or a bad -t.
 */
export async function printOptionsOf(f: PrintFlags): Promise<PrintOptions> {
  return {
    format: f.print === undefined ? undefined : namedFormat(f.print),
    json: f.json,
    bufferFormat: bufferFormatOf(f),
    verbose: f.verbose === true,
    outputTime: outputTimeOf(f.timetype),
    services: await servicesOf(f['resolve-ports']),
    summary: f.summary === true,
  };
}

/** How stdout is written for these flags: -A, -x and -X print line breaks inside a line. */
export function textOutputOptionsOf(f: PrintFlags): TextOutputOptions {
  return {
    keepLineBreaks: Boolean(f['print-ascii'] || f['print-hex'] || f['print-hex-ascii']),
    unbuffered: f.unbuffered === true,
  };
}

/** `-pp`: sysdig prints its default format instead of running. */
export function printsDefaultFormat(f: PrintFlags): string | undefined {
  return f.print === 'p' ? DEFAULT_FORMAT : undefined;
}

export function joinFilter(parts: readonly (string | number)[] | undefined): string | undefined {
  const s = (parts ?? []).map(String).join(' ').trim();
  return s.length ? s : undefined;
}
