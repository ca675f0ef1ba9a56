// What the viewer computes, written down as data: the overview's tiles (as in Sysdig Inspect), the
// drill-down tables and the timeline's categories. Every condition is a sysdig filter and every value a
// field of the field registry, compiled by replay's own compiler: a number the viewer shows is what
// `scapkit replay` with the same filter and field would give. `types` only narrows which event types a
// spec is evaluated on (a necessary condition of its filter, for speed); the filter decides.
import { EC, EF, EVENT_MAX, EVENTS, EVENTS_SYSDIG_0_29 } from '@scapkit/scap-format';

/** Which event types a spec can match: every type, the I/O ones, or these names. */
export type TypePrefilter = 'all' | 'io' | readonly string[];

export type Units = 'count' | 'bytes' | 'ns';

/** The kinds of fd a spec can be narrowed to (TileSpec.fd, TableSpec.fd). */
export type FdKind = 'file' | 'net';

export interface TileSpec {
  readonly id: string;
  readonly group: string;
  readonly title: string;
  /** The events that count. */
  readonly filter: string;
  /** Events are counted (default), a field summed (positive values, as the chisels do), or distinct values counted. */
  readonly sum?: string;
  readonly distinct?: string;
  readonly units: Units;
  readonly types: TypePrefilter;
  /**
   * A necessary condition of `filter` on the kind of fd the event is on — 'file' (fd.type file or
   * directory) or 'net' (ipv4 or ipv6) — which the builder checks once per event for every spec, for speed;
   * the filter decides.
   */
  readonly fd?: FdKind;
  /**
   * Whether the filter and the distinct value are functions of the event's thread, through its process
   * id and its container (proc.pid, container.id): the builder looks at the tile again only when the
   * thread, its pid or its container changes from the last event it looked at (a distinct value seen
   * once adds nothing the next time).
   */
  readonly perThread?: boolean;
  /**
   * Whether the distinct value is a function of the event's fd entry and its name (fd.name on the tile's
   * types, which hold no connect): the builder skips an event on an entry, named as before, whose value
   * it found or put in the set before.
   */
  readonly perFd?: boolean;
  /** The table the tile opens, narrowed by the tile's filter. */
  readonly drill: TableId;
}

export type TableId =
  | 'processes'
  | 'threads'
  | 'files'
  | 'directories'
  | 'connections'
  | 'ports'
  | 'containers'
  | 'syscalls'
  | 'errors'
  | 'commands';

export interface ColumnSpec {
  readonly title: string;
  /** count: events; sum: the field's positive values; first: the field's first value seen (text). */
  readonly agg: 'count' | 'sum' | 'first';
  readonly field?: string;
  /** Only events that also pass this filter add to the column. */
  readonly filter?: string;
  /** A necessary condition of `filter` on the event type, for speed (default: every type). */
  readonly types?: TypePrefilter;
  readonly units?: Units;
}

export interface TableSpec {
  readonly id: TableId;
  readonly title: string;
  /** Group-by fields; a row's events are `k1=v1 and k2=v2 …` (with the table's filter). */
  readonly keys: readonly string[];
  readonly keyTitles: readonly string[];
  readonly filter: string;
  /** As TileSpec.fd. */
  readonly fd?: FdKind;
  readonly types: TypePrefilter;
  readonly columns: readonly ColumnSpec[];
  /** The column rows are sorted by, largest first. */
  readonly sortBy: number;
}

const FILE_IO = 'fd.type=file and evt.is_io=true';
const NET_IO = '(fd.type=ipv4 or fd.type=ipv6) and evt.is_io=true';
const OPENS = ['open', 'openat', 'openat2', 'creat', 'open_by_handle_at'];
const EXECS = ['execve', 'execveat'];
const SYSTEM_DIRS = ['/etc/', '/bin/', '/sbin/', '/usr/bin/', '/usr/sbin/', '/lib/', '/usr/lib/', '/boot/'];

