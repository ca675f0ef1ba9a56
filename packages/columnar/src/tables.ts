// The per-capture tables beside events: one row per process image, per connection and per file, gathered
// in the same Pipeline pass from the same registry fields the events columns use, and built into
// RecordBatches (sorted by first_seen) when the capture ends.
import type { CompiledField, FieldRegistry, ReplayContext } from '@scapkit/replay';
import { Field, makeData, RecordBatch, Schema, Struct } from 'apache-arrow';
import { type ColumnBuilder, DictionaryBuilder, Int64Builder } from './builders.js';
import type { ColumnKind } from './schema.js';
import { SCHEMA_VERSION, SCHEMA_VERSION_KEY } from './schema.js';

export type TableName = 'processes' | 'connections' | 'files';

export interface TableColumn {
  readonly name: string;
  readonly kind: Extract<ColumnKind, 'timestamp' | 'int64' | 'dictionary'>;
  readonly description: string;
}

const col = (name: string, kind: TableColumn['kind'], description: string): TableColumn => ({
  name,
  kind,
  description,
});

const WHERE = [
  col('host', 'dictionary', 'host name, as in events'),
  col('capture_id', 'dictionary', 'capture, as in events'),
];
const SEEN = [
  col('first_seen', 'timestamp', 'first event'),
  col('last_seen', 'timestamp', 'last event'),
  col('events', 'int64', 'events counted'),
];

/** The columns of each table, in order. */
export const TABLE_COLUMNS: Readonly<Record<TableName, readonly TableColumn[]>> = {
  processes: [
    ...WHERE,
    col('pid', 'int64', '`proc.pid`'),
    col('ppid', 'int64', '`proc.ppid`'),
    col('proc_name', 'dictionary', '`proc.name` (after the exec this row is for)'),
    col('proc_exe', 'dictionary', '`proc.exe`'),
    col('proc_exepath', 'dictionary', '`proc.exepath`'),
    col('proc_args', 'dictionary', '`proc.args`'),
    col('proc_cwd', 'dictionary', '`proc.cwd` at first sight'),
    col('proc_pname', 'dictionary', '`proc.pname`: the parent'),
    col('uid', 'int64', '`user.uid`'),
    col('user_name', 'dictionary', '`user.name`'),
    col('container_id', 'dictionary', '`container.id`'),
    col('container_name', 'dictionary', '`container.name`'),
    col('container_image', 'dictionary', '`container.image`'),
    ...SEEN,
    col('exit_status', 'int64', "procexit's status when the process exited in the capture, else null"),
  ],
  connections: [
    ...WHERE,
    col('pid', 'int64', '`proc.pid` of the process using the socket'),
    col('proc_name', 'dictionary', '`proc.name`'),
    col('container_id', 'dictionary', '`container.id`'),
    col('fd_num', 'int64', '`fd.num`'),
    col('l4proto', 'dictionary', '`fd.l4proto`'),
    col('cip', 'dictionary', '`fd.cip`: client address'),
    col('cport', 'int64', '`fd.cport`'),
    col('sip', 'dictionary', '`fd.sip`: server address'),
    col('sport', 'int64', '`fd.sport`'),
    col('role', 'dictionary', "'server' when the process is the server end (`fd.is_server`), else 'client'"),
    col('bytes_in', 'int64', 'bytes read on the socket (`evt.buflen` of reads)'),
    col('bytes_out', 'int64', 'bytes written on the socket (`evt.buflen` of writes)'),
    ...SEEN,
  ],
  files: [
    ...WHERE,
    col('container_id', 'dictionary', '`container.id`'),
    col('path', 'dictionary', '`fd.name` of a file fd'),
    col('bytes_read', 'int64', '`evt.buflen` of reads'),
    col('bytes_written', 'int64', '`evt.buflen` of writes'),
    col('reads', 'int64', 'read events'),
    col('writes', 'int64', 'write events'),
    col('opens', 'int64', 'successful opens'),
    col('errors', 'int64', 'events on the file that failed (`evt.failed`)'),
    ...SEEN,
  ],
};

type Value = string | number | undefined;
type Row = Value[];

