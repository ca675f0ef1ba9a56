// `scapkit replay -r FILE [filter]`: read a scapkit trace or a sysdig/Falco .scap and print its events
// through the same state, filter and output pipeline as a live capture. sysdig's flags: -p, -j, -n, -D;
// and --from/--to, a time range read from the checkpoint before it.
import { createFieldRegistry, describeChisel, formatChiselList } from '@scapkit/replay';
import { importChiselModule } from '@scapkit/replay/node';
import type { CommandModule } from 'yargs';
import { openInput, TIME_RANGE_OPTIONS, type TimeRangeArgs } from '../capture-input.js';
import { UsageError } from '../exit.js';
import { createPrinter, joinFilter } from '../live.js';
import { TextOutput } from '../output.js';
import { startChisel, usage } from './chisel.js';

export interface ReplayArgs extends TimeRangeArgs {
  read?: string;
  filter?: string[];
  print?: string;
  json: boolean;
  number?: number;
  'display-internal': boolean;
  list: boolean;
  progress?: boolean;
  chisel?: string;
  'chisel-info'?: string;
  'list-chisels': boolean;
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
        .option('read', {
          alias: 'r',
          type: 'string',
          describe: 'capture file: a scapkit trace or a sysdig/Falco .scap (gzip or not)',
        })
        .option('print', {
          alias: 'p',
          type: 'string',
          describe:
            "output format, e.g. '*%evt.num %proc.name %fd.name' (a leading * prints events with missing fields)",
        })
        .option('json', {
          alias: 'j',
          type: 'boolean',
          default: false,
          describe: 'one JSON object per event',
        })
        .option('number', { alias: 'n', type: 'number', describe: 'stop after N events' })
        .option('display-internal', {
          alias: 'D',
          type: 'boolean',
          default: false,
          describe: 'also show internal events (procinfo, …)',
        })
        .option('list', {
          alias: 'l',
          type: 'boolean',
          default: false,
          describe: 'list the fields filters and formats can use',
        })
        .option('progress', {
          type: 'boolean',
          describe: 'progress bar on stderr (default: when stderr is a terminal)',
        })
        .option('chisel', {
          alias: 'c',
          type: 'string',
          describe: 'run a chisel: a built-in name or a path to an ES module (-cl lists them)',
        })
        .option('chisel-info', { alias: 'i', type: 'string', describe: 'describe a chisel' })
        .options(TIME_RANGE_OPTIONS)
        .option('list-chisels', { type: 'boolean', default: false, describe: 'list the chisels' })
        .check((a) => {
          const listing = a.list || a['list-chisels'] || a.chisel === 'l' || a['chisel-info'] !== undefined;
          if (a.chisel === '' && !a.list) throw new UsageError('-c needs a chisel name (-cl lists them)');
          if (!listing && !a.read)
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
  const out = new TextOutput();
  // yargs reads sysdig's `-cl` as `-c ''` plus `-l` (or as the chisel 'l').
  if (args['list-chisels'] || args.chisel === 'l' || (args.chisel === '' && args.list)) {
    for (const l of formatChiselList()) out.line(l);
    await out.flush();
    return;
  }
  if (args['chisel-info'] !== undefined) {
    for (const l of await usage(() =>
      describeChisel(args['chisel-info']!, { importModule: importChiselModule }),
    ))
      out.line(l);
    await out.flush();
    return;
  }
  if (args.chisel !== undefined) {
    const code = await runChiselCommand(args, out);
    setCode(code);
    return;
  }
  if (args.list) {
    for (const f of createFieldRegistry().list()) {
      const arg = f.arg === 'required' ? '[ARG]' : f.arg === 'optional' ? '[ARG?]' : '';
      out.line(
        `${`${f.name}${arg}`.padEnd(30)} ${f.type.padEnd(8)} ${f.description}${f.filterOnly ? ' (filters only)' : ''}`,
      );
    }
    await out.flush();
    return;
  }
  // The printer keeps nothing of a batch once it asked for the next record.
  const input = await openInput(args.read!, { ...args, reuseBatchBuffers: true });
  const printer = createPrinter(
    {
      filter: joinFilter(args.filter),
      format: args.print,
      json: args.json,
      maxEvents: args.number,
      showInternal: args['display-internal'],
      timeRange: input.timeRange,
    },
    out,
  );
  const code = await input.read(
    (rec) => {
      const wait = printer.push(rec);
      return wait ? wait.then(() => printer.done) : printer.done;
    },
    { cut: () => `was printed (${printer.pipeline.ctx.num} events)` },
  );
  await out.flush();
  setCode(code);
}

async function runChiselCommand(args: ReplayArgs, out: TextOutput): Promise<number> {
  let pending: Promise<void> | undefined;
  const input = await openInput(args.read!, args);
  const run = await startChisel(args.chisel!, args.filter, {
    write: (l: string) => {
      pending = out.line(l) ?? pending;
    },
    maxEvents: args.number,
    timeRange: input.timeRange,
  });
  let code: number;
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
  await out.flush();
  return code;
}
