// A recording session: the probe's EventBatches into trace files (or into a live consumer), with the
// per-second flush that bounds what a crash can lose, checkpoints, exact accounting of every event the
// kernel saw, and a clean stop on a signal, a time or event limit, a write error, or the end of the
// command being traced.
//
// The way of a batch: probe → procinfo events inserted each second (procinfo.ts) → capture filter
// (../capture-filter.ts: the events kept and state records) → -n limit → trace files (rotation, see
// trace-files.ts) or the live consumer. What the files get also goes through a state engine
// (trace-state.ts): a rotated file starts with its tables and each checkpoint holds them. The tables a
// recording starts from come from /proc (tables.ts); the status line and the "recording" line from
// status-line.ts; `-- CMD` from command.ts.
//
// What plugs in: a RecordObserver sees every batch kept and the tables (live rules, the flight recorder);
// RecordModules complete each file's tables and add events of their own (container lookups, whose
// container events then reach the files, their state engine and the observer like any event).
import { loadProbe, type Probe, type ProbeOptions, type ProbeStats } from '@scapkit/bpf-probe';
import type { CaptureFilter, FilteredRecord } from '@scapkit/replay';
import {
  batchEventTs,
  batchSpan,
  type CaptureMetadata,
  type CaptureStats,
  type ChunkCodec,
  checkpointDue,
  type EventBatch,
} from '@scapkit/scap-format';
import { defaultChunkCodec } from '@scapkit/scap-format/node';
import { type CommandExit, type CommandStartError, TracedCommand } from './command.js';
import { ProcinfoEvents } from './procinfo.js';
import { SnapshotTaker } from './snapshots.js';
import { StatusLine } from './status-line.js';
import { StartTables } from './tables.js';
import { TraceFiles } from './trace-files.js';
import { TraceState, TraceStateError } from './trace-state.js';

/**
 * A part of the recording with a say in what is written (container lookups): it sees every table a file
 * starts with before it is written, and every probe batch before it is written, and may add events of its
 * own before a batch. What it adds goes through the capture filter and into the files and their state
 * like any event (counted with the recorder's own events, as procinfo).
 */
export interface RecordModule {
  /** Completes the tables a file starts with (and the /proc read before the probe attaches). */
  onMetadata?(meta: CaptureMetadata): void;
  /** Awaited once before the probe attaches, while it loads (bounded by the module itself). */
  ready?(): Promise<void>;
  /** Events to write just before `batch` (what the module learned since the last one); sees `batch`. */
  beforeBatch?(batch: EventBatch): EventBatch | undefined;
  /** When the probe has stopped: the events still to write after the last batch (`lastTs` their time). */
  end?(lastTs: bigint): Promise<EventBatch | undefined>;
  close?(): Promise<void>;
}

/** Sees what the recording keeps, with or without files (live rules, a flight recorder). */
export interface RecordObserver {
  /** The tables the recording starts from or replaces its tables with (a rotated file, a state record). */
  metadata(meta: CaptureMetadata): void;
  /** Every batch kept (after the capture filter and -n), in order. */
  events(batch: EventBatch): void;
}

/** Where the events go without -w: a printer or a chisel. */
export interface LiveConsumer {
  /** The tables the recording starts from. */
  metadata(meta: CaptureMetadata): void;
  events(batch: EventBatch): Promise<void> | void;
}

