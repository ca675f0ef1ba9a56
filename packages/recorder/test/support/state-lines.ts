// Test support: the state a reader builds from a recording, event by event, as one line of state fields
// per event (every event shown, internal ones too). Used to check that what the recorder writes from its
// live state engine (the tables a rotated file starts with, checkpoints, a capture filter's state records)
// is what a reader of the files would have had.
import { createReplayPipeline, type Pipeline } from '@scapkit/replay';
import type { CaptureRecord } from '@scapkit/scap-format';
import { openCaptureFile } from '@scapkit/scap-format/node';

/** Fields that read threads, processes, fds, users and the enter/exit pairing. No evt.num, no reltime. */
export const STATE_LINE =
  '*%evt.time %evt.cpu %evt.type %evt.dir %thread.tid %proc.pid %proc.ppid %proc.name %proc.exe %proc.args ' +
  '%proc.cwd %proc.pname %proc.aname[2] %proc.nthreads %proc.nchilds %thread.vtid %user.name %group.name ' +
  '%fd.num %fd.type %fd.name %fd.cip %fd.sip %fd.cport %fd.sport %fd.l4proto %evt.latency %evt.args';

/** A pipeline printing STATE_LINE for every event into `lines`. */
export function stateLane(lines: string[]): Pipeline {
  return createReplayPipeline({ format: STATE_LINE, showInternal: true, write: (l) => void lines.push(l) });
}

/** Every record of a trace file. */
export async function records(file: string): Promise<CaptureRecord[]> {
  const out: CaptureRecord[] = [];
  for await (const r of openCaptureFile(file)) out.push(r);
  return out;
}

/** A difference between two line lists: the first index where they differ, and both lines. */
export function firstDifference(want: string[], got: string[]): string | undefined {
  for (let i = 0; i < Math.max(want.length, got.length); i++) {
    if (want[i] !== got[i]) return `line ${i}:\n  want ${want[i]}\n  got  ${got[i]}`;
  }
  return undefined;
}
