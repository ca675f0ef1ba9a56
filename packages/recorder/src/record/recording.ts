// A recording session: the probe's EventBatches into rotating scapkit files (or into a live consumer),
// with the per-second flush that bounds what a crash can lose, exact drop accounting, and a clean stop on
// a signal, a time or event limit, or the end of the command being traced.
import { type ChildProcess, spawn } from 'node:child_process';
import { unlink } from 'node:fs/promises';
import { hostname } from 'node:os';
import { openProbe, type Probe, type ProbeOptions, type ProbeStats } from '@scapkit/bpf-probe';
import type { CaptureMetadata, CaptureStats, ChunkCodec, EventBatch } from '@scapkit/scap-format';
import {
  batchEventTs,
  currentEventIds,
  EventView,
  type FdInfo,
  FRAME_SIZE,
  ScapkitWriter,
  type ThreadInfo,
} from '@scapkit/scap-format';
import { createFileSink, defaultChunkCodec, type FileSink } from '@scapkit/scap-format/node';
import { RECORDER_VERSION } from '../version.js';
import { endCommandTree } from './command.js';
import { fileName, namingFor } from './file-names.js';
import { SnapshotTaker } from './snapshots.js';

/**
 * A part of the recording with a say in what is written (container lookups): it sees every table snapshot
 * before it is written and every batch before it is written, and may add events of its own before a batch.
 */
export interface RecordModule {
  /** Completes a table snapshot (each file's start; the one taken before the probe attaches too). */
  onMetadata?(meta: CaptureMetadata): void;
  /** Awaited once, before the probe attaches (bounded by the module itself). */
  ready?(): Promise<void>;
  /** Events to write just before `batch` (what the module learned since the last one); sees `batch`. */
  beforeBatch?(batch: EventBatch): EventBatch | undefined;
  /** When the probe has stopped: the events still to write after the last batch (`lastTs` their time). */
  end?(lastTs: bigint): Promise<EventBatch | undefined>;
  close?(): Promise<void>;
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
  /** -W: keep only the newest N files. */
  keepFiles?: number;
  /** The capture filter as typed, stored in the header. */
  filterText?: string;
  /** Capture filter: returns the events to keep (state-changing events included) for a batch. */
  select?: (batch: EventBatch) => EventBatch;
  /** --codec: the trace's chunk codec (default: native zstd when installed, else LZ4). */
  codec?: ChunkCodec;
  /** Modules that see what is written and add events of their own (ContainerEnricher). */
  modules?: RecordModule[];
  /** Told about each table snapshot (initial and per rotated file), e.g. to seed a state engine. */
  onMetadata?: (meta: CaptureMetadata) => void;
  /** Without a path: where batches go (printing). */
  live?: (batch: EventBatch) => Promise<void> | void;
  /** Sees every batch kept (after the capture filter and -n), with or without a path: live rules. */
  observe?: (batch: EventBatch) => void;
  /** `-- CMD ARGS`: run this and stop when it exits. */
  command?: string[];
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
  /** Dropped by cause: ring buffer full, other kernel-side causes, not consumed in time. */
  drops: Record<string, number>;
  /** Not written on purpose: did not match the capture filter, or came after the -n limit. */
  eventsFiltered: number;
  eventsAfterLimit: number;
  bytesWritten: number;
  /** Raw (uncompressed) event bytes written, for the compression ratio. */
  rawBytes: number;
  durationMs: number;
  stopReason: string;
  commandExitCode?: number | null;
  /** Set when the recording stopped on an error (a full disk, …): the files hold what was written before. */
  error?: unknown;
}

interface OpenFile {
  path: string;
  sink: FileSink;
  writer: ScapkitWriter;
  startedMs: number;
  /** -G: when this file is due to be replaced. */
  rotateAtMs: number;
}

/** How often the timer looks at the pending chunk's age, the -G deadline and the status line. A 1 s tick
 *  made -G 1 rotate every 2 s (the file opens a little after a tick, so the next tick finds it 0.99 s old)
 *  and a chunk up to 1.9 s old; at 100 ms the flush bound is FLUSH_AGE_MS + 100 ms. */