export interface RecordOptions {
  /** -w: the trace file (base name when rotating). Without it, batches go to `live`. */
  path?: string;
  probe: ProbeOptions;
  /** -M: stop after this many seconds. */
  maxSeconds?: number;
  /** -n: stop after this many events written. */
  maxEvents?: number;
  /** -C: start a new file each time the current one reaches this many megabytes (10^6 bytes). */
  sizeMb?: number;
  /** -G: start a new file every this many seconds. */
  periodSeconds?: number;
  /** -e: start a new file every this many events. */
  eventsPerFile?: number;
  /** -W: keep only the newest N files. */
  keepFiles?: number;
  /**
   * --checkpoint-seconds: a checkpoint this often, and every CHECKPOINT_EVENT_BYTES of events (default 10;
   * 0: only at the start of each file, none by volume either).
   */
  checkpointSeconds?: number;
  /**
   * The state engine behind the files (default true). Off (measurements only: what it costs, in
   * bench/record.bench.mjs), files get no checkpoints and a rotated file's tables are read from /proc.
   */
  liveState?: boolean;
  /** The capture filter (with -w): what the files keep. */
  capture?: CaptureFilter;
  /** --codec: the trace's chunk codec (default: native zstd when installed, else LZ4). */
  codec?: ChunkCodec;
  /** Without a path: where the events go (printing, a chisel). */
  live?: LiveConsumer;
  /** Parts of the recording that add to it (container lookups). */
  modules?: RecordModule[];
  /** Sees what is kept (live rules). */
  observer?: RecordObserver;
  /** `-- CMD ARGS`: run this and stop when it exits. */
  command?: string[];
  /**
   * --only-command: record only CMD and its descendants (the probe's pid filter follows its forks in the
   * kernel); the tables keep the recorder's line of parents and CMD's tree, not the rest of the box.
   */
  onlyCommand?: boolean;
  /** Say on stderr when the recording has begun (every run but -q). */
  announce?: boolean;
  /** A one-line status each second on stderr (a terminal, without -q). */
  status?: boolean;
  /** Called with a reason to stop early (tests); signals are handled by the caller through `stop`. */
  signal?: AbortSignal;
}

export interface RecordSummary {
  files: string[];
  /** Events the kernel produced while recording. */
  eventsSeen: number;
  eventsWritten: number;
  /**
   * Lost events by cause: ring buffer full, other kernel-side causes, not consumed in time, and events
   * the kernel delivered that a write error kept out of the files (write_error).
   */
  drops: Record<string, number>;
  /** procinfo events the recorder made (each second, every thread's CPU time), written or not. */
  eventsAdded: number;
  /** Not written on purpose: did not match the capture filter, or came after the -n limit. */
  eventsFiltered: number;
  eventsAfterLimit: number;
  bytesWritten: number;
  /** Raw (uncompressed) event bytes written, for the compression ratio. */
  rawBytes: number;
  durationMs: number;
  stopReason: string;
  /** How `-- CMD` ended, when the recording stopped because it did. */
  commandExit?: CommandExit;
  /** Set when the recording stopped on an error (a full disk, …): the files hold what was written before. */
  error?: unknown;
  /** Files closed with their footer after a write error (their statistics count what it lost). */
  closedAfterError: string[];
}

/** How often the timer looks at the pending chunk's age, the -G deadline and the status line. A 1 s tick
 *  made -G 1 rotate every 2 s (the file opens a little after a tick, so the next tick finds it 0.99 s old)
 *  and a chunk up to 1.9 s old; at 100 ms the flush bound is FLUSH_AGE_MS + 100 ms. */
const TICK_MS = 100;
/** A pending chunk older than this is written, so a crash loses at most about a second. */
const FLUSH_AGE_MS = 900;

/** Events [from, from + n) of a batch, sharing its bytes. */
function slice(b: EventBatch, from: number, n: number): EventBatch {
  return { data: b.data, offsets: b.offsets.subarray(from, from + n), count: n };
}

export function dropsOf(s: ProbeStats): Record<string, number> {
  return { ringbuf_full: s.dropsBuffer, kernel_other: s.dropsOther, not_consumed: s.droppedUnconsumed };
}

export class RecordingSession {
  private readonly opts: RecordOptions;
  private readonly files: TraceFiles | undefined;
  /** /proc reads off the main thread: the tables to start from, the CPU times of the procinfo events. */
  private readonly snapshots = new SnapshotTaker();
  private readonly startTables = new StartTables(this.snapshots);
  /** What the files hold, as a reader has it (with -w). */
  private readonly trace: TraceState | undefined;
  private readonly checkpointMs: number;
  private stateFailed = false;
  private lastCheckpointMs = 0;
  /** rawBytes at the last checkpoint: one is due every CHECKPOINT_EVENT_BYTES of events too. */
  private rawAtCheckpoint = 0;
  /** Every thread's CPU time once a second, of the processes recorded. */
  private readonly procinfo: ProcinfoEvents;
  private procinfoAtMs = 0;
  private procinfoReading = false;
  private readonly status: StatusLine;
  private probe: Probe | undefined;
  private command: TracedCommand | undefined;
  private commandExit: CommandExit | undefined;
  private stopReason = '';
  private stopping: Promise<void> | undefined;
  /** The first write error (a full disk, …): the recording stops, the files keep what was written. */
  private writeError: unknown;
  /** `-- CMD` could not be started. */
  private commandError: CommandStartError | undefined;
  /** Events handed to the files or the live consumer. */
  private written = 0;
  private added = 0;
  private filtered = 0;
  private afterLimit = 0;
  /** Events that arrived after a write error (kept out of the files). */
  private drainedAfterFailure = 0;
  private rawBytes = 0;
  /** Timestamp of the last event kept (a module's last events come after it). */
  private lastTs = 0n;
  /** The drop counters when the current file was opened (see stats()). */
  private fileBase: { drops: Record<string, number>; byCpu: number[] } = { drops: {}, byCpu: [] };
  /** Batches, the timer's flush, checkpoints and rotation run one after another. */
  private chain: Promise<unknown> = Promise.resolve();