export const TILES: readonly TileSpec[] = [
  {
    id: 'processes',
    group: 'General',
    title: 'Processes',
    filter: 'proc.pid exists',
    distinct: 'proc.pid',
    units: 'count',
    types: 'all',
    perThread: true,
    drill: 'processes',
  },
  {
    id: 'containers',
    group: 'General',
    title: 'Containers',
    filter: 'container.id exists and container.id!=host',
    distinct: 'container.id',
    units: 'count',
    types: 'all',
    perThread: true,
    drill: 'containers',
  },
  {
    id: 'syscalls',
    group: 'General',
    title: 'System calls',
    filter: 'evt.type!=switch',
    units: 'count',
    types: 'all',
    drill: 'syscalls',
  },
  {
    id: 'file-in',
    group: 'File',
    title: 'File bytes in',
    filter: `${FILE_IO} and evt.is_io_read=true`,
    sum: 'evt.rawarg.res',
    units: 'bytes',
    types: 'io',
    fd: 'file',
    drill: 'files',
  },
  {
    id: 'file-out',
    group: 'File',
    title: 'File bytes out',
    filter: `${FILE_IO} and evt.is_io_write=true`,
    sum: 'evt.rawarg.res',
    units: 'bytes',
    types: 'io',
    fd: 'file',
    drill: 'files',
  },
  {
    id: 'files-accessed',
    group: 'File',
    title: 'Files accessed',
    filter: `fd.type=file and evt.dir=< and evt.failed=false`,
    distinct: 'fd.name',
    perFd: true,
    units: 'count',
    types: [...OPENS, 'read', 'pread', 'readv', 'preadv', 'write', 'pwrite', 'writev', 'pwritev'],
    drill: 'files',
  },
  {
    id: 'files-modified',
    group: 'File',
    title: 'Files modified',
    filter: `${FILE_IO} and evt.is_io_write=true and evt.failed=false`,
    distinct: 'fd.name',
    perFd: true,
    units: 'count',
    types: 'io',
    fd: 'file',
    drill: 'files',
  },
  {
    id: 'net-in',
    group: 'Network',
    title: 'Net bytes in',
    filter: `${NET_IO} and evt.is_io_read=true`,
    sum: 'evt.rawarg.res',
    units: 'bytes',
    types: 'io',
    fd: 'net',
    drill: 'connections',
  },
  {
    id: 'net-out',
    group: 'Network',
    title: 'Net bytes out',
    filter: `${NET_IO} and evt.is_io_write=true`,
    sum: 'evt.rawarg.res',
    units: 'bytes',
    types: 'io',
    fd: 'net',
    drill: 'connections',
  },
  {
    id: 'connections',
    group: 'Network',
    title: 'Connections',
    filter: `${NET_IO} and evt.rawres>0`,
    distinct: 'fd.name',
    perFd: true,
    units: 'count',
    types: 'io',
    fd: 'net',
    drill: 'connections',
  },
  {
    id: 'listening',
    group: 'Network',
    title: 'Listening ports',
    filter: 'evt.type=listen and evt.dir=< and evt.failed=false',
    distinct: 'fd.sport',
    units: 'count',
    types: ['listen'],
    drill: 'ports',
  },
  {
    id: 'inbound',
    group: 'Network',
    title: 'New inbound connections',
    filter: 'evt.type in (accept, accept4) and evt.dir=< and evt.failed=false',
    units: 'count',
    types: ['accept', 'accept4'],
    drill: 'connections',
  },
  {
    id: 'outbound',
    group: 'Network',
    title: 'New outbound connections',
    filter: 'evt.type=connect and evt.dir=< and (evt.rawres=0 or evt.res=EINPROGRESS)',
    units: 'count',
    types: ['connect'],
    drill: 'connections',
  },
  {
    id: 'executed',
    group: 'Commands',
    title: 'Executed commands',
    filter: 'evt.type in (execve, execveat) and evt.dir=< and evt.failed=false',
    units: 'count',
    types: EXECS,
    drill: 'commands',
  },
  {
    id: 'interactive',
    group: 'Commands',
    title: 'Interactive commands',
    filter: 'evt.type in (execve, execveat) and evt.dir=< and evt.failed=false and proc.tty!=0',
    units: 'count',
    types: EXECS,
    drill: 'commands',
  },
  {
    id: 'errors',
    group: 'Errors',
    title: 'Failed system calls',
    filter: 'evt.failed=true',
    units: 'count',
    types: 'all',
    drill: 'errors',
  },
  {
    id: 'failed-opens',
    group: 'Errors',
    title: 'Failed file opens',
    filter: `evt.type in (${OPENS.join(', ')}) and evt.dir=< and evt.failed=true`,
    units: 'count',
    types: OPENS,
    drill: 'errors',
  },
  {
    id: 'failed-connects',
    group: 'Errors',
    title: 'Failed connects',
    filter: 'evt.type=connect and evt.dir=< and evt.failed=true and evt.res!=EINPROGRESS',
    units: 'count',
    types: ['connect'],
    drill: 'errors',
  },
  {
    id: 'signals',
    group: 'Errors',
    title: 'Signals',
    filter: 'evt.type=signaldeliver',
    units: 'count',
    types: ['signaldeliver'],
    drill: 'processes',
  },
  {
    id: 'segfaults',
    group: 'Errors',
    title: 'Segfaults',
    filter: 'evt.type=signaldeliver and evt.arg.sig=SIGSEGV',
    units: 'count',
    types: ['signaldeliver'],
    drill: 'processes',
  },
  // File I/O slower than 1, 10 and 100 ms: one tile each, the same but for the bound.
  ...[1, 10, 100].map(
    (ms): TileSpec => ({
      id: `slow-${ms}ms`,
      group: 'Performance',
      title: `File I/O > ${ms} ms`,
      // The latency first: the test that rules out most events.
      filter: `evt.latency>${ms * 1_000_000} and ${FILE_IO} and evt.dir=<`,
      units: 'count',
      types: 'io',
      fd: 'file',
      drill: 'files',
    }),
  ),
  {
    id: 'system-files',
    group: 'Security',
    title: 'Modified system files',
    filter: `fd.type=file and evt.failed=false and (evt.is_io_write=true or evt.is_open_write=true) and (${SYSTEM_DIRS.map((d) => `fd.name startswith ${d}`).join(' or ')})`,
    distinct: 'fd.name',
    perFd: true,
    units: 'count',
    types: 'io',
    fd: 'file',
    drill: 'files',
  },
  {
    id: 'sudo',
    group: 'Security',
    title: 'sudo invocations',
    filter: 'evt.type in (execve, execveat) and evt.dir=< and evt.failed=false and proc.name=sudo',
    units: 'count',
    types: EXECS,
    drill: 'commands',
  },
  {
    id: 'setns',
    group: 'Security',
    title: 'Namespace changes (setns)',
    filter: 'evt.type=setns and evt.dir=<',
    units: 'count',
    types: ['setns'],
    drill: 'processes',
  },
  {
    id: 'deleted',
    group: 'Security',
    title: 'Deleted files',
    filter: 'evt.type in (unlink, unlinkat, rmdir) and evt.dir=< and evt.failed=false',
    units: 'count',
    types: ['unlink', 'unlinkat', 'rmdir'],
    drill: 'syscalls',
  },
  {
    id: 'ptrace',
    group: 'Security',
    title: 'ptrace calls',
    filter: 'evt.type=ptrace and evt.dir=<',
    units: 'count',
    types: ['ptrace'],
    drill: 'processes',
  },
];

