// Pipeline: the one loop behind `scapkit replay` and live capture. It consumes a CaptureStream (header,
// metadata, event batches, stats), runs every event through the state engine first, then decides whether
// the event is shown (internal and state-only events are not), applies the filter and hands matching
// events to the sink. One EventView and one context are reused for every event; nothing is allocated per
// event on the path of an event the filter rejects.
import {
  type CaptureHeader,
  type CaptureMetadata,
  type CaptureRecord,
  type CaptureStats,
  type CaptureStream,
  EC,
  EVENT_MAX,
  EVENTS,
  type EventBatch,
  FRAME_STATE_ONLY,
} from '@scapkit/scap-format';
import { ReplayContext } from './fields/context.js';
import type { EvalContext } from './fields/types.js';
import type { BufferFormat } from './render/buffer.js';
import type { ServiceNames } from './render/services.js';
import { StateEngine } from './state/engine.js';

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
}

export interface PipelineOptions {
  sink: Sink;
  /** A compiled filter (compileFilter against createFieldRegistry()); events it rejects are not shown. */
  filter?: (ctx: EvalContext) => boolean;
  /** Stop after `maxEvents` events passed the filter (sysdig -n: without a filter, after evt.num N). */
  maxEvents?: number;
  /** Show internal events (procinfo, …) too (sysdig -D). */
  showInternal?: boolean;
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
  /** Events handed to the sink. */
  shown: number;
  /** Whether `maxEvents` stopped the run before the end of the stream. */
  stoppedEarly: boolean;
}

// Per type: whether sysdig hides the event (EC_INTERNAL category).
const HIDDEN = new Uint8Array(EVENT_MAX);
for (let t = 0; t < EVENT_MAX; t++) HIDDEN[t] = EVENTS[t]!.category & EC.INTERNAL ? 1 : 0;
const CONTAINER = new Uint8Array(EVENT_MAX);
for (let t = 0; t < EVENT_MAX; t++) CONTAINER[t] = EVENTS[t]!.name === 'container' ? 1 : 0;

export class Pipeline {
  readonly state: StateEngine;
  readonly ctx: ReplayContext;
  private readonly sink: Sink;
  private readonly filter: ((ctx: EvalContext) => boolean) | undefined;
  private readonly maxEvents: number;
  private readonly showInternal: boolean;
  private readonly matchedHook: ((ctx: ReplayContext) => void) | undefined;
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
    this.filter = opts.filter;
    this.maxEvents = opts.maxEvents ?? Number.POSITIVE_INFINITY;
    this.showInternal = opts.showInternal ?? false;
    if (opts.bufferFormat) this.ctx.render.bufferFormat = opts.bufferFormat;
    if (opts.services) this.ctx.render.services = opts.services;
    this.matchedHook = this.sink.matched?.bind(this.sink);
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
      case 'stats':
        this.sink.stats?.(rec.stats);
        break;
    }
  }

  /** Whether `maxEvents` has been reached. */
  get finished(): boolean {
    return this.done;
  }

  processBatch(batch: EventBatch): void {
    const ctx = this.ctx;
    const v = ctx.view;
    const state = this.state;
    for (let i = 0; i < batch.count && !this.done; i++) {
      v.at(batch, i);
      ctx.num++;
      // The container records a capture starts with describe the containers already running: sinsp
      // takes them as state and does not show them (they still count in evt.num, not in evt.reltime).
      const type = v.type;
      const container = type < EVENT_MAX && CONTAINER[type] === 1;
      if (!container) this.leadingContainers = false;
      const leading = container && this.leadingContainers;
      if (!this.sawFirst && !leading) {
        this.sawFirst = true;
        ctx.firstTsHi = v.tsHi;
        ctx.firstTsLo = v.tsLo;
      }
      // State first: a filter never costs the tables an update.
      state.process(v);
      if (leading) continue;
      // sysdig -n counts the events that pass the filter, shown or not (all of them without a filter).
      if (this.filter && !this.filter(ctx)) continue;
      if (++this.matched >= this.maxEvents) this.done = true;
      if (this.matchedHook && !(v.frameFlags & FRAME_STATE_ONLY)) this.matchedHook(ctx);
      if (!this.isShown()) continue;
      this.shown++;
      this.sink.event(ctx);
      // evt.deltatime is measured from the previous event shown.
      ctx.prevTsHi = v.tsHi;
      ctx.prevTsLo = v.tsLo;
      ctx.hasPrev = true;
    }
  }

  private isShown(): boolean {
    const v = this.ctx.view;
    if (v.frameFlags & FRAME_STATE_ONLY) return false;
    const t = v.type;
    return !(t < EVENT_MAX && HIDDEN[t] && !this.showInternal);
  }
}
