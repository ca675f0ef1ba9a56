// TraceSession: one opened trace in the worker. The first pass reads the source front to back through
// openCapture and replay's Pipeline, keeps the decoded batches (and metadata records) in order, takes a
// state snapshot every CHECKPOINT_EVENTS events, and builds the whole-trace model. Everything after that —
// a filter, a time range, a page of event lines, an event's fields, an fd's bytes — is another run of the
// same Pipeline over the kept batches, started from the last checkpoint before the part it needs, so its
// cost follows that part and not the trace.
import {
  type CompiledFilter,
  compileFilter,
  compileFormat,
  createFieldRegistry,
  DEFAULT_FORMAT,
  type FieldRegistry,
  fieldText,
  Pipeline,
  quoteString,
  type ReplayContext,
  type Sink,
  StateEngine,
} from '@scapkit/replay';
import {
  type CaptureHeader,
  type CaptureMetadata,
  type CaptureRecord,
  type EventBatch,
  openCapture,
} from '@scapkit/scap-format';
import { ModelBuilder, tsString } from './builder.js';
import type { FollowTarget } from './protocol.js';
import { problemOf } from './reader.js';
import { type RandomAccessSource, readSequentially } from './source.js';
import type { EventRow, FieldValueText, IoChunk, IoStream, Model, ReadProblem, TraceInfo } from './types.js';

/** Events between two state snapshots: a page of rows replays at most this many events first. */
export const CHECKPOINT_EVENTS = 100_000;
const TWO32 = 4294967296;
/** Chunks and bytes a followed fd keeps (the page shows them all). */
const IO_MAX_CHUNKS = 20_000;
const IO_MAX_BYTES = 16 << 20;

type Stored =
  | { kind: 'metadata'; metadata: CaptureMetadata }
  | {
      kind: 'batch';
      batch: EventBatch /** evt.num of the event before the batch's first. */;
      before: number;
    };

interface Checkpoint {
  /** Index in `records` of the first record after the checkpoint. */
  record: number;
  /** Events before it (evt.num of the last one). */
  num: number;
  /** ns (relative) of the last event before it. */
  rel: number;
  /** What evt.reltime counts from. */
  firstTsHi: number;
  firstTsLo: number;
  tables: CaptureMetadata;
}

/** Where reading stands, for the progress bar; about once a second, the overview so far. */
export interface Progress {
  bytes: number;
  total: number;
  events: number;
  partial?: { model: Model; slotNs: number; t0: string };
}

/** How often the first pass hands out the overview so far (tiles and timeline, no tables). */
const PARTIAL_MS = 1000;

/** Yields to the worker's event loop (a newer request may be waiting). */
const yieldToLoop = () => new Promise<void>((r) => setTimeout(r, 0));

export class Superseded extends Error {
  override readonly name = 'Superseded';
}

/**
 * Starts `p` at a checkpoint: its tables, the event count and the capture's first timestamp (evt.reltime).
 * The Pipeline's own flags say it is past the first event.
 */
function resumeAt(p: Pipeline, cp: Checkpoint): void {
  p.state.reset(cp.tables);
  p.ctx.num = cp.num;
  p.ctx.firstTsHi = cp.firstTsHi;
  p.ctx.firstTsLo = cp.firstTsLo;
  Object.assign(p, { sawFirst: true, leadingContainers: false });
}

/** Forwards the pipeline's shown events to whoever listens now. */
class Tap implements Sink {
  on: ((ctx: ReplayContext) => void) | undefined;
  event(ctx: ReplayContext): void {
    this.on?.(ctx);
  }
}

interface CachedModel {
  model: Model;
  nums: Uint32Array;
}

export class TraceSession {
  readonly registry: FieldRegistry = createFieldRegistry();
  private readonly records: Stored[] = [];
  /** Indexes in `records` of the batches, and their `before`, for binary search by evt.num. */
  private batchRecords: number[] = [];
  private batchBefore: number[] = [];
  private readonly checkpoints: Checkpoint[] = [];
  private t0Hi = 0;
  private t0Lo = 0;
  info!: TraceInfo;
  private readonly models = new Map<string, CachedModel>();
  private readonly line = compileFormat(DEFAULT_FORMAT, this.registry);
  /** A pipeline kept where the last page of rows left it, so the next page continues from there. */
  private cursor: { p: Pipeline; tap: Tap; record: number; event: number } | undefined;
  /** Bumped by each new request that makes older ones pointless. */
  generation = 0;

