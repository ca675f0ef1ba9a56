// ModelBuilder: the Pipeline sink that builds a model in one pass. For every event the pipeline shows (state
// applied, the user's filter passed, inside the time range) it counts the event in its time slot, adds it to
// the tiles and table rows whose filters it passes, records its evt.num in the event index and, on the whole
// trace, follows processes for the tree. Specs are compiled once; per event, only the specs whose type mask
// lets the event's type through evaluate their filter, folded for that type (TypeStep, SpecCondition).
import {
  type CompiledField,
  type CompiledFilter,
  compileFilter,
  compileFilterAst,
  compileFilterPredicate,
  type FieldRegistry,
  type FieldValue,
  type FilterAst,
  fieldText,
  foldForEventType,
  parseFilter,
  type ReplayContext,
  SharedSubfilters,
  type Sink,
  type Thread,
} from '@scapkit/replay';
import { type CaptureMetadata, EVENT_MAX, EVENTS } from '@scapkit/scap-format';
import type { Alert, EventJudge } from './alerts.js';
import { TimeSlots } from './slots.js';
import {
  CATEGORIES,
  CATEGORY_OF_TYPE,
  type ColumnSpec,
  type FdKind,
  IS_IO_TYPE,
  TABLES,
  type TableSpec,
  TILES,
  type TileSpec,
  type TypePrefilter,
  typeMask,
} from './specs.js';
import type { Model, ProcessNode, TableData } from './types.js';

/** A state fd entry (the engine's, as ReplayContext holds it). */
type FdEntry = NonNullable<ReplayContext['state']['fd']>;

/** Rows a table hands the page, largest first. */
export const MAX_TABLE_ROWS = 5000;
const TWO32 = 4294967296;
const CAT_FILE = CATEGORIES.indexOf('file');
const CAT_NET = CATEGORIES.indexOf('net');
const CAT_IPC = CATEGORIES.indexOf('ipc');
const CAT_OTHER = CATEGORIES.indexOf('other');
/** No tile or table for this type. */
const NONE = new Uint8Array(0);
/** An event on no fd; its fd not looked at yet. */
const NO_FD = -1;
const FD_UNKNOWN = -2;

/** The timeline category a spec's fd kind stands for (-1: no condition). */
function fdCategory(kind: FdKind | undefined): number {
  return kind === 'file' ? CAT_FILE : kind === 'net' ? CAT_NET : -1;
}

/**
 * How many of a model's events each segment (event batch of the trace) holds: the model's event list as
 * counts, not events. Row r of the list is found by the counts (which segment), then by running that
 * segment again (which event).
 */
export class SegmentCounts {
  counts = new Uint32Array(1024);
  /** Events counted in all. */
  total = 0;
  /** The segment events are counted in now (the pass sets it before each batch). */
  seg = 0;
  /** Counts `n` events (1: the event at hand) in the current segment. */
  add(n = 1): void {
    if (this.seg >= this.counts.length) {
      const g = new Uint32Array(Math.max(this.counts.length * 2, this.seg + 1));
      g.set(this.counts);
      this.counts = g;
    }
    this.counts[this.seg] = (this.counts[this.seg] ?? 0) + n;
    this.total += n;
  }
  /** The counts of the first `segments` segments. */
  countsOf(segments: number): Uint32Array {
    const out = new Uint32Array(segments);
    out.set(this.counts.subarray(0, Math.min(segments, this.counts.length)));
    return out;
  }
  /** Events before each segment: `segments + 1` entries, the last the total. */
  cumulative(segments: number): Float64Array {
    const out = new Float64Array(segments + 1);
    for (let i = 0; i < segments; i++) out[i + 1] = (out[i] ?? 0) + (this.counts[i] ?? 0);
    return out;
  }
}

/**
 * The event types a spec is evaluated on: those its prefilter names that its filter can be true for (the
 * compiler knows, from the fields the event type decides: evt.type, evt.dir, evt.is_io_read …), as the
 * Pipeline skips the types a filter cannot match.
 */
function typesToEvaluate(types: TypePrefilter, filter: CompiledFilter | undefined): Uint8Array {
  const m = typeMask(types);
  if (filter) for (let t = 0; t < EVENT_MAX; t++) m[t] = (m[t] ?? 0) & (filter.eventTypes[t] ?? 0);
  return m;
}

