// The events table as a Pipeline sink: every shown event becomes a row, each column filled from the field
// its schema entry names (resolved once, before the first event, through replay's field registry), into
// the batch's preallocated builders. A full batch is sorted by timestamp if any row arrived out of order,
// finished into an Arrow RecordBatch and handed to `onBatch`.
import {
  type ArgBytesVisitor,
  ByteWriter,
  type CompiledField,
  createFieldRegistry,
  type FieldRegistry,
  type FieldValue,
  type ReplayContext,
  type Sink,
  withFd,
  writeArgs,
} from '@scapkit/replay';
import { type CaptureHeader, type CaptureMetadata, EC, EF, EVENT_MAX, EVENTS } from '@scapkit/scap-format';
import { Field, makeData, RecordBatch, Schema, Struct } from 'apache-arrow';
import {
  BoolBuilder,
  type ColumnBuilder,
  DictionaryBuilder,
  Int32Builder,
  Int64Builder,
  type SlotColumnKind,
  SlotTable,
  StringMapBuilder,
  Utf8Builder,
} from './builders.js';
import { EVENT_COLUMNS, type EventColumn, SCHEMA_VERSION, SCHEMA_VERSION_KEY } from './schema.js';
import type { CaptureTables } from './tables.js';

export interface EventBatchOptions {
  /** Columns to build, by name (EVENT_COLUMNS order is kept); all of them by default. */
  columns?: readonly string[];
  /** Rows per RecordBatch (default 65,536). */
  batchSize?: number;
  /** The host column's value, instead of the trace's own host name. */
  hostname?: string;
  /** The registry fields resolve against (a new one by default). */
  registry?: FieldRegistry;
  /** Also gathers the processes, connections and files tables over the same events. */
  tables?: CaptureTables;
}

export const DEFAULT_BATCH_SIZE = 65536;
/** The host column's value when the trace names no host and none was given. */
export const UNKNOWN_HOST = 'unknown';

/**
 * The columns that depend only on the event's thread, its process, its parent, its user and its container:
 * their values are read once per thread and reused for its next events, until an event that may change
 * any thread, user or container (below) forgets them all.
 */
const THREAD_COLUMNS = new Set([
  'pid', 'ppid', 'vpid', 'proc_name', 'proc_exe', 'proc_exepath', 'proc_args', 'proc_cwd', 'proc_pname',
  'uid', 'user_name', 'gid', 'container_id', 'container_name', 'container_image',
]); // biome-ignore format: a list

/**
 * The columns whose value depends only on the event's kind: evt.type and evt.dir on its type (and for a
 * generic event, types 0 and 1, on the system call id it carries: replay's eventTypeName), evt.category
 * on the same and, for the other events, on the type of the fd the event is about (ctx.state.fd: an I/O
 * event's category is its fd's; replay's categoryName). They are a slot per kind and batch (KindColumns).
 */
const KIND_COLUMNS = new Set(['type', 'dir', 'category']);

/** Past the generic kinds, the kinds keyed by type and fd type: this many fd types (FdType) and none. */
const FD_TYPE_KEYS = 32;
const TYPE_FD_BASE = EVENT_MAX + 2 * 65536;

/**
 * The event's kind as a key of KindColumns: its type (with its fd's type when `byFd`), or past EVENT_MAX
 * a generic event's type and system call id; -1 for a kind without a key (read from the fields each time).
 */
function kindKey(ctx: ReplayContext, byFd: boolean): number {
  const v = ctx.view;
  const type = v.type;
  if (type <= 1) return v.paramCount() > 0 ? EVENT_MAX + type * 65536 + v.paramU16(0) : -1;
  if (type >= EVENT_MAX) return -1;
  if (!byFd) return type;
  const fd = ctx.state.fd;
  const fdKey = fd ? (fd.type >= 0 ? fd.type + 1 : -1) : 0;
  return fdKey >= 0 && fdKey < FD_TYPE_KEYS ? TYPE_FD_BASE + type * FD_TYPE_KEYS + fdKey : -1;
}