  constructor(opts: RecordOptions) {
    this.opts = opts;
    this.files = opts.path
      ? new TraceFiles({
          path: opts.path,
          sizeMb: opts.sizeMb,
          periodSeconds: opts.periodSeconds,
          eventsPerFile: opts.eventsPerFile,
          keepFiles: opts.keepFiles,
          snaplen: opts.probe.snaplen ?? 80,
          filter: opts.capture?.text ?? '',
          codec: opts.codec ?? defaultChunkCodec(),
        })
      : undefined;
    this.trace = this.files && opts.liveState !== false ? new TraceState() : undefined;
    // The recorder's own events are never recorded; with --only-command, only the command's tree is.
    this.procinfo = new ProcinfoEvents({
      excludePid: process.pid,
      descendantsOf: opts.onlyCommand ? process.pid : undefined,
    });
    this.checkpointMs = (opts.checkpointSeconds ?? 10) * 1000;
    this.status = new StatusLine(opts.status === true);
  }

  /** Stops the recording (the probe detaches; what the rings still hold is recorded). */
  stop(reason: string): Promise<void> {
    if (!this.stopping) {
      this.stopReason = reason;
      this.stopping = this.probe ? this.probe.close() : Promise.resolve();
    }
    return this.stopping;
  }

  async run(): Promise<RecordSummary> {
    const t0 = Date.now();
    const opts = this.opts;
    // The snapshot worker reads /proc while the kernel verifies the probe (see tables.ts), and the modules
    // learn about the box as it is (the containers already running) meanwhile.
    const modules = opts.modules ?? [];
    const beforeAttach = this.startTables.readBeforeAttach().then(async (meta) => {
      if (meta) for (const m of modules) m.onMetadata?.(meta);
      await Promise.all(modules.map((m) => m.ready?.()));
    });
    try {
      // Loaded on a worker thread (the kernel verifies the programs: most of the start-up), attached here.
      const loading = loadProbe(
        opts.onlyCommand ? { ...opts.probe, childrenOf: process.pid, followForks: true } : opts.probe,
      );
      const [loaded] = await Promise.all([loading, beforeAttach]);
      this.probe = loaded.attach();
    } catch (e) {
      // The workers are unref'd, yet a recorder whose probe failed to load hung there until killed.
      await this.snapshots.close();
      await this.trace?.close();
      throw e;
    }
    const probe = this.probe;
    opts.signal?.addEventListener('abort', () => void this.stop(String(opts.signal?.reason ?? 'stopped')), {
      once: true,
    });
    // A signal during the probe's load (before the listener above) must still stop the recording.
    if (opts.signal?.aborted) void this.stop(String(opts.signal.reason ?? 'stopped'));

    let timer: NodeJS.Timeout | undefined;
    let deadline: NodeJS.Timeout | undefined;
    try {
      // -M counts from the moment the probe is attached, on its own timer: checked on the 1 s tick, -M 3.5
      // recorded 4.3 s.
      if (opts.maxSeconds) {
        deadline = setTimeout(
          () => void this.stop(`${opts.maxSeconds} s elapsed (-M)`),
          opts.maxSeconds * 1000,
        );
      }
      // Events are recorded from here on (they wait in the rings and the probe's queue while the tables
      // are read).
      if (opts.announce) this.announce();
      await this.start(await this.startTables.take(opts.onlyCommand ? process.pid : undefined));
      timer = setInterval(() => {
        this.serial(() => this.tick()).catch((e) => this.failWrite(e));
      }, TICK_MS);
      // CMD once batches are consumed: started before, a syscall storm filled the probe's queue while the
      // tables were read (670,000 events dropped as not consumed under a 1-byte dd).
      if (opts.command?.length && !this.stopping) this.startCommand(opts.command);
      for await (const batch of probe) await this.serial(() => this.onBatch(batch));
    } finally {
      if (timer) clearInterval(timer);
      if (deadline) clearTimeout(deadline);
      // Stopped by -M, -n, a signal or an error while `-- CMD` still runs: end it and the jobs it started
      // as `timeout -k` would (SIGTERM, SIGKILL after a grace period), while the rings drain. It was left
      // running, orphaned, still writing to the terminal (and holding the caller's pipes open); a SIGTERM
      // to CMD alone left `sh -c 'sleep 100 & wait'`'s sleep running.
      const commandEnded = this.command?.end();
      await this.stop(this.stopReason || 'stopped');
      await this.chain;
      // What the modules still have to say after the last batch (lookups that ended late).
      for (const m of opts.modules ?? []) {
        if (this.writeError !== undefined) break;
        const tail = await m.end?.(this.lastTs).catch(() => undefined);
        if (tail && tail.count > 0) await this.serial(() => this.onAdded(tail));
      }
      await Promise.all((opts.modules ?? []).map((m) => m.close?.()));
      await this.snapshots.close();
      await this.trace?.close();
      this.status.clear();
      try {
        await this.files?.close((n, e) => this.stats(n, e));
      } catch (e) {
        this.failWrite(e);
      }
      await commandEnded;
    }
    return this.summary(Date.now() - t0);
  }