/** Per type, whether `filter` is true whatever the event of that type holds. */
function certainTypes(filter: CompiledFilter): Uint8Array {
  return filter.certainTypes ?? new Uint8Array(EVENT_MAX);
}

/** A field as filters name it (`evt.arg.sig`, `proc.aname[2]`) resolved against the registry. */
export function resolveField(registry: FieldRegistry, name: string): CompiledField {
  const m = /^([a-z0-9_.]+?)(?:\[([^\]]*)\])?$/.exec(name);
  if (!m) throw new Error(`bad field name ${name}`);
  const [, base = name, arg] = m;
  if (arg !== undefined) return registry.resolve(base, arg);
  if (registry.has(name)) return registry.resolve(name);
  const dot = name.lastIndexOf('.');
  return registry.resolve(name.slice(0, dot), name.slice(dot + 1));
}

const numeric = (v: FieldValue): number | undefined =>
  typeof v === 'number' ? v : typeof v === 'bigint' ? Number(v) : undefined;

/** Which events a tile or a table takes: those of its types, on its kind of fd, that its filter matches. */
class SpecCondition {
  readonly filter: CompiledFilter;
  /** Per type: 1 when the filter can be true for it (the types to evaluate). */
  readonly mask: Uint8Array;
  /** Per type: 1 when the filter is true whatever the event holds (not evaluated then). */
  readonly certain: Uint8Array;
  /** The category the event's fd must be of (the spec's fd), -1: any. */
  readonly fd: number;
  private readonly ast: FilterAst;
  /**
   * Per type: the filter folded for it (the checks the type decides — evt.type, evt.dir, evt.is_io … —
   * taken out, as the rules engine does), compiled when an event of the type first comes; true or false
   * when the type decides it.
   */
  private readonly byType: (((ctx: ReplayContext) => boolean) | boolean | undefined)[] = [];
  /** The folds compiled so far, by fold signature (types that fold alike share one). */
  private readonly folds = new Map<string, (ctx: ReplayContext) => boolean>();
  constructor(
    spec: TileSpec | TableSpec,
    private readonly registry: FieldRegistry,
    private readonly shared: SharedSubfilters,
  ) {
    this.ast = parseFilter(spec.filter);
    this.filter = compileFilterAst(this.ast, spec.filter, registry);
    this.mask = typesToEvaluate(spec.types, this.filter);
    this.certain = certainTypes(this.filter);
    this.fd = fdCategory(spec.fd);
  }

  /** Whether the filter matches the event (of type `type`; any type past EVENT_MAX is evaluated). */
  protected matches(ctx: ReplayContext, type: number): boolean {
    if (type >= EVENT_MAX) return this.filter.match(ctx);
    const m = this.byType[type] ?? this.fold(type);
    return m === true || (m !== false && m(ctx));
  }

  private fold(type: number): ((ctx: ReplayContext) => boolean) | boolean {
    const text = this.filter.text;
    const { folded, signature } = foldForEventType(this.ast, text, this.registry, type);
    let m: ((ctx: ReplayContext) => boolean) | boolean;
    if (typeof folded === 'boolean') m = folded;
    else {
      m = this.folds.get(signature) ?? compileFilterPredicate(folded, text, this.registry, this.shared);
      this.folds.set(signature, m);
    }
    this.byType[type] = m;
    return m;
  }
}

