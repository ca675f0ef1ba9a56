// `scapkit record -w FILE [filter]`: record every system call of the box into a scapkit trace, or print
// them live without -w. sysdig's flags: -s, -M, -n, -C, -G, -e, -W, -p, -j, -q, and `-- CMD ARGS`.
import { existsSync, lstatSync, readFileSync, type Stats } from 'node:fs';
import { dirname } from 'node:path';
import { CaptureFilter } from '@scapkit/replay';
import { CODEC_NAMES, type CodecName } from '@scapkit/scap-format';
import { FileWriteError } from '@scapkit/scap-format/node';
import type { CommandModule } from 'yargs';
import { ContainerEnricher } from '../containers/enricher.js';
import { CliError, EXIT, UsageError } from '../exit.js';
import { createPrinter, joinFilter } from '../live.js';
import { TextOutput } from '../output.js';
import { loadRecording } from '../probe-package.js';
import { CommandStartError, describeExit } from '../record/command.js';
import { LiveRules, parseDuration } from '../record/live-rules.js';
import type { RecordSummary } from '../record/session.js';
import { type ChiselRun, startChisel } from './chisel.js';
import { codecFromFlag } from './codec.js';

interface RecordArgs {
  write?: string;
  filter?: string[];
  snaplen: number;
  duration?: number;
  number?: number;
  'buffer-size'?: string;
  'file-size'?: number;
  'rotate-seconds'?: number;
  events?: number;
  limit?: number;
  'checkpoint-seconds'?: number;
  'only-command': boolean;
  print?: string;
  json: boolean;
  quiet: boolean;
  codec?: CodecName;
  chisel?: string;
  rules?: string[];
  detect: boolean;
  'min-priority'?: string;
  alerts?: string;
  'capture-on-alert'?: string;
  before: string;
  after: string;
  'buffer-mb': number;
  'container-lookup': boolean;
  cri?: string;
  '--'?: (string | number)[];
}

/** Parses a size such as 8M, 512K, 1G or a byte count. */
export function parseSize(s: string): number {
  const [, count, unit = ''] = /^(\d+)([KMG]?)i?B?$/i.exec(s.trim()) ?? [];
  if (count === undefined)
    throw new UsageError(`bad size '${s}': use a byte count or a number with K, M or G`);
  const mul = { '': 1, K: 1 << 10, M: 1 << 20, G: 1 << 30 }[unit.toUpperCase() as '' | 'K' | 'M' | 'G'];
  return Number(count) * mul;
}

const CAP_SYS_ADMIN = 21n;
const CAP_PERFMON = 38n;
const CAP_BPF = 39n;

/**
 * Refuses to start without the privileges the probe needs (root, or CAP_BPF with CAP_PERFMON, or
 * CAP_SYS_ADMIN on older kernels), before anything is loaded or created. The probe's own check reports an
 * unprivileged run as "BPF ring buffers are not supported: the probe needs Linux 5.8": libbpf's feature
 * probe answers "unsupported" when the map it tries to create is refused.
 */
export function checkPrivileges(): void {
  let eff: bigint;
  try {
    const m = /^CapEff:\s*([0-9a-f]+)$/m.exec(readFileSync('/proc/self/status', 'utf8'));
    if (!m) return; // no way to tell: let the probe try
    eff = BigInt(`0x${m[1]}`);
  } catch {
    return;
  }
  const has = (cap: bigint) => ((eff >> cap) & 1n) === 1n;
  if ((has(CAP_BPF) && has(CAP_PERFMON)) || has(CAP_SYS_ADMIN)) return;
  const uid = process.getuid?.() ?? -1;
  throw new CliError(
    'scapkit record must run as root (or with the CAP_BPF and CAP_PERFMON capabilities) to load its eBPF ' +
      `probe; this process (uid ${uid}) has neither. Try: sudo scapkit record ...`,
  );
}

/**
 * Refuses a -w path that cannot become the trace before the probe is loaded (seconds on a busy box), with
 * the words createFileSink uses; createFileSink still decides, race-free (O_EXCL|O_NOFOLLOW), when the
 * file is created.
 */