  /** The tables from /proc: where the first file and the trace state start (or the live consumer). */
  private async start(procTables: CaptureMetadata): Promise<void> {
    for (const m of this.opts.modules ?? []) m.onMetadata?.(procTables);
    if (!this.files) {
      this.opts.live?.metadata(procTables);
      this.opts.observer?.metadata(procTables);
      return;
    }
    // With a capture filter, the file starts with what the filter keeps of them (no process yet).
    const meta = this.opts.capture ? this.opts.capture.tables(procTables) : procTables;
    await this.openFile(meta);
  }

  private announce(): void {
    const rotating = this.opts.sizeMb || this.opts.periodSeconds || this.opts.eventsPerFile;
    const where = this.opts.path ? `to ${this.opts.path}${rotating ? ' (rotating)' : ''}` : 'live';
    const until = this.opts.command?.length
      ? `until ${this.opts.command[0]} exits${this.opts.maxSeconds ? ` or ${this.opts.maxSeconds} s have passed` : ''}`
      : this.opts.maxSeconds
        ? `for ${this.opts.maxSeconds} s (Ctrl-C stops sooner)`
        : 'Ctrl-C stops';
    this.status.started(where, until);
  }

  private startCommand(argv: string[]): void {
    const cmd = new TracedCommand(argv);
    this.command = cmd;
    cmd.exited.then(
      (exit) => {
        // Only an exit of its own is CMD's status: one the recorder caused by stopping first is not.
        if (!this.stopping) this.commandExit = exit;
        // The command's last events are in the rings already: close() drains them.
        void this.stop(`${exit.name} exited`);
      },
      (e: CommandStartError) => {
        this.commandError = e;
        void this.stop('command failed to start');
      },
    );
  }

  private serial<T>(fn: () => Promise<T>): Promise<T> {
    const p = this.chain.then(fn);
    this.chain = p.catch(() => undefined);
    return p;
  }

  private failWrite(e: unknown): void {
    if (this.writeError === undefined) this.writeError = e;
    void this.stop('write error');
  }

  private async onBatch(probeBatch: EventBatch): Promise<void> {
    try {
      // The modules' events first (container records learned since the last batch), then the batch with
      // the procinfo events it crosses.
      for (const m of this.opts.modules ?? []) {
        const extra = m.beforeBatch?.(probeBatch);
        if (extra && extra.count > 0) await this.onAdded(extra);
      }
      for (const part of this.procinfo.split(probeBatch)) {
        if (part.data !== probeBatch.data) this.added += part.count;
        await this.onEvents(part);
      }
    } catch (e) {
      this.failWrite(e);
    }
  }

  /** Events the recorder adds itself (a module's), recorded like the probe's. */
  private async onAdded(batch: EventBatch): Promise<void> {
    this.added += batch.count;
    await this.onEvents(batch);
  }

