// Test support: checks StateEngine.snapshot() on a capture. The capture is read once per cut with three
// engines side by side: one left alone (the reference), one that takes a snapshot after the cut event, and
// one restored from that snapshot after a trip through a scapkit metadata record (msgpack, CRC, the
// wire checks). From the cut to the end, every event must print the same state line on all three.
import {
  type CaptureMetadata,
  type EventBatch,
  MemorySink,
  readScapkit,
  ScapkitWriter,
} from '@scapkit/scap-format';
import { openCaptureFile } from '@scapkit/scap-format/node';
import { ReplayContext } from '../../src/fields/context.js';
import { createFieldRegistry } from '../../src/fields/registry.js';
import { type CompiledFormat, compileFormat } from '../../src/output/format.js';
import { StateEngine } from '../../src/state/engine.js';
import { STATE_FORMAT } from './replay-capture.js';

/**
 * The state format of the captures README plus every field that reads state the snapshot must carry:
 * latency and the enter-event fallback (evt.latency, evt.args), the process tree and thread counts,
 * fd tables and sockets, credentials, memory, capabilities, cgroups.
 */
export const SNAPSHOT_FORMAT = `${STATE_FORMAT}|%evt.latency|%evt.wait_latency|%evt.args|%fd.type|%fd.name_changed|%fd.connected|%fd.is_server|%fd.lip|%fd.rip|%fd.lport|%fd.rport|%fd.cproto|%fd.sockfamily|%fd.dev|%fd.ino|%proc.nthreads|%proc.nchilds|%proc.fdopencount|%proc.duration|%proc.aname|%proc.apid|%proc.sid|%proc.vpgid|%proc.pgid|%proc.tty|%proc.vpid|%thread.vtid|%proc.loginshellid|%user.loginuid|%proc.env|%proc.exepath|%proc.fdlimit|%proc.vmsize|%proc.vmrss|%thread.vmsize|%thread.pfmajor|%thread.pfminor|%thread.cap_effective|%thread.cgroups|%proc.is_exe_writable|%group.name|%container.type`;

class Lane {
  readonly engine = new StateEngine();
  readonly ctx = new ReplayContext(this.engine);
  readonly format: CompiledFormat = compileFormat(SNAPSHOT_FORMAT, createFieldRegistry());

  line(batch: EventBatch, i: number, num: number): string {
    const ctx = this.ctx;
    ctx.view.at(batch, i);
    ctx.num = num;
    this.engine.process(ctx.view);
    return this.format.line(ctx) ?? '';
  }
}

const COLUMNS = SNAPSHOT_FORMAT.slice(1).split('|');

/** The columns two lines differ in, as `%field: want → got`. */
function columnDiff(want: string, got: string): string {
  const a = want.split('|');
  const b = got.split('|');
  const out: string[] = [];
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    if (a[i] !== b[i]) out.push(`${COLUMNS[i] ?? i}: ${a[i]} → ${b[i]}`);
  }
  return out.join(', ');
}

/** The snapshot written as a scapkit metadata record and read back, as a checkpoint would be. */
export async function throughFile(md: CaptureMetadata): Promise<CaptureMetadata> {
  const sink = new MemorySink();
  const w = new ScapkitWriter(sink, {});
  await w.writeMetadata(md);
  await w.close();
  async function* bytes() {
    yield sink.bytes();
  }
  for await (const rec of readScapkit(bytes())) if (rec.kind === 'metadata') return rec.metadata;
  throw new Error('no metadata record read back');
}

export interface SnapshotOutcome {
  /** Events in the capture. */
  events: number;
  /** Event lines compared after a cut (summed over the cuts). */
  compared: number;
  /** The first differences: where, then the reference line and the other one. */
  mismatches: string[];
}

/**
 * Reads `path` once. After each event number in `cuts` (1-based), the engine that has run from the start
 * takes a snapshot and a fresh engine is restored from it; from there on every restored engine and the
 * one that took the snapshots must print the reference engine's line for every event.
 */
export async function checkCuts(path: string, cuts: readonly number[]): Promise<SnapshotOutcome> {
  const reference = new Lane();
  const live = new Lane();
  const restored: { cut: number; lane: Lane }[] = [];
  const cutSet = new Set(cuts);
  const out: SnapshotOutcome = { compared: 0, events: 0, mismatches: [] };
  const differ = (num: number, what: string, want: string, got: string) => {
    if (out.mismatches.length < 5) out.mismatches.push(`${what}, event ${num}: ${columnDiff(want, got)}`);
  };
  let num = 0;
  for await (const rec of openCaptureFile(path)) {
    if (rec.kind === 'metadata') {
      reference.engine.reset(rec.metadata);
      live.engine.reset(rec.metadata);
      for (const r of restored) r.lane.engine.reset(rec.metadata);
      continue;
    }
    if (rec.kind !== 'events') continue;
    const batch = rec.batch;
    for (let i = 0; i < batch.count; i++) {
      num++;
      const want = reference.line(batch, i, num);
      const got = live.line(batch, i, num);
      if (got !== want) differ(num, 'the engine that took the snapshots', want, got);
      for (const r of restored) {
        const again = r.lane.line(batch, i, num);
        out.compared++;
        if (again !== want) differ(num, `the engine restored after event ${r.cut}`, want, again);
      }
      if (cutSet.has(num)) {
        const lane = new Lane();
        lane.engine.reset(await throughFile(live.engine.snapshot()));
        restored.push({ cut: num, lane });
      }
    }
  }
  out.events = num;
  return out;
}

/**
 * Cut points worth checking in `path`: spread over the capture, and right after the events that leave
 * something pending (a close or an exit removed at the next event, an enter event an exit pairs with, a
 * clone, an execve).
 */
export async function pickCuts(path: string): Promise<number[]> {
  const wanted = new Map<string, number>();
  let num = 0;
  for await (const rec of openCaptureFile(path)) {
    if (rec.kind !== 'events') continue;
    const v = new ReplayContext(new StateEngine()).view;
    for (let i = 0; i < rec.batch.count; i++) {
      num++;
      v.at(rec.batch, i);
      const name = v.info?.name ?? '';
      const key = `${name}${(v.type & 1) === 0 ? '>' : '<'}`;
      if (['close<', 'procexit>', 'openat>', 'clone<', 'execve<', 'socket<', 'connect<'].includes(key)) {
        if (!wanted.has(key)) wanted.set(key, num);
      }
    }
  }
  // Every restored engine runs to the end: on a long capture, fewer cuts keep the check affordable.
  const long = num > 20_000;
  const pending = [...wanted.values()].sort((a, b) => a - b).slice(0, long ? 3 : undefined);
  const cuts = new Set<number>(pending);
  for (const f of long ? [0.5, 0.9] : [0, 0.1, 0.37, 0.5, 0.83]) cuts.add(Math.max(1, Math.floor(num * f)));
  if (num > 1) cuts.add(num - 1);
  return [...cuts].filter((c) => c >= 1 && c < num).sort((a, b) => a - b);
}