  /** Reads and decodes `src` here, in this thread. */
  static async open(
    src: RandomAccessSource,
    name: string,
    onProgress: (p: Progress) => void,
  ): Promise<TraceSession> {
    let bytes = 0;
    const stream = openCapture(readSequentially(src, (b) => (bytes = b)));
    return TraceSession.openStream(stream, { name, size: src.size, bytes: () => bytes }, onProgress);
  }

  /** Builds the session from records read elsewhere (the reader worker); `file.bytes()` says how far it is. */
  static async openStream(
    stream: AsyncIterable<CaptureRecord>,
    file: { name: string; size: number; bytes: () => number; reader?: 'worker' },
    onProgress: (p: Progress) => void,
  ): Promise<TraceSession> {
    const s = new TraceSession();
    await s.firstPass(stream, file, onProgress);
    return s;
  }

  private async firstPass(
    stream: AsyncIterable<CaptureRecord>,
    file: { name: string; size: number; bytes: () => number; reader?: 'worker' },
    onProgress: (p: Progress) => void,
  ) {
    const src = { size: file.size };
    const name = file.name;
    const builder = new ModelBuilder({ registry: this.registry, whole: true, tree: true });
    const p = new Pipeline({ sink: builder });
    let header: CaptureHeader | undefined;
    let lastReport = 0;
    let lastPartial = Date.now();
    let problem: ReadProblem | undefined;
    let lastRel = 0;
    let sinceCheckpoint = 0;
    try {
      for await (const rec of stream) {
        const bytes = file.bytes();
        switch (rec.kind) {
          case 'header':
            header = rec.header;
            break;
          case 'metadata':
            this.records.push({ kind: 'metadata', metadata: rec.metadata });
            p.push(rec);
            break;
          case 'events': {
            const b = rec.batch;
            if (b.count === 0) break;
            this.batchRecords.push(this.records.length);
            this.batchBefore.push(p.ctx.num);
            this.records.push({ kind: 'batch', batch: b, before: p.ctx.num });
            p.processBatch(b);
            lastRel = builder.last;
            sinceCheckpoint += b.count;
            if (sinceCheckpoint >= CHECKPOINT_EVENTS) {
              const tables = p.state.snapshot();
              this.checkpoints.push({
                record: this.records.length,
                num: p.ctx.num,
                rel: lastRel,
                firstTsHi: p.ctx.firstTsHi,
                firstTsLo: p.ctx.firstTsLo,
                tables,
              });
              sinceCheckpoint = 0;
            }
            const now = Date.now();
            if (now - lastPartial > PARTIAL_MS && builder.t0Hi >= 0) {
              lastReport = lastPartial = now;
              onProgress({
                bytes,
                total: src.size,
                events: p.ctx.num,
                partial: {
                  model: builder.model('partial', '', 0, Number.POSITIVE_INFINITY, false),
                  slotNs: builder.slots.width,
                  t0: tsString(builder.t0Hi, builder.t0Lo),
                },
              });
            } else if (now - lastReport > 100) {
              lastReport = now;
              onProgress({ bytes, total: src.size, events: p.ctx.num });
            }
            break;
          }
          case 'stats':
            break;
        }
      }
    } catch (e) {
      problem = problemOf(e, p.ctx.num);
    }
    onProgress({ bytes: file.bytes(), total: src.size, events: p.ctx.num });
    this.t0Hi = Math.max(0, builder.t0Hi);
    this.t0Lo = builder.t0Lo;
    const h = header;
    this.info = {
      name,
      format: h ? `${h.format} ${h.version}${h.format === 'sysdig' && h.gzip ? ' (gzip)' : ''}` : 'unknown',
      bytes: src.size,
      events: p.ctx.num,
      t0: tsString(this.t0Hi, this.t0Lo),
      duration: builder.last,
      slotNs: builder.slots.width,
      hostname: p.ctx.hostname,
      checkpoints: this.checkpoints.length,
      reader: file.reader ?? 'model worker',
      ...(problem ? { problem } : {}),
    };
    const model = builder.model(modelKey('', 0, Number.POSITIVE_INFINITY), '', 0, Number.POSITIVE_INFINITY);
    this.first = model;
    this.models.set(model.key, { model, nums: builder.index.nums.subarray(0, builder.index.length) });
  }

