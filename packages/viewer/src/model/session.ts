// TraceSession: one opened trace, in the `scapkit view` server (Node: native codecs, decode workers) or in
// the page's worker (a dropped file). The first pass reads the trace front to back once through replay's
// Pipeline and builds the whole-trace model — time slots, tiles, tables, the process tree, alerts — as
// counts, keeping no event: the event list of a model is how many of its events each segment (batch) of
// the trace holds. Every CHECKPOINT_EVENTS events it takes a state snapshot at a segment boundary.
//
// Everything after that — a filter, a time range, a page of event lines, an event's fields, an fd's bytes
// — is another run of the same Pipeline, resumed (Pipeline.resumeAt) at the last snapshot before the part
// it needs, over the records the store gives from there: a closed scapkit trace is read again through its
// chunk index, anything else from the batches the store kept. Its cost follows that part, not the trace.
import {
  type CompiledFilter,
  compileFilter,
  compileFormat,
  createFieldRegistry,
  DEFAULT_FORMAT,
  type EvalContext,
  type FieldRegistry,
  fieldText,
  Pipeline,
  quoteString,
  type ReplayContext,
  type Sink,
} from '@scapkit/replay';
import type {
  CaptureHeader,
  CaptureMetadata,
  CaptureRecord,
  EventBatch,
  Checkpoint as FormatCheckpoint,
} from '@scapkit/scap-format';
import type { Alert, EventJudge } from './alerts.js';
import { type BuilderPart, ModelBuilder, tsString } from './builder.js';
import type { FollowTarget } from './protocol.js';
import { problemOf } from './reader.js';
import type { StoredRecord, TraceStore } from './store.js';
import type { EventRow, FieldValueText, IoChunk, IoStream, Model, ReadProblem, TraceInfo } from './types.js';

/** Events between two state snapshots: a page of rows replays at most about this many events first. */
export const CHECKPOINT_EVENTS = 100_000;
const TWO32 = 4294967296;
/** Chunks and bytes a followed fd keeps (the page shows them all). */
const IO_MAX_CHUNKS = 20_000;
const IO_MAX_BYTES = 16 << 20;

/** A state snapshot the first pass took after segment `seg`. */
export interface Snapshot {
  seg: number;
  /** Events before it (evt.num of the last one). */
  num: number;
  /** ns (relative) of the latest event before it. */
  rel: number;
  /** As a checkpoint of the format, for Pipeline.resumeAt. */
  checkpoint: FormatCheckpoint;
}

/**
 * A first pass built elsewhere (the server's, on worker threads, one segment of the trace each): the
 * segments' builder parts in order, evt.num before each segment of the store (then the events read), the
 * state snapshots taken on the way, and the host name the last segment ended with.
 */
export interface PrebuiltFirstPass {
  parts: BuilderPart[];
  segBefore: number[];
  snapshots: Snapshot[];
  events: number;
  hostname: string;
}

/** Where reading stands, for the progress bar; about once a second, the overview so far. */
export interface Progress {
  bytes: number;
  total: number;
  events: number;
  partial?: { model: Model; slotNs: number; t0: string };
}

/**
 * How often the first pass hands out the overview so far (tiles and timeline, no tables), and how soon
 * the first one: the page has something to show a moment after the pass starts.
 */
const PARTIAL_MS = 1000;
const FIRST_PARTIAL_MS = 250;

/** Yields to the event loop (a newer request may be waiting). */
const yieldToLoop = () => new Promise<void>((r) => setTimeout(r, 0));

export class Superseded extends Error {
  override readonly name = 'Superseded';
}

/** Forwards the pipeline's shown events to whoever listens now. */
class Tap implements Sink {
  on: ((ctx: ReplayContext) => void) | undefined;
  event(ctx: ReplayContext): void {
    this.on?.(ctx);
  }
}

const NEVER = () => false;
const ALWAYS = () => true;

/**
 * A pipeline kept where the last request left it (the next page of rows usually continues from there):
 * the records it reads, the batch it is in and the next event's index there. Its filter is whatever
 * `match` is now: nothing while it only follows state to a place, a model's filter while it lists rows.
 */