const bytesIn: ColumnSpec = {
  title: 'Bytes in',
  agg: 'sum',
  field: 'evt.rawarg.res',
  filter: 'evt.is_io_read=true',
  types: 'io',
  units: 'bytes',
};
const bytesOut: ColumnSpec = {
  title: 'Bytes out',
  agg: 'sum',
  field: 'evt.rawarg.res',
  filter: 'evt.is_io_write=true',
  types: 'io',
  units: 'bytes',
};
const events: ColumnSpec = { title: 'Events', agg: 'count', units: 'count' };
const errors: ColumnSpec = { title: 'Errors', agg: 'count', filter: 'evt.failed=true', units: 'count' };
const time: ColumnSpec = { title: 'Time', agg: 'sum', field: 'evt.latency', units: 'ns' };
const bytes: ColumnSpec = { title: 'Bytes', agg: 'sum', field: 'evt.rawarg.res', units: 'bytes' };
const ops: ColumnSpec = { title: 'Ops', agg: 'count', units: 'count' };
const processName: ColumnSpec = { title: 'Process', agg: 'first', field: 'proc.name' };

export const TABLES: readonly TableSpec[] = [
  {
    id: 'processes',
    title: 'Processes',
    keys: ['proc.pid'],
    keyTitles: ['PID'],
    filter: 'proc.pid exists',
    types: 'all',
    sortBy: 2,
    columns: [
      { title: 'Name', agg: 'first', field: 'proc.name' },
      { title: 'Command line', agg: 'first', field: 'proc.cmdline' },
      events,
      {
        title: 'File bytes',
        agg: 'sum',
        field: 'evt.rawarg.res',
        filter: FILE_IO,
        types: 'io',
        units: 'bytes',
      },
      {
        title: 'Net bytes',
        agg: 'sum',
        field: 'evt.rawarg.res',
        filter: NET_IO,
        types: 'io',
        units: 'bytes',
      },
      errors,
    ],
  },
  {
    id: 'threads',
    title: 'Threads',
    keys: ['thread.tid'],
    keyTitles: ['TID'],
    filter: 'thread.tid exists',
    types: 'all',
    sortBy: 2,
    columns: [
      { title: 'PID', agg: 'first', field: 'proc.pid' },
      { title: 'Name', agg: 'first', field: 'proc.name' },
      events,
      time,
      errors,
    ],
  },
  {
    id: 'files',
    title: 'Files',
    keys: ['fd.name'],
    keyTitles: ['File'],
    filter: FILE_IO,
    types: 'io',
    fd: 'file',
    sortBy: 2,
    columns: [bytesIn, bytesOut, bytes, ops, time, errors],
  },
  {
    id: 'directories',
    title: 'Directories',
    keys: ['fd.directory'],
    keyTitles: ['Directory'],
    filter: FILE_IO,
    types: 'io',
    fd: 'file',
    sortBy: 2,
    columns: [bytesIn, bytesOut, bytes, ops, time],
  },
  {
    id: 'connections',
    title: 'Connections',
    keys: ['fd.l4proto', 'fd.name'],
    keyTitles: ['Proto', 'Connection'],
    filter: NET_IO,
    types: 'io',
    fd: 'net',
    sortBy: 3,
    columns: [processName, bytesIn, bytesOut, bytes, ops],
  },
  {
    id: 'ports',
    title: 'Listening ports',
    keys: ['fd.sport'],
    keyTitles: ['Port'],
    filter: 'evt.type=listen and evt.dir=< and evt.failed=false',
    types: ['listen'],
    sortBy: 1,
    columns: [processName, { title: 'Listens', agg: 'count', units: 'count' }],
  },
  {
    id: 'containers',
    title: 'Containers',
    keys: ['container.id'],
    keyTitles: ['ID'],
    filter: 'container.id exists',
    types: 'all',
    sortBy: 2,
    columns: [
      { title: 'Name', agg: 'first', field: 'container.name' },
      { title: 'Image', agg: 'first', field: 'container.image' },
      events,
      errors,
    ],
  },
  {
    id: 'syscalls',
    title: 'System calls',
    keys: ['evt.type'],
    keyTitles: ['System call'],
    filter: 'evt.type!=switch',
    types: 'all',
    sortBy: 0,
    columns: [{ title: 'Calls', agg: 'count', units: 'count' }, time, errors],
  },
  {
    id: 'errors',
    title: 'Errors',
    keys: ['evt.type', 'evt.res'],
    keyTitles: ['System call', 'Error'],
    filter: 'evt.failed=true',
    types: 'all',
    sortBy: 0,
    columns: [{ title: 'Count', agg: 'count', units: 'count' }, processName],
  },
  {
    id: 'commands',
    title: 'Commands',
    keys: ['proc.pid'],
    keyTitles: ['PID'],
    filter: 'evt.type in (execve, execveat) and evt.dir=< and evt.failed=false',
    types: EXECS,
    sortBy: 0,
    columns: [
      { title: 'Execs', agg: 'count', units: 'count' },
      { title: 'Command line', agg: 'first', field: 'proc.cmdline' },
      { title: 'Parent', agg: 'first', field: 'proc.pname' },
      { title: 'TTY', agg: 'first', field: 'proc.tty' },
    ],
  },
];

