// Pipeline: the one loop behind `scapkit replay`, chisels, live capture and the recorder's capture filter.
// It consumes a CaptureStream (header, metadata, event batches, checkpoints, stats), runs every event
// through the state engine first, then decides whether the event is shown (internal and state-only events
// are not, nor those outside a time range), applies the filter and hands matching events to the sink.
//
// The filter is compiled here (or given compiled), so the pipeline knows which event types it can match,
// and which generic events by the system call id they carry: an event of any other type or id, or one no
// sink would be shown, takes the state-only path (the state engine and nothing else). One EventView and
// one context are reused for every event; nothing is allocated per event on the path of an event the
// filter rejects.
import {
  type CaptureHeader,
  type CaptureMetadata,
  type CaptureRecord,
  type CaptureStats,
  type CaptureStream,
  type Checkpoint,
  EC,
  EVENT_MAX,
  EVENTS,
  type EventBatch,
  type EventView,
  eventTypeTable,
  FRAME_STATE_ONLY,
  isContainerEvent,
} from '@scapkit/scap-format';
import { ReplayContext } from './fields/context.js';
import { createFieldRegistry } from './fields/registry.js';
import type { EvalContext, FieldResolver } from './fields/types.js';
import { genericSlot } from './filter/event-types.js';
import { type CompiledFilter, compileFilter, type EventTypeSet } from './filter/index.js';
import type { BufferFormat } from './render/buffer.js';
import type { ServiceNames } from './render/services.js';
import { StateEngine } from './state/engine.js';
import { ParamReader, paramSlot } from './state/param-slots.js';

/** Receives the events a pipeline shows. Only `event` is required. */
export interface Sink {
  header?(header: CaptureHeader): void;
  metadata?(metadata: CaptureMetadata): void;
  /** A shown event that passed the filter; `ctx` is valid only during the call. */
  event(ctx: ReplayContext): void;
  /**
   * Every event that passed the filter, shown or not (internal events too), before `event`: what
   * sysdig's -S counts. Not called for the state-only events of a filtered recording.
   */
  matched?(ctx: ReplayContext): void;
  stats?(stats: CaptureStats): void;
  /** The stream ended (normally or not). */
  end?(): void;
  /**
   * The event types this sink does anything with (a chisel's own filter): `event` is called only for
   * those. Shown events of other types still count as shown (evt.deltatime, ctx.shown).
   */
  readonly eventTypes?: EventTypeSet;
}

/** A time range, ns since the epoch, both ends included. */
export interface TimeRange {
  fromNs: bigint;
  toNs: bigint;
}

export interface PipelineOptions {
  sink: Sink;
  /**
   * Events it rejects are not shown: filter text (compiled against `registry`), a compiled filter, or a
   * predicate (which the pipeline cannot see into: every event then goes through it).
   */
  filter?: string | CompiledFilter | ((ctx: EvalContext) => boolean);
  /** The fields a filter given as text is compiled against (a new registry by default). */
  registry?: FieldResolver;
  /** Stop after `maxEvents` events passed the filter (sysdig -n: without a filter, after evt.num N). */
  maxEvents?: number;
  /** Show internal events (procinfo, …) too (sysdig -D). */
  showInternal?: boolean;
  /** Show only events in this range; those outside it only update state. */
  timeRange?: TimeRange;
  /** A state engine to share (chisels that read tables); a new one by default. */
  state?: StateEngine;
  /** How buffers render, for filters and sinks alike (sysdig -A, -x, -X, -b); dots by default. */
  bufferFormat?: BufferFormat;
  /** Ports of IP addresses and socket names as service names, for filters and sinks alike (sysdig -R). */
  services?: ServiceNames;
}

export interface PipelineResult {
  /** Events read (the last evt.num). */
  events: number;
  /** Events shown (handed to the sink, or dropped by its eventTypes). */
  shown: number;
  /** Whether `maxEvents` stopped the run before the end of the stream. */
  stoppedEarly: boolean;
}

// Per type: whether sysdig hides the event (EC_INTERNAL category). Built by the first Pipeline, not at import.
const hiddenTypes = eventTypeTable(() => {
  const h = new Uint8Array(EVENT_MAX);
  for (let t = 0; t < EVENT_MAX; t++) h[t] = (EVENTS[t]?.category ?? 0) & EC.INTERNAL ? 1 : 0;
  return h;
});

const TWO32 = 4294967296n;
/** The system call id of a generic event (syscall enter and exit), their first parameter. */
const SYSCALL_ID = paramSlot('ID');

