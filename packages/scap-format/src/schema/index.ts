// The scap event schema: every event id with its name, direction, category, flags and parameter layout,
// built once from the generated table (schema/event_table.tsv is the single source of truth).
import {
  EVENT_ROWS,
  EVENT_ROWS_SYSDIG_0_29,
  type RawEventRow,
  SYSCALL_NAMES,
} from './event-table.generated.js';

export { PARAM_TYPE_NAMES, PRINT_FORMAT_NAMES, SYSCALL_NAMES } from './event-table.generated.js';

/** Parameter types (`enum ppm_param_type`). */
export const PT = {
  NONE: 0, INT8: 1, INT16: 2, INT32: 3, INT64: 4, UINT8: 5, UINT16: 6, UINT32: 7, UINT64: 8, CHARBUF: 9,
  BYTEBUF: 10, ERRNO: 11, SOCKADDR: 12, SOCKTUPLE: 13, FD: 14, PID: 15, FDLIST: 16, FSPATH: 17, SYSCALLID: 18,
  SIGTYPE: 19, RELTIME: 20, ABSTIME: 21, PORT: 22, L4PROTO: 23, SOCKFAMILY: 24, BOOL: 25, IPV4ADDR: 26, DYN: 27,
  FLAGS8: 28, FLAGS16: 29, FLAGS32: 30, UID: 31, GID: 32, DOUBLE: 33, SIGSET: 34, CHARBUFARRAY: 35,
  CHARBUF_PAIR_ARRAY: 36, IPV4NET: 37, IPV6ADDR: 38, IPV6NET: 39, IPADDR: 40, IPNET: 41, MODE: 42, FSRELPATH: 43,
  ENUMFLAGS8: 44, ENUMFLAGS16: 45, ENUMFLAGS32: 46, FD32: 47, PID32: 48,
} as const; // biome-ignore format: a table

/** Print formats (`enum ppm_print_format`). */
export const PF = { NA: 0, DEC: 1, HEX: 2, PADDED_DEC: 3, ID: 4, DIR: 5, OCT: 6 } as const;

/** Event flags (`enum ppm_event_flags`). */
export const EF = {
  CREATES_FD: 1,
  DESTROYS_FD: 2,
  USES_FD: 4,
  READS_FROM_FD: 8,
  WRITES_TO_FD: 16,
  MODIFIES_STATE: 32,
  UNUSED: 64,
  WAITS: 128,
  SKIPPARSERESET: 256,
  OLD_VERSION: 512,
  LARGE_PAYLOAD: 2048,
  CONVERTER_MANAGED: 4096,
} as const;

/** Event categories (`enum ppm_event_category`): low bits the syscall class, high bits the source. */
export const EC = {
  UNKNOWN: 0,
  OTHER: 1,
  FILE: 2,
  NET: 3,
  IPC: 4,
  MEMORY: 5,
  PROCESS: 6,
  SLEEP: 7,
  SYSTEM: 8,
  SIGNAL: 9,
  USER: 10,
  TIME: 11,
  PROCESSING: 12,
  IO_READ: 32,
  IO_WRITE: 33,
  IO_OTHER: 34,
  WAIT: 64,
  SCHEDULER: 128,
  INTERNAL: 256,
  SYSCALL: 512,
  TRACEPOINT: 1024,
  PLUGIN: 2048,
  METAEVENT: 4096,
  ITER: 8192,
} as const;
/** Mask of the syscall-class part of a category. */
export const EC_CLASS_MASK = 0xff;

export interface ParamInfo {
  readonly name: string;
  /** A `PT` value. */
  readonly type: number;
  /** A `PF` value. */
  readonly format: number;
}

export interface EventInfo {
  readonly id: number;
  readonly name: string;
  /** `>` enter, `<` exit. */
  readonly dir: '>' | '<';
  readonly category: number;
  readonly flags: number;
  readonly params: readonly ParamInfo[];
  /** The number of parameters (params.length, known without making the list). */
  readonly paramCount: number;
  /** Parameter lengths are u32 (EF_LARGE_PAYLOAD) instead of u16. */
  readonly largePayload: boolean;
  /** Index of each parameter by name. */
  readonly paramIndex: ReadonlyMap<string, number>;
}

/** A parameter's description, one object per (name, type, format), shared by every event that has it. */
const paramInfos = new Map<string, Map<number, ParamInfo>>();
function paramInfo(name: string, type: number, format: number): ParamInfo {
  let byTypeFormat = paramInfos.get(name);
  if (byTypeFormat === undefined) {
    byTypeFormat = new Map();
    paramInfos.set(name, byTypeFormat);
  }
  const key = type * 256 + format;
  let p = byTypeFormat.get(key);
  if (p === undefined) {
    p = Object.freeze({ name, type, format });
    byTypeFormat.set(key, p);
  }
  return p;
}

/**
 * One table's parameter lists and name indexes, each made from its row's parameter string when an event of
 * that id first asks (issue #18: a cold import builds only names, directions, categories, flags and counts;
 * most programs touch the parameters of a few dozen of the ~450 ids). Where `earlier` (the HEAD table's, for
 * sysdig 0.29.3's) has the same parameter string at the same id, its list and index are shared (about half
 * of sysdig 0.29.3's ids; their categories and flags are numbered the old way).
 */
class ParamLayouts {
  readonly params: (readonly ParamInfo[] | undefined)[] = [];
  readonly index: (ReadonlyMap<string, number> | undefined)[] = [];
  constructor(
    readonly rows: readonly RawEventRow[],
    private readonly earlier: ParamLayouts | undefined,
  ) {}