/** The builder of `column`, one of `columns`, the columns of `table` in their order. */
function slotBuilder(
  table: SlotTable,
  columns: readonly EventColumn[],
  column: EventColumn,
  what: string,
): ColumnBuilder {
  const b = table.columns[columns.indexOf(column)];
  if (!b) throw new Error(`${column.name} is not a ${what} column`);
  return b;
}

/** The kind columns (those of type, dir, category selected): one slot per kind met in the batch. */
class KindColumns {
  readonly table: SlotTable;
  private readonly slots = new Int32Array(TYPE_FD_BASE + EVENT_MAX * FD_TYPE_KEYS).fill(-1);
  /** The keys given a slot, to forget them at the next batch without clearing the whole table. */
  private readonly keys: number[] = [];
  private readonly byFd: boolean;
  constructor(
    private readonly columns: readonly EventColumn[],
    private readonly fields: readonly (CompiledField | undefined)[],
    rows: number,
  ) {
    this.table = new SlotTable(
      rows,
      columns.map(() => 'dictionary'),
    );
    this.byFd = columns.some((c) => c.name === 'category');
  }
  builderOf(column: EventColumn): ColumnBuilder {
    return slotBuilder(this.table, this.columns, column, 'kind');
  }
  fill(ctx: ReplayContext, row: number): void {
    const key = kindKey(ctx, this.byFd);
    let slot = key < 0 ? -1 : (this.slots[key] ?? -1);
    if (slot < 0) {
      slot = this.table.newSlot();
      let i = 0;
      for (const f of this.fields) {
        // evt.dir is the type's parity.
        const v = f ? f.get(ctx) : (ctx.view.type & 1) === 0 ? '>' : '<';
        this.table.setString(slot, i++, v === undefined ? v : text(v));
      }
      if (key >= 0) {
        this.slots[key] = slot;
        this.keys.push(key);
      }
    }
    this.table.setRow(row, slot);
  }
  /** A new batch: new slots. */
  newBatch(): void {
    for (const k of this.keys) this.slots[k] = -1;
    this.keys.length = 0;
  }
}

/**
 * The events whose state handlers (replay's state/handlers: fds.ts, sockets.ts) change only fd tables and
 * the thread's last fd: none of the thread columns. Opens, closes, sockets and connects are a large part
 * of a busy trace; forgetting every thread's values at each of them cost more than the rest of the row.
 */
const FD_ONLY_EVENTS = new Set([
  'open', 'openat', 'openat2', 'creat', 'open_by_handle_at', 'close', 'dup', 'dup2', 'dup3', 'pidfd_getfd',
  'fcntl', 'pipe', 'pipe2', 'eventfd', 'eventfd2', 'signalfd', 'signalfd4', 'timerfd_create', 'inotify_init',
  'inotify_init1', 'epoll_create', 'epoll_create1', 'userfaultfd', 'io_uring_setup', 'bpf', 'pidfd_open',
  'memfd_create', 'socket', 'bind', 'connect', 'accept', 'accept4', 'socketpair', 'sendto', 'sendmsg',
  'recvfrom', 'recvmsg',
]); // biome-ignore format: a list

/**
 * Per event type, whether it may change the thread, user or container tables: the event table's
 * state-changing events but the fd-only ones above, process and user events, internal and meta events
 * (procinfo, container, user added …). Generic syscall events (ids 0 and 1: most events of a busy trace,
 * stat and getdents among them) have no state handler and change nothing. A thread met for the first time
 * or removed (by any event) changes the thread table's size, which also forgets the values.
 */
const CHANGES_STATE = new Uint8Array(EVENT_MAX + 1).fill(1);
for (const [t, e] of EVENTS.entries()) {
  if (t >= EVENT_MAX || !e) continue;
  const cls = e.category & 0xff;
  CHANGES_STATE[t] =
    (e.flags & (EF.MODIFIES_STATE | EF.CREATES_FD | EF.DESTROYS_FD) && !FD_ONLY_EVENTS.has(e.name)) ||
    e.category & (EC.INTERNAL | EC.METAEVENT) ||
    cls === EC.PROCESS ||
    cls === EC.USER
      ? 1
      : 0;
}