  private async onEvents(batch: EventBatch): Promise<void> {
    if (this.writeError !== undefined) {
      // Drain the rings after a write error, keep nothing, count it.
      this.drainedAfterFailure += batch.count;
      return;
    }
    const records: FilteredRecord[] = this.opts.capture
      ? this.opts.capture.select(batch)
      : [{ kind: 'events', batch }];
    let kept = 0;
    for (const rec of records) {
      if (rec.kind === 'metadata') {
        // A capture filter's state record: the tables from here on, for the files and their reader.
        await this.files?.writeMetadata(rec.metadata);
        this.trace?.reset(rec.metadata);
        this.opts.observer?.metadata(rec.metadata);
        continue;
      }
      kept += rec.batch.count;
      const b = this.limit(rec.batch);
      if (b.count === 0) continue;
      this.opts.observer?.events(b);
      this.lastTs = batchEventTs(b, b.count - 1);
      // Counted before the write, so -n sees it at once; a failed write's events are subtracted at the end.
      this.written += b.count;
      const span = batchSpan(b);
      this.rawBytes += span.end - span.start;
      await this.deliver(b);
    }
    this.filtered += batch.count - kept;
  }

  /** -n: the part of a batch still under the limit (the rest is counted), stopping once it is reached. */
  private limit(b: EventBatch): EventBatch {
    const max = this.opts.maxEvents;
    if (max === undefined) return b;
    if (this.written >= max) {
      this.afterLimit += b.count;
      return slice(b, 0, 0);
    }
    if (this.written + b.count < max) return b;
    const keep = max - this.written;
    this.afterLimit += b.count - keep;
    // What the files hold is what the summary says, even when something else (CMD's exit) asked for
    // the stop first and these events were still draining.
    const reason = `${max} events written (-n)`;
    if (this.stopping && this.writeError === undefined) this.stopReason = reason;
    void this.stop(reason);
    return slice(b, 0, keep);
  }

  private async deliver(b: EventBatch): Promise<void> {
    const files = this.files;
    if (!files) {
      await this.opts.live?.events(b);
      return;
    }
    // -e: a batch that crosses the boundary is split, so every file holds exactly N events.
    for (let from = 0; from < b.count; ) {
      const n = Math.min(b.count - from, files.room());
      const part = from === 0 && n === b.count ? b : slice(b, from, n);
      this.trace?.process(part);
      await files.write(part);
      from += n;
      // -C and -e: checked after each write; the batch that filled a file is counted in its footer.
      if (files.due(Date.now(), false)) await this.rotate();
    }
  }

  /** A new file: its tables, and a checkpoint of them (a replay of a range in it starts there at worst). */
  private async openFile(meta: CaptureMetadata): Promise<void> {
    // Drops counted from here on are this file's (see stats()); the first file's are all of them.
    if (this.files!.files.length > 0) {
      const s = this.probe!.stats();
      this.fileBase = { drops: this.drops(s), byCpu: s.perCpu.map((c) => c.dropsBuffer + c.dropsOther) };
    }
    await this.files!.open(meta);
    this.opts.observer?.metadata(meta);
    if (!this.trace) return;
    this.trace.reset(meta);
    await this.checkpoint(Date.now());
  }

  private async checkpoint(nowMs: number): Promise<void> {
    this.lastCheckpointMs = nowMs;
    this.rawAtCheckpoint = this.rawBytes;
    const tables = await this.traceTables();
    if (tables) await this.files!.checkpoint(tables);
  }

  /**
   * The tables a reader of the files has now; undefined once the state engine has failed (said once):
   * the recording goes on, without checkpoints, its rotated files starting from /proc.
   */
  private async traceTables(): Promise<CaptureMetadata | undefined> {
    if (!this.trace || this.stateFailed) return undefined;
    try {
      return await this.trace.snapshot();
    } catch (e) {
      if (!(e instanceof TraceStateError)) throw e;
      this.stateFailed = true;
      process.stderr.write(`scapkit: ${e.message}; recording on without checkpoints\n`);
      return undefined;
    }
  }

  /** The next file starts with the tables a reader of the files has at this point (modules complete them). */
  private async rotate(): Promise<void> {
    await this.files!.close((n, e) => this.stats(n, e));
    const meta = (await this.traceTables()) ?? (await this.startTables.take());
    for (const m of this.opts.modules ?? []) m.onMetadata?.(meta);
    await this.openFile(meta);
  }