interface Cursor {
  p: Pipeline;
  tap: Tap;
  records: AsyncIterator<StoredRecord>;
  batch: EventBatch | undefined;
  seg: number;
  i: number;
  match: (ctx: EvalContext) => boolean;
  /** The model whose rows it counts, and the row its next matching event is. */
  key: string | undefined;
  row: number;
}

interface ModelList {
  model: Model;
  /** Rows before each segment (segments + 1 entries). */
  before: Float64Array;
  /** Whether an event is in the model (its filter and its range). */
  match: (ctx: EvalContext) => boolean;
}

/** The trace's file, for the first pass's progress. */
export interface TraceFile {
  name: string;
  size: number;
  /** Bytes read so far. */
  bytes: () => number;
  reader: TraceInfo['reader'];
}

export class TraceSession {
  readonly registry: FieldRegistry = createFieldRegistry();
  /** evt.num before each segment's first event; a last entry past the end (the events read). */
  private segBefore: number[] = [];
  private readonly snapshots: Snapshot[] = [];
  private t0Hi = 0;
  private t0Lo = 0;
  info!: TraceInfo;
  /** What the first pass's rules raised. */
  alerts: Alert[] = [];
  private readonly models = new Map<string, ModelList>();
  private readonly line = compileFormat(DEFAULT_FORMAT, this.registry);
  private cursor: Cursor | undefined;
  /** Cursor requests run one at a time: each continues where the last left the cursor. */
  private queue: Promise<unknown> = Promise.resolve();
  /** Bumped by each new request that makes older ones pointless. */
  generation = 0;
  private first!: Model;

  private constructor(private readonly store: TraceStore) {}

  /**
   * Reads `records` (the whole trace, header first) once and builds the session; later passes read
   * `store`, which the first pass hands each record to (a store that reads the file again keeps none).
   */
  static async open(
    records: AsyncIterable<CaptureRecord>,
    store: TraceStore,
    file: TraceFile,
    onProgress: (p: Progress) => void,
    judge?: EventJudge,
  ): Promise<TraceSession> {
    const s = new TraceSession(store);
    await s.firstPass(records, file, onProgress, judge);
    return s;
  }

  /** The session of a first pass built elsewhere (PrebuiltFirstPass); later passes read `store`. */
  static adopt(
    pass: PrebuiltFirstPass,
    header: CaptureHeader,
    store: TraceStore,
    file: TraceFile,
  ): TraceSession {
    const s = new TraceSession(store);
    const builder = ModelBuilder.merge({ registry: s.registry, whole: true }, pass.parts);
    s.segBefore = pass.segBefore;
    s.snapshots.push(...pass.snapshots);
    s.finish(builder, header, pass.events, pass.hostname, file, undefined);
    return s;
  }

