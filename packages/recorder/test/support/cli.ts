// Helpers for the `scapkit record` integration tests: run the built CLI (as CI does, `pnpm exec tsc -b`
// first), wait for a recording to be under way, read `info --json`, run Debian's sysdig. Nothing here
// fakes the kernel: every recording loads the real probe.
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';

export const repo = fileURLToPath(new URL('../../../../', import.meta.url));
/** The built CLI. SCAPKIT_BIN points the tests at another build (e.g. a private copy of the tree). */
export const bin = process.env.SCAPKIT_BIN ?? join(repo, 'packages/recorder/bin/scapkit.js');
export const support = fileURLToPath(new URL('.', import.meta.url));

export interface Run {
  code: number;
  /** The signal that ended the process, if one did. */
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Runs FILE ARGS to its end (`TZ=UTC`, killed after `timeout` ms) and returns its exit code and output. */
function runFile(
  file: string,
  args: string[],
  opts: { timeout: number; cwd?: string; uid?: number; gid?: number; env?: NodeJS.ProcessEnv },
): Promise<Run> {
  const { env, ...rest } = opts;
  return new Promise((resolve) => {
    execFile(
      file,
      args,
      { env: { ...process.env, TZ: 'UTC', ...env }, maxBuffer: 1 << 28, ...rest },
      (err, stdout, stderr) => {
        const e = err as (Error & { code?: unknown; signal?: NodeJS.Signals }) | null;
        const code = e ? (typeof e.code === 'number' ? e.code : -1) : 0;
        resolve({ code, signal: e?.signal ?? null, stdout, stderr });
      },
    );
  });
}

/** Runs `scapkit ARGS` to its end (killed after `timeoutMs`, which then fails the test that waits), with
 *  `env` added to the environment. */
export function scapkit(
  args: string[],
  opts: { timeoutMs?: number; cwd?: string; uid?: number; gid?: number; env?: NodeJS.ProcessEnv } = {},
): Promise<Run> {
  return runFile(process.execPath, [bin, ...args], {
    // A hang guard: on a loaded box loading the probe and taking the /proc snapshot alone can take tens of s.
    timeout: opts.timeoutMs ?? 120_000,
    cwd: opts.cwd,
    uid: opts.uid,
    gid: opts.gid,
    env: opts.env,
  });
}

/** `scapkit export -r INPUT -w OUTPUT --format scapkit` with a checkpoint every `seconds` of trace time. */
export function exportWithCheckpoints(input: string, output: string, seconds: number): Promise<Run> {
  return scapkit([
    'export',
    '-r',
    input,
    '-w',
    output,
    '--format',
    'scapkit',
    '--checkpoint-seconds',
    String(seconds),
  ]);
}

/** A recording running in the background, to be signalled. */
export interface Background {
  child: ChildProcess;
  done: Promise<Run>;
}

export function scapkitInBackground(args: string[]): Background {
  const child = spawn(process.execPath, [bin, ...args], {
    env: { ...process.env, TZ: 'UTC' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d: Buffer) => {
    stdout += d;
  });
  child.stderr!.on('data', (d: Buffer) => {
    stderr += d;
  });
  const done = new Promise<Run>((resolve) => {
    child.on('close', (code, signal) => resolve({ code: code ?? -1, signal, stdout, stderr }));
  });
  return { child, done };
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/**
 * Polls `check` every `everyMs` until it gives a value (anything but `undefined` or `false`) and returns
 * that value. `timeoutMs` is a hang guard, not a bound on what the test checks (a loaded box makes every
 * step slow): past it, the test fails saying `what` never happened.
 */
export async function until<T>(
  what: string,
  check: () => T | false | undefined | Promise<T | false | undefined>,
  { timeoutMs = 120_000, everyMs = 50 } = {},
): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await check();
    if (v !== undefined && v !== false) return v;
    if (Date.now() > end) throw new Error(`${what}: not within ${timeoutMs} ms`);
    await sleep(everyMs);
  }
}

/** Waits until `file` exists with at least `minBytes` (the recorder creates it once the probe is attached
 *  and the /proc snapshot taken). */
export async function waitForFile(file: string, minBytes = 1, timeoutMs = 120_000): Promise<void> {
  await until(`${file} with ${minBytes} bytes`, () => existsSync(file) && statSync(file).size >= minBytes, {
    timeoutMs,
  });
}

export interface InfoJson {
  format: string;
  events: number;
  threads: number;
  fds: number;
  firstTs: string | null;
  lastTs: string | null;
  drops: number;
  dropsByCause: Record<string, number>;
  eventsByType: Record<string, number>;
  truncated: boolean;
  header: { filter: string; snaplen: number };
  checkpoints?: { offset: number; eventsBefore: number; ts: string; damage?: string }[];
  stats?: {
    eventsSeen: number;
    eventsWritten: number;
    eventsWrittenTotal?: number;
    eventsAdded?: number;
    eventsFiltered?: number;
    eventsAfterLimit?: number;
    drops: Record<string, number>;
  };
}

/** `scapkit info --json FILE`, with its exit code. */
export async function info(file: string): Promise<{ code: number; json: InfoJson; stderr: string }> {
  const r = await scapkit(['info', '--json', file]);
  let json: InfoJson;
  try {
    json = JSON.parse(r.stdout) as InfoJson;
  } catch {
    throw new Error(`info --json ${file} printed no JSON (exit ${r.code}): ${r.stderr}`);
  }
  return { code: r.code, json, stderr: r.stderr };
}

/** Lines of `scapkit replay -r FILE -p FORMAT FILTER`. */
export async function replayLines(
  file: string,
  format: string,
  filter?: string,
): Promise<{ code: number; lines: string[]; stderr: string }> {
  const r = await scapkit(['replay', '-r', file, '-p', format, ...(filter ? [filter] : [])]);
  return { code: r.code, lines: r.stdout.split('\n').filter(Boolean), stderr: r.stderr };
}

/** Runs Debian's sysdig 0.29.3 (`TZ=UTC`) and returns its exit code and output. */
export function sysdig(args: string[]): Promise<Run> {
  return runFile('/usr/bin/sysdig', args, { timeout: 60_000 });
}

/** A fresh directory under the system's temp dir, removed by `cleanup`. */
export function tempDir(prefix = 'scapkit-record-'): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/**
 * The events a recording's summary (stderr) reports: `N written of M seen`, the procinfo events the
 * recorder added, drops, filtered, after -n. Every event is accounted for: seen + added = written +
 * filtered + afterLimit + drops.
 */
export function parseSummary(
  stderr: string,
):
  | { written: number; seen: number; added: number; drops: number; filtered: number; afterLimit: number }
  | undefined {
  const m =
    /events: (\d+) written of (\d+) seen by the kernel(?: and (\d+) procinfo made by the recorder)?(?:, (\d+) not matching the capture filter)?(?:, (\d+) after the -n limit)?/.exec(
      stderr,
    );
  const d = /drops: +(\d+)/.exec(stderr);
  if (!m || !d) return undefined;
  return {
    written: Number(m[1]),
    seen: Number(m[2]),
    added: Number(m[3] ?? 0),
    filtered: Number(m[4] ?? 0),
    afterLimit: Number(m[5] ?? 0),
    drops: Number(d[1]),
  };
}

/**
 * A recording that ended as it should: exit 0, or 3 when the summary counts drops. A loaded box drops:
 * the rings fill while the recorder waits for a core, and the recorder says so with exit 3.
 */
export function expectRecorded(r: Run): void {
  const s = parseSummary(r.stderr);
  expect(s, r.stderr).toBeDefined();
  if (r.code === 3) expect(s!.drops, r.stderr).toBeGreaterThan(0);
  else expect(r.code, r.stderr).toBe(0);
}

/** `scapkit info` of a complete trace: exit 0, or 3 when the trace records drops (nothing else is lost). */
export function expectComplete(i: { code: number; json: InfoJson }, what = ''): void {
  expect(i.json.truncated, what).toBe(false);
  if (i.code === 3) expect(i.json.drops, `${what}: exit 3 without drops`).toBeGreaterThan(0);
  else expect(i.code, what).toBe(0);
}

/**
 * `scapkit record ARGS` again until a run drops nothing (at most `tries` runs), for a test that looks for
 * particular events of its command: a loaded box may drop some of them, which the recorder reports (exit
 * 3) and which is not what the test is about. Returns the last run; the test fails if every run dropped.
 */
export async function recordWithoutDrops(
  args: string[],
  opts: Parameters<typeof scapkit>[1] = {},
  tries = 5,
): Promise<Run> {
  let r: Run | undefined;
  for (let i = 0; i < tries; i++) {
    r = await scapkit(args, opts);
    // Exit 3 is the recorder's word for drops (with or without -q's summary).
    if (r.code !== 3) return r;
  }
  expect.fail(`every one of ${tries} recordings dropped events (the box is overloaded): ${r!.stderr}`);
}

/** Sum of a record of counters. */
export const total = (r: Record<string, number> | undefined) =>
  Object.values(r ?? {}).reduce((a, b) => a + b, 0);

/** A shell loop that starts `n` short processes: a busy but light workload (each `cat` is ~300 events). */
export const catLoop = (n: number) =>
  `i=0; while [ $i -lt ${n} ]; do cat /etc/hostname > /dev/null; i=$((i+1)); done`;

/** A syscall storm on one CPU: `dd` with 1-byte blocks makes a read and a write per byte. */
export const ddStorm = (bytes: number, cpu = 0) => [
  'taskset',
  '-c',
  String(cpu),
  'dd',
  'if=/dev/zero',
  'of=/dev/null',
  'bs=1',
  `count=${bytes}`,
  'status=none',
];