/**
 * The fd columns whose value depends only on the fd entry the event is about (replay's fd.type, fd.name,
 * fd.l4proto, fd.cip, fd.sip, fd.cport, fd.sport read nothing else; without an entry all but fd.name are
 * undefined): read once per entry and reused until an event that may change an fd entry (CHANGES_FD).
 * fd.num (the event's fd) is read per row, and fd.name where it is not the entry's (FdCache.fill).
 */
const FD_ENTRY_COLUMNS = new Set([
  'fd_type', 'fd_name', 'fd_l4proto', 'fd_cip', 'fd_cport', 'fd_sip', 'fd_sport',
]); // biome-ignore format: a list

/**
 * Per event type, whether it is connect's exit: replay's fd.name shows a failed connect's attempted address,
 * not its entry's name.
 */
const CONNECT_EXIT = new Uint8Array(EVENT_MAX + 1);
for (const [t, e] of EVENTS.entries())
  if (t < EVENT_MAX && e?.name === 'connect' && (t & 1) === 1) CONNECT_EXIT[t] = 1;

/** Per event type, whether it may change an fd entry: the events above and the fd-only ones. */
const CHANGES_FD = CHANGES_STATE.slice();
for (const [t, e] of EVENTS.entries()) {
  if (
    t < EVENT_MAX &&
    e &&
    (FD_ONLY_EVENTS.has(e.name) || e.flags & (EF.MODIFIES_STATE | EF.CREATES_FD | EF.DESTROYS_FD))
  )
    CHANGES_FD[t] = 1;
}

/** Fills one column for the current event. */
interface Filler {
  readonly column: EventColumn;
  readonly builder: ColumnBuilder;
  fill(ctx: ReplayContext, row: number): void;
}

/**
 * The host and capture_id columns: the same for long runs of rows (one capture per builder; the host
 * changes only with the trace's tables), so one slot per host and batch.
 */
class SourceColumns {
  readonly table: SlotTable;
  private slot = -1;
  private host = '';
  constructor(
    private readonly columns: readonly EventColumn[],
    rows: number,
  ) {
    this.table = new SlotTable(
      rows,
      columns.map(() => 'dictionary'),
    );
  }
  builderOf(column: EventColumn): ColumnBuilder {
    return slotBuilder(this.table, this.columns, column, 'source');
  }
  fill(row: number, host: string, captureId: string): void {
    if (this.slot < 0 || host !== this.host) {
      this.slot = this.table.newSlot();
      this.host = host;
      let i = 0;
      for (const c of this.columns)
        this.table.setString(this.slot, i++, c.name === 'host' ? host : captureId);
    }
    this.table.setRow(row, this.slot);
  }
  /** A new batch: a new slot. */
  newBatch(): void {
    this.slot = -1;
  }
}

/** The columns selected by `names` (all by default), in schema order; throws for an unknown name. */
export function selectColumns(names: readonly string[] | undefined): EventColumn[] {
  if (!names) return [...EVENT_COLUMNS];
  const known = new Set(EVENT_COLUMNS.map((c) => c.name));
  for (const n of names) {
    if (!known.has(n)) {
      throw new Error(`unknown column '${n}' (columns: ${EVENT_COLUMNS.map((c) => c.name).join(', ')})`);
    }
  }
  const wanted = new Set(names);
  return EVENT_COLUMNS.filter((c) => wanted.has(c.name));
}

/** The Arrow schema of the events table for `columns` (dictionary ids are per column). */
export function eventSchema(builders: readonly { column: EventColumn; builder: ColumnBuilder }[]): Schema {
  return new Schema(
    builders.map(({ column, builder }) => new Field(column.name, builder.type, column.name !== 'ts')),
    new Map([[SCHEMA_VERSION_KEY, String(SCHEMA_VERSION)]]),
  );
}

