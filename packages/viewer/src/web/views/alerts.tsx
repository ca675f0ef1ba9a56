// Alerts of `scapkit detect` (given to `scapkit view --alerts/--rules/--detect`, or dropped with the trace):
// a table in time order; a row narrows the range to the moment of the alert and opens its events.
import type { ViewContext } from '../app.js';
import { formatRel } from '../format.js';

/** An alert's time relative to the trace's first event. */
export function alertRel(ts: string, t0: string): number {
  return Number(BigInt(ts) - BigInt(t0));
}

export function AlertsView({ ctx }: { ctx: ViewContext }) {
  const { alerts, info } = ctx;
  if (alerts.length === 0) {
    return (
      <div class="empty">
        <p>No alerts. Start the viewer with Falco rules to see where they fire on the timeline:</p>
        <pre>
          scapkit view TRACE --detect # scapkit's default rules{'\n'}scapkit view TRACE --rules my.yaml{'\n'}
          scapkit view TRACE --alerts alerts.jsonl # scapkit detect --json output
        </pre>
      </div>
    );
  }
  const open = (rel: number, rule: string) => {
    const half = Math.max(info.slotNs, 1_000_000);
    ctx.setNav({
      ...ctx.nav,
      range: [Math.max(0, rel - half), rel + half],
      crumbs: [...ctx.nav.crumbs, { label: rule, view: 'events', filter: '' }],
    });
  };
  return (
    <div class="scroll">
      <table class="grid" id="alerts">
        <thead>
          <tr>
            <th>Time</th>
            <th>Priority</th>
            <th>Rule</th>
            <th>Output</th>
          </tr>
        </thead>
        <tbody>
          {alerts.map((a, i) => {
            const rel = alertRel(a.ts, info.t0);
            return (
              <tr key={i} class={`prio-${a.priority.toLowerCase()}`} onDblClick={() => open(rel, a.rule)}>
                <td>{formatRel(rel)}</td>
                <td>{a.priority}</td>
                <td>{a.rule}</td>
                <td class="wrap">{a.output}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