  private async firstPass(
    stream: AsyncIterable<CaptureRecord>,
    file: TraceFile,
    onProgress: (p: Progress) => void,
    judge: EventJudge | undefined,
  ) {
    // The tables wait for a pass of their own (wholeTables): the overview shows without them.
    const builder = new ModelBuilder({
      registry: this.registry,
      whole: true,
      tree: true,
      tables: false,
      judge,
    });
    const p = new Pipeline({ sink: builder });
    const store = this.store;
    let header: CaptureHeader | undefined;
    let lastReport = 0;
    // As if the last partial overview had gone out so that the first goes FIRST_PARTIAL_MS after the start.
    let lastPartial = Date.now() - PARTIAL_MS + FIRST_PARTIAL_MS;
    let problem: ReadProblem | undefined;
    let sinceSnapshot = 0;
    let seg = 0;
    try {
      for await (const rec of stream) {
        switch (rec.kind) {
          case 'header':
            header = rec.header;
            break;
          case 'metadata':
            store.keep(rec);
            p.push(rec);
            break;
          case 'events': {
            const b = rec.batch;
            store.keep({ kind: 'events', batch: b, seg });
            this.segBefore.push(p.ctx.num);
            builder.list.seg = seg;
            p.processBatch(b);
            sinceSnapshot += b.count;
            if (sinceSnapshot >= CHECKPOINT_EVENTS) {
              this.snapshot(p, seg, builder.last);
              sinceSnapshot = 0;
            }
            seg++;
            const now = Date.now();
            if (now - lastPartial > PARTIAL_MS && builder.t0Hi >= 0) {
              lastReport = lastPartial = now;
              onProgress({
                bytes: file.bytes(),
                total: file.size,
                events: p.ctx.num,
                partial: {
                  model: builder.model('partial', '', 0, Number.POSITIVE_INFINITY, false),
                  slotNs: builder.slots.width,
                  t0: tsString(builder.t0Hi, builder.t0Lo),
                },
              });
            } else if (now - lastReport > 100) {
              lastReport = now;
              onProgress({ bytes: file.bytes(), total: file.size, events: p.ctx.num });
            }
            break;
          }
          default:
            break;
        }
      }
    } catch (e) {
      problem = problemOf(e, p.ctx.num);
    }
    this.segBefore.push(p.ctx.num);
    onProgress({ bytes: file.bytes(), total: file.size, events: p.ctx.num });
    this.finish(builder, header, p.ctx.num, p.ctx.hostname, file, problem);
  }

  /** The session's info and first model from the first pass's builder; the tables' pass starts. */
  private finish(
    builder: ModelBuilder,
    header: CaptureHeader | undefined,
    events: number,
    hostname: string,
    file: TraceFile,
    problem: ReadProblem | undefined,
  ): void {
    this.t0Hi = Math.max(0, builder.t0Hi);
    this.t0Lo = builder.t0Lo;
    const h = header;
    this.info = {
      name: file.name,
      format: h ? `${h.format} ${h.version}${h.format === 'sysdig' && h.gzip ? ' (gzip)' : ''}` : 'unknown',
      bytes: file.size,
      events,
      t0: tsString(this.t0Hi, this.t0Lo),
      duration: builder.last,
      slotNs: builder.slots.width,
      hostname,
      checkpoints: this.snapshots.length,
      reader: file.reader,
      store: this.store.kind,
      ...(problem ? { problem } : {}),
    };
    this.alerts = builder.alerts;
    const model = builder.model(modelKey('', 0, Number.POSITIVE_INFINITY), '', 0, Number.POSITIVE_INFINITY);
    this.first = model;
    this.models.set(model.key, { model, before: builder.list.cumulative(this.segments), match: ALWAYS });
    // A failure here (the session closed meanwhile) leaves the tables empty; the overview stands.
    this.tables = this.wholeTables().catch(() => {});
  }

  /**
   * The whole trace's tables, in a second pass that starts as the first ends (the page asks for them with
   * the whole-trace model, which waits for this; a request in between is answered between its batches).
   */
  private async wholeTables(): Promise<void> {
    const builder = new ModelBuilder({
      registry: this.registry,
      whole: false,
      tiles: false,
      slotNs: this.info.slotNs,
      t0: { hi: this.t0Hi, lo: this.t0Lo },
    });
    await this.pass(0, Number.POSITIVE_INFINITY, undefined, builder, () => {}, undefined, false);
    this.first.tables = builder.model(this.first.key, '', 0, Number.POSITIVE_INFINITY).tables;
  }

  /** Settles when the whole trace's tables are in the first model. */
  private tables: Promise<void> = Promise.resolve();

  /** Segments the first pass read. */
  private get segments(): number {
    return this.segBefore.length - 1;
  }

  /** Keeps the state after segment `seg` (the pipeline is between events). */
  private snapshot(p: Pipeline, seg: number, rel: number): void {
    const tables: CaptureMetadata = p.state.snapshot();
    const v = p.ctx.view;
    this.snapshots.push({
      seg,
      num: p.ctx.num,
      rel,
      checkpoint: {
        offset: -1,
        eventsBefore: p.ctx.num,
        ts: BigInt(v.tsHi) * BigInt(TWO32) + BigInt(v.tsLo),
        firstTs: BigInt(p.ctx.firstTsHi) * BigInt(TWO32) + BigInt(p.ctx.firstTsLo),
        metadata: () => tables,
      },
    });
  }