export class EventBatchBuilder implements Sink {
  readonly schema: Schema;
  readonly columns: readonly EventColumn[];
  /** Rows in the batch being built. */
  private rows = 0;
  private readonly batchSize: number;
  private readonly fillers: Filler[];
  private readonly argsPass: ArgsPass | undefined;
  private readonly ts: Int64Builder | undefined;
  private sorted = true;
  private lastHi = -1;
  private lastLo = -1;
  private captureHeader: CaptureHeader | undefined;
  /** The capture's id, computed at its first event. */
  private captureId: string | undefined;
  /** Events built in total. */
  count = 0;

  constructor(
    opts: EventBatchOptions,
    private readonly onBatch: (batch: RecordBatch) => void,
  ) {
    this.batchSize = opts.batchSize ?? DEFAULT_BATCH_SIZE;
    const registry = opts.registry ?? createFieldRegistry();
    this.columns = selectColumns(opts.columns);
    const n = this.batchSize;
    const fillers: Filler[] = [];
    const sourceColumns = new SourceColumns(
      this.columns.filter((c) => c.name === 'host' || c.name === 'capture_id'),
      n,
    );
    const kinds = this.columns.filter((c) => KIND_COLUMNS.has(c.name));
    const kindColumns =
      kinds.length > 0
        ? new KindColumns(
            kinds,
            kinds.map((c) => (c.name === 'dir' ? undefined : registry.resolve(c.field ?? c.name))),
            n,
          )
        : undefined;
    const memoColumns = (names: ReadonlySet<string>): MemoColumn[] =>
      this.columns
        .filter((c) => names.has(c.name))
        .map((column) => ({ column, field: registry.resolve(column.field ?? column.name) }));
    const threadColumns = memoColumns(THREAD_COLUMNS);
    const fdColumns = memoColumns(FD_ENTRY_COLUMNS);
    const threadCache = threadColumns.length > 0 ? new ThreadCache(threadColumns, n) : undefined;
    const fdCache = fdColumns.length > 0 ? new FdCache(fdColumns, n) : undefined;
    let info: Utf8Builder | undefined;
    let args: StringMapBuilder | undefined;
    let failed: BoolBuilder | undefined;
    for (const column of this.columns) {
      const field =
        column.field !== undefined && column.kind !== 'map' ? registry.resolve(column.field) : undefined;
      switch (column.name) {
        case 'ts': {
          const b = new Int64Builder(n, true);
          this.ts = b;
          fillers.push({
            column,
            builder: b,
            fill: (ctx, row) => b.setWords(row, ctx.view.tsHi, ctx.view.tsLo),
          });
          continue;
        }
        case 'host':
        case 'capture_id':
          // Filled all together from the source's slot (SourceColumns.fill).
          fillers.push({ column, builder: sourceColumns.builderOf(column), fill: noop });
          continue;
        // The columns read straight from the event or the context (what their fields return), with no
        // field call and no value conversion per row.
        case 'evt_num': {
          const b = new Int64Builder(n);
          fillers.push({ column, builder: b, fill: (ctx, row) => b.setNumber(row, ctx.num) });
          continue;
        }
        case 'cpu': {
          const b = new Int32Builder(n);
          fillers.push({ column, builder: b, fill: (ctx, row) => b.set(row, ctx.view.cpu) });
          continue;
        }
        case 'tid': {
          const b = new Int64Builder(n);
          fillers.push({ column, builder: b, fill: (ctx, row) => b.setNumber(row, ctx.view.tid) });
          continue;
        }
        case 'failed':
          if (this.columns.some((c) => c.name === 'res')) {
            // Filled with res, from the same read of the result (evt.failed is evt.rawres < 0).
            failed = new BoolBuilder(n);
            fillers.push({ column, builder: failed, fill: noop });
            continue;
          }
          break;
        case 'info':
          info = new Utf8Builder(n, n * 96);
          fillers.push({ column, builder: info, fill: noop });
          continue;
        case 'args':
          args = new StringMapBuilder(n);
          fillers.push({ column, builder: args, fill: noop });
          continue;
      }
      if (kindColumns && KIND_COLUMNS.has(column.name)) {
        // Filled all together from the kind's slot (KindColumns.fill).
        fillers.push({ column, builder: kindColumns.builderOf(column), fill: noop });
        continue;
      }
      // Filled all together from the fd entry's memo (FdCache.fill), or the thread's (ThreadCache.fill).
      const memo = FD_ENTRY_COLUMNS.has(column.name)
        ? fdCache
        : THREAD_COLUMNS.has(column.name)
          ? threadCache
          : undefined;
      if (memo) fillers.push({ column, builder: memo.builderOf(column), fill: noop });
      else if (column.name === 'res') {
        const b = new Int64Builder(n);
        const get = field!.get.bind(field!);
        fillers.push({
          column,
          builder: b,
          fill: (ctx, row) => {
            const v = get(ctx);
            storeInt64(b, row, v);
            failed?.set(row, typeof v === 'number' ? v < 0 : typeof v === 'bigint' && v < 0n);
          },
        });
      } else fillers.push(fieldFiller(column, field!, n));
    }
    this.threadCache = threadCache;
    this.kindColumns = kindColumns;
    this.sourceColumns = sourceColumns;
    this.fdCache = fdCache;
    this.fillers = fillers.filter((f) => f.fill !== noop);
    this.hostField = registry.resolve('evt.hostname');
    this.hostOverride = opts.hostname;
    this.tables = opts.tables;
    this.argsPass = info || args ? new ArgsPass(info, args) : undefined;
    this.allFillers = fillers;
    this.schema = eventSchema(fillers);
  }