/** Column index by name, for one table. */
function indexOf(table: TableName): Record<string, number> {
  const out: Record<string, number> = {};
  TABLE_COLUMNS[table].forEach((c, i) => {
    out[c.name] = i;
  });
  return out;
}

const P = indexOf('processes') as Record<string, number> & Common;
const C = indexOf('connections') as Record<string, number> & Common;
const F = indexOf('files') as Record<string, number> & Common;
/** The files table's counter columns, zero when a file's row starts. */
const FILE_COUNTERS = ['bytes_read', 'bytes_written', 'reads', 'writes', 'opens', 'errors'].map((k) => {
  const i = F[k];
  if (i === undefined) throw new Error(`the files table has no column ${k}`);
  return i;
});

interface Fields {
  pid: CompiledField;
  ppid: CompiledField;
  name: CompiledField;
  exe: CompiledField;
  exepath: CompiledField;
  args: CompiledField;
  cwd: CompiledField;
  pname: CompiledField;
  uid: CompiledField;
  user: CompiledField;
  cid: CompiledField;
  cname: CompiledField;
  cimage: CompiledField;
  fdnum: CompiledField;
  fdname: CompiledField;
  fdtype: CompiledField;
  l4: CompiledField;
  cip: CompiledField;
  cport: CompiledField;
  sip: CompiledField;
  sport: CompiledField;
  isServer: CompiledField;
  isRead: CompiledField;
  isWrite: CompiledField;
  buflen: CompiledField;
  failed: CompiledField;
  status: CompiledField;
}

const OPENS = new Set(['open', 'openat', 'openat2', 'creat', 'open_by_handle_at']);
/** A timestamp column's low word sits this many slots after its high word in a row. */
const LO = 64;

/** The column indexes every table has. */
type Common = Record<'host' | 'capture_id' | 'first_seen' | 'last_seen' | 'events', number>;

/** Gathers the three tables over a capture's events (called by the events sink for each shown event). */
export class CaptureTables {
  private readonly f: Fields;
  private readonly procs = new Map<number, { main: object; row: Row }>();
  private readonly conns = new Map<object, Row>();
  /** File rows by container id (undefined: the host), then path: no key string built per event. */
  private readonly files = new Map<string | undefined, Map<string, Row>>();
  private readonly done: Record<TableName, Row[]> = { processes: [], connections: [], files: [] };
  // The current event's timestamp words, host and capture (set by event() for the row updates below).
  private hi = 0;
  private lo = 0;
  private host = '';
  private captureId = '';

  constructor(registry: FieldRegistry) {
    const r = (n: string, arg?: string) => registry.resolve(n, arg);
    this.f = {
      pid: r('proc.pid'),
      ppid: r('proc.ppid'),
      name: r('proc.name'),
      exe: r('proc.exe'),
      exepath: r('proc.exepath'),
      args: r('proc.args'),
      cwd: r('proc.cwd'),
      pname: r('proc.pname'),
      uid: r('user.uid'),
      user: r('user.name'),
      cid: r('container.id'),
      cname: r('container.name'),
      cimage: r('container.image'),
      fdnum: r('fd.num'),
      fdname: r('fd.name'),
      fdtype: r('fd.type'),
      l4: r('fd.l4proto'),
      cip: r('fd.cip'),
      cport: r('fd.cport'),
      sip: r('fd.sip'),
      sport: r('fd.sport'),
      isServer: r('fd.is_server'),
      isRead: r('evt.is_io_read'),
      isWrite: r('evt.is_io_write'),
      buflen: r('evt.buflen'),
      failed: r('evt.failed'),
      status: r('evt.rawarg', 'status'),
    };
  }

  /** Counts the current event; `host` and `captureId` are the events row's. */
  event(ctx: ReplayContext, host: string, captureId: string): void {
    const t = ctx.state.thread;
    if (!t) return;
    const v = ctx.view;
    this.hi = v.tsHi;
    this.lo = v.tsLo;
    this.host = host;
    this.captureId = captureId;
    const name = v.info?.name ?? '';
    const exit = (v.type & 1) === 1;
    this.process(ctx, t, name, exit);
    const fd = ctx.state.fd;
    if (!fd) return;
    if (fd.isIp) this.connection(ctx, fd);
    else if (this.f.fdtype.get(ctx) === 'file') this.file(ctx, name, exit);
  }

