// `scapkit record` files under the conditions of a production box: rotation by size and by time with a
// bounded number of files, a stop by SIGINT, a crash (SIGKILL) and `scapkit recover`, a full disk, and
// drops under a ring buffer too small for a syscall storm, counted exactly. Real kernel, built CLI.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CAN_LOAD_PROBE } from '../../../test/support/machine.mjs';
import {
  ddStorm,
  expectComplete,
  expectRecorded,
  type InfoJson,
  info,
  parseSummary,
  replayLines,
  scapkit,
  scapkitInBackground,
  tempDir,
  total,
  until,
  waitForFile,
} from './support/cli.js';

const tmp = tempDir();
afterAll(() => tmp.cleanup());

/** A fresh directory for one test's files, so a listing shows only what that recording left. */
function dirFor(name: string): string {
  const d = join(tmp.dir, name);
  mkdirSync(d);
  return d;
}

const nowNs = () => BigInt(Date.now()) * 1_000_000n;

/** Polls `scapkit info` on a file still being written until its last event is later than `ts`. */
const waitForFlushPast = (file: string, ts: bigint): Promise<InfoJson> =>
  until(
    `${file}: a flush past ${ts}`,
    async () => {
      const { json } = await info(file);
      return json.lastTs !== null && BigInt(json.lastTs) > ts && json;
    },
    { everyMs: 200 },
  );

describe.skipIf(!CAN_LOAD_PROBE)('scapkit record: rotation', () => {
  it('-C 1 -W 2 keeps the two newest files of about 1 MB, each readable alone with its own tables', async () => {
    const dir = dirFor('size');
    const base = join(dir, 'c.scap');
    // A storm that lasts until the fifth file is started, however long a loaded box takes to get there: a
    // storm of fixed length (1.2M events) made 2 or 3 files where the recorder lost events to a full ring
    // under load, and an -W 2 that deleted only one or none. SIGINT ends dd with the recording.
    const rec = scapkitInBackground(['record', '-w', base, '-C', '1', '-W', '2', '--', ...ddStorm(1e12)]);
    try {
      // Any file from the fifth on: c.scap4 itself is deleted once c.scap6 starts (-W 2), which a poll
      // delayed on a loaded box can miss. Stopped whatever happens: the storm has no end of its own.
      await until('a fifth file', () =>
        readdirSync(dir).some((f) => Number(/^c\.scap(\d+)$/.exec(f)?.[1]) >= 4),
      );
    } finally {
      rec.child.kill('SIGINT');
    }
    const r = await rec.done;
    expectRecorded(r);
    const files = readdirSync(dir).sort((a, b) => Number(a.slice(6)) - Number(b.slice(6)));
    expect(files).toHaveLength(2);
    // sysdig's naming: the -w name and a sequence number; the older ones were deleted (-W 2).
    const seqs = files.map((f) => Number(/^c\.scap(\d+)$/.exec(f)?.[1]));
    expect(seqs[1]).toBe(seqs[0]! + 1);
    expect(seqs[0]).toBeGreaterThanOrEqual(3);
    // The summary names the files that remain.
    expect(r.stderr).toContain(`files:  ${join(dir, files[0]!)}, ${join(dir, files[1]!)}`);

    for (const [i, f] of files.entries()) {
      const file = join(dir, f);
      const fileInfo = await info(file);
      expectComplete(fileInfo, f);
      const { json } = fileInfo;
      expect(json.threads, f).toBeGreaterThan(10);
      // The footer counts this file's events only (the batch that filled a file was counted in the next).
      expect(json.stats?.eventsWritten, f).toBe(json.events);
      // A file is replaced once it reaches 1 MB; it overshoots by at most a compressed chunk or so.
      if (i === 0) {
        expect(statSync(file).size).toBeGreaterThanOrEqual(1_000_000);
        expect(statSync(file).size).toBeLessThan(2_500_000);
      }
      // dd was started in the first file; this one names it from its own thread table (its /proc
      // snapshot). taskset exec'd dd, so dd's parent is the recorder. (The newest file, cut by the SIGINT,
      // may hold little of the storm.)
      const reads = await replayLines(
        file,
        '*%proc.name %proc.pname',
        'evt.type=read and evt.dir=< and evt.rawarg.fd=0 and evt.rawarg.res=1',
      );
      expect(reads.code).toBe(0);
      if (i === 0) expect(reads.lines.length, f).toBeGreaterThan(1000);
      if (reads.lines.length) expect(new Set(reads.lines), f).toEqual(new Set(['dd node']));
    }
  });

  it('-G 1 -W 2 starts a file every second and keeps the newest two', async () => {
    const dir = dirFor('time');
    const base = join(dir, 'g.scap');
    const started = Date.now();
    const rec = scapkitInBackground([
      'record',
      '-w',
      base,
      '-G',
      '1',
      '-W',
      '2',
      '--',
      'sh',
      '-c',
      'while :; do sleep 0.05; done',
    ]);
    // Until the fourth file is started, however long that takes: each file begins with a /proc snapshot,
    // which a loaded box makes slow (a fixed -M 3.5 left 3 files instead of 4 there).
    await waitForFile(join(dir, 'g.scap3'));
    rec.child.kill('SIGINT');
    const r = await rec.done;
    const elapsedMs = Date.now() - started;
    expectRecorded(r);
    const index = (f: string) => Number(f.slice('g.scap'.length));
    const kept = readdirSync(dir).sort((a, b) => index(a) - index(b));
    const last = index(kept.at(-1)!);
    expect(last).toBeGreaterThanOrEqual(3);
    expect(kept).toEqual([`g.scap${last - 1}`, `g.scap${last}`]);
    // Never early: a file starts only when the previous one's second is over, so no more files than
    // seconds the recorder ran (a late tick makes fewer, which is not a fault).
    expect(last + 1).toBeLessThanOrEqual(Math.ceil(elapsedMs / 1000));
    for (const f of kept) {
      const i = await info(join(dir, f));
      expectComplete(i, f);
      const { json } = i;
      expect(json.threads).toBeGreaterThan(10); // each file has its own tables
      expect(json.events, f).toBeGreaterThan(0);
      expect(json.stats?.eventsWritten).toBe(json.events);
    }
  });
});