  private first!: Model;

  /** The whole-trace model the first pass built. */
  firstModel(): Model {
    return this.first;
  }

  /** Throws FilterSyntaxError (with its position) for a bad filter. */
  compile(filter: string): CompiledFilter | undefined {
    return filter.trim() === '' ? undefined : compileFilter(filter, this.registry);
  }

  /** The model of `filter` over [from, to] (ns relative to the first event; to = Infinity: the end). */
  async model(filter: string, from: number, to: number, onProgress: (done: number) => void): Promise<Model> {
    const key = modelKey(filter, from, to);
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
    await this.pass(from, to, user, builder, onProgress);
    const model = builder.model(key, filter, from, to);
    // The oldest goes, never the first pass's (its event list is the one most views use).
    if (this.models.size > 12) {
      for (const k of this.models.keys()) {
        if (k === this.first.key) continue;
        this.models.delete(k);
        break;
      }
    }
    this.models.set(key, { model, nums: builder.index.nums.slice(0, builder.index.length) });
    return model;
  }

  /**
   * Runs the pipeline over [from, to] with `filter`, from the last checkpoint before `from`, into `sink`.
   * Yields to the event loop between batches; a newer request ends it (Superseded).
   */
  private async pass(
    from: number,
    to: number,
    filter: CompiledFilter | undefined,
    sink: Sink,
    onProgress: (done: number) => void,
  ): Promise<void> {
    const gen = this.generation;
    const t0Hi = this.t0Hi;
    const t0Lo = this.t0Lo;
    const p = new Pipeline({
      sink,
      state: new StateEngine(),
      filter: (ctx) => {
        const v = (ctx as ReplayContext).view;
        const rel = (v.tsHi - t0Hi) * TWO32 + (v.tsLo - t0Lo);
        return rel >= from && rel <= to && (filter === undefined || filter.match(ctx));
      },
    });
    let start = 0;
    const cp = this.checkpointBefore((c) => c.rel < from);
    if (cp) {
      resumeAt(p, cp);
      start = cp.record;
    }
    const total = this.info.events || 1;
    let lastYield = Date.now();
    for (let r = start; r < this.records.length; r++) {
      const rec = this.records[r]!;
      if (rec.kind === 'metadata') {
        p.push(rec);
        continue;
      }
      const b = rec.batch;
      const v = p.ctx.view;
      v.at(b, 0);
      if ((v.tsHi - t0Hi) * TWO32 + (v.tsLo - t0Lo) > to && rec.before > 0) break;
      p.processBatch(b);
      if (Date.now() - lastYield > 50) {
        onProgress(p.ctx.num / total);
        await yieldToLoop();
        if (this.generation !== gen) throw new Superseded();
        lastYield = Date.now();
      }
    }
    sink.end?.();
  }

  private checkpointBefore(ok: (c: Checkpoint) => boolean): Checkpoint | undefined {
    let best: Checkpoint | undefined;
    for (const c of this.checkpoints) if (ok(c)) best = c;
    return best;
  }

  /** Event numbers of a model's list (a model this session built). */
  private nums(key: string): Uint32Array {
    const m = this.models.get(key);
    if (!m) throw new Error(`no model ${key}: ask for the model first`);
    return m.nums;
  }

  /**
   * Moves the cursor so that the next event it processes is evt.num `num`: from where it is when that is
   * before `num` with no checkpoint in between, else from the last checkpoint before `num` (or the start).
   */
  private seek(num: number): { p: Pipeline; tap: Tap } {
    let c = this.cursor;
    const cp = this.checkpointBefore((k) => k.num < num);
    if (!c || c.p.ctx.num >= num || (cp && cp.num > c.p.ctx.num)) {
      const tap = new Tap();
      const p = new Pipeline({ sink: tap, state: new StateEngine() });
      c = { p, tap, record: 0, event: 0 };
      if (cp) {
        resumeAt(p, cp);
        c.record = cp.record;
      }
      this.cursor = c;
    }
    c.tap.on = undefined;
    const { p } = c;
    while (c.record < this.records.length && p.ctx.num < num - 1) {
      const rec = this.records[c.record]!;
      if (rec.kind === 'metadata') {
        p.push(rec);
        c.record++;
        continue;
      }
      const b = rec.batch;
      const end = Math.min(b.count, c.event + (num - 1 - p.ctx.num));
      p.processBatch(sub(b, c.event, end));
      c.event = end;
      if (c.event === b.count) {
        c.record++;
        c.event = 0;
      }
    }
    return c;
  }