  /** Makes (once) the parameter list and name index of `id`; returns the list. */
  make(id: number): readonly ParamInfo[] {
    const text = (this.rows[id] as RawEventRow)[5];
    const earlier = this.earlier;
    if (earlier !== undefined && earlier.rows[id]?.[5] === text) {
      const params = earlier.params[id] ?? earlier.make(id);
      this.index[id] = earlier.index[id];
      this.params[id] = params;
      return params;
    }
    const built: ParamInfo[] = [];
    const index = new Map<string, number>();
    if (text !== '') {
      for (const param of text.split(',')) {
        const [name = '', type = '0', format = '0'] = param.split(':');
        const p = paramInfo(name, Number(type), Number(format));
        index.set(p.name, built.length);
        built.push(p);
      }
    }
    this.index[id] = index;
    this.params[id] = built;
    return built;
  }
}

/** An event id's entry: its header facts as fields, its parameters from the table's layouts on first use. */
class TableEvent implements EventInfo {
  constructor(
    private readonly layouts: ParamLayouts,
    readonly id: number,
    readonly name: string,
    readonly dir: '>' | '<',
    readonly category: number,
    readonly flags: number,
    readonly largePayload: boolean,
    readonly paramCount: number,
  ) {}
  get params(): readonly ParamInfo[] {
    return this.layouts.params[this.id] ?? this.layouts.make(this.id);
  }
  get paramIndex(): ReadonlyMap<string, number> {
    const index = this.layouts.index[this.id];
    if (index !== undefined) return index;
    this.layouts.make(this.id);
    return this.layouts.index[this.id] as ReadonlyMap<string, number>;
  }
  /** What JSON.stringify and test diffs show: the fields, parameters included. */
  toJSON(): object {
    const { id, name, dir, category, flags, params, largePayload, paramIndex } = this;
    return { id, name, dir, category, flags, params, largePayload, paramIndex };
  }
}

/**
 * The EventInfo of each row, and the table's layouts. Index loops, no destructuring: this runs once, at
 * import, in the interpreter, where destructuring an array walks its iterator.
 */
function build(
  rows: readonly RawEventRow[],
  earlier?: ParamLayouts,
): { events: readonly EventInfo[]; layouts: ParamLayouts } {
  const layouts = new ParamLayouts(rows, earlier);
  const events: EventInfo[] = [];
  for (let id = 0; id < rows.length; id++) {
    const row = rows[id] as RawEventRow;
    const flags = row[3];
    events.push(
      Object.freeze(
        new TableEvent(
          layouts,
          id,
          row[0],
          row[1] === 0 ? '>' : '<',
          row[2],
          flags,
          (flags & EF.LARGE_PAYLOAD) !== 0,
          row[4],
        ),
      ),
    );
  }
  return { events, layouts };
}

const head = build(EVENT_ROWS);
/** The libs HEAD event table, indexed by event id. */
export const EVENTS: readonly EventInfo[] = head.events;
/** The event table of Debian's sysdig 0.29.3 (what its reader knows), indexed by event id. */
export const EVENTS_SYSDIG_0_29: readonly EventInfo[] = build(EVENT_ROWS_SYSDIG_0_29, head.layouts).events;
export const EVENT_MAX = EVENTS.length;

/** Whether an event id is an enter event (even ids). */
export const isEnter = (type: number): boolean => (type & 1) === 0;

/** Event name → its current enter and exit ids, made on first use (an import runs no more than it must). */
let currentByName: Map<string, [number, number]> | undefined;

/** The current (non-old) enter and exit ids of an event name, -1 where there is none. */
export function currentEventIds(name: string): readonly [enter: number, exit: number] | undefined {
  if (currentByName === undefined) {
    currentByName = new Map();
    for (let id = 0; id < EVENT_MAX; id++) {
      const e = EVENTS[id] as EventInfo;
      if (e.flags & (EF.OLD_VERSION | EF.UNUSED) || e.name === 'NA') continue;
      const pair = currentByName.get(e.name) ?? [-1, -1];
      pair[e.dir === '>' ? 0 : 1] = id;
      currentByName.set(e.name, pair);
    }
  }
  return currentByName.get(name);
}

/** Every id (old versions included) that carries a name, for filters such as `evt.type=open`. */
export function eventIdsByName(name: string): number[] {
  const ids: number[] = [];
  for (const e of EVENTS) if (e.name === name) ids.push(e.id);
  return ids;
}

/** Name of a generic syscall (PT_SYSCALLID value), as libsinsp reports it in evt.type. */
export function syscallName(code: number): string | undefined {
  return SYSCALL_NAMES[code];
}

const CONTAINER_IDS = new Uint8Array(EVENT_MAX);
for (let id = 0; id < EVENT_MAX; id++) if (EVENTS[id]?.name === 'container') CONTAINER_IDS[id] = 1;

/**
 * Whether an event id is a container record. sinsp takes the run of them a capture starts with as state:
 * they are not shown, and the capture's first event (evt.reltime's origin) is the first one after them.
 */
export const isContainerEvent = (type: number): boolean => type < EVENT_MAX && CONTAINER_IDS[type] === 1;

/**
 * A table by event id (or a few of them) that `build` makes from the event tables when first asked for,
 * then the same one ever after: an import reads no parameter list it does not need (issue #18).
 */
export function eventTypeTable<T>(build: () => T): () => T {
  let table: T | undefined;
  return () => {
    if (table === undefined) table = build();
    return table;
  };
}
