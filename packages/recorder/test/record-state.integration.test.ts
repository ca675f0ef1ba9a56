// What `scapkit record` writes from its live state engine, checked against what a reader of the files
// builds from the events: the tables a rotated file starts with (issue #17: a process started just before
// a rotation showed <NA> in the next file, from a /proc read that lagged the events), the checkpoints
// (replay from any of them goes on exactly as replay from the start of the file), and what a capture
// filter keeps. Real kernel, real processes, the built CLI.
import { cpSync, readdirSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { info, parseSummary, type Run, replayLines, scapkit, tempDir } from './support/cli.js';
import { firstDifference, records, stateLane } from './support/state-lines.js';

const tmp = tempDir('scapkit-record-state-');
afterAll(() => tmp.cleanup());

/** Exit 0, or 3 when the summary shows drops (other tests may storm the box at the same time). */
function expectRecorded(r: Run): void {
  const s = parseSummary(r.stderr);
  expect(s, r.stderr).toBeDefined();
  if (r.code === 3) expect(s!.drops, r.stderr).toBeGreaterThan(0);
  else expect(r.code, r.stderr).toBe(0);
}

// Short processes one after another (fork, exec, exit), pipes, a directory walk, a loopback TCP pair with
// threads: most processes live across a file boundary somewhere.
const PY = `
import socket, threading
import { CAN_LOAD_PROBE } from '../../../test/support/machine.mjs';
s = socket.socket(); s.bind(("127.0.0.1", 0)); s.listen(1)
def serve():
    c, _ = s.accept(); c.recv(10); c.close()
t = threading.Thread(target=serve); t.start()
k = socket.create_connection(s.getsockname()); k.send(b"hello"); k.close(); t.join()
open("/etc/hostname").read()
`;
const WORKLOAD =
  `for i in 1 2 3; do (cd /usr/share/doc && ls -R > /dev/null); ` +
  `cat /etc/hostname | wc -c > /dev/null; find /usr/lib -maxdepth 2 -name 'libc*' > /dev/null; ` +
  `python3 -c '${PY}'; done`;

describe.skipIf(!CAN_LOAD_PROBE)('scapkit record: the tables come from the live state engine', () => {
  const dir = join(tmp.dir, 'rot');
  let files: string[] = [];
  let run: Run;

  it('records the workload into files of 15,000 events with a checkpoint each second', async () => {
    const { mkdirSync } = await import('node:fs');
    mkdirSync(dir);
    run = await scapkit(
      [
        'record',
        '-w',
        join(dir, 's.scap'),
        '-e',
        '15000',
        '--checkpoint-seconds',
        '1',
        '--',
        'sh',
        '-c',
        WORKLOAD,
      ],
      { timeoutMs: 120_000 },
    );
    expectRecorded(run);
    files = readdirSync(dir)
      .sort((a, b) => Number(a.slice(6)) - Number(b.slice(6)))
      .map((f) => join(dir, f));
    expect(files.length).toBeGreaterThanOrEqual(4);
    for (const f of files) expect((await info(f)).json.checkpoints?.length, f).toBeGreaterThanOrEqual(1);
  }, 300_000);

  it('a rotated file reads alone exactly as it reads on from the file before it', async () => {
    expect(files.length).toBeGreaterThanOrEqual(4);
    let compared = 0;
    for (let k = 1; k < files.length; k++) {
      const prev = await records(files[k - 1]!);
      const next = await records(files[k]!);
      // Read on: the previous file whole, then this file's events with the tables the reader already has.
      const on: string[] = [];
      const lane = stateLane(on);
      for (const r of prev) lane.push(r);
      const before = on.length;
      for (const r of next) if (r.kind === 'events') lane.push(r);
      // Alone: this file from its own tables.
      const alone: string[] = [];
      const solo = stateLane(alone);
      for (const r of next) solo.push(r);
      const diff = firstDifference(on.slice(before), alone);
      if (diff && process.env.SCAPKIT_KEEP_FAILED)
        cpSync(dir, process.env.SCAPKIT_KEEP_FAILED, { recursive: true });
      expect(diff, `${files[k]}`).toBeUndefined();
      compared += alone.length;
    }
    expect(compared).toBeGreaterThan(30_000);
  }, 900_000);

  it('replay from each checkpoint prints what replay from the start prints from there on', async () => {
    let checked = 0;
    // The first four files: a file started by the recording, and three started by rotations.
    for (const f of files.slice(0, 4)) {
      const recs = await records(f);
      const full: string[] = [];
      const lane = stateLane(full);
      for (const r of recs) lane.push(r);
      for (const [at, r] of recs.entries()) {
        if (r.kind !== 'checkpoint') continue;
        expect(r.checkpoint.damage).toBeUndefined();
        const from: string[] = [];
        const cp = stateLane(from);
        cp.push({ kind: 'metadata', metadata: r.checkpoint.metadata() });
        for (const rest of recs.slice(at + 1)) cp.push(rest);
        // One line per event: the lines after the checkpoint are those after its eventsBefore events.
        const diff = firstDifference(full.slice(r.checkpoint.eventsBefore), from);
        expect(diff, `${f}, checkpoint after event ${r.checkpoint.eventsBefore}`).toBeUndefined();
        checked++;
      }
    }
    expect(checked).toBeGreaterThanOrEqual(4);
  }, 900_000);
});

describe.skipIf(!CAN_LOAD_PROBE)('scapkit record FILTER: what a capture filter keeps', () => {
  it("keeps the matching process's events with its inherited fds and ancestry, nothing of other processes", async () => {
    const file = join(tmp.dir, 'cat.scap');
    // Our cat reads a file of its own through a link, to tell it from other cats on the box. The shell
    // opens it for cat (`< link`) before cat exists: cat's fd 0 is inherited, never opened by cat.
    const mine = join(tmp.dir, `hostname-${process.pid}`);
    symlinkSync('/etc/hostname', mine);
    const r = await scapkit([
      'record',
      '-w',
      file,
      'proc.name=cat',
      '--',
      'sh',
      '-c',
      `cat < ${mine}; ls / > /dev/null`,
    ]);
    expectRecorded(r);
    // cat's read of fd 0 names the file the shell opened for it, and cat's parent.
    const reads = await replayLines(
      file,
      '%fd.num %fd.name %proc.pname',
      'proc.name=cat and evt.type=read and fd.num=0',
    );
    expect(reads.lines.length).toBeGreaterThanOrEqual(1);
    expect(new Set(reads.lines)).toEqual(new Set([`0 ${mine} sh`]));
    // Nothing of any other process but cat's ancestors' execs and exits: not ls's, not the box's.
    const others = await scapkit([
      'replay',
      '-r',
      file,
      '-D',
      '-p',
      '%proc.name %evt.type',
      'proc.name!=cat',
    ]);
    const kinds = new Set(
      others.stdout
        .split('\n')
        .filter(Boolean)
        .map((l) => l.split(' ')[1]),
    );
    for (const k of kinds) expect(['execve', 'procexit']).toContain(k);
    const lsSeen = await replayLines(file, '*%proc.name', 'proc.name=ls');
    expect(lsSeen.lines).toEqual([]);
    // The tables hold cat and the processes it descends from, not the box: the file starts with no
    // thread, and the state record before cat's first event brings a handful.
    const recs = await records(file);
    const tables = recs.flatMap((x) => (x.kind === 'metadata' ? [x.metadata] : []));
    expect(tables[0]!.threads).toEqual([]);
    expect(tables[0]!.fds.size).toBe(0);
    for (const t of tables.slice(1)) {
      expect(t.threads.length).toBeGreaterThan(0);
      expect(t.threads.length).toBeLessThan(40);
      // fds only for cat; the ancestors' environments left out.
      const withFds = new Set([...t.fds.keys()].map((tid) => t.threads.find((x) => x.tid === tid)?.comm));
      expect([...withFds]).toEqual(['cat']);
      for (const x of t.threads) if (x.comm !== 'cat') expect(x.env).toEqual([]);
    }
    expect((await info(file)).json.header.filter).toBe('proc.name=cat');
  });
});