  private readonly allFillers: Filler[];
  private readonly hostField: CompiledField;
  private readonly sourceColumns: SourceColumns;
  private readonly hostOverride: string | undefined;
  private readonly tables: CaptureTables | undefined;
  private readonly threadCache: ThreadCache | undefined;
  private readonly kindColumns: KindColumns | undefined;
  private readonly fdCache: FdCache | undefined;
  /** The current event's host: `hostname`, else evt.hostname, else UNKNOWN_HOST. */
  host = UNKNOWN_HOST;

  header(header: CaptureHeader): void {
    this.captureHeader = header;
  }

  /** New tables (a sysdig section, a rotated file): nothing cached from the old ones is valid. */
  metadata(_metadata: CaptureMetadata): void {
    this.threadCache?.clear();
    this.fdCache?.clear();
  }

  event(ctx: ReplayContext): void {
    const row = this.rows;
    const v = ctx.view;
    if (this.captureId === undefined)
      this.captureId = captureIdOf(this.captureHeader, v.tsHi, v.tsLo, ctx.num);
    this.host = this.hostOverride ?? (this.hostField.get(ctx) as string | undefined) ?? UNKNOWN_HOST;
    this.sourceColumns.fill(row, this.host, this.captureId);
    this.tables?.event(ctx, this.host, this.captureId);
    if (this.sorted) {
      const hi = v.tsHi;
      const lo = v.tsLo;
      if (hi < this.lastHi || (hi === this.lastHi && lo < this.lastLo)) this.sorted = false;
      this.lastHi = hi;
      this.lastLo = lo;
    }
    this.threadCache?.fill(ctx, row);
    this.fdCache?.fill(ctx, row);
    this.kindColumns?.fill(ctx, row);
    for (const f of this.fillers) f.fill(ctx, row);
    if (this.argsPass) {
      // Text output cuts long buffers as `replay -p` does.
      ctx.render.truncate = true;
      this.argsPass.run(ctx, row);
    }
    this.count++;
    if (++this.rows === this.batchSize) this.flush();
  }

  end(): void {
    this.flush();
  }

