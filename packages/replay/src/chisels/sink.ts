// Runs a loaded chisel as a Pipeline Sink, the way sinsp_chisel::run does in sysdig: for every event the
// pipeline hands over (state applied, user filter passed), first the interval check (which may call
// onInterval), then the chisel's own filter, then onEvent; at the end of the capture, onEnd. runChisel
// wires a stream, a Pipeline and a ChiselSink together; like sysdig, chisels also see internal events.
import type { CaptureRecord, CaptureStream } from '@scapkit/scap-format';
import type { ReplayContext } from '../fields/context.js';
import type { EvalContext, FieldResolver } from '../fields/types.js';
import type { CompiledFilter, EventTypeSet } from '../filter/index.js';
import { Pipeline, type PipelineResult, type Sink } from '../pipeline.js';
import { StateEngine } from '../state/engine.js';
import type { Chisel, ChiselControl, ChiselEndInfo, ChiselOut, ChiselParts } from './types.js';

const NS = 1e9;
/** 2^32 mod 1e9 and (2^32 * 2^16) mod 1e9, to split a timestamp into seconds and ns without a bigint. */
const C32 = 294967296;
const C48 = Number(2n ** 48n % 1000000000n);

/**
 * A chisel as a Pipeline sink. `state` must be the pipeline's own (PipelineOptions.state); give the
 * pipeline `showInternal: true` to hand the chisel what sysdig's chisels see (createChiselRun does both).
 */
export class ChiselSink implements Sink, ChiselControl {
  private readonly chisel: Chisel;
  readonly out: ChiselOut;
  private readonly state: StateEngine;
  private readonly intervalS: number;
  /** The event types the chisel's own filter can match, when the pipeline may skip the others. */
  readonly eventTypes: EventTypeSet | undefined;
  private readonly pipeline: (() => { readonly shownCount: number; readonly ctx: ReplayContext }) | undefined;
  private ctx: ReplayContext | undefined;
  private events = 0;
  private stopped = false;
  private ended = false;
  // Interval bookkeeping (sinsp_chisel::do_timeout), in whole seconds plus ns.
  private lastSample = -1;
  private lastReportSec = 0;
  private lastReportNs = 0;
  private reported = false;
  private sec = 0;
  private nsec = 0;

  /**
   * `pipeline`: the pipeline it sinks. Given it, the sink declares the event types the chisel's filter can
   * match (Sink.eventTypes), so the pipeline skips the others, and takes the count and context of shown
   * events from the pipeline; a chisel with an interval callback sees every event, since any event may
   * open an interval.
   */
  constructor(
    chisel: Chisel,
    out: ChiselOut,
    state: StateEngine,
    pipeline?: () => { readonly shownCount: number; readonly ctx: ReplayContext },
  ) {
    this.chisel = chisel;
    this.out = out;
    this.state = state;
    const iv = chisel.intervalNs ?? 0;
    if (iv !== 0 && (iv % NS !== 0 || iv < 0)) throw new RangeError('chisel intervals must be whole seconds');
    this.intervalS = iv / NS;
    const skips = pipeline !== undefined && !(this.intervalS !== 0 && chisel.onInterval);
    this.eventTypes = skips ? chisel.compiledFilter?.eventTypes : undefined;
    this.pipeline = this.eventTypes ? pipeline : undefined;
  }

  /** Events handed to the chisel so far (those of types it skips included: they failed its filter). */
  get handled(): number {
    return this.pipeline ? this.pipeline().shownCount : this.events;
  }

  /** Whether the chisel asked to end the capture (ChiselControl.stop). */
  get done(): boolean {
    return this.stopped;
  }

  stop(): void {
    this.stopped = true;
  }

  event(ctx: ReplayContext): void {
    if (this.stopped) return;
    this.ctx = ctx;
    this.events++;
    if (this.intervalS !== 0 && this.chisel.onInterval) this.checkInterval(ctx);
    const f = this.chisel.compiledFilter;
    if (f !== undefined && !f.match(ctx)) return;
    this.chisel.onEvent(ctx, this);
  }

  /** The events handed so far and the capture's first and last timestamps (0n before any event). */
  span(): ChiselSpan {
    return spanOf(this.handled, this.pipeline ? this.pipeline().ctx : this.ctx);
  }

  /** The end-of-capture report, once; `span`: this sink's own, or that of a replay in parts (ChiselParts). */
  end(span: ChiselSpan = this.span()): void {
    if (this.ended) return;
    this.ended = true;
    const seen = span.events > 0;
    this.chisel.onEnd(this.out, {
      state: this.state,
      events: span.events,
      firstTs: seen ? span.firstTs : 0n,
      lastTs: seen ? span.lastTs : 0n,
    });
  }

