// The events table, defined once: each column's name, its Arrow type, and the sysdig field it equals (its
// values are that field's, resolved through replay's field registry at the event, exactly as
// `scapkit replay -p %field` prints them). The builders (events.ts), the Parquet writer, the DuckDB views
// and the column table in the README all read this list.

/** How a column is stored: Arrow type, and so Parquet type. */
export type ColumnKind =
  | 'timestamp' // Timestamp(ns), UTC
  | 'int64'
  | 'int32'
  | 'bool'
  | 'dictionary' // Dictionary<Int32, Utf8>: strings with few distinct values
  | 'utf8'
  | 'map'; // Map<Utf8, Utf8>

export interface EventColumn {
  readonly name: string;
  readonly kind: ColumnKind;
  /**
   * The sysdig field whose value the column holds at each event. `evt.arg` (the args map) holds
   * `evt.arg.NAME` for each parameter NAME of the event; `capture_id` has no sysdig field.
   */
  readonly field: string | undefined;
  readonly description: string;
  /**
   * How the Parquet writer encodes the column when not by dictionary (its default): 'delta' for values
   * that grow row after row (DELTA_BINARY_PACKED), 'plain' for text that rarely repeats (info).
   */
  readonly parquet?: 'delta' | 'plain';
}

/** Bumped when a column is added, removed or changes meaning; stored in every Parquet file's metadata. */
export const SCHEMA_VERSION = 1;
/** The Parquet key/value metadata key that holds SCHEMA_VERSION. */
export const SCHEMA_VERSION_KEY = 'scapkit.schema_version';

const c = (
  name: string,
  kind: ColumnKind,
  field: string | undefined,
  description: string,
  parquet?: EventColumn['parquet'],
): EventColumn => ({ name, kind, field, description, ...(parquet ? { parquet } : {}) });

/** One row per event, in this column order. */
export const EVENT_COLUMNS: readonly EventColumn[] = [
  c('ts', 'timestamp', 'evt.rawtime', 'event timestamp, ns since the epoch (UTC)', 'delta'),
  c('evt_num', 'int64', 'evt.num', 'event number in its capture (1-based; hidden events count)', 'delta'),
  c('host', 'dictionary', 'evt.hostname', "host name: the trace's, or `--hostname`; 'unknown' when neither"),
  c(
    'capture_id',
    'dictionary',
    undefined,
    'the capture the event comes from (a hash of its header and first event)',
  ),
  c('cpu', 'int32', 'evt.cpu', 'CPU the event happened on'),
  c('type', 'dictionary', 'evt.type', 'event type (syscall name for generic events)'),
  c('dir', 'dictionary', 'evt.dir', "'>' enter, '<' exit"),
  c('category', 'dictionary', 'evt.category', "event category ('file', 'net', 'process' …)"),
  c('tid', 'int64', 'thread.tid', 'thread id'),
  c('pid', 'int64', 'proc.pid', 'process id'),
  c('ppid', 'int64', 'proc.ppid', 'parent process id'),
  c('vpid', 'int64', 'proc.vpid', 'process id in its pid namespace'),
  c('proc_name', 'dictionary', 'proc.name', 'process name (comm)'),
  c('proc_exe', 'dictionary', 'proc.exe', 'argv[0]'),
  c('proc_exepath', 'dictionary', 'proc.exepath', 'full path of the executable'),
  c('proc_args', 'dictionary', 'proc.args', 'command-line arguments, space separated'),
  c('proc_cwd', 'dictionary', 'proc.cwd', 'working directory'),
  c('proc_pname', 'dictionary', 'proc.pname', 'parent process name'),
  c('uid', 'int64', 'user.uid', 'user id'),
  c('user_name', 'dictionary', 'user.name', 'user name'),
  c('gid', 'int64', 'group.gid', 'group id'),
  c('container_id', 'dictionary', 'container.id', "container id ('host' outside containers)"),
  c('container_name', 'dictionary', 'container.name', 'container name'),
  c('container_image', 'dictionary', 'container.image', 'container image'),
  c('fd_num', 'int64', 'fd.num', 'file descriptor the event uses'),
  c('fd_type', 'dictionary', 'fd.type', "fd type ('file', 'ipv4', 'unix' …)"),
  c('fd_name', 'dictionary', 'fd.name', 'fd name: path, connection tuple …'),
  c('fd_l4proto', 'dictionary', 'fd.l4proto', "layer-4 protocol ('tcp', 'udp' …)"),
  c('fd_cip', 'dictionary', 'fd.cip', 'client address'),
  c('fd_cport', 'int32', 'fd.cport', 'client port'),
  c('fd_sip', 'dictionary', 'fd.sip', 'server address'),
  c('fd_sport', 'int32', 'fd.sport', 'server port'),
  c('res', 'int64', 'evt.rawres', 'return value (negative errno on failure)'),
  c('failed', 'bool', 'evt.failed', 'whether the event returned an error'),
  c('latency_ns', 'int64', 'evt.latency', 'exit events: ns since the matching enter event'),
  c('bytes', 'int64', 'evt.buflen', 'I/O events: bytes read or written'),
  c('info', 'utf8', 'evt.info', 'the event arguments as sysdig prints them', 'plain'),
  c('args', 'map', 'evt.arg', 'parameter name → rendered value (`evt.arg.NAME`)'),
];

/** The column table of the README, from EVENT_COLUMNS. */
export function eventColumnsMarkdown(): string {
  const arrow: Record<ColumnKind, string> = {
    timestamp: 'timestamp(ns, UTC)',
    int64: 'int64',
    int32: 'int32',
    bool: 'bool',
    dictionary: 'string (dictionary)',
    utf8: 'string',
    map: 'map<string, string>',
  };
  const lines = ['| column | type | sysdig field | what it is |', '|---|---|---|---|'];
  for (const col of EVENT_COLUMNS) {
    const field =
      col.field === undefined ? '—' : col.field === 'evt.arg' ? '`evt.arg.NAME`' : `\`${col.field}\``;
    lines.push(`| \`${col.name}\` | ${arrow[col.kind]} | ${field} | ${col.description} |`);
  }
  return lines.join('\n');
}
