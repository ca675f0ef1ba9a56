// The tables a recording starts from: /proc read on the snapshot worker (snapshots.ts) right after the
// probe is attached, completed with the processes a read before the attach saw. From there on the tables
// come from the events (trace-state.ts): a rotated file starts with what the state engine has, not with
// another /proc read that lags or leads the events.
import type { CaptureMetadata } from '@scapkit/scap-format';
import type { SnapshotTaker } from './snapshots.js';

export class StartTables {
  private before: CaptureMetadata | undefined;

  constructor(private readonly snapshots: SnapshotTaker) {}

  /**
   * Reads /proc before the probe is attached: a process that was already running at attach time but exits
   * before the read after it is in neither that read nor (no clone event) the events, and all its events
   * were named <NA> (on a box that runs shells all the time, tens of events per recording). Its threads
   * are added to the tables from the read after the attach. Returns the read (undefined when /proc could
   * not be read).
   */
  async readBeforeAttach(): Promise<CaptureMetadata | undefined> {
    this.before = await this.snapshots.take().catch(() => undefined);
    return this.before;
  }

  /**
   * The tables to start with: /proc now (read after the attach: a process born in between is then both in
   * the tables and in the events, never in neither), with the threads only the read before the attach saw.
   * With `treeOf` (--only-command: the recorder), only that process's line of parents, the process and its
   * descendants: what the events of the command it starts can name, not the rest of the box.
   */
  async take(treeOf?: number): Promise<CaptureMetadata> {
    const meta = await this.snapshots.take();
    // The recorder stays in the thread table (only its events are left out, by the probe): it is the
    // parent of `-- CMD`, whose proc.pname was <NA> without it (sysdig, which keeps itself, said `node`).
    // Its fds, though, are the probe's maps and rings and the trace file: no recorded event uses them, and
    // sysdig 0.29.3 refuses a whole export over one fd type it does not know (memfd, 17).
    for (const t of meta.threads) if (t.pid === process.pid) meta.fds.delete(t.tid);
    const alive = new Set(meta.threads.map((t) => t.tid));
    for (const t of this.before?.threads ?? []) {
      if (alive.has(t.tid)) continue;
      meta.threads.push(t);
      const fds = this.before!.fds.get(t.tid);
      if (fds && t.pid !== process.pid) meta.fds.set(t.tid, fds);
    }
    this.before = undefined;
    if (treeOf !== undefined) keepTreeOf(meta, treeOf);
    return meta;
  }
}

/** Leaves in `meta` the threads of `pid`'s line of parents, of `pid` and of its descendants (fds: only the
 *  descendants'). */
function keepTreeOf(meta: CaptureMetadata, pid: number): void {
  // Process → parent process (a ptid may name a thread other than its process's main one).
  const pidOf = new Map<number, number>();
  for (const t of meta.threads) pidOf.set(t.tid, t.pid);
  const parent = new Map<number, number>();
  for (const t of meta.threads) if (t.tid === t.pid) parent.set(t.pid, pidOf.get(t.ptid) ?? t.ptid);
  const ancestors = new Set<number>();
  for (let p = parent.get(pid); p !== undefined && p > 0 && !ancestors.has(p); p = parent.get(p))
    ancestors.add(p);
  const below = (p: number): boolean => {
    for (let q = parent.get(p), hops = 0; q !== undefined && q > 0 && hops < 4096; q = parent.get(q), hops++)
      if (q === pid) return true;
    return false;
  };
  meta.threads = meta.threads.filter((t) => t.pid === pid || ancestors.has(t.pid) || below(t.pid));
  const kept = new Set(meta.threads.filter((t) => t.pid !== pid && !ancestors.has(t.pid)).map((t) => t.tid));
  for (const tid of [...meta.fds.keys()]) if (!kept.has(tid)) meta.fds.delete(tid);
}
