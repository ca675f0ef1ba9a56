// What a command that reads a trace says about events lost while it was recorded: the footer's drop
// counters (a full ring buffer, a write error…), one line on stderr once the output is done, so a
// replay's silence is never taken for "nothing happened" where the recorder could not keep up.
import type { CaptureRecord } from '@scapkit/scap-format';
import { warn } from '../exit.js';

export class RecordedLosses {
  private drops: Record<string, number> | undefined;

  constructor(private readonly path: string) {}

  /** Looks at each record read; only the statistics matter. */
  see(rec: CaptureRecord): void {
    if (rec.kind === 'stats') this.drops = rec.stats.drops;
  }

  /** Events lost while recording, by cause; 0 when the trace says none (or has no statistics). */
  get total(): number {
    return Object.values(this.drops ?? {}).reduce((a, b) => a + (Number(b) || 0), 0);
  }

  /** Says on stderr how many events the recording lost, if any. */
  report(): void {
    const n = this.total;
    if (!n) return;
    const causes = Object.entries(this.drops!)
      .filter(([, v]) => Number(v) > 0)
      .map(([k, v]) => `${k} ${v}`)
      .join(', ');
    warn(
      `${this.path} lost ${n} events while it was recorded (${causes}): what happened then is missing, ` +
        'and processes or files it would have named may show as <NA>',
    );
  }
}