class TileAgg extends SpecCondition {
  readonly sum: CompiledField | undefined;
  readonly distinct: CompiledField | undefined;
  /** The distinct values counted, each with the time (ns from time zero) of the event that first had it. */
  readonly seen = new Map<unknown, number>();
  total = 0;
  /**
   * Whether an event of this type adds 1 whatever it holds (a count, its filter certain, no fd
   * condition): the builder counts those without calling add().
   */
  readonly counted: Uint8Array;
  // The spec's flags, as fields of this class (the specs are objects of many shapes).
  private readonly perThread: boolean;
  private readonly perFd: boolean;
  // TileSpec.perThread: the thread last looked at, and the process and container each thread was last
  // looked at in.
  private lastThread: Thread | undefined;
  private lastPid = 0;
  private lastContainer = '';
  private readonly lookedAt = new WeakMap<Thread, { pid: number; container: string }>();
  private lookedAtNone = false;
  // TileSpec.perFd: the fd entries whose value the set holds, with their names then.
  private readonly fdsSeen = new WeakMap<FdEntry, string>();
  constructor(
    readonly spec: TileSpec,
    registry: FieldRegistry,
    shared: SharedSubfilters,
  ) {
    super(spec, registry, shared);
    this.sum = spec.sum ? resolveField(registry, spec.sum) : undefined;
    this.distinct = spec.distinct ? resolveField(registry, spec.distinct) : undefined;
    this.counted = new Uint8Array(EVENT_MAX);
    this.perThread = spec.perThread === true;
    this.perFd = spec.perFd === true;
    if (!this.sum && !this.distinct && this.fd < 0 && !spec.perThread)
      for (let t = 0; t < EVENT_MAX; t++) this.counted[t] = (this.mask[t] ?? 0) & (this.certain[t] ?? 0);
  }

  /**
   * Whether the tile looked at an event of thread `t` before, with the thread in the same process and
   * container as now (TileSpec.perThread: then the event adds nothing); notes that it looks at it now.
   */
  private lookedBefore(t: Thread | undefined): boolean {
    if (t === undefined) {
      const before = this.lookedAtNone;
      this.lookedAtNone = true;
      return before;
    }
    if (t === this.lastThread && t.pid === this.lastPid && t.containerId === this.lastContainer) return true;
    this.lastThread = t;
    this.lastPid = t.pid;
    this.lastContainer = t.containerId;
    const m = this.lookedAt.get(t);
    if (m === undefined) {
      this.lookedAt.set(t, { pid: t.pid, container: t.containerId });
      return false;
    }
    if (m.pid === t.pid && m.container === t.containerId) return true;
    m.pid = t.pid;
    m.container = t.containerId;
    return false;
  }

  /** What the event (of type `type`, below EVENT_MAX, at `rel`) adds to the tile (0 when nothing). */
  add(ctx: ReplayContext, type: number, rel: number): number {
    if (this.perThread && this.lookedBefore(ctx.state.thread)) return 0;
    const fd = ctx.state.fd;
    if (this.perFd && fd !== undefined && this.fdsSeen.get(fd) === fd.name) return 0;
    if (!this.matches(ctx, type)) return 0;
    if (this.distinct) {
      const v = this.distinct.get(ctx);
      if (v === undefined) return 0;
      if (this.perFd && fd !== undefined) this.fdsSeen.set(fd, fd.name);
      const k = v instanceof Uint8Array ? fieldText(this.distinct, v) : v;
      if (this.seen.has(k)) return 0;
      this.seen.set(k, rel);
      this.total++;
      return 1;
    }
    if (this.sum) {
      const v = numeric(this.sum.get(ctx));
      if (v === undefined || !(v > 0)) return 0;
      this.total += v;
      return v;
    }
    this.total++;
    return 1;
  }
}

/** A group: its key values as printed, its numeric columns (counts, sums) and its text ones (first values). */
interface Row {
  keys: string[];
  nums: Float64Array;
  texts: string[];
}

const COUNT = 0;
const SUM = 1;
const FIRST = 2;

class ColumnAgg {
  readonly field: CompiledField | undefined;
  readonly filter: CompiledFilter | undefined;
  readonly mask: Uint8Array | undefined;
  readonly agg: number;
  /** Index in the row's `nums` (count, sum) or `texts` (first). */
  slot = 0;
  constructor(
    readonly spec: ColumnSpec,
    registry: FieldRegistry,
  ) {
    this.agg = spec.agg === 'count' ? COUNT : spec.agg === 'sum' ? SUM : FIRST;
    this.field = spec.field ? resolveField(registry, spec.field) : undefined;
    this.filter = spec.filter ? compileFilter(spec.filter, registry) : undefined;
    this.mask = spec.types || this.filter ? typesToEvaluate(spec.types ?? 'all', this.filter) : undefined;
  }
}