  /** Splits the current event's timestamp into this.sec / this.nsec exactly. */
  private splitTs(ctx: ReplayContext): void {
    const hi = ctx.view.tsHi;
    const lo = ctx.view.tsLo;
    const rem = ((hi >>> 16) * C48 + (hi & 0xffff) * C32 + lo) % NS;
    this.nsec = rem;
    this.sec = Math.round((hi * 4294967296 + lo - rem) / NS);
  }

  private checkInterval(ctx: ReplayContext): void {
    this.splitTs(ctx);
    const sample = Math.floor(this.sec / this.intervalS);
    if (this.lastSample < 0) {
      this.lastSample = sample;
      return;
    }
    if (sample === this.lastSample) return;
    let delta = 0;
    if (this.reported) {
      delta = (this.sec - this.lastReportSec) * NS + (this.nsec - this.lastReportNs);
      if (delta === 0) return;
    }
    this.chisel.onInterval!(ctx, delta, this.out);
    this.lastSample = sample;
    this.lastReportSec = this.sec;
    this.lastReportNs = this.nsec;
    this.reported = true;
  }
}

export interface RunChiselOptions {
  /** Receives each output line, without its newline. */
  write: ChiselOut;
  /** The user's filter (`scapkit replay -r F -c NAME FILTER`), compiled against the same registry. */
  filter?: string | CompiledFilter | ((ctx: EvalContext) => boolean);
  /** The fields a filter given as text is compiled against. */
  registry?: FieldResolver;
  /** Stop after this many events (sysdig -n). */
  maxEvents?: number;
  /** Show only the events in this range (ns since the epoch); the others only update state. */
  timeRange?: { fromNs: bigint; toNs: bigint };
}

/** What ChiselEndInfo tells of the events: how many the chisel was handed, the capture's time span. */
export type ChiselSpan = Omit<ChiselEndInfo, 'state'>;

/** `events` and the first and last timestamps read (0n without a context). */
function spanOf(events: number, c: ReplayContext | undefined): ChiselSpan {
  const ts = (hi: number, lo: number) => BigInt(hi) * 4294967296n + BigInt(lo);
  return {
    events,
    firstTs: c ? ts(c.firstTsHi, c.firstTsLo) : 0n,
    // The last event read, whether or not it passed the filter (sysdig's capture span: a filter given
    // with topprocs_cpu leaves its percentages as they are).
    lastTs: c ? ts(c.lastTsHi, c.lastTsLo) : 0n,
  };
}

/** A chisel wired to its own Pipeline, fed record by record (the CLI's loop, live capture). */
export interface ChiselRun {
  readonly pipeline: Pipeline;
  readonly sink: ChiselSink;
  /** The chisel's, when its sums can be taken over parts of a capture and joined. */
  readonly parts: ChiselParts | undefined;
  /** The events handed to the chisel so far, and the first and last timestamps the pipeline read. */
  span(): ChiselSpan;
  /** Feeds one record of a CaptureStream. */
  push(rec: CaptureRecord): void;
  /** Whether -n is reached or the chisel ended the capture (ps, lsof, …): stop reading. */
  readonly done: boolean;
  /**
   * Prints the end-of-capture report (once; call it also after a reader error). `span`, for a run that
   * only joined parts: the sum of the parts' event counts, the first part's first timestamp and the last
   * part's last (each part's ChiselSink.span()).
   */
  end(span?: ChiselSpan): void;
}

/** Builds the Pipeline (state engine, user filter, internal events shown as sysdig shows chisels them). */
export function createChiselRun(chisel: Chisel, opts: RunChiselOptions): ChiselRun {
  const state = new StateEngine();
  const sink = new ChiselSink(chisel, opts.write, state, () => pipeline);
  const pipeline: Pipeline = new Pipeline({
    sink,
    state,
    showInternal: true,
    filter: opts.filter,
    registry: opts.registry,
    maxEvents: opts.maxEvents,
    timeRange: opts.timeRange,
  });
  return {
    pipeline,
    sink,
    parts: chisel.parts,
    span: () => spanOf(sink.handled, pipeline.ctx),
    push: (rec) => pipeline.push(rec),
    get done() {
      return pipeline.finished || sink.done;
    },
    end: (span) => sink.end(span),
  };
}

/**
 * Replays `stream` through a chisel, then prints its end report. A reader error (truncated file …)
 * propagates after the report of the events before it.
 */
export async function runChisel(
  chisel: Chisel,
  stream: CaptureStream,
  opts: RunChiselOptions,
): Promise<PipelineResult> {
  const run = createChiselRun(chisel, opts);
  try {
    for await (const rec of stream) {
      run.push(rec);
      if (run.done) break;
    }
  } finally {
    run.end();
  }
  return { events: run.pipeline.ctx.num, shown: run.sink.handled, stoppedEarly: run.done };
}
