// Tables from /proc for a recording, with the threads /proc no longer shows carried over.
//
// A snapshot lags the events by the recorder's backlog: under a storm, the process that made the events
// still queued may be gone by the time /proc is read (seen with -C 1 and a 0.5 s dd: 43,000 reads named
// <NA> in the next file), and a process that ran at attach time but exited before the first snapshot after
// it is in neither that snapshot nor (no clone event) the events. Such a thread is carried into each new
// snapshot until its procexit has been recorded, or until it has been gone from /proc for CARRY_GONE_MS:
// far longer than the backlog can lag, and a thread whose procexit was dropped (a full ring) or never
// written (a pid reused) is not carried for the rest of a long recording.
import {
  type CaptureMetadata,
  currentEventIds,
  type EventBatch,
  EventView,
  type FdInfo,
  type ThreadInfo,
} from '@scapkit/scap-format';

const MAX_CARRIED = 65536;
const CARRY_GONE_MS = 60_000;

export class CarriedThreads {
  private readonly carried = new Map<
    number,
    { thread: ThreadInfo; fds: FdInfo[] | undefined; goneAtMs?: number }
  >();
  private readonly procexitId = currentEventIds('procexit')?.[0] ?? -1;
  private readonly view = new EventView();

  /** Remembers the live threads of `meta` (the ones already carried stay as they are), bounded. */
  remember(meta: CaptureMetadata, alive?: ReadonlySet<number>): void {
    for (const t of meta.threads) {
      if (alive && !alive.has(t.tid)) continue;
      if (this.carried.size >= MAX_CARRIED && !this.carried.has(t.tid)) break;
      this.carried.set(t.tid, { thread: t, fds: meta.fds.get(t.tid) });
    }
  }

  /** Adds to a fresh /proc snapshot the threads it lacks that are still carried, then remembers it. */
  complete(meta: CaptureMetadata, nowMs = Date.now()): CaptureMetadata {
    const alive = new Set<number>();
    for (const t of meta.threads) alive.add(t.tid);
    for (const [tid, c] of this.carried) {
      if (alive.has(tid)) continue;
      c.goneAtMs ??= nowMs;
      if (nowMs - c.goneAtMs > CARRY_GONE_MS) {
        this.carried.delete(tid);
        continue;
      }
      meta.threads.push(c.thread);
      if (c.fds) meta.fds.set(tid, c.fds);
    }
    this.remember(meta, alive);
    return meta;
  }

  /** Threads whose procexit was recorded need not be carried any more. */
  forgetExited(b: EventBatch): void {
    const v = this.view;
    for (let i = 0; i < b.count; i++) {
      if (v.at(b, i).type === this.procexitId) this.carried.delete(v.tid);
    }
  }
}