  /** A new row first seen at the current event, with its where-columns set and no events yet. */
  private newRow(c: Common): Row {
    const row: Row = [];
    row[c.host] = this.host;
    row[c.capture_id] = this.captureId;
    row[c.first_seen] = this.hi;
    row[c.first_seen + LO] = this.lo;
    row[c.events] = 0;
    return row;
  }

  /** Counts the current event in `row`. */
  private seen(row: Row, c: Common): void {
    row[c.last_seen] = this.hi;
    row[c.last_seen + LO] = this.lo;
    (row[c.events] as number)++;
  }

  private process(ctx: ReplayContext, t: object, name: string, exit: boolean): void {
    const f = this.f;
    const pid = f.pid.get(ctx) as number;
    const main = ctx.state.mainThread(t as never) ?? t;
    let p = this.procs.get(pid);
    const exec = exit && (name === 'execve' || name === 'execveat') && f.failed.get(ctx) === false;
    if (!p || p.main !== main || exec) {
      if (p) this.done.processes.push(p.row);
      const row = this.newRow(P);
      row[P.pid!] = pid;
      row[P.ppid!] = num(f.ppid.get(ctx));
      row[P.proc_name!] = str(f.name.get(ctx));
      row[P.proc_exe!] = str(f.exe.get(ctx));
      row[P.proc_exepath!] = str(f.exepath.get(ctx));
      row[P.proc_args!] = str(f.args.get(ctx));
      row[P.proc_cwd!] = str(f.cwd.get(ctx));
      row[P.proc_pname!] = str(f.pname.get(ctx));
      row[P.uid!] = num(f.uid.get(ctx));
      row[P.user_name!] = str(f.user.get(ctx));
      row[P.container_id!] = str(f.cid.get(ctx));
      row[P.container_name!] = str(f.cname.get(ctx));
      row[P.container_image!] = str(f.cimage.get(ctx));
      p = { main, row };
      this.procs.set(pid, p);
    }
    const row = p.row;
    this.seen(row, P);
    if (name === 'procexit' && (t as { tid: number }).tid === pid)
      row[P.exit_status!] = num(f.status.get(ctx));
  }

  private connection(ctx: ReplayContext, fd: object): void {
    const f = this.f;
    const fdName = f.fdname.get(ctx);
    let row = this.conns.get(fd);
    if (row && row[C.name_!] !== fdName) {
      this.finishConnection(row);
      row = undefined;
    }
    if (!row) {
      row = this.newRow(C);
      row[C.name_!] = fdName as string;
      row[C.pid!] = num(f.pid.get(ctx));
      row[C.proc_name!] = str(f.name.get(ctx));
      row[C.container_id!] = str(f.cid.get(ctx));
      row[C.fd_num!] = num(f.fdnum.get(ctx));
      row[C.l4proto!] = str(f.l4.get(ctx));
      row[C.cip!] = str(f.cip.get(ctx));
      row[C.cport!] = num(f.cport.get(ctx));
      row[C.sip!] = str(f.sip.get(ctx));
      row[C.sport!] = num(f.sport.get(ctx));
      row[C.role!] = f.isServer.get(ctx) === true ? 'server' : 'client';
      row[C.bytes_in!] = 0;
      row[C.bytes_out!] = 0;
      this.conns.set(fd, row);
    }
    this.seen(row, C);
    const n = f.buflen.get(ctx);
    if (typeof n === 'number') {
      if (f.isRead.get(ctx) === true) (row[C.bytes_in!] as number) += n;
      else if (f.isWrite.get(ctx) === true) (row[C.bytes_out!] as number) += n;
    }
  }

  /** Only sockets that got a tuple (connected or accepted) are connections. */
  private finishConnection(row: Row): void {
    if (row[C.cip!] !== undefined || row[C.sip!] !== undefined) this.done.connections.push(row);
  }

