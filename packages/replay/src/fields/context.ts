// The per-event evaluation context every field reads: the event view (positioned by the pipeline), the
// state engine's view of that event (thread, fd, matching enter event), the event number and the capture's
// first timestamp. One instance per pipeline, reused for every event.
import { EventView } from '@scapkit/scap-format';
import { ParamRenderer } from '../render/params.js';
import type { StateEngine } from '../state/engine.js';
import type { EvalContext } from './types.js';

export class ReplayContext implements EvalContext {
  readonly [key: string]: unknown;
  /** The current event. */
  readonly view = new EventView();
  readonly state: StateEngine;
  readonly render: ParamRenderer;
  /** evt.num: 1-based number of the event in the capture (hidden events count). */
  num = 0;
  /** Timestamp of the first event of the capture (ns, hi/lo words), for evt.reltime. */
  firstTsHi = 0;
  firstTsLo = -0; // -0: a double from the start (see Thread); the constructor makes both +0
  /** Timestamp of the previous event shown, for evt.deltatime (0 for the first one). */
  prevTsHi = 0;
  prevTsLo = -0;
  hasPrev = false;
  /** Timestamp of the last event read, shown or not (a chisel's capture span ends there, as in sysdig). */
  lastTsHi = 0;
  lastTsLo = -0;
  /** Capture-wide facts for fields that need them (hostname …). */
  hostname = '';

  constructor(state: StateEngine) {
    this.firstTsLo = 0;
    this.prevTsLo = 0;
    this.lastTsLo = 0;
    this.state = state;
    this.render = new ParamRenderer(state);
  }
}

/** The context as fields see it: EvalContext is opaque to filters, fields know it is a ReplayContext. */
export function rc(ctx: EvalContext): ReplayContext {
  return ctx as ReplayContext;
}