class TableAgg extends SpecCondition {
  readonly keys: CompiledField[];
  readonly columns: ColumnAgg[];
  private readonly rows = new Map<unknown, unknown>();
  private readonly all: Row[] = [];
  private readonly keyVals: FieldValue[];
  private nNums = 0;
  private nTexts = 0;
  constructor(
    readonly spec: TableSpec,
    registry: FieldRegistry,
    shared: SharedSubfilters,
  ) {
    super(spec, registry, shared);
    this.keys = spec.keys.map((k) => resolveField(registry, k));
    this.columns = spec.columns.map((c) => new ColumnAgg(c, registry));
    for (const c of this.columns) c.slot = c.agg === FIRST ? this.nTexts++ : this.nNums++;
    this.keyVals = new Array(this.keys.length);
  }

  /** Adds the event (of type `type`; any type past the table is evaluated). */
  add(ctx: ReplayContext, type: number): void {
    if (!this.matches(ctx, type)) return;
    // As the chisels' table_generator: an event without a value for every key is left out.
    let mapKey: unknown;
    let n = 0;
    for (const f of this.keys) {
      const v = f.get(ctx);
      if (v === undefined) return;
      this.keyVals[n++] = v;
    }
    // One Map level per key (no key string built per event), as the chisels' GroupTable.
    let level = this.rows;
    const last = this.keys.length - 1;
    for (let i = 0; i < last; i++) {
      const v = this.keyVals[i];
      const f = this.keys[i];
      const k = v instanceof Uint8Array && f !== undefined ? fieldText(f, v) : v;
      let next = level.get(k) as Map<unknown, unknown> | undefined;
      if (next === undefined) {
        next = new Map();
        level.set(k, next);
      }
      level = next;
    }
    const v = this.keyVals[last];
    const lastKey = this.keys[last];
    mapKey = v instanceof Uint8Array && lastKey !== undefined ? fieldText(lastKey, v) : v;
    let row = level.get(mapKey) as Row | undefined;
    if (row === undefined) {
      row = {
        keys: this.keys.map((f, i) => fieldText(f, this.keyVals[i])),
        nums: new Float64Array(this.nNums),
        texts: new Array<string>(this.nTexts).fill(''),
      };
      level.set(mapKey, row);
      this.all.push(row);
    }
    const nums = row.nums;
    for (const c of this.columns) {
      if (c.mask !== undefined && type < EVENT_MAX && c.mask[type] === 0) continue;
      if (c.filter !== undefined && !c.filter.match(ctx)) continue;
      if (c.agg === COUNT) nums[c.slot] = (nums[c.slot] ?? 0) + 1;
      else if (c.agg === SUM) {
        const v = numeric(c.field!.get(ctx));
        if (v !== undefined && v > 0) nums[c.slot] = (nums[c.slot] ?? 0) + v;
      } else if (row.texts[c.slot] === '') {
        const v = c.field!.get(ctx);
        if (v !== undefined) row.texts[c.slot] = fieldText(c.field!, v);
      }
    }
  }

  data(): TableData {
    const s = this.spec;
    const all = this.all.slice();
    const by = this.columns[s.sortBy];
    const value = (r: Row, c: ColumnAgg) =>
      c.agg === FIRST ? (r.texts[c.slot] ?? '') : (r.nums[c.slot] ?? 0);
    if (by && by.agg !== FIRST) all.sort((a, b) => (b.nums[by.slot] ?? 0) - (a.nums[by.slot] ?? 0));
    return {
      id: s.id,
      title: s.title,
      keyTitles: [...s.keyTitles],
      keys: [...s.keys],
      columns: s.columns.map((c) => ({ title: c.title, units: c.units, text: c.agg === 'first' })),
      rows: all.slice(0, MAX_TABLE_ROWS).map((r) => [...r.keys, ...this.columns.map((c) => value(r, c))]),
      totalRows: all.length,
      filter: s.filter,
      sortBy: s.keys.length + s.sortBy,
    };
  }
}

