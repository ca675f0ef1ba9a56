// The flags of `replay` and of live `record` printing, declared once: name, sysdig's short alias, type
// and help text. The commands hand these declarations to yargs; cli.ts's fast path reads the ones marked
// `fast` straight from argv. Kept free of heavy imports: cli.ts loads it before knowing the command.
import type { Options } from 'yargs';

/** A yargs option declaration; `fast` when cli.ts's fast path may read it without yargs. */
export interface FlagSpec extends Options {
  readonly alias?: string;
  readonly type: 'string' | 'boolean' | 'number';
  readonly describe: string;
  readonly fast?: boolean;
}

export type FlagTable = Readonly<Record<string, FlagSpec>>;

/** How events print, on `replay` and on `record` without -w: sysdig's printing flags. */
export const PRINT_FLAGS = {
  print: {
    alias: 'p',
    type: 'string',
    describe:
      "output format, e.g. '*%evt.num %proc.name %fd.name' (a leading * prints events with missing fields); " +
      '-pc / -pk: the container-friendly lines; -pp prints the default format',
    fast: true,
  },
  json: { alias: 'j', type: 'boolean', default: false, describe: 'one JSON object per event', fast: true },
  'print-ascii': {
    alias: 'A',
    type: 'boolean',
    describe: 'print data buffers as their printable ASCII only, with their line breaks',
    fast: true,
  },
  'print-hex': { alias: 'x', type: 'boolean', describe: 'print data buffers in hex', fast: true },
  'print-hex-ascii': {
    alias: 'X',
    type: 'boolean',
    describe: 'print data buffers in hex and ASCII',
    fast: true,
  },
  'print-base64': { alias: 'b', type: 'boolean', describe: 'print data buffers in base64', fast: true },
  verbose: {
    alias: 'v',
    type: 'boolean',
    describe:
      'whole data buffers, not cut at 80 characters; and the event counts and CPU time on stderr at the end',
    fast: true,
  },
  timetype: {
    alias: 't',
    type: 'string',
    describe:
      'how the event time prints: h time of day (default), a seconds since the epoch, r since the first ' +
      'event, d latency of the system call, D since the previous event printed',
    fast: true,
  },
  'resolve-ports': {
    alias: 'R',
    type: 'boolean',
    describe: 'port numbers as service names (/etc/services)',
    fast: true,
  },
  summary: {
    alias: 'S',
    type: 'boolean',
    describe: 'at the end, the number of events of each type (the 100 most frequent)',
    fast: true,
  },
  unbuffered: {
    type: 'boolean',
    describe: 'write every line as soon as it is printed (for a script reading the output as it comes)',
    fast: true,
  },
} as const satisfies FlagTable;

/** `replay`'s own flags (its printing flags are PRINT_FLAGS). */
export const REPLAY_FLAGS = {
  read: {
    alias: 'r',
    type: 'string',
    describe: 'capture file: a scapkit trace or a sysdig/Falco .scap (gzip or not)',
    fast: true,
  },
  number: { alias: 'n', type: 'number', describe: 'stop after N events', fast: true },
  'display-internal': {
    alias: 'D',
    type: 'boolean',
    default: false,
    describe: 'also show internal events (procinfo, …)',
    fast: true,
  },
  list: {
    alias: 'l',
    type: 'boolean',
    default: false,
    describe: 'list the fields filters and formats can use',
  },
  'list-markdown': { type: 'boolean', default: false, describe: 'like -l, in markdown' },
  'list-events': {
    alias: 'L',
    type: 'boolean',
    default: false,
    describe: 'list the event types and their parameters (as sysdig -L)',
  },
  progress: { type: 'boolean', describe: 'progress bar on stderr (default: when stderr is a terminal)' },
  chisel: {
    alias: 'c',
    type: 'string',
    describe:
      'run a chisel: a built-in name or a path to an ES module, then its arguments as one word ' +
      "(-c spy_file 'R /etc/passwd'); -cl lists them",
  },
  'chisel-info': { alias: 'i', type: 'string', describe: 'describe a chisel' },
  'list-chisels': { type: 'boolean', default: false, describe: 'list the chisels' },
} as const satisfies FlagTable;

/** The time forms --from and --to take, for `--help` and every usage error about them. */
export const TIME_FORMS =
  "a time as sysdig prints it ('16:17:57.881730713' of the trace's first day, '2024-11-24 16:17:57.881730713', " +
  "or seconds '1732465077.881730713'), ISO 8601 ('2024-11-24T16:17:57.88Z'), nanoseconds since the epoch " +
  "('1732465077881730713'), or relative to the trace's first event ('+30s', '+1m30s', '+250ms')";

/** `--from` / `--to`: a time range of the capture (time-range.ts reads them). */
export const TIME_RANGE_FLAGS = {
  from: {
    type: 'string',
    describe: 'only events at or after this time (state is rebuilt from the checkpoint before it): see --to',
    fast: true,
  },
  to: {
    type: 'string',
    describe: `only events at or before this time; either one takes ${TIME_FORMS}`,
    fast: true,
  },
} as const satisfies FlagTable;

/** The declarations as yargs takes them (without `fast`), keeping their types for yargs' inference. */
export function yargsOptions<T extends FlagTable>(table: T): { [K in keyof T]: Omit<T[K], 'fast'> } {
  const out: Record<string, Options> = {};
  for (const [name, { fast: _fast, ...spec }] of Object.entries(table)) out[name] = spec;
  return out as { [K in keyof T]: Omit<T[K], 'fast'> };
}

/** `-f` and `--name` of each flag of `tables`, with its key and type. */
export function flagsByArgument(
  tables: readonly FlagTable[],
  only: (spec: FlagSpec) => boolean = () => true,
): Map<string, { key: string; type: FlagSpec['type'] }> {
  const m = new Map<string, { key: string; type: FlagSpec['type'] }>();
  for (const table of tables) {
    for (const [key, spec] of Object.entries(table)) {
      if (!only(spec)) continue;
      m.set(`--${key}`, { key, type: spec.type });
      if (spec.alias) m.set(`-${spec.alias}`, { key, type: spec.type });
    }
  }
  return m;
}

/**
 * sysdig reads a value glued to a short flag (`-pc`, `-tr`, `-n100`, `-cl`) as getopt does; yargs would
 * take `-pc` for the flags -p and -c. Splits `-Xvalue` into `-X value` for the flags of `tables` that take
 * a value; every other argument is left as it is.
 */
export function splitGluedValues(argv: readonly string[], tables: readonly FlagTable[]): string[] {
  const withValue = flagsByArgument(tables, (s) => s.type !== 'boolean');
  const out: string[] = [];
  let prev: string | undefined;
  for (const [i, a] of argv.entries()) {
    if (a === '--') {
      // What follows is a command to run (record -- CMD): its arguments are its own.
      out.push(...argv.slice(i));
      break;
    }
    // The word after `-p` is its value, even if it starts with '-'.
    const isValue = prev !== undefined && withValue.has(prev);
    const glued = !isValue && a.length > 2 && a[0] === '-' && a[1] !== '-' && a[2] !== '=';
    if (glued && withValue.has(a.slice(0, 2))) out.push(a.slice(0, 2), a.slice(2));
    else out.push(a);
    prev = a;
  }
  return out;
}