  private file(ctx: ReplayContext, name: string, exit: boolean): void {
    const f = this.f;
    const path = f.fdname.get(ctx) as string | undefined;
    if (path === undefined) return;
    const cid = str(f.cid.get(ctx));
    let byPath = this.files.get(cid);
    if (!byPath) {
      byPath = new Map();
      this.files.set(cid, byPath);
    }
    let row = byPath.get(path);
    if (!row) {
      row = this.newRow(F);
      row[F.container_id!] = cid;
      row[F.path!] = path;
      for (const i of FILE_COUNTERS) row[i] = 0;
      byPath.set(path, row);
    }
    this.seen(row, F);
    const failed = f.failed.get(ctx) === true;
    if (failed) (row[F.errors!] as number)++;
    else if (exit && OPENS.has(name)) (row[F.opens!] as number)++;
    const n = f.buflen.get(ctx);
    if (typeof n === 'number') {
      if (f.isRead.get(ctx) === true) {
        (row[F.bytes_read!] as number) += n;
        (row[F.reads!] as number)++;
      } else if (f.isWrite.get(ctx) === true) {
        (row[F.bytes_written!] as number) += n;
        (row[F.writes!] as number)++;
      }
    }
  }

  /** The three tables as RecordBatches (one each, rows by first_seen), and forgets them. */
  finish(): Record<TableName, RecordBatch | undefined> {
    for (const p of this.procs.values()) this.done.processes.push(p.row);
    for (const r of this.conns.values()) this.finishConnection(r);
    for (const byPath of this.files.values()) for (const r of byPath.values()) this.done.files.push(r);
    this.procs.clear();
    this.conns.clear();
    this.files.clear();
    const out = {
      processes: tableBatch('processes', this.done.processes),
      connections: tableBatch('connections', this.done.connections),
      files: tableBatch('files', this.done.files),
    };
    this.done.processes = [];
    this.done.connections = [];
    this.done.files = [];
    return out;
  }
}

// The connection's fd.name, kept past the table's columns to notice a socket that changed its tuple.
C.name_ = TABLE_COLUMNS.connections.length;

function num(v: unknown): number | undefined {
  return typeof v === 'number' ? v : typeof v === 'bigint' ? Number(v) : undefined;
}
function str(v: unknown): string | undefined {
  return v === undefined ? undefined : String(v);
}

/** A table's rows as one RecordBatch, sorted by first_seen (then by their order of appearance). */
export function tableBatch(table: TableName, rows: Row[]): RecordBatch | undefined {
  if (rows.length === 0) return undefined;
  const cols = TABLE_COLUMNS[table];
  const first = cols.findIndex((c) => c.name === 'first_seen');
  const sorted = rows
    .map((r, i) => ({ r, i }))
    .sort(
      (a, b) =>
        (a.r[first] as number) - (b.r[first] as number) ||
        (a.r[first + LO] as number) - (b.r[first + LO] as number) ||
        a.i - b.i,
    );
  const n = sorted.length;
  const builders: ColumnBuilder[] = cols.map((c, ci) => {
    if (c.kind === 'dictionary') {
      const b = new DictionaryBuilder(n);
      sorted.forEach(({ r }, row) => {
        if (r[ci] === undefined) b.setNull(row);
        else b.set(row, r[ci] as string);
      });
      return b;
    }
    const b = new Int64Builder(n, c.kind === 'timestamp');
    sorted.forEach(({ r }, row) => {
      const x = r[ci];
      if (typeof x !== 'number') b.setNull(row);
      else if (c.kind === 'timestamp') b.setWords(row, x, r[ci + LO] as number);
      else b.setNumber(row, x);
    });
    return b;
  });
  const schema = new Schema(
    builders.map((b, i) => new Field(cols[i]?.name ?? `column${i}`, b.type, true)),
    new Map([[SCHEMA_VERSION_KEY, String(SCHEMA_VERSION)]]),
  );
  const children = builders.map((b) => b.finish(n, undefined));
  return new RecordBatch(
    schema,
    makeData({ type: new Struct(schema.fields), length: n, nullCount: 0, children }),
  );
}