export interface BuilderOptions {
  registry: FieldRegistry;
  /** Slot width from the first pass (its slots line up); absent on the first pass, which finds it. */
  slotNs?: number;
  /** Whether this pass covers the whole trace: then it keeps the timeline. */
  whole: boolean;
  /** Whether it follows processes for the tree (the first pass). */
  tree?: boolean;
  /**
   * Time zero of the slots and of every relative time: the first pass takes its first shown event's
   * timestamp (hidden events before it may carry 0); later passes are given it.
   */
  t0?: { hi: number; lo: number };
  /** Whether it counts the tiles (default true). */
  tiles?: boolean;
  /**
   * Whether it builds the tables (default true). The first pass leaves them to a pass of their own after
   * it: the overview shows without waiting for them.
   */
  tables?: boolean;
  /** Rules to judge the events by (the server's first pass, with --rules/--detect). */
  judge?: EventJudge;
  /**
   * Whether it builds the overview of one segment of a first pass cut at the trace's checkpoints (part(),
   * merged by ModelBuilder.merge): it then notes what the segment's clones, execs and exits change of a
   * process (ProcessTouch).
   */
  segment?: boolean;
}

/**
 * What a segment changes of a process an earlier segment may have seen: the last clone, exec or exit of it
 * in the segment, with the process's fields then (those that had a value), as the tree's node takes them.
 */
export interface ProcessTouch {
  ppid?: number;
  name?: string;
  cmdline?: string;
  start?: number;
  exec?: number;
  exit?: number;
}

/**
 * The overview of one segment of the trace (a builder's part(), plain data a worker posts): what
 * ModelBuilder.merge adds up, in segment order, into the overview one pass over the whole trace builds.
 */
export interface BuilderPart {
  t0Hi: number;
  t0Lo: number;
  last: number;
  /** The time slots: their width, how many are used, the counters (TimeSlots.values). */
  width: number;
  used: number;
  values: Float64Array;
  /** Per tile: its total, and a distinct tile's values with the time each was first seen. */
  tiles: { total: number; seen: Map<unknown, number> | undefined }[];
  /** The segment's process nodes (in the order it met them) and what its clones, execs and exits set. */
  processes: ProcessNode[];
  touches: Map<number, ProcessTouch>;
  /** Events per batch of the segment (SegmentCounts). */
  counts: Uint32Array;
}

/**
 * What an event of one type does to a builder, decided once per type when the builder starts: its timeline
 * category (unless its fd decides it), the tiles it adds 1 to, the tiles and tables that evaluate it.
 */
interface TypeStep {
  /** Whether the type is in the event table (the tree and the judge look at those only). */
  known: boolean;
  cat: number;
  /** Whether it is an I/O type: its fd's kind is its category. */
  io: boolean;
  counted: Uint8Array;
  tiles: Uint8Array;
  tables: Uint8Array;
}

/** Process events the tree follows. */
const CLONE_X = new Uint8Array(EVENT_MAX);
const EXEC_X = new Uint8Array(EVENT_MAX);
const PROCEXIT = new Uint8Array(EVENT_MAX);
for (const [id, e] of EVENTS.entries()) {
  if (e.dir === '<' && ['clone', 'clone3', 'fork', 'vfork'].includes(e.name)) CLONE_X[id] = 1;
  if (e.dir === '<' && ['execve', 'execveat'].includes(e.name)) EXEC_X[id] = 1;
  if (e.name === 'procexit') PROCEXIT[id] = 1;
}

export class ModelBuilder implements Sink {
  readonly tiles: TileAgg[];
  readonly tables: TableAgg[];
  readonly slots: TimeSlots;
  readonly list = new SegmentCounts();
  /** Alerts of the judge (the first pass's rules), in event order. */
  readonly alerts: Alert[] = [];
  /** Columns of a slot row: categories, then tiles. */
  private readonly nCat = CATEGORIES.length;
  private readonly processes = new Map<number, ProcessNode>();
  private readonly f: Record<'pid' | 'ppid' | 'name' | 'cmdline' | 'rawres', CompiledField>;
  /** fd.type of the event, read once per event for fdKind and the specs' filters. */
  private readonly fdType: (ctx: ReplayContext) => FieldValue;
  /** Per event type, what its events do here (TypeStep); `unknown` for a type past the event table. */
  private readonly steps: TypeStep[];
  private readonly unknown: TypeStep;
  /** What the specs' filters have in common (fd.type, fd.name …), read once per event. */
  private readonly shared = new SharedSubfilters();
  /** A segment's builder: what its clones, execs and exits set (BuilderOptions.segment). */
  private readonly touches: Map<number, ProcessTouch> | undefined;
  /**
   * Set while the pipeline resumes at a checkpoint: the tables it loads are state as of some point of the
   * trace, not a metadata record of it (the tree takes none of their processes).
   */
  resuming = false;