describe.skipIf(!CAN_LOAD_PROBE)('scapkit record -e: a new file every N events', () => {
  it('-e 5000 -W 3: every file but the last holds exactly 5000 events; the three newest are kept', async () => {
    const dir = dirFor('events');
    const base = join(dir, 'e.scap');
    // ~60,000 events of dd alone, more of the rest of the box: a dozen files or more.
    const r = await scapkit(['record', '-w', base, '-e', '5000', '-W', '3', '--', ...ddStorm(30_000)]);
    expectRecorded(r);
    const files = readdirSync(dir).sort((a, b) => Number(a.slice(6)) - Number(b.slice(6)));
    expect(files).toHaveLength(3);
    const seqs = files.map((f) => Number(/^e\.scap(\d+)$/.exec(f)?.[1]));
    expect(seqs).toEqual([seqs[0], seqs[0]! + 1, seqs[0]! + 2]);
    expect(seqs[0]).toBeGreaterThanOrEqual(9);
    const counts: number[] = [];
    for (const f of files) {
      const { code, json } = await info(join(dir, f));
      expect(code, f).toBe(0);
      expect(json.stats?.eventsWritten, f).toBe(json.events);
      counts.push(json.events);
    }
    expect(counts[0]).toBe(5000);
    expect(counts[1]).toBe(5000);
    expect(counts[2]).toBeGreaterThan(0);
    expect(counts[2]).toBeLessThanOrEqual(5000);
    // Everything written is in a file, the removed ones included: (seq of the last) * 5000 + its events.
    expect(parseSummary(r.stderr)!.written).toBe(seqs[2]! * 5000 + counts[2]!);
  });
});