  /** Hands over the rows built so far as one RecordBatch (nothing when there are none). */
  flush(): void {
    const length = this.rows;
    if (length === 0) return;
    const order = this.sorted ? undefined : tsOrder(this.ts, length);
    const children = this.allFillers.map((f) => f.builder.finish(length, order));
    const data = makeData({ type: new Struct(this.schema.fields), length, nullCount: 0, children });
    for (const f of this.allFillers) f.builder.reset();
    this.threadCache?.newBatch();
    this.sourceColumns.newBatch();
    this.fdCache?.newBatch();
    this.kindColumns?.newBatch();
    this.rows = 0;
    this.sorted = true;
    this.lastHi = -1;
    this.lastLo = -1;
    this.onBatch(new RecordBatch(this.schema, data));
  }
}

function noop(): void {}

/** A column filled from a memo: its schema entry and the field whose value it holds. */
interface MemoColumn {
  readonly column: EventColumn;
  readonly field: CompiledField;
}

/**
 * A key's values of the memo columns, read in generation `generation` (of MemoColumns.clear), and their
 * slot in the batch `batch` (-1: none yet).
 */
interface ColumnMemo {
  readonly values: FieldValue[];
  slot: number;
  batch: number;
  generation: number;
}

/**
 * Columns filled all together from a memo of their values per key (a thread's of the thread columns, an
 * fd entry's of the fd entry columns): the memo's values are a slot of the batch's SlotTable, and a row is
 * only its slot number while the key and the batch stay the same. When a memo goes stale is the owner's
 * to say (clear): ThreadCache, FdCache.
 */
class MemoColumns {
  readonly table: SlotTable;
  private readonly byKey = new Map<object, ColumnMemo>();
  /** The key of the last memo asked for, and that memo (kept until clear()). */
  private lastKey: object | undefined;
  private lastMemo: ColumnMemo | undefined;
  /** Counts clear(): a memo read in an older generation is read again before it is used. */
  private generation = 0;
  /** Memos of forgotten keys, refilled for the next keys instead of allocating new ones. */
  private readonly spare: ColumnMemo[] = [];
  private readonly keep = (m: ColumnMemo): void => {
    this.spare.push(m);
  };
  private readonly fields: readonly CompiledField[];
  private readonly kinds: readonly SlotColumnKind[];
  /** The batch being built (slots are valid within it). */
  private batch = 0;
  private readonly columns: readonly EventColumn[];
  constructor(columns: readonly MemoColumn[], rows: number) {
    this.columns = columns.map((c) => c.column);
    this.fields = columns.map((c) => c.field);
    this.kinds = columns.map((c) => slotKind(c.column));
    this.table = new SlotTable(rows, this.kinds);
  }
  /** The builder of the memo column `column`. */
  builderOf(column: EventColumn): ColumnBuilder {
    return slotBuilder(this.table, this.columns, column, 'memo');
  }
  /** The memo of `key`, made from the current event's fields when new (no key: a memo not kept). */
  memo(key: object | undefined, ctx: ReplayContext): ColumnMemo {
    // Consecutive events mostly share a thread (an fd): no map lookup for those.
    if (key !== undefined && key === this.lastKey && this.lastMemo) return this.lastMemo;
    let m = key ? this.byKey.get(key) : undefined;
    if (m) {
      if (m.generation !== this.generation) {
        // Read again since an event that may have changed the key's values: the slot stays when none did
        // (most events that may change a thread or an fd change nothing these columns show).
        const values = m.values;
        let same = true;
        let i = 0;
        for (const f of this.fields) {
          const v = f.get(ctx);
          if (v !== values[i]) {
            values[i] = v;
            same = false;
          }
          i++;
        }
        if (!same) m.batch = -1;
        m.generation = this.generation;
      }
    } else {
      m = this.spare.pop() ?? {
        values: new Array<FieldValue>(this.fields.length),
        slot: -1,
        batch: -1,
        generation: 0,
      };
      // A counter beside for…of: entries() allocated an iterator and a pair per field, at every refill.
      const values = m.values;
      let i = 0;
      for (const f of this.fields) values[i++] = f.get(ctx);
      m.batch = -1;
      m.generation = this.generation;
      if (key) this.byKey.set(key, m);
      else this.spare.push(m);
    }
    this.lastKey = key;
    this.lastMemo = m;
    return m;
  }
  /** Row `row` of every memo column holds `m`'s values. */
  write(m: ColumnMemo, row: number): void {
    if (m.batch !== this.batch) {
      const slot = this.table.newSlot();
      const kinds = this.kinds;
      let i = 0;
      for (const v of m.values) {
        if (kinds[i] === 'dictionary') this.table.setString(slot, i, v === undefined ? v : text(v));
        else if (typeof v === 'number' || typeof v === 'bigint') this.table.setInteger(slot, i, v);
        else if (typeof v === 'boolean' && kinds[i] === 'int64') this.table.setInteger(slot, i, v ? 1 : 0);
        i++;
      }
      m.slot = slot;
      m.batch = this.batch;
    }
    this.table.setRow(row, m.slot);
  }
  /** Row `row` of every memo column null. */
  writeNull(row: number): void {
    this.table.setRow(row, -1);
  }
  /** A new batch: new slots and dictionaries, so every memo's slot is to be made again. */
  newBatch(): void {
    this.batch++;
    // The keys of the batch are forgotten with it (their memos refilled for the next keys).
    if (this.byKey.size > 0) {
      this.byKey.forEach(this.keep);
      this.byKey.clear();
    }
  }
  /** Every memo is stale: read again at its next use (the key's memo and slot kept when nothing changed). */
  clear(): void {
    this.generation++;
    this.lastKey = undefined;
    this.lastMemo = undefined;
  }
}

