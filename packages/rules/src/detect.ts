// Detection on replay's Pipeline: the ruleset is the pipeline's filter (an event passes when a rule
// matches it) and the sink turns the matches into alerts. Every event still goes through the state
// engine first, so a rule sees the same threads, fds and users live and on a saved trace.
import {
  type CompiledFilter,
  type EvalContext,
  Pipeline,
  type ReplayContext,
  type Sink,
  type StateEngine,
  type TimeRange,
} from '@scapkit/replay';
import { type CaptureHeader, type CaptureMetadata, EVENT_MAX } from '@scapkit/scap-format';
import { type Alert, AlertFormatter } from './alerts.js';
import type { CompiledRule } from './compiler.js';
import { priorityName } from './priority.js';
import type { Ruleset } from './ruleset.js';

export interface DetectOptions {
  ruleset: Ruleset;
  /** Renders alerts (text always; JSON when it was built for it). */
  formatter: AlertFormatter;
  onAlert(alert: Alert): void;
  /** Only events this filter passes are judged (a sysdig filter: `container.id=…`, `proc.apid=…`). */
  filter?: (ctx: EvalContext) => boolean;
  /** Only events in this range are judged; the others still update state (the Pipeline's time range). */
  timeRange?: TimeRange;
  /** Called with the capture's header and metadata as they come (hostname, flight recorder). */
  onHeader?(header: CaptureHeader): void;
  onMetadata?(metadata: CaptureMetadata): void;
  /** A state engine to share. */
  state?: StateEngine;
}

/** Alerts counted by rule and by priority, for the summary at the end. */
export class DetectStats {
  alerts = 0;
  readonly byRule = new Map<string, number>();
  readonly byPriority = new Map<string, number>();
  /** Per event type id, the most parameters an event of it had (-1: none met), for fieldsMissingParams. */
  readonly maxParams = new Int32Array(EVENT_MAX).fill(-1);

  add(rule: CompiledRule): void {
    this.alerts++;
    this.byRule.set(rule.name, (this.byRule.get(rule.name) ?? 0) + 1);
    const p = priorityName(rule.priority);
    this.byPriority.set(p, (this.byPriority.get(p) ?? 0) + 1);
  }

  /** Falco's end-of-run summary. */
  lines(): string[] {
    const out = [`Events detected: ${this.alerts}`];
    if (this.alerts === 0) return out;
    out.push('Rule counts by severity:');
    for (const [p, n] of this.byPriority) out.push(`   ${p.toUpperCase()}: ${n}`);
    out.push('Triggered rules by rule name:');
    for (const [r, n] of this.byRule) out.push(`   ${r}: ${n}`);
    return out;
  }
}

/** A Pipeline that judges every event by the ruleset and reports alerts. */
export function createDetectPipeline(opts: DetectOptions): { pipeline: Pipeline; stats: DetectStats } {
  const { ruleset, formatter } = opts;
  const stats = new DetectStats();
  const maxParams = stats.maxParams;
  const scope = opts.filter;
  // The ruleset as the pipeline's filter: the pipeline sees the event types some rule can match, and
  // events of the others take its state-only path.
  const filter: CompiledFilter = {
    text: '(rules)',
    fields: [],
    eventTypes: ruleset.interesting,
    match(ctx: EvalContext): boolean {
      const v = (ctx as ReplayContext).view;
      const t = v.type;
      if (v.nparams > (maxParams[t] ?? v.nparams)) maxParams[t] = v.nparams;
      if (scope !== undefined && !scope(ctx)) return false;
      return ruleset.evaluate(ctx as ReplayContext).length > 0;
    },
  };
  const sink: Sink = {
    header: opts.onHeader ? (h) => opts.onHeader?.(h) : undefined,
    metadata: opts.onMetadata ? (m) => opts.onMetadata?.(m) : undefined,
    event(ctx: ReplayContext) {
      // The filter just evaluated this event: the ruleset still holds its matches.
      for (const rule of ruleset.lastMatches) {
        stats.add(rule);
        opts.onAlert(formatter.format(rule, ctx));
      }
    },
  };
  const pipeline = new Pipeline({
    sink,
    filter,
    ...(opts.timeRange ? { timeRange: opts.timeRange } : {}),
    ...(opts.state ? { state: opts.state } : {}),
  });
  return { pipeline, stats };
}

export { AlertFormatter };
