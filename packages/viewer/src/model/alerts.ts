// Alerts to mark on the timeline: raised by rules judged in the first pass (EventJudge: `scapkit view
// --rules/--detect` builds one from @scapkit/rules), or read from the output of `scapkit detect --json`
// (Falco's JSON output: one object per line with time, rule, priority, output), parsed the same way by the
// server (--alerts FILE) and by the page (an alerts file dropped next to a trace).
import type { ReplayContext } from '@scapkit/replay';

/**
 * Rules run inside the first pass (`scapkit view --rules/--detect`, through @scapkit/rules): called with
 * each shown event of a type it names, it returns the alerts the event raises, if any.
 */
export interface EventJudge {
  /** Per event type id, 1 when some rule can match an event of it. */
  readonly eventTypes: Uint8Array;
  judge(ctx: ReplayContext): readonly Alert[] | undefined;
}

export interface Alert {
  /** Absolute ns since the epoch, as a decimal string. */
  ts: string;
  rule: string;
  priority: string;
  output: string;
}

/** RFC 3339 with up to nanoseconds ("2018-08-17T17:35:48.514632619Z") → ns since the epoch. */
export function rfc3339ToNs(s: string): bigint | undefined {
  const m = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(?:\.(\d{1,9}))?(Z|[+-]\d\d:\d\d)$/.exec(s);
  if (!m) return undefined;
  const ms = Date.parse(`${m[1]}${m[3]}`);
  if (Number.isNaN(ms)) return undefined;
  return BigInt(ms) * 1_000_000n + BigInt((m[2] ?? '').padEnd(9, '0'));
}

/** JSON lines of alerts; a line that is not one throws with its number. */
export function parseAlerts(text: string): Alert[] {
  const out: Alert[] = [];
  const lines = text.split('\n');
  for (const [i, line] of lines.entries()) {
    const l = line.trim();
    if (l === '') continue;
    let o: unknown;
    try {
      o = JSON.parse(l);
    } catch {
      throw new Error(`alerts line ${i + 1} is not JSON`);
    }
    const a = o as Record<string, unknown>;
    const ts = typeof a.time === 'string' ? rfc3339ToNs(a.time) : undefined;
    if (ts === undefined || typeof a.rule !== 'string') {
      throw new Error(`alerts line ${i + 1} is not a Falco alert (needs "time" in RFC 3339 and "rule")`);
    }
    out.push({
      ts: ts.toString(),
      rule: a.rule,
      priority: typeof a.priority === 'string' ? a.priority : '',
      output: typeof a.output === 'string' ? a.output : '',
    });
  }
  return out;
}