  /** The whole-trace model the first pass built. */
  firstModel(): Model {
    return this.first;
  }

  async close(): Promise<void> {
    this.closing = true;
    await this.tables;
    await this.cursor?.records.return?.();
    await this.store.close();
  }

  /** Set by close(): a pass still running ends at its next batch. */
  private closing = false;

  /** Throws FilterSyntaxError (with its position) for a bad filter. */
  compile(filter: string): CompiledFilter | undefined {
    return filter.trim() === '' ? undefined : compileFilter(filter, this.registry);
  }

  /** Whether an event is in [from, to] (ns relative to the first event) and passes `filter`. */
  private matcher(filter: CompiledFilter | undefined, from: number, to: number) {
    const t0Hi = this.t0Hi;
    const t0Lo = this.t0Lo;
    if (from <= 0 && to === Number.POSITIVE_INFINITY)
      return filter ? (ctx: EvalContext) => filter.match(ctx) : ALWAYS;
    return (ctx: EvalContext) => {
      const v = (ctx as ReplayContext).view;
      const rel = (v.tsHi - t0Hi) * TWO32 + (v.tsLo - t0Lo);
      return rel >= from && rel <= to && (filter === undefined || filter.match(ctx));
    };
  }

  /** The model of `filter` over [from, to] (ns relative to the first event; to = Infinity: the end). */
  async model(filter: string, from: number, to: number, onProgress: (done: number) => void): Promise<Model> {
    const key = modelKey(filter, from, to);
    if (key === this.first.key) {
      await this.tables;
      return this.first;
    }
    const cached = this.models.get(key);
    if (cached) return cached.model;
    const user = this.compile(filter);
    const whole = from <= 0 && to === Number.POSITIVE_INFINITY;
    const builder = new ModelBuilder({
      registry: this.registry,
      whole,
      slotNs: this.info.slotNs,
      t0: { hi: this.t0Hi, lo: this.t0Lo },
    });
    await this.pass(from, to, user, builder, onProgress, (seg) => (builder.list.seg = seg));
    const model = builder.model(key, filter, from, to);
    // The oldest goes, never the first pass's (its event list is the one most views use).
    if (this.models.size > 12) {
      for (const k of this.models.keys()) {
        if (k === this.first.key) continue;
        this.models.delete(k);
        break;
      }
    }
    this.models.set(key, {
      model,
      before: builder.list.cumulative(this.segments),
      match: this.matcher(user, from, to),
    });
    return model;
  }

  /**
   * Runs the pipeline over [from, to] with `filter`, from the last snapshot before `from`, into `sink`;
   * `onSegment` hears of each segment before its events. Yields to the event loop between batches; a newer
   * request ends it (Superseded).
   */
  private async pass(
    from: number,
    to: number,
    filter: CompiledFilter | undefined,
    sink: Sink,
    onProgress: (done: number) => void,
    onSegment?: (seg: number) => void,
    supersedable = true,
  ): Promise<void> {
    const gen = this.generation;
    const t0 = BigInt(this.t0Hi) * BigInt(TWO32) + BigInt(this.t0Lo);
    const whole = from <= 0 && to === Number.POSITIVE_INFINITY;
    const toNs = to === Number.POSITIVE_INFINITY ? undefined : t0 + BigInt(Math.floor(to));
    // A compiled filter and a time range the pipeline sees into: events of types the filter cannot match
    // take its state-only path.
    const p = new Pipeline({
      sink,
      ...(filter ? { filter } : {}),
      ...(whole
        ? {}
        : { timeRange: { fromNs: t0 + BigInt(Math.ceil(Math.max(0, from))), toNs: toNs ?? 2n ** 64n - 1n } }),
    });
    const snap = this.snapshotBefore((c) => c.rel < from);
    if (snap) p.resumeAt(snap.checkpoint);
    const total = this.info.events || 1;
    let lastYield = Date.now();
    try {
      for await (const rec of this.store.after(snap?.seg ?? -1, toNs)) {
        if (rec.kind === 'metadata') {
          p.push(rec);
          continue;
        }
        const b = rec.batch;
        // Past the range: a store without an index (which cannot stop at toNs itself) ends here.
        if (toNs !== undefined && b.count > 0 && rec.seg > 0) {
          const v = p.ctx.view;
          v.at(b, 0);
          if ((v.tsHi - this.t0Hi) * TWO32 + (v.tsLo - this.t0Lo) > to) break;
        }
        if (this.closing) throw new Superseded();
        onSegment?.(rec.seg);
        p.processBatch(b);
        if (Date.now() - lastYield > 50) {
          onProgress(p.ctx.num / total);
          await yieldToLoop();
          if (supersedable && this.generation !== gen) throw new Superseded();
          lastYield = Date.now();
        }
      }
    } finally {
      sink.end?.();
    }
  }