/** Timeline categories (sysdig's event categories, a few merged), in stacking order. */
export const CATEGORIES = ['file', 'net', 'ipc', 'process', 'memory', 'sleep', 'other'] as const;
export type Category = (typeof CATEGORIES)[number];

/** Category index per event type id; I/O events go by the kind of fd at run time (file, net or ipc). */
export const CATEGORY_OF_TYPE: Uint8Array = (() => {
  const t = new Uint8Array(EVENT_MAX).fill(CATEGORIES.indexOf('other'));
  for (const [id, e] of EVENTS.entries()) {
    const c = e.category & 0xff;
    const name =
      c === EC.FILE
        ? 'file'
        : c === EC.NET
          ? 'net'
          : c === EC.IPC
            ? 'ipc'
            : c === EC.PROCESS || c === EC.SIGNAL
              ? 'process'
              : c === EC.MEMORY
                ? 'memory'
                : c === EC.SLEEP || c === EC.WAIT
                  ? 'sleep'
                  : 'other';
    t[id] = CATEGORIES.indexOf(name);
  }
  return t;
})();

/** Whether the event type reads or writes an fd, in either event table (a superset of evt.is_io). */
export const IS_IO_TYPE: Uint8Array = (() => {
  const t = new Uint8Array(EVENT_MAX);
  const io = EF.READS_FROM_FD | EF.WRITES_TO_FD;
  for (const [id, e] of EVENTS.entries()) {
    if (e.flags & io || (EVENTS_SYSDIG_0_29[id]?.flags ?? 0) & io) t[id] = 1;
  }
  return t;
})();

/** The event types a prefilter lets through, as a mask by type id (types past the table always pass). */
export function typeMask(p: TypePrefilter): Uint8Array {
  const m = new Uint8Array(EVENT_MAX);
  if (p === 'all') return m.fill(1);
  if (p === 'io') {
    m.set(IS_IO_TYPE);
    return m;
  }
  const names = new Set(p);
  for (const [id, e] of EVENTS.entries()) if (names.has(e.name)) m[id] = 1;
  return m;
}