  constructor(private readonly o: BuilderOptions) {
    this.touches = o.segment ? new Map() : undefined;
    const r = o.registry;
    this.tiles = o.tiles === false ? [] : TILES.map((t) => new TileAgg(t, r, this.shared));
    this.tables = o.tables === false ? [] : TABLES.map((t) => new TableAgg(t, r, this.shared));
    // Per event type, the tiles it adds 1 to, the other tiles and the tables whose type mask lets it
    // through (evaluated per event), its category and whether its fd decides the category.
    const those = (take: (i: number) => boolean, n: number) =>
      Uint8Array.from(Array.from({ length: n }, (_, i) => i).filter(take));
    const tiles = this.tiles;
    const tables = this.tables;
    this.steps = Array.from({ length: EVENT_MAX }, (_, type) => ({
      known: true,
      cat: CATEGORY_OF_TYPE[type] ?? CAT_OTHER,
      io: IS_IO_TYPE[type] === 1,
      counted: those((i) => tiles[i]?.counted[type] === 1, tiles.length),
      tiles: those((i) => tiles[i]?.mask[type] === 1 && tiles[i]?.counted[type] !== 1, tiles.length),
      tables: those((i) => tables[i]?.mask[type] === 1, tables.length),
    }));
    // A type past the table: every tile and table evaluates it.
    this.unknown = {
      known: false,
      cat: CAT_OTHER,
      io: false,
      counted: NONE,
      tiles: those(() => true, tiles.length),
      tables: those(() => true, tables.length),
    };
    this.slots = new TimeSlots(this.nCat + this.tiles.length, o.slotNs);
    this.f = {
      pid: r.resolve('proc.pid'),
      ppid: r.resolve('proc.ppid'),
      name: r.resolve('proc.name'),
      cmdline: r.resolve('proc.cmdline'),
      rawres: r.resolve('evt.rawres'),
    };
    const fdType = r.resolve('fd.type');
    this.fdType = this.shared.field('fd.type', (ctx) => fdType.get(ctx as ReplayContext));
    if (o.t0) {
      this.t0Hi = o.t0.hi;
      this.t0Lo = o.t0.lo;
    }
  }

  t0Hi = -1;
  t0Lo = 0;
  /** Latest relative time seen. */
  last = 0;

  /** ns from time zero. */
  rel(ctx: ReplayContext): number {
    const v = ctx.view;
    if (this.t0Hi < 0) {
      this.t0Hi = v.tsHi;
      this.t0Lo = v.tsLo;
    }
    return (v.tsHi - this.t0Hi) * TWO32 + (v.tsLo - this.t0Lo);
  }

  event(ctx: ReplayContext): void {
    const v = ctx.view;
    const type = v.type;
    const rel = this.rel(ctx);
    if (rel > this.last) this.last = rel;
    const slots = this.slots;
    const slot = slots.slotOf(rel);
    this.list.add();
    this.shared.nextEvent();
    const step = (type < EVENT_MAX ? this.steps[type] : undefined) ?? this.unknown;
    let cat = step.cat;
    // The kind of fd the event is on, found once (when needed) for the timeline and every spec's fd
    // condition.
    let fdc = FD_UNKNOWN;
    if (step.io) {
      fdc = this.fdKind(ctx);
      if (fdc !== NO_FD) cat = fdc;
    }
    slots.add(slot, cat, 1);
    const nCat = this.nCat;
    const tiles = this.tiles;
    // Tiles this type adds 1 to whatever the event holds.
    const counted = step.counted;
    for (let k = 0; k < counted.length; k++) {
      const i = counted[k] ?? 0;
      const tile = tiles[i];
      if (tile === undefined) continue;
      tile.total++;
      slots.add(slot, nCat + i, 1);
    }
    const evaluated = step.tiles;
    for (let k = 0; k < evaluated.length; k++) {
      const i = evaluated[k] ?? 0;
      const tile = tiles[i];
      if (tile === undefined) continue;
      if (tile.fd >= 0) {
        if (fdc === FD_UNKNOWN) fdc = this.fdKind(ctx);
        if (tile.fd !== fdc) continue;
      }
      const add = tile.add(ctx, type, rel);
      if (add !== 0) slots.add(slot, nCat + i, add);
    }
    const tables = this.tables;
    const rows = step.tables;
    for (let k = 0; k < rows.length; k++) {
      const table = tables[rows[k] ?? 0];
      if (table === undefined) continue;
      if (table.fd >= 0) {
        if (fdc === FD_UNKNOWN) fdc = this.fdKind(ctx);
        if (table.fd !== fdc) continue;
      }
      table.add(ctx, type);
    }
    if (!step.known) return;
    if (this.o.tree) this.followProcess(ctx, type, rel);
    const j = this.o.judge;
    if (j !== undefined && j.eventTypes[type] === 1) {
      const raised = j.judge(ctx);
      if (raised) for (const a of raised) this.alerts.push(a);
    }
  }