export class Pipeline {
  readonly state: StateEngine;
  readonly ctx: ReplayContext;
  private readonly sink: Sink;
  private readonly match: ((ctx: EvalContext) => boolean) | undefined;
  private readonly maxEvents: number;
  private readonly showInternal: boolean;
  /** hiddenTypes(): per type, whether sysdig hides the event. */
  private readonly hidden: Uint8Array = hiddenTypes();
  private readonly matchedHook: ((ctx: ReplayContext) => void) | undefined;
  /**
   * Per event type: 1 when an event of that type may do more than update state (pass the filter and be
   * shown, or count toward maxEvents); 0: the state-only path; 2 (generic types): as `genericIds` says for
   * the system call id the event carries; 3: the state-only path, then shown (no filter, and a sink that
   * does not want the type). Types at or above EVENT_MAX always may.
   */
  private readonly full: Uint8Array;
  /** The filter's GenericIdSet, for the generic types `full` marks 2. */
  private readonly genericIds: Uint8Array;
  /** Reads a generic event's system call id (genericId()). */
  private readonly param = new ParamReader();
  /** Per event type: 1 when the sink wants the type (Sink.eventTypes). */
  private readonly sinkWants: Uint8Array;
  // The time range as hi/lo words, so events are placed in it without a bigint.
  private readonly ranged: boolean;
  private readonly fromHi: number;
  private readonly fromLo: number;
  private readonly toHi: number;
  private readonly toLo: number;
  private shown = 0;
  private matched = 0;
  private done = false;
  private sawFirst = false;
  /** Still in the container records a capture starts with (sinsp consumes them as state). */
  private leadingContainers = true;

  constructor(opts: PipelineOptions) {
    this.state = opts.state ?? new StateEngine();
    this.ctx = new ReplayContext(this.state);
    this.sink = opts.sink;
    this.maxEvents = opts.maxEvents ?? Number.POSITIVE_INFINITY;
    this.showInternal = opts.showInternal ?? false;
    if (opts.bufferFormat) this.ctx.render.bufferFormat = opts.bufferFormat;
    if (opts.services) this.ctx.render.services = opts.services;
    this.matchedHook = this.sink.matched?.bind(this.sink);
    const f = opts.filter;
    const compiled =
      typeof f === 'string'
        ? f.trim() === ''
          ? undefined
          : compileFilter(f, opts.registry ?? createFieldRegistry())
        : typeof f === 'object'
          ? f
          : undefined;
    this.match = compiled ? compiled.match.bind(compiled) : typeof f === 'function' ? f : undefined;
    this.sinkWants = opts.sink.eventTypes ?? new Uint8Array(EVENT_MAX).fill(1);
    // -n counts events that pass the filter whether shown or not, and a sink's matched() sees them all
    // (-S counts procinfo): with either, only the filter decides.
    const counting = Number.isFinite(this.maxEvents) || this.matchedHook !== undefined;
    this.full = new Uint8Array(EVENT_MAX);
    for (let t = 0; t < EVENT_MAX; t++) {
      const canMatch = compiled ? (compiled.eventTypes[t] ?? 1) : 1;
      const canShow = !this.hidden[t] || this.showInternal ? 1 : 0;
      this.full[t] = canMatch & (counting ? 1 : canShow);
      // Without a filter, an event of a type the sink does not want is shown without anyone reading its
      // fields: the state-only path, then counted as shown (-c topfiles_bytes wants the I/O events,
      // 3.4% of work5s.scap's: replay.md).
      if (this.full[t] === 1 && !this.match && !counting && this.sinkWants[t] === 0) this.full[t] = 3;
    }
    // A generic type the filter can match only for some system call ids: decided per event by its id.
    this.genericIds = compiled?.genericIds ?? new Uint8Array(0);
    for (const t of [0, 1]) {
      if (this.full[t] !== 1 || !compiled?.genericIds) continue;
      const slots = compiled.genericIds.subarray(genericSlot(t, 0), genericSlot(t, -1) + 1);
      if (slots.includes(0)) this.full[t] = 2;
    }
    const r = opts.timeRange;
    this.ranged = r !== undefined;
    this.fromHi = r ? Number(r.fromNs / TWO32) : 0;
    this.fromLo = r ? Number(r.fromNs % TWO32) : 0;
    this.toHi = r ? Number(r.toNs / TWO32) : 0;
    this.toLo = r ? Number(r.toNs % TWO32) : 0;
  }

  /** A pipeline that shows nothing: it follows a stream's state as a replay of it would (snapshot() it). */
  static stateOnly(): Pipeline {
    return new Pipeline({ sink: { event: () => {}, eventTypes: new Uint8Array(EVENT_MAX) } });
  }

  /** Runs a whole stream. A reader error (truncated file …) propagates after the events before it. */
  async run(stream: CaptureStream): Promise<PipelineResult> {
    try {
      for await (const rec of stream) {
        this.push(rec);
        if (this.done) break;
      }
    } finally {
      this.sink.end?.();
    }
    return { events: this.ctx.num, shown: this.shown, stoppedEarly: this.done };
  }

  /** Handles one record; live capture calls this as records arrive. */
  push(rec: CaptureRecord): void {
    switch (rec.kind) {
      case 'header':
        this.sink.header?.(rec.header);
        break;
      case 'metadata':
        this.state.reset(rec.metadata);
        this.leadingContainers = true;
        this.ctx.hostname = rec.metadata.machine?.hostname ?? '';
        this.sink.metadata?.(rec.metadata);
        break;
      case 'events':
        this.processBatch(rec.batch);
        break;
      case 'checkpoint':
        // One that accounts for events this pipeline has not seen: the stream starts in the middle of the
        // capture (a time range), and the state starts from it. Any other holds the tables we have.
        if (rec.checkpoint.eventsBefore > this.ctx.num && !rec.checkpoint.damage)
          this.resumeAt(rec.checkpoint);
        break;
      case 'stats':
        this.sink.stats?.(rec.stats);
        break;
    }
  }