  /** Processes the cursor's next event with `on` listening (called only when the event is shown). */
  private step(on: (ctx: ReplayContext) => void): void {
    const c = this.cursor!;
    while (c.record < this.records.length) {
      const rec = this.records[c.record]!;
      if (rec.kind === 'metadata') {
        c.p.push(rec);
        c.record++;
        continue;
      }
      c.tap.on = on;
      c.p.processBatch(sub(rec.batch, c.event, c.event + 1));
      c.tap.on = undefined;
      if (++c.event === rec.batch.count) {
        c.record++;
        c.event = 0;
      }
      return;
    }
  }

  /** Calls `on` with the context of each event of `nums` (ascending evt.num). */
  private visit(nums: ArrayLike<number>, on: (ctx: ReplayContext, i: number) => void): void {
    for (let i = 0; i < nums.length; i++) {
      this.seek(nums[i]!);
      this.step((ctx) => on(ctx, i));
    }
  }

  /** Rows [start, start + count) of a model's event list, as sysdig's default line. */
  rows(key: string, start: number, count: number): EventRow[] {
    const nums = this.nums(key);
    const end = Math.min(nums.length, start + count);
    const out: EventRow[] = [];
    const want = nums.subarray(Math.max(0, start), end);
    this.visit(want, (ctx, i) => {
      ctx.render.truncate = true;
      out.push({ row: start + i, num: ctx.num, line: this.line.line(ctx) ?? '' });
    });
    return out;
  }

  /** How many rows of a model's list come before evt.num `num` (where that event is, or would be). */
  rowOf(key: string, num: number): number {
    const nums = this.nums(key);
    let lo = 0;
    let hi = nums.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (nums[mid]! < num) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** The first row from `start` (going `dir`) whose line contains `text` (case-insensitive), or -1. */
  async find(key: string, text: string, start: number, dir: 1 | -1): Promise<number> {
    const gen = this.generation;
    const nums = this.nums(key);
    const needle = text.toLowerCase();
    const BLOCK = 2000;
    let lastYield = Date.now();
    if (dir === 1) {
      for (let b = Math.max(0, start); b < nums.length; b += BLOCK) {
        for (const r of this.rows(key, b, BLOCK)) if (r.line.toLowerCase().includes(needle)) return r.row;
        if (Date.now() - lastYield > 50) {
          await yieldToLoop();
          if (this.generation !== gen) throw new Superseded();
          lastYield = Date.now();
        }
      }
    } else {
      for (let e = Math.min(start + 1, nums.length); e > 0; e -= BLOCK) {
        const rows = this.rows(key, Math.max(0, e - BLOCK), e - Math.max(0, e - BLOCK));
        for (let i = rows.length - 1; i >= 0; i--)
          if (rows[i]!.line.toLowerCase().includes(needle)) return rows[i]!.row;
        if (Date.now() - lastYield > 50) {
          await yieldToLoop();
          if (this.generation !== gen) throw new Superseded();
          lastYield = Date.now();
        }
      }
    }
    return -1;
  }

  /** Every field that has a value for event `num`, with its text as -p prints it, then its arguments. */
  fields(num: number): FieldValueText[] {
    const out: FieldValueText[] = [];
    const r = this.registry;
    this.seek(num);
    this.step((ctx) => {
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
      for (let i = 0; i < v.paramCount() && i < params.length; i++) {
        const name = params[i]!.name;
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
      this.seek(target.num);
      this.step((ctx) => {
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

function sub(b: EventBatch, from: number, to: number): EventBatch {
  return { data: b.data, offsets: b.offsets.subarray(from, to), count: to - from };
}

export function modelKey(filter: string, from: number, to: number): string {
  return JSON.stringify([filter.trim(), from, to === Number.POSITIVE_INFINITY ? null : to]);
}
