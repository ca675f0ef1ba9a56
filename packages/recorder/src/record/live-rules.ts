// Rules on the live stream (`record --rules FILE | --detect`): the recording's tables and kept batches go
// through the same detect pipeline as `scapkit detect` on a saved trace (@scapkit/rules), alerts are
// printed as they fire (Falco's line on stderr, or JSON lines into --alerts FILE), and the flight recorder
// (--capture-on-alert DIR) writes a trace around each alert. The recording itself is unchanged: this
// module only sees what the recorder keeps (RecordOptions.onMetadata and observe).
import { open } from 'node:fs/promises';
import { hostname } from 'node:os';
import {
  AlertFormatter,
  createDetectPipeline,
  formatResult,
  parsePriority,
  RulesEngine,
  summaryLine,
} from '@scapkit/rules';
import { DEFAULT_RULES_FILE, loadRulesFiles } from '@scapkit/rules/node';
import type { CaptureMetadata, EventBatch } from '@scapkit/scap-format';
import { CliError, UsageError, warn } from '../exit.js';
import { FlightRecorder } from './flight-recorder.js';

export interface LiveRulesOptions {
  /** Rules files (none: scapkit's default ruleset). */
  rules: string[];
  minPriority?: string;
  /** JSON lines of alerts into this file instead of text lines on stderr. */
  alertsFile?: string;
  flight?: { dir: string; beforeNs: bigint; afterNs: bigint; bufferBytes: number; snaplen: number };
}

/** `10s`, `500ms`, `2m`, or a number of seconds, as ns. */
export function parseDuration(flag: string, s: string): bigint {
  const m = /^(\d+(?:\.\d+)?)(ms|s|m)?$/.exec(s.trim());
  if (!m) throw new UsageError(`--${flag}: '${s}' is not a duration (10s, 500ms, 2m)`);
  const n = Number(m[1]);
  const unit = m[2] ?? 's';
  const ms = unit === 'ms' ? n : unit === 'm' ? n * 60_000 : n * 1000;
  return BigInt(Math.round(ms * 1e6));
}

export class LiveRules {
  alerts = 0;
  private pipeline!: ReturnType<typeof createDetectPipeline>['pipeline'];
  private flight: FlightRecorder | undefined;
  private alertsOut: Awaited<ReturnType<typeof open>> | undefined;
  private writes: Promise<unknown> = Promise.resolve();

  private constructor() {}

  /**
   * Loads the rules and opens what alerts go to, before anything is recorded: a rules file that does not
   * load, an --alerts file or a --capture-on-alert directory that cannot be written are refused here.
   */
  static async start(opts: LiveRulesOptions): Promise<LiveRules> {
    const self = new LiveRules();
    const engine = new RulesEngine();
    const results = await loadRulesFiles(engine, opts.rules.length > 0 ? opts.rules : [DEFAULT_RULES_FILE]);
    for (const r of results) {
      const { errors, warnings } = formatResult(r, (c) => engine.snippet(c));
      for (const l of warnings) warn(l);
      if (!r.successful) throw new CliError(`${summaryLine(r)}\n${errors.join('\n')}`);
    }
    const minPriority = opts.minPriority === undefined ? undefined : parsePriority(opts.minPriority);
    if (opts.minPriority !== undefined && minPriority === undefined) {
      throw new UsageError(`--min-priority: '${opts.minPriority}' is not a priority`);
    }
    if (opts.flight) {
      try {
        await FlightRecorder.check(opts.flight.dir);
      } catch (e) {
        throw new CliError(
          `--capture-on-alert ${opts.flight.dir}: cannot write there (${(e as Error).message}); nothing was recorded`,
        );
      }
      self.flight = new FlightRecorder(opts.flight);
    }
    if (opts.alertsFile) {
      try {
        self.alertsOut = await open(opts.alertsFile, 'a', 0o600);
      } catch (e) {
        throw new CliError(`--alerts ${opts.alertsFile}: ${(e as Error).message}; nothing was recorded`);
      }
    }
    let host = hostname();
    const formatter = new AlertFormatter({
      registry: engine.registry,
      json: opts.alertsFile !== undefined,
      hostname: () => host,
    });
    const { pipeline } = createDetectPipeline({
      ruleset: engine.ruleset({ minPriority }),
      formatter,
      onMetadata: (m) => {
        host = m.machine?.hostname || hostname();
      },
      onAlert: (a) => {
        self.alerts++;
        if (self.alertsOut) {
          const out = self.alertsOut;
          self.writes = self.writes.then(() => out.write(`${a.json}\n`));
        } else process.stderr.write(`${a.text}\n`);
        self.flight?.onAlert(a);
      },
    });
    self.pipeline = pipeline;
    return self;
  }

  onMetadata(metadata: CaptureMetadata): void {
    this.flight?.onMetadata(metadata);
    this.pipeline.push({ kind: 'metadata', metadata });
  }

  /** A batch the recorder kept: into the flight recorder's ring first, so an alert's trace holds its event. */
  onBatch(batch: EventBatch): void {
    this.flight?.onBatch(batch);
    this.pipeline.push({ kind: 'events', batch });
  }

  /** Finishes the open flight-recorder trace and the alerts file; lines for the summary. */
  async close(): Promise<string[]> {
    await this.flight?.close();
    await this.writes;
    await this.alertsOut?.close();
    const lines = [`  alerts: ${this.alerts}`];
    if (this.flight) {
      const f = this.flight;
      lines.push(`  traces around alerts: ${f.files.length === 0 ? 'none' : f.files.join(', ')}`);
      if (f.droppedTotal > 0)
        lines.push(`  flight recorder: ${f.droppedTotal} events left memory early (--buffer-mb)`);
      if (f.failure !== undefined) lines.push(`  flight recorder failed: ${(f.failure as Error).message}`);
    }
    return lines;
  }
}