  /** The timeline category of the event's fd (file, net or ipc), NO_FD when it is on none. */
  private fdKind(ctx: ReplayContext): number {
    if (!ctx.state.fd) return NO_FD;
    const t = this.fdType(ctx);
    return t === 'file' || t === 'directory' ? CAT_FILE : t === 'ipv4' || t === 'ipv6' ? CAT_NET : CAT_IPC;
  }

  private node(ctx: ReplayContext, pid: number): ProcessNode {
    let n = this.processes.get(pid);
    if (!n) {
      n = { pid, ppid: -1, name: '', cmdline: '', start: -1, exec: -1, exit: -1 };
      this.processes.set(pid, n);
    }
    const ppid = this.f.ppid.get(ctx) as number | undefined;
    const name = this.f.name.get(ctx) as string | undefined;
    const cmdline = this.f.cmdline.get(ctx) as string | undefined;
    n.ppid = ppid ?? n.ppid;
    n.name = name ?? n.name;
    n.cmdline = cmdline ?? n.cmdline;
    return n;
  }

  /**
   * A clone, exec or exit of process `pid` at `rel`: its node updated, and, on a segment's builder, noted
   * as what the segment changes of a process an earlier segment may have seen (ProcessTouch).
   */
  private touch(ctx: ReplayContext, pid: number, what: 'start' | 'exec' | 'exit', rel: number): void {
    const n = this.node(ctx, pid);
    n[what] = rel;
    const touches = this.touches;
    if (touches === undefined) return;
    let t = touches.get(pid);
    if (t === undefined) {
      t = {};
      touches.set(pid, t);
    }
    const ppid = this.f.ppid.get(ctx) as number | undefined;
    const name = this.f.name.get(ctx) as string | undefined;
    const cmdline = this.f.cmdline.get(ctx) as string | undefined;
    if (ppid !== undefined) t.ppid = ppid;
    if (name !== undefined) t.name = name;
    if (cmdline !== undefined) t.cmdline = cmdline;
    t[what] = rel;
  }

  private followProcess(ctx: ReplayContext, type: number, rel: number): void {
    // Most events are of a process seen before: settle those with a Map lookup, before any field.
    const t = ctx.state.thread;
    if (!CLONE_X[type] && !EXEC_X[type] && !PROCEXIT[type] && t !== undefined && this.processes.has(t.pid))
      return;
    const pid = this.f.pid.get(ctx) as number | undefined;
    if (pid === undefined) return;
    if (CLONE_X[type]) {
      // The child's side of a clone that made a process (not a thread).
      if (this.f.rawres.get(ctx) === 0 && t && t.tid === t.pid) this.touch(ctx, pid, 'start', rel);
    } else if (EXEC_X[type]) {
      if (this.f.rawres.get(ctx) === 0) this.touch(ctx, pid, 'exec', rel);
    } else if (PROCEXIT[type]) {
      if (t && t.tid === t.pid) this.touch(ctx, pid, 'exit', rel);
    } else if (!this.processes.has(pid)) {
      this.node(ctx, pid);
    }
  }

  /** Processes the state engine knew before the first event (the metadata's main threads). */
  metadata(md: CaptureMetadata): void {
    if (!this.o.tree || this.resuming) return;
    for (const t of md.threads) {
      if (t.tid !== t.pid || this.processes.has(t.pid)) continue;
      this.processes.set(t.pid, {
        pid: t.pid,
        ppid: t.ptid,
        name: t.comm,
        cmdline: [t.comm, ...t.args].join(' '),
        start: -1,
        exec: -1,
        exit: -1,
      });
    }
  }

