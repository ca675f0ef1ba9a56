// procinfo events: the CPU time of every thread, once a second, as sysdig's procinfo events carry it, so
// that `-c topprocs_cpu` (and thread.cpu) work on scapkit recordings. libsinsp makes them the same way:
// when the events cross a second (event time, not wall time), it asks for the process list and inserts one
// procinfo per thread, stamped a nanosecond before that second, on CPU 0, with user and system time in
// clock ticks (cpu_usr, cpu_sys). Here the list is read from /proc on the snapshot worker each second (wall
// time), and the latest reading is inserted at the next second the events cross; a reading is used once, so
// a backlog replayed faster than real time does not repeat it.
import type { ThreadCpuTimes } from '@scapkit/bpf-probe';
import {
  batchEventOffset,
  currentEventIds,
  EVENT_HEADER_SIZE,
  type EventBatch,
  EventBatchBuilder,
} from '@scapkit/scap-format';

const PROCINFO = currentEventIds('procinfo')![0];
/** Header, two u16 lengths, two u64 parameters. */
const EVENT_LEN = EVENT_HEADER_SIZE + 2 * 2 + 2 * 8;
const SECOND_NS = 1_000_000_000n;

/** Whose threads get a procinfo: those whose events are recorded. */
export interface ProcinfoScope {
  /** Never these processes (the recorder: its events are not recorded). */
  excludePid: number;
  /** Only the descendants of this process (`--only-command`: the command the recorder started). */
  descendantsOf?: number;
}

export class ProcinfoEvents {
  /** The latest /proc reading not yet inserted. */
  private reading: ThreadCpuTimes | undefined;
  /** The next second boundary (ns): the first event past it brings a procinfo batch. */
  private nextSecond = -1n;
  private readonly builder = new EventBatchBuilder(64 << 10);

  constructor(private readonly scope: ProcinfoScope) {}

  /** A fresh reading of every thread's CPU time (each second). */
  update(reading: ThreadCpuTimes): void {
    this.reading = reading;
  }

  /**
   * The batch with procinfo events inserted where its events cross into a new second: the batch itself,
   * or its parts with procinfo batches between them. Probe batches are in time order (merged by timestamp
   * across CPUs), so the first event past the boundary is found by bisection.
   */
  split(batch: EventBatch): EventBatch[] {
    if (batch.count === 0) return [batch];
    const dv = new DataView(batch.data.buffer, batch.data.byteOffset, batch.data.byteLength);
    const ts = (i: number) => dv.getBigUint64(batchEventOffset(batch, i), true);
    if (this.nextSecond < 0n) this.nextSecond = nextSecondAfter(ts(0));
    // The common case costs one timestamp read.
    if (ts(batch.count - 1) <= this.nextSecond) return [batch];
    const parts: EventBatch[] = [];
    let from = 0;
    while (from < batch.count) {
      // First event (from `from` on) past the boundary.
      let lo = from;
      let hi = batch.count;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if (ts(mid) > this.nextSecond) hi = mid;
        else lo = mid + 1;
      }
      if (lo === batch.count) break;
      if (lo > from) parts.push(slice(batch, from, lo - from));
      const procinfo = this.build(this.nextSecond - 1n);
      if (procinfo) parts.push(procinfo);
      this.nextSecond = nextSecondAfter(ts(lo));
      from = lo;
    }
    if (from < batch.count) parts.push(from === 0 ? batch : slice(batch, from, batch.count - from));
    return parts;
  }

  /** The procinfo events of the latest reading at `ts`, if there is a reading not used yet. */
  private build(ts: bigint): EventBatch | undefined {
    const r = this.reading;
    if (!r) return undefined;
    this.reading = undefined;
    const b = this.builder;
    const wanted = this.wantedIn(r);
    // Parallel arrays of r.count entries: the defaults below are never taken.
    for (const [i, pid] of r.pid.subarray(0, r.count).entries()) {
      if (!wanted(pid)) continue;
      const at = b.reserve(EVENT_LEN, 0);
      const dv = b.view;
      dv.setBigUint64(at, ts, true);
      dv.setBigInt64(at + 8, BigInt(r.tid[i] ?? 0), true);
      dv.setUint32(at + 16, EVENT_LEN, true);
      dv.setUint16(at + 20, PROCINFO, true);
      dv.setUint32(at + 22, 2, true);
      dv.setUint16(at + EVENT_HEADER_SIZE, 8, true);
      dv.setUint16(at + EVENT_HEADER_SIZE + 2, 8, true);
      dv.setBigUint64(at + EVENT_HEADER_SIZE + 4, BigInt(r.utime[i] ?? 0), true);
      dv.setBigUint64(at + EVENT_HEADER_SIZE + 12, BigInt(r.stime[i] ?? 0), true);
    }
    return b.count ? b.take() : undefined;
  }

  /** Whether a process of this reading is in scope. */
  private wantedIn(r: ThreadCpuTimes): (pid: number) => boolean {
    const { excludePid, descendantsOf } = this.scope;
    if (descendantsOf === undefined) return (pid) => pid !== excludePid;
    // The process tree of the reading: a process is in when its line of parents reaches descendantsOf.
    const parent = new Map<number, number>();
    for (const [i, pid] of r.pid.subarray(0, r.count).entries())
      if (r.tid[i] === pid) parent.set(pid, r.ppid[i] ?? 0);
    // Memoized per reading; the process itself is not one of its descendants.
    const known = new Map<number, boolean>([[descendantsOf, false]]);
    const isIn = (pid: number): boolean => {
      const path: number[] = [];
      let verdict = false;
      for (let p = pid; path.length < 4096; ) {
        const k = known.get(p);
        if (k !== undefined) {
          verdict = k;
          break;
        }
        path.push(p);
        const pp = parent.get(p);
        if (pp === undefined || pp <= 0) break;
        if (pp === descendantsOf) {
          verdict = true;
          break;
        }
        p = pp;
      }
      for (const q of path) known.set(q, verdict);
      return verdict;
    };
    return isIn;
  }
}

function nextSecondAfter(ts: bigint): bigint {
  return ts - (ts % SECOND_NS) + SECOND_NS;
}

function slice(b: EventBatch, from: number, n: number): EventBatch {
  return { data: b.data, offsets: b.offsets.subarray(from, from + n), count: n };
}
