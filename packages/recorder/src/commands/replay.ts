// `scapkit replay -r FILE [filter]`: read a scapkit trace or a sysdig/Falco .scap and print its events
// through the same state, filter and output pipeline as a live capture. sysdig's flags: -p, -j, -n, -D.
import { open, stat } from 'node:fs/promises';
import { describeChisel, formatChiselList } from '@scapkit/replay';
import {
  type CaptureRecord,
  type CaptureStream,
  NotACaptureError,
  openCapture,
  readSysdigCapture,
  ScapTruncatedError,
  sniffCaptureFormat,
} from '@scapkit/scap-format';
import type { CommandModule } from 'yargs';
import { EXIT, UsageError, warn } from '../exit.js';
import { createPrinter, joinFilter } from '../live.js';
import { TextOutput } from '../output.js';
import { Progress } from '../progress.js';
import { startChisel, usage } from './chisel.js';
import { RecordedLosses } from './recorded-losses.js';

export interface ReplayArgs {
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
    for (const l of await usage(() => describeChisel(args['chisel-info']!))) out.line(l);
    await out.flush();
    return;
  }
  if (args.chisel !== undefined) {
    const code = await runChiselCommand(args, out);
    setCode(code);
    return;
  }
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
      out.line(
        `${`${f.name}${arg}`.padEnd(30)} ${f.type.padEnd(8)} ${f.description}${f.filterOnly ? ' (filters only)' : ''}`,
      );
    }
    await out.flush();
    return;
  }
  const { path, progress } = await progressFor(args);
  const losses = new RecordedLosses(path);
  try {
    for await (const rec of await openForPrinting(path, progress)) {
      losses.see(rec);
      const wait = printer.push(rec);
      if (wait) await wait;
      if (printer.done) break;
    }
  } catch (e) {
    if (e instanceof NotACaptureError) e.path ??= path;
    if (!(e instanceof ScapTruncatedError)) throw e;
    await out.flush();
    progress.end();
    warn(
      `${path} is cut short: ${e.message}. Every event complete before the cut was printed ` +
        `(${printer.pipeline.ctx.num} events); 'scapkit recover' rewrites a scapkit trace whole.`,
    );
    setCode(EXIT.DATA_LOST);
    return;
  }
  await out.flush();
  progress.end();
  losses.report();
}

/**
 * The capture to read (`-r`) and its progress line: shown when `--progress` asks for it, else by default
 * when stderr is a terminal and the file is over 8 MiB.
 */
async function progressFor(args: ReplayArgs): Promise<{ path: string; progress: Progress }> {
  const path = args.read!;
  const size = (await stat(path)).size;
  const progress = new Progress(
    path,
    size,
    args.progress ?? (process.stderr.isTTY === true && size > 8 << 20),
  );
  return { path, progress };
}

/** Bytes per read of the capture file. */
const READ_CHUNK = 1 << 20;

/**
 * The capture for the printer, which keeps nothing of a batch once it has printed it. A sysdig capture is
 * read through one reused read buffer into one reused batch buffer (the sysdig reader copies what it
 * keeps of its input), so memory stays the same however long the file is; a scapkit trace, whose reader
 * keeps views of its input, gets a fresh buffer per read.
 */
async function openForPrinting(path: string, progress: Progress): Promise<CaptureStream> {
  const fh = await open(path, 'r');
  let first: Uint8Array;
  try {
    const b = new Uint8Array(READ_CHUNK);
    const { bytesRead } = await fh.read(b, 0, READ_CHUNK, 0);
    first = b.subarray(0, bytesRead);
  } catch (e) {
    await fh.close();
    throw e;
  }
  const sysdig = first.length > 0 && sniffCaptureFormat(first.subarray(0, 8)) === 'sysdig';
  // One read always in flight while the consumer works on the previous chunk (on a plain file the main
  // thread otherwise waits for every read). A sysdig capture alternates between two buffers: when the
  // consumer asks for the next chunk it is done with the last one, which then takes the read after next.
  async function* chunks(): AsyncGenerator<Uint8Array> {
    let inFlight: Promise<unknown> | undefined;
    try {
      let pos = first.length;
      if (first.length === 0) return;
      const spare = sysdig ? new Uint8Array(READ_CHUNK) : undefined;
      let free: Uint8Array | undefined = sysdig ? new Uint8Array(first.buffer) : undefined;
      const readAt = (b: Uint8Array, at: number) => {
        const r = fh.read(b, 0, b.length, at).then(({ bytesRead }) => b.subarray(0, bytesRead));
        inFlight = r.catch(() => {}); // awaited below; a failure is thrown from there
        return r;
      };
      let next = readAt(spare ?? new Uint8Array(READ_CHUNK), pos);
      yield first;
      for (;;) {
        const got = await next;
        if (got.length === 0) return;
        pos += got.length;
        const b = free ?? new Uint8Array(READ_CHUNK);
        free = sysdig ? new Uint8Array(got.buffer) : undefined;
        next = readAt(b, pos);
        yield got;
      }
    } finally {
      await inFlight; // the handle stays open until no read uses it
      await fh.close();
    }
  }
  const source = progress.track(chunks());
  return sysdig ? readSysdigCapture(source, { reuseBatchBuffers: true }) : openCapture(source);
}

async function runChiselCommand(args: ReplayArgs, out: TextOutput): Promise<number> {
  let pending: Promise<void> | undefined;
  const run = await startChisel(args.chisel!, args.filter, {
    write: (l: string) => {
      pending = out.line(l) ?? pending;
    },
    maxEvents: args.number,
  });
  const { path, progress } = await progressFor(args);
  // Loaded here, not at the top: printing (the common case) does without the Node entry's modules.
  const { fileByteSource } = await import('@scapkit/scap-format/node');
  let code: number = EXIT.OK;
  const losses = new RecordedLosses(path);
  try {
    for await (const rec of openCapture(
      progress.track(fileByteSource(path)),
    ) as AsyncIterable<CaptureRecord>) {
      losses.see(rec);
      run.push(rec);
      if (pending) {
        await pending;
        pending = undefined;
      }
      if (run.done || out.closed) break;
    }
  } catch (e) {
    if (e instanceof NotACaptureError) e.path ??= path;
    if (!(e instanceof ScapTruncatedError)) throw e;
    warn(`${path} is cut short: ${e.message}. The report covers every event complete before the cut.`);
    code = EXIT.DATA_LOST;
  }
  run.end();
  await out.flush();
  progress.end();
  losses.report();
  return code;
}