  /**
   * This segment's overview, for ModelBuilder.merge (a builder with `segment`, no tables, no judge), whose
   * events came in `batches` batches (list.seg set before each).
   */
  part(batches: number): BuilderPart {
    return {
      t0Hi: this.t0Hi,
      t0Lo: this.t0Lo,
      last: this.last,
      width: this.slots.width,
      used: this.slots.used,
      values: this.slots.values,
      tiles: this.tiles.map((t) => ({ total: t.total, seen: t.distinct ? t.seen : undefined })),
      processes: [...this.processes.values()],
      touches: this.touches ?? new Map(),
      counts: this.list.countsOf(batches),
    };
  }

  /**
   * The first pass's builder (whole, tree, tiles, no tables), made of the parts of the segments the trace
   * was cut into, in order (each a builder's part(); time zero from the first): counts and sums add, time
   * slots add once at the widest width (widening merges neighbours, as the serial pass does when it grows),
   * a distinct value counts once, in the slot of the segment that saw it first, and a process is the first
   * segment's node, then changed by the clones, execs and exits of the later ones.
   */
  static merge(o: BuilderOptions, parts: readonly BuilderPart[]): ModelBuilder {
    const b = new ModelBuilder({ ...o, whole: true, tree: true, tables: false, segment: false });
    const first = parts[0];
    if (first === undefined) return b;
    b.t0Hi = first.t0Hi;
    b.t0Lo = first.t0Lo;
    const nCat = b.nCat;
    const distinct = b.tiles.map((t) => t.distinct !== undefined);
    for (const part of parts) {
      b.last = Math.max(b.last, part.last);
      b.slots.addSlots(part, (c) => c >= nCat && distinct[c - nCat] === true);
    }
    for (const [i, tile] of b.tiles.entries()) {
      for (const part of parts) {
        const p = part.tiles[i];
        if (p === undefined) continue;
        if (p.seen === undefined) {
          tile.total += p.total;
          continue;
        }
        for (const [k, rel] of p.seen) {
          if (tile.seen.has(k)) continue;
          tile.seen.set(k, rel);
          tile.total++;
          b.slots.add(b.slots.slotOf(rel), nCat + i, 1);
        }
      }
    }
    const processes = b.processes;
    for (const part of parts) {
      // A process this segment met first: its node has it all; one an earlier segment met: the touches.
      const met = new Set<number>();
      for (const n of part.processes) {
        if (processes.has(n.pid)) continue;
        processes.set(n.pid, { ...n });
        met.add(n.pid);
      }
      for (const [pid, t] of part.touches) {
        const n = processes.get(pid);
        if (n !== undefined && !met.has(pid)) Object.assign(n, t);
      }
    }
    let seg = 0;
    for (const part of parts) {
      for (const c of part.counts) {
        b.list.seg = seg++;
        b.list.add(c);
      }
    }
    return b;
  }

  /** The model so far; `withTables` false leaves the tables (and the tree) out, for a progress update. */
  model(key: string, filter: string, from: number, to: number, withTables = true): Model {
    const nCat = this.nCat;
    const m: Model = {
      key,
      filter,
      from,
      to,
      events: this.list.total,
      tiles: this.tiles.map((t, i) => ({
        id: t.spec.id,
        value: t.total,
        ...(this.o.whole ? { series: this.slots.series(nCat + i) } : {}),
      })),
      tables: withTables ? this.tables.map((t) => t.data()) : [],
    };
    if (this.o.whole) {
      m.timeline = {
        categories: [...CATEGORIES],
        slots: this.slots.used,
        counts: CATEGORIES.map((_, c) => this.slots.series(c)),
      };
    }
    if (this.o.tree && withTables) m.processes = [...this.processes.values()];
    return m;
  }
}

/** Absolute ns (bigint as a decimal string) of a timestamp's two words. */
export function tsString(hi: number, lo: number): string {
  return (BigInt(hi) * BigInt(TWO32) + BigInt(lo)).toString();
}