const TICK_MS = 100;
/** A pending chunk older than this is written, so a crash loses at most about a second. */
const FLUSH_AGE_MS = 900;

/**
 * Raw bytes of a batch's events with their frames. Probe batches, capture-filter output and -n prefixes
 * hold their events back to back, so this is the end of the last event minus the start of the first;
 * `data.byteLength` counted the whole buffer even for a -n prefix of it.
 */
export function batchEventBytes(b: EventBatch): number {
  if (b.count === 0) return 0;
  const last = b.offsets[b.count - 1]!;
  const len = new DataView(b.data.buffer, b.data.byteOffset, b.data.byteLength).getUint32(last + 16, true);
  return last + len - (b.offsets[0]! - FRAME_SIZE);
}

/** `-- CMD` could not be started (not found, not executable). */
export class CommandStartError extends Error {
  override readonly name = 'CommandStartError';
}

export function dropsOf(s: ProbeStats): Record<string, number> {
  return { ringbuf_full: s.dropsBuffer, kernel_other: s.dropsOther, not_consumed: s.droppedUnconsumed };
}

export async function record(opts: RecordOptions): Promise<RecordSummary> {
  const t0 = Date.now();
  // Read /proc once before attaching too: a process that was already running at attach time but exits
  // before the snapshot below is in neither that snapshot nor (no clone event) the events, and all its
  // events were named <NA> (on a box that runs shells all the time, tens of events per recording). The
  // snapshot below carries such threads over from this one, as it does across rotated files.
  // Snapshots once events flow are taken on a worker thread: see snapshot-worker.ts.
  const snapshots = new SnapshotTaker();
  const beforeAttach = await snapshots.take().catch(() => undefined);
  // What the modules learn from the box as it is before the probe attaches (the containers already
  // running) goes into the first file's tables. Their wait comes before the probe, so it delays the
  // start, not the -M clock or the -G schedule.
  const modules = opts.modules ?? [];
  if (beforeAttach) for (const m of modules) m.onMetadata?.(beforeAttach);
  await Promise.all(modules.map((m) => m.ready?.()));
  // Attach first, then read /proc: a process born in between is then both in the snapshot and in the
  // events, never in neither.
  let probe: Probe;
  try {
    probe = openProbe(opts.probe);
  } catch (e) {
    // The worker is unref'd, yet a recorder whose probe failed to load hung there until killed.
    await snapshots.close();
    throw e;
  }
  let stopReason = '';
  let stopping: Promise<void> | undefined;
  const stop = (reason: string): Promise<void> => {
    if (!stopping) {
      stopReason = reason;
      stopping = probe.close();
    }
    return stopping;
  };
  opts.signal?.addEventListener('abort', () => void stop(String(opts.signal?.reason ?? 'stopped')), {
    once: true,
  });
  // A signal during the first snapshot (before the listener above) must still stop the recording.
  if (opts.signal?.aborted) void stop(String(opts.signal.reason ?? 'stopped'));

  const naming = opts.path ? namingFor(opts.path, opts.sizeMb, opts.periodSeconds) : undefined;
  const files: string[] = [];
  let current: OpenFile | undefined;
  let seq = 0;
  let written = 0;
  let filtered = 0;
  let afterLimit = 0;
  let rawBytes = 0;
  let bytesClosed = 0;
  let eventsInFiles = 0;
  let fileWrittenAtOpen = 0;
  let lastRotateAtMs: number | undefined;
  let failure: unknown;

  // Threads that /proc no longer shows but whose events may still be in the backlog: a rotated file's
  // events lag /proc by the recorder's backlog, and under a storm the process that made them may be gone
  // by the time the new file's snapshot is read (seen with -C 1 and a 0.5 s dd: 43,000 reads named <NA>).
  // Such a thread is carried into each new file's table until its procexit has been written, or until it
  // has been gone from /proc for CARRY_GONE_MS: far longer than the backlog can lag, and a thread whose
  // procexit was dropped (a full ring) or never written (a pid reused) is not carried for the rest of a
  // long recording. (sysdig writes its event-maintained thread table instead; this recorder keeps none
  // without a capture filter.)
  let lastTs = 0n;
  const carried = new Map<number, { thread: ThreadInfo; fds: FdInfo[] | undefined; goneAtMs?: number }>();
  const MAX_CARRIED = 65536;
  const CARRY_GONE_MS = 60_000;
  for (const t of beforeAttach?.threads ?? [])
    carried.set(t.tid, { thread: t, fds: beforeAttach?.fds.get(t.tid) });
  const snapshot = async (): Promise<CaptureMetadata> => {
    // The recorder stays in the thread table (only its events are left out, by the probe): it is the
    // parent of `-- CMD`, whose proc.pname was <NA> without it (sysdig, which keeps itself, said `node`).
    const meta = await snapshots.take();
    // Its fds, though, are the probe's maps and rings and the trace file: no recorded event uses them, and
    // sysdig 0.29.3 refuses a whole export over one fd type it does not know (memfd, 17).
    for (const t of meta.threads) if (t.pid === process.pid) meta.fds.delete(t.tid);
    const alive = new Set<number>();
    for (const t of meta.threads) alive.add(t.tid);
    const now = Date.now();
    for (const [tid, c] of carried) {
      if (alive.has(tid)) continue;
      c.goneAtMs ??= now;
      if (now - c.goneAtMs > CARRY_GONE_MS) {
        carried.delete(tid);
        continue;
      }
      meta.threads.push(c.thread);
      if (c.fds) meta.fds.set(tid, c.fds);
    }
    // Remember this snapshot's live threads (the ones carried stay as they are), bounded.
    for (const t of meta.threads) {
      if (!alive.has(t.tid)) continue;
      if (carried.size >= MAX_CARRIED && !carried.has(t.tid)) break;
      carried.set(t.tid, { thread: t, fds: meta.fds.get(t.tid) });
    }
    for (const m of modules) m.onMetadata?.(meta);
    opts.onMetadata?.(meta);
    return meta;
  };
  // procexit events written: their threads need not be carried any more.
  const procexitId = currentEventIds('procexit')?.[0] ?? -1;
  const exitView = new EventView();
  const forgetExited = (b: EventBatch): void => {
    for (let i = 0; i < b.count; i++) {
      if (exitView.at(b, i).type === procexitId) carried.delete(exitView.tid);
    }
  };

  const statsNow = (fileEvents: number): CaptureStats => {
    const s = probe.stats();
    return {
      eventsSeen: s.seen,
      eventsWritten: fileEvents,
      eventsWrittenTotal: written,
      eventsFiltered: filtered,
      eventsAfterLimit: afterLimit,
      drops: dropsOf(s),
      dropsByCpu: s.perCpu.map((c) => c.dropsBuffer + c.dropsOther),
    };
  };

  const openFile = async (meta: CaptureMetadata): Promise<void> => {
    const start = new Date();
    // -G deadlines follow one schedule from the first file, so the time a snapshot takes does not add up.
    const period = (opts.periodSeconds ?? 0) * 1000;
    let rotateAtMs = period ? (lastRotateAtMs ?? start.getTime()) + period : Number.POSITIVE_INFINITY;
    if (rotateAtMs <= start.getTime()) rotateAtMs = start.getTime() + period; // more than a period late
    const path = fileName(naming!, seq++, start);
    const sink = await createFileSink(path);
    const writer = new ScapkitWriter(
      sink,
      {
        machine: meta.machine,
        recorderVersion: RECORDER_VERSION,
        snaplen: opts.probe.snaplen ?? 80,
        filter: opts.filterText ?? '',
        startTs: BigInt(start.getTime()) * 1_000_000n,
        hostname: meta.machine?.hostname ?? hostname(),
      },
      { codec: opts.codec ?? defaultChunkCodec() },
    );
    await writer.writeMetadata(meta);
    current = { path, sink, writer, startedMs: start.getTime(), rotateAtMs };
    lastRotateAtMs = rotateAtMs;
    fileWrittenAtOpen = written;
    files.push(path);
    if (opts.keepFiles && files.length > opts.keepFiles) {
      const old = files.splice(0, files.length - opts.keepFiles);
      await Promise.all(old.map((f) => unlink(f).catch(() => undefined)));
    }
  };

  const closeFile = async (): Promise<void> => {
    if (!current) return;
    const c = current;
    current = undefined;
    try {
      await c.writer.close(statsNow(written - fileWrittenAtOpen));
    } finally {
      // After a write error the file keeps only its complete chunks: count what is really there.
      bytesClosed += c.writer.bytesWritten;
      eventsInFiles += c.writer.eventsWritten;
    }
  };

  // Batch writes, the timer's flush and rotation run one after another.
  let chain: Promise<unknown> = Promise.resolve();
  const serial = <T>(fn: () => Promise<T>): Promise<T> => {
    const p = chain.then(fn);
    chain = p.catch(() => undefined);
    return p;
  };

  let statusLen = 0;
  let lastSeen = 0;
  let lastTick = Date.now();
  const tick = () =>
    serial(async () => {
      const now = Date.now();
      if (current) {
        // Once stopping, the events still draining belong in this file: a new one would hold only them.
        if (!stopReason && now >= current.rotateAtMs) {
          await closeFile();
          await openFile(await snapshot());
        } else {
          await current.writer.flushIfOlderThan(FLUSH_AGE_MS, now);
        }
      }
      if (opts.status && now - lastTick >= 1000) {
        const s = probe.stats();
        const rate = ((s.seen - lastSeen) * 1000) / Math.max(1, now - lastTick);
        lastSeen = s.seen;
        lastTick = now;
        const drops = s.dropsBuffer + s.dropsOther + s.droppedUnconsumed;
        const bytes = bytesClosed + (current?.writer.bytesWritten ?? 0);
        const line =
          `scapkit: ${Math.round(rate).toLocaleString('en-US')} ev/s  ${written.toLocaleString('en-US')} written  ` +
          `${drops ? `${drops} DROPPED` : '0 dropped'}  ${(bytes / 1e6).toFixed(1)} MB  ${current?.path ?? ''}`;
        process.stderr.write(`\r${line.padEnd(statusLen)}`);
        statusLen = line.length;
      }
    });

  /** Events of a module: into the current file (or the live consumer), counted as written. */
  const writeOut = async (extra: EventBatch): Promise<void> => {
    if (extra.count === 0) return;
    if (current) await current.writer.writeBatch(extra);
    else if (opts.live) await opts.live(extra);
    else return;
    written += extra.count;
    rawBytes += batchEventBytes(extra);
  };

  let commandExitCode: number | null | undefined;
  let child: ChildProcess | undefined;
  let timer: NodeJS.Timeout | undefined;
  let deadline: NodeJS.Timeout | undefined;
  try {
    // -M counts from the moment the probe is attached, on its own timer: checked on the 1 s tick, -M 3.5
    // recorded 4.3 s.
    if (opts.maxSeconds) {
      deadline = setTimeout(() => void stop(`${opts.maxSeconds} s elapsed (-M)`), opts.maxSeconds * 1000);
    }
    if (naming) await openFile(await snapshot());
    else await snapshot();
    timer = setInterval(() => {
      tick().catch((e) => {
        failure ??= e;
        void stop('write error');
      });
    }, TICK_MS);
    if (opts.command?.length) {
      const [cmd, ...args] = opts.command;
      // In the recorder's process group, in the terminal's foreground: see command.ts for how it ends.
      child = spawn(cmd!, args, { stdio: 'inherit' });
      child.on('error', (e) => {
        failure ??= new CommandStartError(`cannot run ${cmd}: ${e.message}`);
        void stop('command failed to start');
      });
      child.on('exit', (code, sig) => {
        commandExitCode = code ?? (sig ? 128 : null);
        // The command's last events are in the rings already: close() drains them.
        void stop(`${cmd} exited`);
      });
    }
    for await (const batch of probe) {
      if (failure) continue; // drain the rings after a write error, keep nothing
      // Modules see every batch the probe hands over; their events go through the capture filter too
      // (it keeps state events, and its own state engine learns from them).
      const extras: EventBatch[] = [];
      for (const m of modules) {
        const extra = m.beforeBatch?.(batch);
        if (extra && extra.count > 0) extras.push(opts.select ? opts.select(extra) : extra);
      }
      if (extras.length > 0)
        await serial(async () => {
          for (const extra of extras) await writeOut(extra);
        }).catch((e) => {
          failure ??= e;
          void stop('write error');
        });
      let b = opts.select ? opts.select(batch) : batch;
      filtered += batch.count - b.count;
      if (opts.maxEvents !== undefined && written + b.count >= opts.maxEvents) {
        const keep = Math.max(0, opts.maxEvents - written);
        afterLimit += b.count - keep;
        b = { data: b.data, offsets: b.offsets, count: keep };
        void stop(`${opts.maxEvents} events written (-n)`);
      } else if (stopReason && opts.maxEvents !== undefined && written >= opts.maxEvents) {
        afterLimit += b.count;
        continue;
      }
      if (b.count === 0) continue;
      const out = b;
      opts.observe?.(out);
      await serial(async () => {
        lastTs = batchEventTs(out, out.count - 1);
        if (current) {
          await current.writer.writeBatch(out);
          forgetExited(out);
          // Counted before a rotation closes the file: counted after, the batch that filled a file was
          // missing from its footer's eventsWritten and added to the next file's.
          written += out.count;
          rawBytes += batchEventBytes(out);
          if (opts.sizeMb && current.writer.bytesWritten >= opts.sizeMb * 1e6) {
            await closeFile();
            await openFile(await snapshot());
          }
        } else if (opts.live) {
          await opts.live(out);
          written += out.count;
          rawBytes += batchEventBytes(out);
        }
      }).catch((e) => {
        failure ??= e;
        void stop('write error');
      });
    }
  } finally {
    if (timer) clearInterval(timer);
    if (deadline) clearTimeout(deadline);
    // Stopped by -M, -n, a signal or an error while `-- CMD` still runs: end it and the jobs it started
    // as `timeout -k` would (SIGTERM, SIGKILL after a grace period), while the rings drain. It was left
    // running, orphaned, still writing to the terminal (and holding the caller's pipes open); a SIGTERM
    // to CMD alone left `sh -c 'sleep 100 & wait'`'s sleep running.
    const commandEnded =
      child?.pid !== undefined && child.exitCode === null && child.signalCode === null
        ? endCommandTree(child.pid)
        : undefined;
    await stop(stopReason || 'stopped');
    await chain;
    for (const m of modules) {
      if (failure !== undefined) break;
      const tail = await m.end?.(lastTs).catch(() => undefined);
      if (tail && tail.count > 0) await serial(() => writeOut(tail)).catch((e) => (failure ??= e));
    }
    await Promise.all(modules.map((m) => m.close?.()));
    await snapshots.close();
    if (opts.status && statusLen) process.stderr.write(`\r${' '.repeat(statusLen)}\r`);
    if (current) {
      try {
        await closeFile();
      } catch (e) {
        failure ??= e;
      }
    }
    await commandEnded;
  }
  const s = probe.stats();
  return {
    files,
    eventsSeen: s.seen,
    // After a write error, `written` also counts events the writer accepted but never got to disk.
    eventsWritten: failure !== undefined && naming ? eventsInFiles : written,
    drops: dropsOf(s),
    eventsFiltered: filtered,
    eventsAfterLimit: afterLimit,
    bytesWritten: bytesClosed,
    rawBytes,
    durationMs: Date.now() - t0,
    stopReason,
    commandExitCode,
    error: failure,
  };
}