function checkOutputPath(path: string, rotating: boolean): void {
  const dir = dirname(path);
  if (!existsSync(dir)) throw new CliError(`cannot create trace file ${path}: no such directory ${dir}`);
  if (rotating) return; // the files get a sequence number or a time: the -w name itself is never written
  let st: Stats;
  try {
    st = lstatSync(path);
  } catch {
    return; // nothing there: the usual case
  }
  if (st.isFile()) return;
  const kind = st.isSymbolicLink()
    ? 'a symbolic link'
    : st.isDirectory()
      ? 'a directory'
      : 'not a regular file';
  throw new CliError(
    `cannot create trace file ${path}: the path exists and is ${kind}; refusing to replace it`,
  );
}

/** A trace file that cannot be created or written, said in words an operator can act on. */
function fileErrorText(e: FileWriteError, summary?: RecordSummary): string {
  if (!summary) return e.message;
  if (e.op === 'write' && e.code === 'ENOENT') {
    // Deleted while written (file-sink.ts): nothing of it is left to recover.
    const others = summary.files.filter((f) => f !== e.path);
    return (
      `${e.message}. Recording stopped` +
      (others.length ? `; the files closed before it are complete: ${others.join(', ')}` : '') +
      '. Record again, somewhere no clean-up job removes files.'
    );
  }
  const lost = summary.drops.write_error ?? 0;
  if (summary.closedAfterError.includes(e.path)) {
    // The partial chunk was cut away and the footer fit: a whole file, whose statistics say what was lost.
    return (
      `${e.message}. Recording stopped; ${e.path} is closed after its last complete chunk, and its ` +
      `statistics count the ${lost} events the error lost (scapkit info ${e.path}).`
    );
  }
  return (
    `${e.message}. Recording stopped; ${summary.files.length ? summary.files.join(', ') : e.path} ` +
    `keeps every chunk written before the error (${lost} events after it were lost): ` +
    "'scapkit recover IN OUT' rewrites a cut file whole."
  );
}

const fmtBytes = (n: number) =>
  n >= 1e9
    ? `${(n / 1e9).toFixed(2)} GB`
    : n >= 1e6
      ? `${(n / 1e6).toFixed(2)} MB`
      : `${(n / 1e3).toFixed(1)} KB`;

function summaryText(s: RecordSummary): string {
  const dropped = Object.values(s.drops).reduce((a, b) => a + b, 0);
  const lines = [
    `scapkit: stopped: ${
      s.commandExit
        ? describeExit(s.commandExit) + (s.commandExit.status ? '; scapkit exits with the same status' : '')
        : s.stopReason
    }`,
    `  events: ${s.eventsWritten} written of ${s.eventsSeen} seen by the kernel` +
      (s.eventsAdded ? ` and ${s.eventsAdded} procinfo made by the recorder` : '') +
      (s.eventsFiltered ? `, ${s.eventsFiltered} not matching the capture filter` : '') +
      (s.eventsAfterLimit ? `, ${s.eventsAfterLimit} after the -n limit` : ''),
    `  drops:  ${dropped}${
      dropped
        ? ` (${Object.entries(s.drops)
            .filter(([, v]) => v)
            .map(([k, v]) => `${k} ${v}`)
            .join(', ')}); ` + 'a bigger --buffer-size or a capture filter helps'
        : ''
    }`,
  ];
  if (s.files.length) {
    lines.push(
      `  files:  ${s.files.join(', ')} — ${fmtBytes(s.bytesWritten)}` +
        (s.bytesWritten ? `, compression ${(s.rawBytes / s.bytesWritten).toFixed(1)}x` : ''),
    );
  }
  lines.push(
    `  time:   ${(s.durationMs / 1000).toFixed(1)} s, ${Math.round((s.eventsWritten * 1000) / Math.max(1, s.durationMs))} events/s`,
  );
  return `${lines.join('\n')}\n`;
}

/** The containers line of the summary: how many were seen and described, and why the others were not. */
function containersText(c: ContainerEnricher): string {
  const { seen, learned } = c.counts();
  if (seen === 0) return '';
  const problems = c.problems();
  return `  containers: ${seen} seen, ${learned} described by their runtime${problems.length ? '; not all could be:' : ''}\n${problems.map((p) => `    ${p}\n`).join('')}`;
}