  private snapshotBefore(ok: (c: Snapshot) => boolean): Snapshot | undefined {
    let best: Snapshot | undefined;
    for (const c of this.snapshots) if (ok(c)) best = c;
    return best;
  }

  /** Runs `fn` after every cursor request before it. */
  private exclusive<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.queue.then(fn, fn);
    this.queue = run.catch(() => {});
    return run;
  }

  private list(key: string): ModelList {
    const m = this.models.get(key);
    if (!m) throw new Error(`no model ${key}: ask for the model first`);
    return m;
  }

  /** A cursor at the snapshot `snap` (or the start). */
  private openCursor(snap: Snapshot | undefined): Cursor {
    const tap = new Tap();
    const c: Cursor = {
      p: undefined as unknown as Pipeline,
      tap,
      records: this.store.after(snap?.seg ?? -1)[Symbol.asyncIterator](),
      batch: undefined,
      seg: snap?.seg ?? -1,
      i: 0,
      match: NEVER,
      key: undefined,
      row: 0,
    };
    c.p = new Pipeline({ sink: tap, filter: (ctx) => c.match(ctx) });
    if (snap) c.p.resumeAt(snap.checkpoint);
    void this.cursor?.records.return?.();
    this.cursor = c;
    return c;
  }

  /**
   * A cursor whose next event is evt.num `num`: the current one when it is before `num` with no snapshot in
   * between, else one from the last snapshot before `num` (or the start), moved there following state only.
   */
  private async seek(num: number): Promise<Cursor> {
    let c = this.cursor;
    const snap = this.snapshotBefore((k) => k.num < num);
    if (!c || c.p.ctx.num >= num || (snap && snap.num > c.p.ctx.num)) c = this.openCursor(snap);
    c.match = NEVER;
    c.key = undefined;
    while (c.p.ctx.num < num - 1) {
      const b = await this.current(c);
      if (!b) break;
      const end = Math.min(b.count, c.i + (num - 1 - c.p.ctx.num));
      c.p.processBatch(sub(b, c.i, end));
      c.i = end;
    }
    return c;
  }

  /** The batch holding the cursor's next event (metadata records on the way applied); none at the end. */
  private async current(c: Cursor): Promise<EventBatch | undefined> {
    while (!c.batch || c.i >= c.batch.count) {
      const r = await c.records.next();
      if (r.done) return undefined;
      const rec = r.value;
      if (rec.kind === 'metadata') {
        c.p.push(rec);
        continue;
      }
      c.batch = rec.batch;
      c.seg = rec.seg;
      c.i = 0;
    }
    return c.batch;
  }

  /** Processes the cursor's next event with `on` hearing it if it passes `c.match`; false at the end. */
  private async step(c: Cursor, on: (ctx: ReplayContext) => void): Promise<boolean> {
    const b = await this.current(c);
    if (!b) return false;
    c.tap.on = on;
    c.p.processBatch(sub(b, c.i, c.i + 1));
    c.tap.on = undefined;
    c.i++;
    return true;
  }

  /**
   * The cursor placed to count the rows of `key` from segment `seg` on: where it is when it already counts
   * them in that segment (a page after the last one), else at the segment's start.
   */
  private async cursorForRows(key: string, seg: number, notAfterRow: number, notAfterNum: number) {
    const m = this.list(key);
    const c = this.cursor;
    if (
      c &&
      c.key === key &&
      c.row <= notAfterRow &&
      c.p.ctx.num <= notAfterNum &&
      c.p.ctx.num >= entry(this.segBefore, seg)
    ) {
      c.match = m.match;
      return c;
    }
    const s = await this.seek(entry(this.segBefore, seg) + 1);
    s.key = key;
    s.row = entry(m.before, seg);
    s.match = m.match;
    return s;
  }

  /** Rows [start, start + count) of a model's event list, as sysdig's default line. */
  rows(key: string, start: number, count: number): Promise<EventRow[]> {
    return this.exclusive(async () => {
      const { before } = this.list(key);
      const end = Math.min(entry(before, this.segments), start + count);
      const out: EventRow[] = [];
      if (start >= end) return out;
      const seg = upperBound(before, start) - 1;
      const c = await this.cursorForRows(key, seg, start, Number.POSITIVE_INFINITY);
      const collect = (ctx: ReplayContext) => {
        if (c.row >= start) {
          ctx.render.truncate = true;
          out.push({ row: c.row, num: ctx.num, line: this.line.line(ctx) ?? '' });
        }
        c.row++;
      };
      while (c.row < end && (await this.step(c, collect))) {}
      return out;
    });
  }

  /** How many rows of a model's list come before evt.num `num` (where that event is, or would be). */
  rowOf(key: string, num: number): Promise<number> {
    return this.exclusive(async () => {
      const { before } = this.list(key);
      const seg = upperBound(this.segBefore, num - 1) - 1;
      if (seg < 0) return 0;
      if (seg >= this.segments) return entry(before, this.segments);
      const c = await this.cursorForRows(key, seg, Number.POSITIVE_INFINITY, num - 1);
      const count = () => c.row++;
      while (c.p.ctx.num < num - 1 && (await this.step(c, count))) {}
      return c.row;
    });
  }

  /** The first row from `start` (going `dir`) whose line contains `text` (case-insensitive), or -1. */
  async find(key: string, text: string, start: number, dir: 1 | -1): Promise<number> {
    const gen = this.generation;
    const total = this.list(key).model.events;
    const needle = text.toLowerCase();
    const BLOCK = 2000;
    const check = () => {
      if (this.generation !== gen) throw new Superseded();
    };
    if (dir === 1) {
      for (let b = Math.max(0, start); b < total; b += BLOCK) {
        for (const r of await this.rows(key, b, BLOCK))
          if (r.line.toLowerCase().includes(needle)) return r.row;
        check();
      }
    } else {
      for (let e = Math.min(start + 1, total); e > 0; e -= BLOCK) {
        const rows = await this.rows(key, Math.max(0, e - BLOCK), e - Math.max(0, e - BLOCK));
        for (const r of rows.reverse()) if (r.line.toLowerCase().includes(needle)) return r.row;
        check();
      }
    }
    return -1;
  }

  /** Runs `on` with the context of event `num` (state applied), if it is a shown event. */
  private at(num: number, on: (ctx: ReplayContext) => void): Promise<void> {
    return this.exclusive(async () => {
      const c = await this.seek(num);
      c.match = ALWAYS;
      await this.step(c, on);
      c.match = NEVER;
    });
  }

  /** Every field that has a value for event `num`, with its text as -p prints it, then its arguments. */
  async fields(num: number): Promise<FieldValueText[]> {
    const out: FieldValueText[] = [];
    const r = this.registry;
    await this.at(num, (ctx) => {
      ctx.render.truncate = false;
      for (const info of r.list()) {
        if (info.filterOnly || info.arg === 'required') continue;
        let f: ReturnType<FieldRegistry['resolve']>;
        try {
          f = r.resolve(info.name);
        } catch {
          continue;
        }
        const vals = f.multi && f.values ? f.values(ctx) : [f.get(ctx)];
        if (!vals || vals.length === 0 || vals.every((v) => v === undefined)) continue;
        out.push({ name: info.name, value: vals.map((v) => fieldText(f, v)).join(', ') });
      }
      const v = ctx.view;
      const params = v.info?.params ?? [];
      for (const { name } of params.slice(0, v.paramCount())) {
        const f = r.resolve('evt.arg', name);
        const val = f.get(ctx);
        if (val !== undefined) out.push({ name: `evt.arg.${name}`, value: fieldText(f, val) });
      }
    });
    return out;
  }

  /**
   * The bytes read and written on an fd, over [from, to]: the fd event `num` is about, by its process
   * (`proc.pid=P and fd.num=F and fd.name=N`), or every fd of a filter's events (a file or a connection of
   * a table); each I/O event that moved bytes with its evt.buffer.
   */
  async follow(
    target: FollowTarget,
    from: number,
    to: number,
    onProgress: (d: number) => void,
  ): Promise<IoStream> {
    const r = this.registry;
    const get = (n: string) => r.resolve(n);
    const [pid, fdnum, fdname, pname] = ['proc.pid', 'fd.num', 'fd.name', 'proc.name'].map(get);
    let who = { pid: -1, fd: -1, name: '', proc: '' };
    let filter: string;
    if ('num' in target) {
      let found = false;
      await this.at(target.num, (ctx) => {
        const p = pid!.get(ctx);
        const f = fdnum!.get(ctx);
        const n = fdname!.get(ctx);
        if (typeof p !== 'number' || typeof f !== 'number' || typeof n !== 'string') return;
        who = { pid: p, fd: f, name: n, proc: String(pname!.get(ctx) ?? '') };
        found = true;
      });
      if (!found) throw new Error(`event ${target.num} is not about an fd: pick a read, write, send or recv`);
      filter = `proc.pid=${who.pid} and fd.num=${who.fd} and fd.name=${quoteString(who.name)}`;
    } else {
      filter = target.filter;
      who.name = target.name;
    }
    filter = `(${filter}) and evt.is_io=true`;
    const [dir, res, buf] = ['evt.io_dir', 'evt.rawres', 'evt.buffer'].map(get);
    const chunks: IoChunk[] = [];
    let kept = 0;
    const t0Hi = this.t0Hi;
    const t0Lo = this.t0Lo;
    const sink: Sink = {
      event(ctx) {
        if (chunks.length >= IO_MAX_CHUNKS || kept >= IO_MAX_BYTES) return;
        const b = buf!.get(ctx);
        const rv = res!.get(ctx);
        if (!(b instanceof Uint8Array) || typeof rv !== 'number' || rv <= 0) return;
        const v = ctx.view;
        chunks.push({
          num: ctx.num,
          ts: (v.tsHi - t0Hi) * TWO32 + (v.tsLo - t0Lo),
          dir: dir!.get(ctx) === 'write' ? 'write' : 'read',
          proc: String(pname!.get(ctx) ?? ''),
          res: rv,
          data: b.slice(),
        });
        kept += b.length;
      },
    };
    await this.pass(from, to, this.compile(filter), sink, onProgress);
    return { name: who.name, proc: who.proc, pid: who.pid, fd: who.fd, filter, chunks };
  }
}

/** a[i], which the caller knows is there (a RangeError, a bug, if not). */
function entry(a: ArrayLike<number>, i: number): number {
  const v = a[i];
  if (v === undefined) throw new RangeError(`no entry ${i} in a list of ${a.length}`);
  return v;
}

/** The first index whose value is above `x` (values ascending). */
function upperBound(a: ArrayLike<number>, x: number): number {
  let lo = 0;
  let hi = a.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (entry(a, mid) <= x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function sub(b: EventBatch, from: number, to: number): EventBatch {
  return { data: b.data, offsets: b.offsets.subarray(from, to), count: to - from };
}

export function modelKey(filter: string, from: number, to: number): string {
  return JSON.stringify([filter.trim(), from, to === Number.POSITIVE_INFINITY ? null : to]);
}
