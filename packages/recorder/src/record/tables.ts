// The tables (threads, fds, users, groups, interfaces, containers) each trace file starts with, read from
// /proc on a worker thread (snapshots.ts), completed with the threads /proc no longer shows
// (carried-threads.ts).
import type { CaptureMetadata, EventBatch } from '@scapkit/scap-format';
import { CarriedThreads } from './carried-threads.js';
import type { SnapshotTaker } from './snapshots.js';

export class ProcTables {
  private readonly carried = new CarriedThreads();

  constructor(private readonly snapshots: SnapshotTaker) {}

  /**
   * Reads /proc before the probe is attached: a process that was already running at attach time but exits
   * before the snapshot after it is in neither that snapshot nor (no clone event) the events, and all its
   * events were named <NA> (on a box that runs shells all the time, tens of events per recording). Its
   * threads are carried into the snapshots after it.
   */
  async takeBeforeAttach(): Promise<void> {
    const meta = await this.snapshots.take().catch(() => undefined);
    if (meta) this.carried.remember(meta);
  }

  /** A snapshot of /proc now (taken after the attach: a process born in between is then both in the
   *  snapshot and in the events, never in neither), with the carried threads. */
  async take(): Promise<CaptureMetadata> {
    const meta = await this.snapshots.take();
    // The recorder stays in the thread table (only its events are left out, by the probe): it is the
    // parent of `-- CMD`, whose proc.pname was <NA> without it (sysdig, which keeps itself, said `node`).
    // Its fds, though, are the probe's maps and rings and the trace file: no recorded event uses them, and
    // sysdig 0.29.3 refuses a whole export over one fd type it does not know (memfd, 17).
    for (const t of meta.threads) if (t.pid === process.pid) meta.fds.delete(t.tid);
    return this.carried.complete(meta);
  }

  /** Told about every batch recorded: a thread whose procexit was recorded is no longer carried. */
  recorded(batch: EventBatch): void {
    this.carried.forgetExited(batch);
  }
}