/** How a memo column's values are stored in a slot. */
function slotKind(column: EventColumn): SlotColumnKind {
  if (column.kind === 'dictionary' || column.kind === 'int64' || column.kind === 'int32') return column.kind;
  throw new Error(`column ${column.name}: a ${column.kind} column cannot be a memo column`);
}

/** The thread columns' memos per thread, valid until the next state-changing event. */
class ThreadCache extends MemoColumns {
  /** evt.num of the last event seen. */
  private lastNum = -1;
  /** The size of the thread table at the last event seen. */
  private threads = -1;
  /** Fills row `row` of every thread column for the current event's thread. */
  fill(ctx: ReplayContext, row: number): void {
    // Events the sink did not see (hidden, filtered out) went through the state engine all the same.
    const threads = ctx.state.threads.size;
    if (
      CHANGES_STATE[Math.min(ctx.view.type, EVENT_MAX)] === 1 ||
      ctx.num !== this.lastNum + 1 ||
      threads !== this.threads
    )
      this.clear();
    this.lastNum = ctx.num;
    this.threads = threads;
    this.write(this.memo(ctx.state.thread ?? undefined, ctx), row);
  }
}

/** The fd entry columns' memos per fd entry, valid until the next event that may change an fd entry. */
class FdCache extends MemoColumns {
  private lastNum = -1;
  /** fd.name, when its column is one of these. */
  private readonly name: CompiledField | undefined;
  constructor(columns: readonly MemoColumn[], rows: number) {
    super(columns, rows);
    this.name = columns.find((c) => c.column.name === 'fd_name')?.field;
  }
  fill(ctx: ReplayContext, row: number): void {
    const type = Math.min(ctx.view.type, EVENT_MAX);
    if (CHANGES_FD[type] === 1 || ctx.num !== this.lastNum + 1) this.clear();
    this.lastNum = ctx.num;
    const e = withFd(ctx);
    if (e && CONNECT_EXIT[type] === 0) this.write(this.memo(e, ctx), row);
    // Without an entry, every column is null but fd.name, the name a creating call gave (a failed open's
    // path); a connect's exit names its address. Those rows get a slot of their own, not kept.
    else if (e || this.name?.get(ctx) !== undefined) this.write(this.memo(undefined, ctx), row);
    else this.writeNull(row);
  }
}

function storeInt64(b: Int64Builder, row: number, v: FieldValue | undefined): void {
  if (typeof v === 'number') b.setNumber(row, v);
  else if (typeof v === 'bigint') b.setBigInt(row, v);
  else if (typeof v === 'boolean') b.setNumber(row, v ? 1 : 0);
  else b.setNull(row);
}

