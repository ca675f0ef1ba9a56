// `scapkit replay -r FILE [filter]`: read a scapkit trace or a sysdig/Falco .scap and print its events
// through the same state, filter and output pipeline as a live capture, with sysdig's flags (flags.ts)
// and --from/--to, a time range read from the checkpoint before it.
import {
  createFieldRegistry,
  describeChisel,
  EventSummary,
  formatChiselList,
  formatEventList,
  formatFieldList,
  formatFieldMarkdown,
  isBuiltinChisel,
} from '@scapkit/replay';
import { importChiselModule } from '@scapkit/replay/node';
import type { CommandModule } from 'yargs';
import { type CaptureInput, openInput, type TimeRangeArgs } from '../capture-input.js';
import { UsageError } from '../exit.js';
import { PRINT_FLAGS, REPLAY_FLAGS, TIME_RANGE_FLAGS, yargsOptions } from '../flags.js';
import {
  createPrinter,
  joinFilter,
  type PrintFlags,
  printOptionsOf,
  printsDefaultFormat,
  textOutputOptionsOf,
} from '../live.js';
import { TextOutput } from '../output.js';
import {
  replaySegments,
  type SegmentReplayRequest,
  type SegmentReplayResult,
  segmentsFor,
} from '../segment-replay.js';
import type { SegmentChiselPart } from '../segment-worker.js';
import { type ChiselRun, startChisel, usage } from './chisel.js';

/** The arguments of flags.ts's REPLAY_FLAGS, PRINT_FLAGS and TIME_RANGE_FLAGS, and the filter words. */
export interface ReplayArgs extends PrintFlags, TimeRangeArgs {
  read?: string;
  filter?: string[];
  number?: number;
  'display-internal': boolean;
  list: boolean;
  'list-markdown'?: boolean;
  'list-events'?: boolean;
  progress?: boolean;
  chisel?: string;
  'chisel-info'?: string;
  'list-chisels': boolean;
}

/** Whether the arguments ask for a listing, which needs no capture. */
function isListing(a: ReplayArgs): boolean {
  return (
    a.list ||
    a['list-chisels'] ||
    a['list-markdown'] === true ||
    a['list-events'] === true ||
    a.chisel === 'l' ||
    a['chisel-info'] !== undefined ||
    a.print === 'p'
  );
}

export function replayCommand(setCode: (c: number) => void): CommandModule<object, ReplayArgs> {
  return {
    command: 'replay [filter..]',
    describe: 'print the events of a capture (either format) that match a sysdig filter',
    builder: (y) =>
      y
        .positional('filter', {
          type: 'string',
          array: true,
          describe: "sysdig filter, e.g. 'proc.name=nginx and fd.type=ipv4'",
        })
        .options(yargsOptions(REPLAY_FLAGS))
        .options(yargsOptions(PRINT_FLAGS))
        .options(yargsOptions(TIME_RANGE_FLAGS))
        .check((raw) => {
          const a = raw as unknown as ReplayArgs;
          if (a.chisel === '' && !a.list) throw new UsageError('-c needs a chisel name (-cl lists them)');
          if (!isListing(a) && !a.read)
            throw new UsageError('replay needs -r FILE (or -l to list fields, -cl to list chisels)');
          if (a.chisel !== undefined && (a.print !== undefined || a.json))
            throw new UsageError('-p and -j do not apply to a chisel (-c)');
          return true;
        }) as never,
    handler: (args) => runReplay(args, setCode),
  };
}

/** The replay command itself, once its arguments are parsed (by yargs, or by the CLI's fast path). */
export async function runReplay(args: ReplayArgs, setCode: (c: number) => void): Promise<void> {
  const out = new TextOutput(undefined, textOutputOptionsOf(args));
  const listing = await listingLines(args);
  if (listing) {
    for (const l of listing) out.line(l);
    await out.flush();
    return;
  }
  if (args.chisel !== undefined) {
    const code = await runChiselCommand(args, out);
    setCode(code);
    return;
  }
  // Flags are checked before the capture is opened: a bad one is a usage error, whatever the file.
  const print = await printOptionsOf(args);
  // The printer keeps nothing of a batch once it asked for the next record.
  const input = await openInput(args.read!, { ...args, reuseBatchBuffers: true });
  const options = {
    ...print,
    filter: joinFilter(args.filter),
    maxEvents: args.number,
    showInternal: args['display-internal'],
    timeRange: input.timeRange,
  };
  // Compiled here first: a bad filter or format is reported the same way on either path.
  const printer = createPrinter(options, out);
  const text = textOutputOptionsOf(args);
  const request = {
    print: options,
    maxEvents: args.number,
    resolvePorts: args['resolve-ports'] === true,
    unbuffered: text.unbuffered === true,
    keepLineBreaks: text.keepLineBreaks === true,
  };
  const r = await replayOnSegments(input, request, out);
  if (r) {
    const code = input.finish({ cut: () => `was printed (${r.lastNum} events)` });
    await out.flush();
    setCode(code);
    return;
  }
  const code = await input.read(
    (rec) => {
      const wait = printer.push(rec);
      return wait ? wait.then(() => printer.done) : printer.done;
    },
    { cut: () => `was printed (${printer.pipeline.ctx.num} events)` },
  );
  // After a cut too: sysdig prints its -S table whatever ended the run.
  printer.end();
  await out.flush();
  setCode(code);
}