export function recordCommand(setCode: (c: number) => void): CommandModule<object, RecordArgs> {
  return {
    command: 'record [filter..]',
    describe: 'record system calls with the eBPF probe into a trace file (-w), or print them live',
    builder: (y) =>
      y
        .parserConfiguration({ 'populate--': true })
        .positional('filter', {
          type: 'string',
          array: true,
          describe:
            'capture filter (sysdig syntax). With -w the trace keeps the matching events; from its first match on, the state events (open, close, clone, execve, exit…) of each matching process; the execve and exit events of the processes it descends from; before its first match, a state record of its threads and fds and its line of parents (no environment, no fds). Nothing else of other processes. Without -w: the events printed',
        })
        .option('write', {
          alias: 'w',
          type: 'string',
          describe: 'trace file to write (created 0600; base name when rotating)',
        })
        .option('snaplen', {
          alias: 's',
          type: 'number',
          default: 80,
          describe: 'bytes of I/O data kept per event (up to 65000)',
        })
        .option('duration', { alias: 'M', type: 'number', describe: 'stop after this many seconds' })
        .option('number', { alias: 'n', type: 'number', describe: 'stop after this many events' })
        .option('buffer-size', { type: 'string', describe: 'ring buffer per CPU, e.g. 8M (default 8M)' })
        .option('file-size', { alias: 'C', type: 'number', describe: 'start a new file every N megabytes' })
        .option('rotate-seconds', {
          alias: 'G',
          type: 'number',
          describe: 'start a new file every N seconds (strftime patterns allowed in -w)',
        })
        .option('events', {
          alias: 'e',
          type: 'number',
          describe: 'start a new file every N events (with -w; -W keeps the newest files)',
        })
        .option('limit', {
          alias: 'W',
          type: 'number',
          describe: 'with -C, -G or -e: keep only the newest N files',
        })
        .option('checkpoint-seconds', {
          type: 'number',
          describe:
            'with -w: a checkpoint (the tables at that point, for replay --from/--to) every N seconds and every 32 MiB of events (default 10; 0: only at the start of each file)',
        })
        .option('only-command', {
          type: 'boolean',
          default: false,
          describe:
            'with -- CMD: record only CMD and the processes it starts (the probe follows its forks in the kernel), not the rest of the box',
        })
        .option('print', { alias: 'p', type: 'string', describe: 'live output format (without -w)' })
        .option('json', {
          alias: 'j',
          type: 'boolean',
          default: false,
          describe: 'live output as JSON lines (without -w)',
        })
        .option('chisel', {
          alias: 'c',
          type: 'string',
          describe:
            'run a chisel on the live events (without -w), e.g. -c topscalls; scapkit replay -cl lists them',
        })
        .option('codec', {
          choices: CODEC_NAMES,
          describe:
            'chunk compression of the trace (default: zstd when its native module is installed, else lz4)',
        })
        .option('rules', {
          type: 'string',
          array: true,
          describe:
            'judge the live events with this Falco rules file (several load in order); alerts on stderr',
        })
        .option('detect', {
          type: 'boolean',
          default: false,
          describe: "judge the live events with scapkit's default ruleset",
        })
        .option('min-priority', {
          type: 'string',
          describe: 'with --rules/--detect: only rules at least this severe',
        })
        .option('alerts', {
          type: 'string',
          describe: 'with --rules/--detect: alerts as JSON lines into this file',
        })
        .option('capture-on-alert', {
          type: 'string',
          describe: 'with --rules/--detect: write a trace around each alert into this directory',
        })
        .option('before', {
          type: 'string',
          default: '10s',
          describe: 'with --capture-on-alert: time kept before an alert',
        })
        .option('after', {
          type: 'string',
          default: '10s',
          describe: 'with --capture-on-alert: time recorded after it',
        })
        .option('buffer-mb', {
          type: 'number',
          default: 256,
          describe: 'with --capture-on-alert: memory for the events kept before an alert',
        })
        .option('container-lookup', {
          type: 'boolean',
          default: true,
          describe:
            'ask docker and podman about each container seen (name, image, labels, …); --no-container-lookup records the ids only',
        })
        .option('cri', {
          type: 'string',
          describe: "a CRI socket (containerd's, CRI-O's) to ask about containers before the default ones",
        })
        .option('quiet', {
          alias: 'q',
          type: 'boolean',
          default: false,
          describe: 'no status line and no summary',
        })
        .example('$0 record -w trace.scap -M 10', 'record the whole box for 10 seconds')
        .example("$0 record -w t.scap -- sh -c 'cat /etc/hostname'", 'record while a command runs')
        .example("$0 record 'proc.name=nginx'", 'print nginx events live') as never,
    handler: async (args) => {
      checkRotationFlags(args);
      if (args['only-command'] && !(args['--'] ?? []).length)
        throw new UsageError(
          '--only-command records the command given after --: scapkit record --only-command -- CMD ARGS',
        );
      if (args.snaplen < 0 || args.snaplen > 65000) throw new UsageError('-s must be between 0 and 65000');
      const bufferBytes = args['buffer-size'] ? parseSize(args['buffer-size']) : undefined;
      // The probe's own limits; past them openProbe's TypeError ended in an "internal error" stack trace.
      if (bufferBytes !== undefined && (bufferBytes < 4096 || bufferBytes > 1 << 30)) {
        throw new UsageError('--buffer-size must be between 4K and 1G per CPU');
      }
      const command = (args['--'] ?? []).map(String);
      const filterText = joinFilter(args.filter);
      const out = new TextOutput();
      const detecting = args.detect || (args.rules?.length ?? 0) > 0;
      if (!detecting && (args.alerts || args['capture-on-alert'])) {
        throw new UsageError('--alerts and --capture-on-alert need --rules FILE or --detect');
      }
      if (args['buffer-mb'] <= 0) throw new UsageError('--buffer-mb must be more than 0');
      // The same pipeline as replay: it keeps the tables (so a capture filter never loses a process or
      // file name) and prints when there is no -w.
      const capture = args.write && filterText ? new CaptureFilter(filterText) : undefined;
      const chiselRun = args.chisel !== undefined ? await liveChisel(args, out) : undefined;
      // Judging the live events without -w, -p or -j: the alerts are the output, not every event.
      const printer =
        args.write || chiselRun || (detecting && args.print === undefined && !args.json)
          ? undefined
          : createPrinter(
              { filter: filterText, format: args.print, json: args.json, maxEvents: args.number },
              out,
            );

      const codec = codecFromFlag(args.codec);
      const { record, ProbeLoadError } = await loadRecording();
      checkPrivileges();
      const liveRules = detecting
        ? await LiveRules.start({
            rules: (args.rules ?? []).map(String),
            minPriority: args['min-priority'],
            alertsFile: args.alerts,
            flight: args['capture-on-alert']
              ? {
                  dir: args['capture-on-alert'],
                  beforeNs: parseDuration('before', args.before),
                  afterNs: parseDuration('after', args.after),
                  bufferBytes: args['buffer-mb'] * 2 ** 20,
                  snaplen: args.snaplen,
                }
              : undefined,
          })
        : undefined;
      if (args.write)
        checkOutputPath(args.write, Boolean(args['file-size'] || args['rotate-seconds'] || args.events));
      const ac = new AbortController();
      const onSignal = (sig: NodeJS.Signals) => ac.abort(`${sig} received`);
      process.on('SIGINT', onSignal);
      process.on('SIGTERM', onSignal);
      // A closed terminal (ssh dropped): stop cleanly too; without a handler SIGHUP killed the recorder
      // before it wrote the footer.
      process.on('SIGHUP', onSignal);
      const containers = args['container-lookup']
        ? new ContainerEnricher({ criSocket: args.cri })
        : undefined;
      let summary: RecordSummary;
      try {
        summary = await record({
          modules: containers ? [containers] : [],
          path: args.write,
          probe: {
            snaplen: args.snaplen,
            bufferBytesPerCpu: bufferBytes,
          },
          maxSeconds: args.duration,
          maxEvents: args.write ? args.number : undefined,
          sizeMb: args['file-size'],
          periodSeconds: args['rotate-seconds'],
          eventsPerFile: args.events,
          keepFiles: args.limit,
          checkpointSeconds: args['checkpoint-seconds'],
          // A measurement switch (bench/record.bench.mjs): what the live state engine costs.
          liveState: process.env.SCAPKIT_RECORD_LIVE_STATE !== '0',
          codec,
          capture,
          observer: liveRules
            ? { metadata: (m) => liveRules.onMetadata(m), events: (b) => liveRules.onBatch(b) }
            : undefined,
          live: chiselRun
            ? {
                metadata: (metadata) => chiselRun.push({ kind: 'metadata', metadata }),
                events: async (batch) => {
                  chiselRun.push({ kind: 'events', batch });
                  await out.flush();
                  if (chiselRun.done) ac.abort(out.closed ? 'output closed' : 'the chisel is done');
                },
              }
            : printer
              ? {
                  metadata: (metadata) => void printer.push({ kind: 'metadata', metadata }),
                  events: async (batch) => {
                    await printer.push({ kind: 'events', batch });
                    if (printer.done) ac.abort(out.closed ? 'output closed' : `${args.number} events (-n)`);
                  },
                }
              : undefined,
          command,
          onlyCommand: args['only-command'],
          announce: !args.quiet,
          status: !args.quiet && process.stderr.isTTY === true && Boolean(args.write),
          signal: ac.signal,
        });
      } catch (e) {
        if (e instanceof ProbeLoadError) throw new CliError(`cannot start the probe: ${e.message}`);
        // A -w path that is a symlink, a directory or in a missing directory: refused before any event
        // is kept (it used to end in an "internal error" stack trace).
        if (e instanceof FileWriteError) throw new CliError(fileErrorText(e));
        throw e;
      } finally {
        process.off('SIGINT', onSignal);
        process.off('SIGTERM', onSignal);
        process.off('SIGHUP', onSignal);
        chiselRun?.end();
        await out.flush();
      }
      const ruleLines = liveRules ? await liveRules.close() : [];
      if (!args.quiet)
        process.stderr.write(
          summaryText(summary) +
            (containers ? containersText(containers) : '') +
            ruleLines.map((l) => `${l}\n`).join(''),
        );
      if (summary.error !== undefined) {
        // A full disk or an I/O error mid-capture: the summary above says what was kept, this says why
        // it stopped, with exit 1 (it used to be an "internal error" stack trace and no summary).
        const e = summary.error;
        if (e instanceof FileWriteError) throw new CliError(fileErrorText(e, summary));
        if (e instanceof CommandStartError) throw new CliError(e.message);
        throw e;
      }
      // `record -- CMD` exits with CMD's status, as `time` and strace do (a failed command must fail the
      // script that recorded it); with CMD successful, lost events make it 3.
      if (summary.commandExit && summary.commandExit.status !== 0) setCode(summary.commandExit.status);
      else if (Object.values(summary.drops).some((n) => n > 0)) setCode(EXIT.DATA_LOST);
    },
  };
}