/** A filler that stores a registry field's value, converted to the column's kind. */
function fieldFiller(column: EventColumn, field: CompiledField, n: number): Filler {
  const [builder, store] = valueStore(column, n);
  return { column, builder, fill: (ctx, row) => store(row, field.get(ctx)) };
}

/** The builder of a column's kind and how a field value goes into it. */
function valueStore(
  column: EventColumn,
  n: number,
): [ColumnBuilder, (row: number, v: FieldValue | undefined) => void] {
  switch (column.kind) {
    case 'int64': {
      const b = new Int64Builder(n);
      return [b, (row, v) => storeInt64(b, row, v)];
    }
    case 'int32': {
      const b = new Int32Builder(n);
      return [b, (row, v) => (typeof v === 'number' ? b.set(row, v) : b.setNull(row))];
    }
    case 'bool': {
      const b = new BoolBuilder(n);
      return [b, (row, v) => (v === undefined ? b.setNull(row) : b.set(row, v === true || v === 1))];
    }
    case 'utf8': {
      // Appended in row order: the row number is implied.
      const b = new Utf8Builder(n);
      return [b, (_row, v) => (v === undefined ? b.pushNull() : b.push(text(v)))];
    }
    case 'dictionary': {
      const b = new DictionaryBuilder(n);
      return [b, (row, v) => (v === undefined ? b.setNull(row) : b.set(row, text(v)))];
    }
    default:
      throw new Error(`column ${column.name}: no filler for ${column.kind}`);
  }
}

function text(v: FieldValue): string {
  return typeof v === 'string' ? v : String(v);
}

/**
 * evt.info and the args map from one walk over the event's parameters, as bytes: replay's writeArgs
 * renders evt.info straight into the info column (or a scratch writer without it), and each parameter's
 * value (its resolved form when it has one, as `evt.arg.NAME` shows it) is copied from there into the map.
 */
class ArgsPass {
  private readonly out: ByteWriter;
  private readonly visit: ArgBytesVisitor | undefined;
  constructor(
    private readonly info: Utf8Builder | undefined,
    private readonly args: StringMapBuilder | undefined,
  ) {
    this.out = info ? info.out : new ByteWriter();
    const out = this.out;
    this.visit = args
      ? (name, start, valueEnd, end) => {
          if (end > valueEnd) args.entryBytes(name, out.buf, valueEnd + 1, end - 1);
          else args.entryBytes(name, out.buf, start, valueEnd);
        }
      : undefined;
  }
  run(ctx: ReplayContext, row: number): void {
    if (!this.info) this.out.reset();
    writeArgs(ctx, this.out, this.visit);
    this.info?.endRow();
    this.args?.endRow(row);
  }
}

/** Row order by (ts, row): a stable sort of the batch's rows by timestamp. */
function tsOrder(ts: Int64Builder | undefined, length: number): Int32Array | undefined {
  if (!ts) return undefined;
  const order = new Int32Array(length);
  for (let i = 0; i < length; i++) order[i] = i;
  order.sort((a, b) => ts.hi(a) - ts.hi(b) || ts.lo(a) - ts.lo(b) || a - b);
  return order;
}

/**
 * A capture's id: 64-bit FNV-1a of its header and its first event (timestamp and number), as 16 hex
 * digits. The same trace always gets the same id; two files of one recording (rotation) get two.
 */
export function captureIdOf(
  header: CaptureHeader | undefined,
  tsHi: number,
  tsLo: number,
  num: number,
): string {
  const s = `${JSON.stringify(header ?? {}, (_k, v) => (typeof v === 'bigint' ? v.toString() : v))}|${tsHi}|${tsLo}|${num}`;
  let h = 0xcbf29ce484222325n;
  const enc = new TextEncoder().encode(s);
  for (const b of enc) h = BigInt.asUintN(64, (h ^ BigInt(b)) * 0x100000001b3n);
  return h.toString(16).padStart(16, '0');
}