  /** Whether `maxEvents` has been reached. */
  get finished(): boolean {
    return this.done;
  }

  /** Events shown so far. */
  get shownCount(): number {
    return this.shown;
  }

  processBatch(batch: EventBatch): void {
    const state = this.state;
    state.beginBatch();
    try {
      this.eventsOf(batch);
    } finally {
      state.endBatch();
    }
  }

  /** processBatch()'s loop over the events of `batch`, between the state engine's beginBatch and endBatch. */
  private eventsOf(batch: EventBatch): void {
    const ctx = this.ctx;
    const v = ctx.view;
    const state = this.state;
    const full = this.full;
    let i = 0;
    for (; i < batch.count && !this.done; i++) {
      v.at(batch, i);
      ctx.num++;
      const type = v.type;
      // The container records a capture starts with describe the containers already running: sinsp
      // takes them as state and does not show them (they still count in evt.num, not in evt.reltime).
      if (this.leadingContainers && !isContainerEvent(type)) this.leadingContainers = false;
      const leading = this.leadingContainers;
      if (!this.sawFirst && !leading) {
        this.sawFirst = true;
        ctx.firstTsHi = v.tsHi;
        ctx.firstTsLo = v.tsLo;
      }
      // State first: a filter never costs the tables an update. An event nothing reads the fields of (one
      // the filter cannot match, or outside the time range) takes the state-only path.
      let stateOnly = leading;
      let unread = false;
      if (!stateOnly && type < EVENT_MAX) {
        const f = full[type];
        stateOnly = f === 0 || (f === 2 && this.genericIds[genericSlot(type, this.genericId(v))] === 0);
        unread = f === 3;
      }
      if (!stateOnly && this.ranged && !this.inRange(v.tsHi, v.tsLo)) stateOnly = true;
      if (stateOnly || unread) {
        state.update(v);
        if (!stateOnly && this.isShown()) {
          this.shown++;
          ctx.prevTsHi = v.tsHi;
          ctx.prevTsLo = v.tsLo;
          ctx.hasPrev = true;
        }
        continue;
      }
      state.process(v);
      // sysdig -n counts the events that pass the filter, shown or not (all of them without a filter).
      if (this.match && !this.match(ctx)) continue;
      if (++this.matched >= this.maxEvents) this.done = true;
      if (this.matchedHook && !(v.frameFlags & FRAME_STATE_ONLY)) this.matchedHook(ctx);
      if (!this.isShown()) continue;
      this.shown++;
      if (type >= EVENT_MAX || this.sinkWants[type] === 1) this.sink.event(ctx);
      // evt.deltatime is measured from the previous event shown.
      ctx.prevTsHi = v.tsHi;
      ctx.prevTsLo = v.tsLo;
      ctx.hasPrev = true;
    }
    // The last event read (a chisel's capture span ends there): read once a batch, at its end.
    if (i > 0) {
      v.at(batch, i - 1);
      ctx.lastTsHi = v.tsHi;
      ctx.lastTsLo = v.tsLo;
    }
  }

  /**
   * Continues from a checkpoint, as if every event before it had gone through this pipeline: its tables,
   * its event count (evt.num) and the capture's first timestamp (evt.reltime). A checkpoint record of the
   * stream does this by itself; a caller that keeps checkpoints of its own (state snapshots it took while
   * reading, `scapkit view`'s) calls it before pushing the records that follow that point.
   */
  resumeAt(c: Checkpoint): void {
    const md = c.metadata();
    this.state.reset(md);
    this.ctx.hostname = md.machine?.hostname ?? '';
    this.ctx.num = c.eventsBefore;
    this.sawFirst = c.firstTs !== 0n;
    this.leadingContainers = !this.sawFirst;
    if (this.sawFirst) {
      this.ctx.firstTsHi = Number(c.firstTs / TWO32);
      this.ctx.firstTsLo = Number(c.firstTs % TWO32);
    }
    this.sink.metadata?.(md);
  }

  /**
   * The system call id a generic event carries, its first parameter `ID` (-1 when it has none): what
   * `v.paramCount() > 0 ? v.paramU16(0) : -1` gives, read without locating every parameter (the state-only
   * path asks it of every generic event, most of a trace).
   */
  private genericId(v: EventView): number {
    return this.param.find(v, SYSCALL_ID) ? this.param.u16() : -1;
  }

  private inRange(hi: number, lo: number): boolean {
    if (hi < this.fromHi || (hi === this.fromHi && lo < this.fromLo)) return false;
    return !(hi > this.toHi || (hi === this.toHi && lo > this.toLo));
  }

  private isShown(): boolean {
    const v = this.ctx.view;
    if (v.frameFlags & FRAME_STATE_ONLY) return false;
    const t = v.type;
    return !(t < EVENT_MAX && this.hidden[t] && !this.showInternal);
  }
}
