// `scapkit record -- CMD`: when the recording stops before CMD exits (-M, a signal), CMD ends together
// with everything it started: the recorder SIGTERMs CMD's process tree (read from /proc), then SIGKILLs
// what is left after a grace period. Real kernel, real processes. No wall-clock bounds: a loaded CI box only
// makes the polls below take longer.
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CAN_LOAD_PROBE } from '../../../test/support/machine.mjs';
import {
  expectComplete,
  expectRecorded,
  info,
  parseSummary,
  replayLines,
  scapkit,
  scapkitInBackground,
  tempDir,
  until,
  waitForFile,
} from './support/cli.js';

const tmp = tempDir('scapkit-record-cmd-');
const path = (name: string) => join(tmp.dir, name);

/** Background sleeps started by the tests, killed at the end whatever happened. */
const started: { pid: number; marker: string }[] = [];
afterAll(() => {
  for (const p of started) if (isAlive(p.pid, p.marker)) process.kill(p.pid, 'SIGKILL');
  tmp.cleanup();
});

/** Whether `pid` is still a live (not zombie) process running `sleep MARKER`; a pid reused by another
 *  process does not count. */
function isAlive(pid: number, marker: string): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'latin1');
    const state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
    const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'latin1').split('\0');
    return state !== 'Z' && state !== 'X' && cmdline.includes(marker);
  } catch {
    return false; // no such process
  }
}

/** Polls until the process is gone; true if it went within the (generous) hang guard. */
const goneWithin = (pid: number, marker: string): Promise<boolean> =>
  until(`${pid} (sleep ${marker}) gone`, () => !isAlive(pid, marker), { everyMs: 100 }).then(
    () => true,
    () => false,
  );

/** The pid the command wrote into `file` (the background `sleep MARKER` it started). */
function backgroundPid(file: string, marker: string): number {
  expect(existsSync(file), `${file}: the command did not start its background job`).toBe(true);
  const pid = Number(readFileSync(file, 'utf8').trim());
  expect(pid).toBeGreaterThan(1);
  started.push({ pid, marker });
  return pid;
}

/** A shell that starts `sleep MARKER` in the background, writes its pid to `pidFile`, and waits. */
const shWithBackgroundSleep = (marker: string, pidFile: string, prelude = '') =>
  `${prelude}sleep ${marker} & echo $! > ${pidFile}; wait`;

// -M 2 leaves the command ample time to start its job and write the pid file before the recording stops
// (-M counts from the probe's attach; the command starts after the first /proc snapshot). Distinct sleep
// lengths per test (and per run): the marker that identifies the background job.
const markerBase = 900_000 + (process.pid % 50_000) * 2;

describe.skipIf(!CAN_LOAD_PROBE)('scapkit record -- CMD: ending the command with the recording', () => {
  it("-M ends the command's background job too, not only the command", async () => {
    const marker = String(markerBase);
    const pidFile = path('bg.pid');
    const file = path('bg.scap');
    const r = await scapkit(
      ['record', '-w', file, '-M', '2', '--', 'sh', '-c', shWithBackgroundSleep(marker, pidFile)],
      { timeoutMs: 60_000 },
    );
    expectRecorded(r);
    expect(r.stderr).toMatch(/stopped: 2 s elapsed \(-M\)/);
    const pid = backgroundPid(pidFile, marker);
    // SIGTERM to CMD alone left this sleep running, reparented, for 10 days.
    expect(await goneWithin(pid, marker)).toBe(true);
  });

  it('a job that ignores SIGTERM is SIGKILLed after the grace period', async () => {
    const marker = String(markerBase + 1);
    const pidFile = path('ignore-term.pid');
    const file = path('ignore-term.scap');
    // `trap "" TERM`: the shell ignores SIGTERM and so does the sleep it starts (an ignored signal stays
    // ignored across exec).
    const r = await scapkit(
      [
        'record',
        '-w',
        file,
        '-M',
        '2',
        '--',
        'sh',
        '-c',
        shWithBackgroundSleep(marker, pidFile, 'trap "" TERM; '),
      ],
      { timeoutMs: 60_000 },
    );
    expectRecorded(r);
    const pid = backgroundPid(pidFile, marker);
    expect(await goneWithin(pid, marker)).toBe(true);
  });

  // SIGINT: Ctrl-C on a terminal; SIGHUP: the terminal closed (an ssh session dropped).
  it.each([
    ['SIGINT', 2],
    ['SIGHUP', 3],
  ] as const)('%s to the recorder stops it cleanly and ends the command and its jobs', async (sig, k) => {
    const marker = String(markerBase + k);
    const pidFile = path(`${sig}.pid`);
    const file = path(`${sig}.scap`);
    const bg = scapkitInBackground([
      'record',
      '-w',
      file,
      '--',
      'sh',
      '-c',
      shWithBackgroundSleep(marker, pidFile),
    ]);
    try {
      await waitForFile(pidFile, 1, 60_000);
    } catch (e) {
      bg.child.kill('SIGKILL');
      throw e;
    }
    const pid = backgroundPid(pidFile, marker);
    bg.child.kill(sig);
    const r = await bg.done;
    expectRecorded(r);
    expect(r.stderr).toContain(`stopped: ${sig} received`);
    expectComplete(await info(file), 'the footer was written');
    expect(await goneWithin(pid, marker)).toBe(true);
  });

  it("the command's output still goes to the recorder's stdout, and a command that ends stops it", async () => {
    // It also prints its process group and the recorder's (its parent's): CMD runs in the recorder's
    // group, in the terminal's foreground like any command, not in a session of its own.
    const r = await scapkit([
      'record',
      '-w',
      path('echo.scap'),
      '--',
      'sh',
      '-c',
      "echo hello from cmd; ps -o pgid= -p $$ -p $PPID | tr -d ' ' >&2",
    ]);
    expectRecorded(r);
    expect(r.stdout).toBe('hello from cmd\n');
    const [own, recorder] = r.stderr.split('\n').filter((l) => /^\d+$/.test(l));
    expect(own).toBeDefined();
    expect(own).toBe(recorder);
    expect(r.stderr).toMatch(/stopped: sh exited/);
  });
});