/** -C, -G, -e and -W name files: without -w there are none (they were silently ignored). */
function checkRotationFlags(args: RecordArgs): void {
  const rotation = (
    [
      ['-C', args['file-size']],
      ['-G', args['rotate-seconds']],
      ['-e', args.events],
    ] as const
  ).filter(([, v]) => v !== undefined);
  for (const [flag, v] of rotation) {
    if (!Number.isFinite(v) || (v as number) <= 0) throw new UsageError(`${flag} needs a number above 0`);
  }
  if (args.events !== undefined && !Number.isInteger(args.events))
    throw new UsageError('-e needs a whole number of events');
  if (!args.write) {
    const named = [...rotation.map(([f]) => f), ...(args.limit !== undefined ? ['-W'] : [])];
    if (named.length) throw new UsageError(`${named.join(', ')} start new trace files: they need -w FILE`);
  }
  if (args.limit !== undefined && rotation.length === 0) throw new UsageError('-W needs -C, -G or -e');
  const cps = args['checkpoint-seconds'];
  if (cps !== undefined) {
    if (!args.write)
      throw new UsageError('--checkpoint-seconds writes checkpoints into trace files: it needs -w FILE');
    if (!Number.isFinite(cps) || cps < 0)
      throw new UsageError('--checkpoint-seconds needs a number of seconds, 0 or more');
  }
  if (args.limit !== undefined && (!Number.isInteger(args.limit) || args.limit < 1))
    throw new UsageError('-W needs a whole number of files above 0');
}

/** `record -c NAME [args] [filter]`: a chisel over the live events, exactly as `replay -c` runs one on a file. */
async function liveChisel(args: RecordArgs, out: TextOutput): Promise<ChiselRun> {
  if (args.write) {
    throw new UsageError(
      '-c runs a chisel on live events: leave out -w (or record with -w, then scapkit replay -r FILE -c NAME)',
    );
  }
  return startChisel(args.chisel!, args.filter, {
    write: (l: string) => void out.line(l),
    maxEvents: args.number,
  });
}