describe.skipIf(!CAN_LOAD_PROBE)('scapkit record: stops, crashes and full disks', () => {
  it.each(['SIGINT', 'SIGTERM'] as const)(
    '%s mid-capture: exit 0 (3 with drops) and a complete file, footer and stats included',
    async (sig) => {
      const dir = dirFor(sig);
      const file = join(dir, 'i.scap');
      const rec = scapkitInBackground(['record', '-w', file]);
      await waitForFile(file);
      await waitForFlushPast(file, 0n); // a first chunk is on disk: the capture is under way
      rec.child.kill(sig);
      const r = await rec.done;
      expect(r.signal).toBeNull();
      expectRecorded(r);
      expect(r.stderr).toContain(`stopped: ${sig} received`);
      const i = await info(file);
      expectComplete(i, file);
      const { json } = i;
      expect(json.stats).toBeDefined();
      const s = parseSummary(r.stderr)!;
      expect(json.stats!.eventsWritten).toBe(json.events);
      expect(json.events).toBe(s.written);
      expect(json.stats!.eventsSeen).toBe(s.seen);
      expect(json.stats!.eventsSeen + (json.stats!.eventsAdded ?? 0)).toBe(
        json.stats!.eventsWritten + total(json.stats!.drops),
      );
    },
  );

  it('SIGKILL mid-capture: the file holds what was flushed before the kill, and recover makes it whole', async () => {
    const dir = dirFor('sigkill');
    const file = join(dir, 'k.scap');
    const marker = `scapkit-marker-${process.pid}`;
    const rec = scapkitInBackground(['record', '-w', file]);
    await waitForFile(file); // the probe is attached and the snapshot taken: our marker will be seen
    // An event we can name: a shell that runs the no-op builtin with our marker as argument.
    execFileSync('sh', ['-c', `: ${marker}`]);
    const markedAt = nowNs();
    // The per-second flush writes the open file without any close: wait for two flushes after the
    // marker (no wall-clock bound: under CI's load the rings may be read late, which is not a loss).
    const flushed = await waitForFlushPast(file, markedAt);
    const flushedAgain = await waitForFlushPast(file, BigInt(flushed.lastTs!));
    rec.child.kill('SIGKILL');
    const r = await rec.done;
    expect(r.signal).toBe('SIGKILL');

    // No footer: replay prints every complete event and says the file was cut (exit 3), or exit 0.
    const cut = await replayLines(
      file,
      '%proc.args',
      `evt.type=execve and evt.dir=< and proc.args contains ${marker}`,
    );
    expect([0, 3]).toContain(cut.code);
    if (cut.code === 3) expect(cut.stderr).toMatch(/cut short/);
    expect(cut.lines).toEqual([`-c : ${marker}`]);
    const before = await info(file);
    expect([0, 3]).toContain(before.code);
    // Nothing that was on disk before the kill is lost by it.
    expect(before.json.events).toBeGreaterThanOrEqual(flushedAgain.events);
    expect(BigInt(before.json.lastTs!)).toBeGreaterThanOrEqual(BigInt(flushedAgain.lastTs!));

    const whole = join(dir, 'k-recovered.scap');
    const rr = await scapkit(['recover', file, whole]);
    expect([0, 3], rr.stderr).toContain(rr.code);
    const after = await info(whole);
    expectComplete(after, whole);
    expect(after.json.events).toBe(before.json.events);
    expect(after.json.threads).toBe(before.json.threads);
    const again = await replayLines(
      whole,
      '%proc.args',
      `evt.type=execve and evt.dir=< and proc.args contains ${marker}`,
    );
    expect(again.code).toBe(0);
    expect(again.lines).toEqual([`-c : ${marker}`]);
  });

  it('a full disk: exit 1 naming the file, closed after its last chunk and counting the events lost (or, when the footer cannot fit, cut after it and recoverable)', async () => {
    const mnt = dirFor('full');
    // 1 MB: the header, the /proc snapshot and a few chunks fit; the storm's ~4 MB do not.
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=1m', 'tmpfs', mnt]);
    try {
      const file = join(mnt, 'f.scap');
      const r = await scapkit(['record', '-w', file, '--', ...ddStorm(300_000)]);
      expect(r.code, r.stderr).toBe(1);
      expect(r.stderr).toContain(`cannot write trace file ${file}: no space left on device (ENOSPC)`);
      expect(r.stderr).not.toMatch(/internal error|\n\s+at /);
      // The summary counts what the full disk lost (it said "drops: 0" for ~19k lost events).
      const s = parseSummary(r.stderr);
      expect(s, r.stderr).toBeDefined();
      const lost = Number(/write_error (\d+)/.exec(r.stderr)?.[1]);
      expect(lost).toBeGreaterThan(0);
      expect(s!.drops).toBeGreaterThanOrEqual(lost);
      expect(s!.seen + s!.added).toBe(s!.written + s!.drops);
      if (!r.stderr.includes(`${file} is closed after its last complete chunk`)) {
        // The footer did not fit in what cutting the partial chunk freed: how much of that chunk was on
        // disk, and how large the footer's tables are, depend on the box (seen once in a loaded CI run).
        // Then the file keeps every complete chunk, says so, and recover rewrites it whole.
        expect(r.stderr).toContain(
          `keeps every chunk written before the error (${lost} events after it were lost): ` +
            "'scapkit recover IN OUT' rewrites a cut file whole.",
        );
        const cut = await info(file);
        expect(cut.code).toBe(3);
        expect(cut.json.truncated).toBe(true);
        expect(cut.json.events).toBeGreaterThan(1000);
        expect(cut.json.events).toBe(s!.written);
        const whole = join(dirFor('full-recovered'), 'f.scap');
        const rr = await scapkit(['recover', file, whole]);
        expect([0, 3], rr.stderr).toContain(rr.code);
        const after = await info(whole);
        expectComplete(after, whole);
        expect(after.json.events).toBe(cut.json.events);
        return;
      }
      // Mostly: the partial chunk was cut away and the footer written in the space it freed, a whole file
      // whose statistics count the same loss.
      const whole = await info(file);
      expect(whole.json.truncated).toBe(false);
      expect(whole.code).toBe(3); // data was lost
      expect(whole.json.events).toBeGreaterThan(1000);
      expect(whole.json.events).toBe(s!.written);
      expect(whole.json.stats?.drops.write_error).toBe(lost);
      expect(whole.json.stats?.eventsWritten).toBe(whole.json.events);
      const replay = await scapkit(['replay', '-r', file, '-D', '-p', '%evt.num']);
      expect(replay.code).toBe(0);
      expect(replay.stdout.split('\n').filter(Boolean)).toHaveLength(whole.json.events);
      expect(replay.stderr).toMatch(new RegExp(`write_error: ${lost}`));
    } finally {
      execFileSync('umount', [mnt]);
    }
  });

  it('the file deleted mid-run: exit 1 at the next write, with a message that says so', async () => {
    const dir = dirFor('deleted');
    const file = join(dir, 'd.scap');
    // A command that runs until the recorder stops it, ticking so every flush has events to write.
    const rec = scapkitInBackground(['record', '-w', file, '--', 'sh', '-c', 'while :; do sleep 0.05; done']);
    await waitForFile(file);
    await waitForFlushPast(file, 0n); // the header and a first chunk are on disk: the run is under way
    unlinkSync(file);
    const r = await rec.done;
    expect(r.code, r.stderr).toBe(1);
    expect(r.stderr).toContain(
      `cannot write trace file ${file}: the file was deleted while it was being written`,
    );
    expect(r.stderr).toMatch(/Record again/);
    expect(r.stderr).not.toMatch(/internal error|\n\s+at |recover/);
    expect(existsSync(file)).toBe(false); // nothing was written under the name again
  });

  it('the file made unwritable mid-run (chattr +i): exit 1 naming the file, which reads up to its last chunk', async (ctx) => {
    const dir = dirFor('immutable');
    const file = join(dir, 'i.scap');
    // chattr +i needs a file system with inode flags (ext4 here and on CI; tmpfs has none).
    const probe = join(dir, 'probe');
    writeFileSync(probe, '');
    try {
      execFileSync('chattr', ['+i', probe], { stdio: 'ignore' });
      execFileSync('chattr', ['-i', probe], { stdio: 'ignore' });
    } catch {
      ctx.skip();
    }
    const rec = scapkitInBackground(['record', '-w', file, '--', 'sh', '-c', 'while :; do sleep 0.05; done']);
    try {
      await waitForFile(file);
      const before = await waitForFlushPast(file, 0n);
      execFileSync('chattr', ['+i', file]); // writes through the recorder's open fd now fail with EPERM
      const r = await rec.done;
      expect(r.code, r.stderr).toBe(1);
      expect(r.stderr).toContain(`cannot write trace file ${file}: operation not permitted (EPERM)`);
      expect(r.stderr).toMatch(/recover/);
      expect(r.stderr).not.toMatch(/internal error|\n\s+at /);
      const cut = await info(file);
      expect(cut.code).toBe(3); // cut short: no footer
      expect(cut.json.events).toBeGreaterThanOrEqual(before.events);
    } finally {
      execFileSync('chattr', ['-i', file], { stdio: 'ignore' });
      rec.child.kill('SIGKILL');
    }
  });

  it('a 4 KB ring under a syscall storm drops: exit 3, and summary and footer count every event exactly', async () => {
    const dir = dirFor('drops');
    const file = join(dir, 'd.scap');
    const r = await scapkit(['record', '-w', file, '--buffer-size', '4K', '--', ...ddStorm(400_000)]);
    expect(r.code, r.stderr).toBe(3);
    expect(r.stderr).toMatch(/drops: +[1-9]\d* \(ringbuf_full [1-9]/);
    const s = parseSummary(r.stderr)!;
    expect(s.drops).toBeGreaterThan(0);
    // Every event the kernel produced is written or counted as dropped: no silent loss.
    expect(s.seen + s.added).toBe(s.written + s.drops);

    const { code, json } = await info(file);
    expect(code).toBe(3); // info says data was lost too
    expect(json.truncated).toBe(false);
    expect(json.events).toBe(s.written);
    expect(json.drops).toBe(s.drops);
    const st = json.stats!;
    expect(st.eventsSeen).toBe(s.seen);
    expect(st.eventsWritten).toBe(s.written);
    expect(total(st.drops)).toBe(s.drops);
    expect(st.eventsSeen + (st.eventsAdded ?? 0)).toBe(
      st.eventsWritten + total(st.drops) + (st.eventsFiltered ?? 0) + (st.eventsAfterLimit ?? 0),
    );
    expect(st.eventsAdded ?? 0).toBe(s.added);

    // Replaying it says so, once, on stderr (it used to say nothing), after printing every event.
    const rp = await scapkit(['replay', '-r', file, '-D', '-p', '%evt.num']);
    expect(rp.code, rp.stderr).toBe(0);
    expect(rp.stdout.split('\n').filter(Boolean)).toHaveLength(s.written);
    expect(rp.stderr).toBe(
      `scapkit: the recording of ${file} dropped ${s.drops} events (ringbuf_full: ${st.drops.ringbuf_full}): ` +
        'they are missing from this trace, and from what was read here\n',
    );
    const chisel = await scapkit(['replay', '-r', file, '-c', 'topscalls']);
    expect(chisel.stderr).toMatch(new RegExp(`dropped ${s.drops} events`));
  });
});