describe.skipIf(!CAN_LOAD_PROBE)('scapkit record -- CMD: the exit status and the messages', () => {
  it.each([
    [
      "sh -c 'exit 42'",
      ['sh', '-c', 'exit 42'],
      42,
      /stopped: sh exited with status 42; scapkit exits with the same status/,
    ],
    // A signal, as a shell reports it: 128 + its number (SIGSEGV is 11).
    ['a SIGSEGV', ['sh', '-c', 'kill -SEGV $$'], 139, /stopped: sh was killed by SIGSEGV \(status 139\)/],
  ] as const)('exits with the status of %s, and says so', async (_name, cmd, status, said) => {
    const r = await scapkit(['record', '-w', path(`status-${status}.scap`), '--', ...cmd]);
    expect(r.code, r.stderr).toBe(status);
    expect(r.stderr).toMatch(said);
    // The trace is whole: the status is the command's, not a failed recording's.
    const { code, json } = await info(path(`status-${status}.scap`));
    expect(code).toBe(0);
    expect(json.events).toBe(parseSummary(r.stderr)!.written);
  });

  it('says "recording" on stderr once attached, before the command runs; -q says nothing', async () => {
    const r = await scapkit(['record', '-w', path('announce.scap'), '--', 'sh', '-c', 'echo cmd-ran >&2']);
    expectRecorded(r);
    const lines = r.stderr.split('\n');
    const rec = lines.findIndex((l) => /^scapkit: recording to .*announce\.scap; until sh exits/.test(l));
    expect(rec, r.stderr).toBeGreaterThanOrEqual(0);
    expect(lines.indexOf('cmd-ran')).toBeGreaterThan(rec);
    const q = await scapkit(['record', '-q', '-w', path('quiet.scap'), '--', 'sh', '-c', 'echo cmd-ran >&2']);
    expect(q.code, q.stderr).toBe(0);
    expect(q.stderr).toBe('cmd-ran\n');
  });
});

describe.skipIf(!CAN_LOAD_PROBE)('scapkit record --only-command', () => {
  it('records CMD and every process it starts, and nothing of the rest of the box', async () => {
    const tag = `only-${process.pid}`;
    // Busy beside the recording, not started by it: none of this may be in the trace.
    const noise = spawn('sh', ['-c', `while :; do cat /etc/hostname > /dev/null; done # ${tag}-noise`], {
      stdio: 'ignore',
    });
    try {
      const file = path('only.scap');
      const r = await scapkit([
        'record',
        '-w',
        file,
        '--only-command',
        '--',
        'sh',
        '-c',
        `cat /etc/hostname > /dev/null; sh -c 'ls / > /dev/null'; exit 7 # ${tag}`,
      ]);
      expect(r.code, r.stderr).toBe(7);
      const names = await scapkit(['replay', '-r', file, '-D', '-p', '*%proc.name %proc.pid']);
      const lines = names.stdout
        .split('\n')
        .filter(Boolean)
        .map((l) => l.split(' '));
      // CMD's process starts as a copy of the recorder (node) until its exec: those events are CMD's too.
      const cmdPid = (
        await replayLines(
          file,
          '%proc.pid',
          'evt.type=execve and evt.dir=< and evt.rawarg.res=0 and proc.name=sh and proc.pname=node',
        )
      ).lines[0];
      expect(cmdPid).toBeDefined();
      expect(new Set(lines.map(([n]) => n))).toEqual(new Set(['node', 'sh', 'cat', 'ls']));
      for (const [n, pid] of lines) if (n === 'node') expect(pid).toBe(cmdPid);
      expect(lines.some(([, pid]) => Number(pid) === noise.pid)).toBe(false);
      // Every exec is of CMD's tree, named with its parents.
      const execs = await replayLines(
        file,
        '%proc.name %proc.pname',
        'evt.type=execve and evt.dir=< and evt.rawarg.res=0',
      );
      expect(new Set(execs.lines)).toEqual(new Set(['sh node', 'cat sh', 'sh sh', 'ls sh']));
      // The tables hold the recorder's line of parents and CMD's tree, not the box's other processes.
      const { json } = await info(file);
      expect(json.threads).toBeLessThan(100);
      const all = await scapkit([
        'replay',
        '-r',
        file,
        '-D',
        '-p',
        '*%proc.cmdline',
        `proc.cmdline contains ${tag}-noise`,
      ]);
      expect(all.stdout).toBe('');
    } finally {
      noise.kill('SIGKILL');
    }
  });

  it('--only-command without a command is bad usage', async () => {
    const r = await scapkit(['record', '-w', path('none.scap'), '--only-command']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--only-command records the command given after --/);
  });
});
