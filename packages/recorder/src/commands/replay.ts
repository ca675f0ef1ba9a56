// `scapkit replay -r FILE [filter]`: read a scapkit trace or a sysdig/Falco .scap and print its events
// through the same state, filter and output pipeline as a live capture. sysdig's flags: -p, -j, -n, -D.
import { stat } from 'node:fs/promises';
import { openCapture, ScapTruncatedError } from '@scapkit/scap-format';
import { fileByteSource } from '@scapkit/scap-format/node';
import type { CommandModule } from 'yargs';
import { EXIT, UsageError, warn } from '../exit.js';
import { createPrinter, joinFilter } from '../live.js';
import { TextOutput } from '../output.js';
import { Progress } from '../progress.js';

interface ReplayArgs {
  read?: string;
  filter?: string[];
  print?: string;
  json: boolean;
  number?: number;
  'display-internal': boolean;
  list: boolean;
  progress?: boolean;
}

export function replayCommand(setCode: (c: number) => void): CommandModule<object, ReplayArgs> {
  return {
    command: 'replay [filter..]',
    describe: 'print the events of a capture (either format) that match a sysdig filter',
    builder: (y) =>
      y
        .positional('filter', { type: 'string', array: true, describe: "sysdig filter, e.g. 'proc.name=nginx and fd.type=ipv4'" })
        .option('read', { alias: 'r', type: 'string', describe: 'capture file: a scapkit trace or a sysdig/Falco .scap (gzip or not)' })
        .option('print', { alias: 'p', type: 'string', describe: "output format, e.g. '*%evt.num %proc.name %fd.name' (a leading * prints events with missing fields)" })
        .option('json', { alias: 'j', type: 'boolean', default: false, describe: 'one JSON object per event' })
        .option('number', { alias: 'n', type: 'number', describe: 'stop after N events' })
        .option('display-internal', { alias: 'D', type: 'boolean', default: false, describe: 'also show internal events (procinfo, …)' })
        .option('list', { alias: 'l', type: 'boolean', default: false, describe: 'list the fields filters and formats can use' })
        .option('progress', { type: 'boolean', describe: 'progress bar on stderr (default: when stderr is a terminal)' })
        .check((a) => {
          if (!a.list && !a.read) throw new UsageError('replay needs -r FILE (or -l to list fields)');
          return true;
        }) as never,
    handler: async (args) => {
      const out = new TextOutput();
      const printer = createPrinter(
        {
          filter: joinFilter(args.filter),
          format: args.print,
          json: args.json,
          maxEvents: args.number,
          showInternal: args['display-internal'],
        },
        out,
      );
      if (args.list) {
        for (const f of printer.registry.list()) {
          const arg = f.arg === 'required' ? '[ARG]' : f.arg === 'optional' ? '[ARG?]' : '';
          out.line(`${`${f.name}${arg}`.padEnd(30)} ${f.type.padEnd(8)} ${f.description}${f.filterOnly ? ' (filters only)' : ''}`);
        }
        await out.flush();
        return;
      }
      const path = args.read!;
      const size = (await stat(path)).size;
      const progress = new Progress(path, size, args.progress ?? (process.stderr.isTTY === true && size > 8 << 20));
      try {
        for await (const rec of openCapture(progress.track(fileByteSource(path)))) {
          const wait = printer.push(rec);
          if (wait) await wait;
          if (printer.done) break;
        }
      } catch (e) {
        if (!(e instanceof ScapTruncatedError)) throw e;
        await out.flush();
        progress.end();
        warn(`${path} is cut short: ${e.message}. Every event complete before the cut was printed ` +
          `(${printer.pipeline.ctx.num} events); 'scapkit recover' rewrites a scapkit trace whole.`);
        setCode(EXIT.DATA_LOST);
        return;
      }
      await out.flush();
      progress.end();
    },
  };
}