  private async tick(): Promise<void> {
    const now = Date.now();
    if (now - this.procinfoAtMs >= 1000 && !this.procinfoReading) {
      this.procinfoAtMs = now;
      this.procinfoReading = true;
      this.snapshots.cpuTimes().then(
        (r) => {
          this.procinfoReading = false;
          this.procinfo.update(r);
        },
        () => {
          this.procinfoReading = false; // /proc unreadable this time: the next second tries again
        },
      );
    }
    const files = this.files;
    if (files && this.writeError === undefined) {
      // Once stopping, the events still draining belong in this file: a new one would hold only them.
      if (!this.stopReason && files.due(now, true)) await this.rotate();
      else if (this.trace && this.checkpointMs > 0 && this.checkpointIsDue(now)) await this.checkpoint(now);
      else await files.flushIfOlderThan(FLUSH_AGE_MS, now);
    }
    if (this.opts.status) {
      const s = this.probe!.stats();
      this.status.update(now, {
        seen: s.seen,
        written: this.written,
        dropped: s.dropsBuffer + s.dropsOther + s.droppedUnconsumed,
        bytes: files?.bytesWritten ?? 0,
        file: files?.currentPath,
      });
    }
  }

  /**
   * Every --checkpoint-seconds of the recorder's clock, or every CHECKPOINT_EVENT_BYTES of events, by the
   * rule export follows too (checkpointDue). Looked at on each tick.
   */
  private checkpointIsDue(now: number): boolean {
    return checkpointDue(
      (now - this.lastCheckpointMs) * 1e6,
      this.rawBytes - this.rawAtCheckpoint,
      this.checkpointMs * 1e6,
    );
  }

  /** The drops by cause, with what a write error kept out of the files. */
  private drops(s: ProbeStats): Record<string, number> {
    const d = dropsOf(s);
    const lost = this.lostToWriteError();
    if (lost) d.write_error = lost;
    return d;
  }

  /** Events delivered by the kernel that never reached a file because of a write error. */
  private lostToWriteError(): number {
    if (this.writeError === undefined || !this.files) return 0;
    return this.written - this.files.eventsOnDisk + this.drainedAfterFailure;
  }

  /**
   * The footer's statistics for the file being closed: its own events, and what was lost while it was
   * the file being written (`drops`; a later file of a rotation does not inherit an earlier file's drops),
   * with the recording's totals so far beside them.
   */
  private stats(eventsInFile: number, error?: unknown): CaptureStats {
    // A write that failed while closing: what it lost is counted in this file's statistics already.
    if (error !== undefined && this.writeError === undefined) this.writeError = error;
    const s = this.probe!.stats();
    const total = this.drops(s);
    const base = this.fileBase;
    const drops: Record<string, number> = {};
    for (const [cause, n] of Object.entries(total)) drops[cause] = n - (base.drops[cause] ?? 0);
    return {
      eventsSeen: s.seen,
      eventsWritten: eventsInFile,
      eventsWrittenTotal: this.written,
      eventsAdded: this.added,
      eventsFiltered: this.filtered,
      eventsAfterLimit: this.afterLimit,
      drops,
      dropsByCpu: s.perCpu.map((c, cpu) => c.dropsBuffer + c.dropsOther - (base.byCpu[cpu] ?? 0)),
      dropsTotal: total,
    };
  }

  private summary(durationMs: number): RecordSummary {
    const s = this.probe!.stats();
    return {
      files: this.files?.files ?? [],
      eventsSeen: s.seen,
      // After a write error, what the files really hold.
      eventsWritten: this.files ? this.files.eventsOnDisk : this.written,
      drops: this.drops(s),
      eventsAdded: this.added,
      eventsFiltered: this.filtered,
      eventsAfterLimit: this.afterLimit,
      bytesWritten: this.files?.bytesWritten ?? 0,
      rawBytes: this.rawBytes,
      durationMs,
      stopReason: this.stopReason,
      commandExit: this.commandExit,
      error: this.writeError ?? this.commandError,
      closedAfterError: this.files?.closedAfterError ?? [],
    };
  }
}

/** Records until a stop condition (see RecordOptions) and returns what was recorded and lost. */
export function record(opts: RecordOptions): Promise<RecordSummary> {
  return new RecordingSession(opts).run();
}
