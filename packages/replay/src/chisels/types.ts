// The chisel contract: what a chisel module exports (ChiselDefinition) and what loadChisel hands back
// (Chisel, a definition bound to its arguments, its fields resolved once and its filter compiled).
// A chisel runs inside a Pipeline Sink (ChiselSink), so it sees exactly the events replay sees, after the
// state engine and the user's filter; like sysdig it also sees internal events (procinfo, container, …).
import type { ReplayContext } from '../fields/context.js';
import type { CompiledField } from '../fields/types.js';
import type { CompiledFilter } from '../filter/index.js';
import type { StateEngine } from '../state/engine.js';

/** Where a chisel writes its report: one line at a time, without the newline. */
export type ChiselOut = (line: string) => void;

/** One positional argument, as `scapkit replay -i NAME` describes it. */
export interface ChiselArg {
  readonly name: string;
  readonly description: string;
  /** `filter` arguments are compiled as filters; `int` ones must parse as numbers. */
  readonly type?: 'string' | 'int' | 'filter';
  /** Optional arguments may be left out; required ones are checked by loadChisel. */
  readonly optional?: boolean;
}

/** What `create` receives besides the argument values. */
export interface ChiselEnv {
  /**
   * Resolves a field once, by its full name as written in a filter (`proc.aname[2]`, `evt.rawarg.res`).
   * Throws UnknownFieldError for an unknown field: loadChisel fails, not the first event.
   */
  field(name: string): CompiledField;
  /** Compiles a filter against the same registry (FilterSyntaxError on a bad one). */
  compileFilter(text: string): CompiledFilter;
  /**
   * Compiles a sysdig -p format (sysdig's chisel.set_event_formatter); the function returns the line for
   * an event, undefined when the format hides it.
   */
  format(text: string): (ctx: ReplayContext) => string | undefined;
}

/** What the end-of-capture callback may look at. */
export interface ChiselEndInfo {
  /** The tables as they are when the capture ended (or when the chisel stopped it). */
  readonly state: StateEngine;
  /** Events the chisel was handed (after the user's filter, before its own). */
  readonly events: number;
  /** Timestamps (ns) of the first and last event read from the capture (sinsp's firstevent/lastevent); 0n when none. */
  readonly firstTs: bigint;
  readonly lastTs: bigint;
}

/** What onEvent may do besides looking at the event. */
export interface ChiselControl {
  /** Prints a line now (chisels that print per event: echo_fds, spy_file, …). */
  readonly out: ChiselOut;
  /** Ends the capture after this event (sysdig.end_capture): the tables stay as they are now. */
  stop(): void;
}

/** A running chisel: per-event callback, optional interval report, end-of-capture report. */
export interface ChiselHandlers {
  /** A filter the chisel adds (sysdig chisel.set_filter): onEvent only sees events that pass it. */
  readonly filter?: string;
  /** Interval of onInterval in ns (sysdig chisel.set_interval_s); intervals follow event time. */
  readonly intervalNs?: number;
  /** Every event that passed both filters; `ctx` is only valid during the call. */
  onEvent(ctx: ReplayContext, ctl: ChiselControl): void;
  /**
   * Called, before the event is filtered, by the first event of a new interval (sysdig's do_timeout):
   * `ctx` is that event, `deltaNs` the time since the previous report (0 for the first one).
   */
  onInterval?(ctx: ReplayContext, deltaNs: number, out: ChiselOut): void;
  /** The end-of-capture report. */
  onEnd(out: ChiselOut, info: ChiselEndInfo): void;
  /**
   * For a chisel whose report depends only on sums over the events it is handed (the table chisels): lets
   * a replay split the trace into parts replayed apart (scapkit replay's segments) and join their sums.
   * Such a chisel prints nothing before onEnd, and its onEnd reads nothing of `info.state`.
   */
  readonly parts?: ChiselParts;
}

/**
 * A chisel's sums over part of a capture. A chisel replaying a later part hands its sums over with `take`;
 * the chisel that prints adds every part with `add`, in the capture's order, then onEnd prints what one
 * chisel over every event prints: the same rows, the same order (ties in first-seen order), the same sums.
 */
export interface ChiselParts {
  /** The sums since the last take, as a value a structured clone carries; the chisel starts over from none. */
  take(): unknown;
  /** Adds the sums `take` gave on a chisel of the same kind over the events after those added before. */
  add(part: unknown): void;
}

/** What a chisel module default-exports (built-ins are written the same way). */
export interface ChiselDefinition {
  /** Name used with `-c`; a user module's file name is used when it has none. */
  readonly name: string;
  /** One line, for `-cl`. */
  readonly description: string;
  /** Longer text for `-i` (the one-line description when absent). */
  readonly details?: string;
  /** Group in `-cl` (sysdig's categories: I/O, Net, Performance, System State, …). */
  readonly category?: string;
  readonly args?: readonly ChiselArg[];
  /**
   * Builds a fresh chisel for one run. `args` holds every declared argument by name (missing optional ones
   * absent); resolve fields and compile filters through `env` here, once, never per event.
   */
  create(args: Readonly<Record<string, string>>, env: ChiselEnv): ChiselHandlers;
}

/** A loaded chisel: a definition bound to its arguments, ready for a ChiselSink. */
export interface Chisel extends ChiselHandlers {
  readonly name: string;
  readonly description: string;
  readonly args: readonly ChiselArg[];
  /** The chisel's own filter, compiled (undefined when it adds none). */
  readonly compiledFilter: CompiledFilter | undefined;
}