/** What a listing flag prints (fields, events, chisels, a chisel's description, -pp), if one is given. */
async function listingLines(args: ReplayArgs): Promise<string[] | undefined> {
  // yargs reads sysdig's `-cl` as `-c ''` plus `-l` when it comes unsplit.
  if (args['list-chisels'] || args.chisel === 'l' || (args.chisel === '' && args.list)) {
    return formatChiselList();
  }
  const chiselInfo = args['chisel-info'];
  if (chiselInfo !== undefined)
    return usage(() => describeChisel(chiselInfo, { importModule: importChiselModule }));
  if (args['list-events']) return formatEventList();
  if (args['list-markdown']) return formatFieldMarkdown(createFieldRegistry().list());
  if (args.list) return formatFieldList(createFieldRegistry().list());
  const pp = printsDefaultFormat(args);
  return pp === undefined ? undefined : [pp];
}

async function runChiselCommand(args: ReplayArgs, out: TextOutput): Promise<number> {
  let pending: Promise<void> | undefined;
  // A built-in chisel keeps nothing of a batch: the readers decode into the buffers of those it saw.
  const input = await openInput(args.read!, { ...args, reuseBatchBuffers: isBuiltinChisel(args.chisel!) });
  const run = await startChisel(args.chisel!, args.filter, {
    write: (l: string) => {
      pending = out.line(l) ?? pending;
    },
    maxEvents: args.number,
    timeRange: input.timeRange,
  });
  let code = await chiselOnSegments(args, input, run, out);
  if (code === undefined) {
    try {
      code = await input.read(
        async (rec) => {
          run.push(rec);
          if (pending) {
            await pending;
            pending = undefined;
          }
          return run.done || out.closed;
        },
        { cut: () => 'is in the report' },
      );
    } finally {
      run.end();
    }
  }
  // -S with a chisel: sysdig counts nothing while chisels run, and prints the empty table.
  if (args.summary) for (const l of new EventSummary().lines()) out.line(l);
  await out.flush();
  return code;
}

/**
 * Runs a built-in chisel whose sums join (ChiselRun.parts) on the trace's segments, when segmentsFor takes them:
 * the workers' sums joined in order, then the report. Undefined when it replays serially.
 */
async function chiselOnSegments(
  args: ReplayArgs,
  input: CaptureInput,
  run: ChiselRun,
  out: TextOutput,
): Promise<number | undefined> {
  const parts = run.parts;
  // A chisel module may keep what it is handed: the segment workers decode into the batches they reuse.
  if (!parts || !isBuiltinChisel(args.chisel!)) return undefined;
  const text = textOutputOptionsOf(args);
  let events = 0;
  let firstTs: bigint | undefined;
  let lastTs = 0n;
  const request = {
    chisel: {
      name: args.chisel!,
      words: (args.filter ?? []).map(String),
      join: (p: SegmentChiselPart) => {
        parts.add(p.part);
        events += p.span.events;
        firstTs ??= p.span.firstTs;
        lastTs = p.span.lastTs;
      },
    },
    maxEvents: args.number,
    resolvePorts: args['resolve-ports'] === true,
    unbuffered: text.unbuffered === true,
    keepLineBreaks: text.keepLineBreaks === true,
  };
  if (!(await replayOnSegments(input, request, out))) return undefined;
  run.end({ events, firstTs: firstTs ?? 0n, lastTs });
  return input.finish({ cut: () => 'is in the report' });
}

/**
 * Replays `input` on its segments when segmentsFor takes them (undefined: replay it serially), then
 * closes the segments' reader and the input and tells the input what was read (the caller then finishes
 * it, with its own words for a cut).
 */
async function replayOnSegments(
  input: CaptureInput,
  request: SegmentReplayRequest,
  out: TextOutput,
): Promise<SegmentReplayResult | undefined> {
  const parallel = await segmentsFor(input, request);
  if (!parallel) return undefined;
  let r: SegmentReplayResult;
  try {
    r = await replaySegments(input.path, parallel.segments, request, out);
  } finally {
    await parallel.reader.close();
    await input.close();
  }
  input.readElsewhere({ events: r.events, stats: parallel.reader.stats, damage: r.damage });
  return r;
}
