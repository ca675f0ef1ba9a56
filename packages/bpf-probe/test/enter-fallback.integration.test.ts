// The enter events (open, openat, openat2, creat, connect) come from the syscalls' own tracepoints, or,
// when those cannot be attached, from the tp_btf sys_enter dispatcher. Here the tracepoint path really
// fails: the probe runs in a child process, in a mount namespace where tracefs is unmounted (and
// debugfs hidden) and without CAP_SYS_ADMIN, so the loader cannot mount tracefs back. Which path was
// taken is read from outside, in the child's /proc/<pid>/fdinfo while the probe is open: perf links on
// syscalls/sys_enter_* tracepoints, or a raw_tracepoint (tp_btf) link on sys_enter.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, readlinkSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { batchFromFramed, EventView } from '@scapkit/scap-format';
import { describe, expect, it, onTestFinished } from 'vitest';
import { CAN_LOAD_PROBE } from '../../../test/support/machine.mjs';
import { buildTrigger, type DecodedEvent, decode, only, scratchDir } from './support/capture.js';
import {
  PPM_O_CLOEXEC,
  PPM_O_CREAT,
  PPM_O_DIRECTORY,
  PPM_O_RDONLY,
  PPM_O_TRUNC,
  PPM_O_WRONLY,
} from './support/ppm-flags.js';

const childScript = fileURLToPath(new URL('./support/enter-child.mjs', import.meta.url));
const hasBtf = existsSync('/sys/kernel/btf/vmlinux');
const has = (cmd: string) => spawnSync('sh', ['-c', `command -v ${cmd}`]).status === 0;

const RESOLVE_NO_SYMLINKS = 0x04;
const ENTER_TRACEPOINTS = [
  'sys_enter_connect',
  'sys_enter_creat',
  'sys_enter_open',
  'sys_enter_openat',
  'sys_enter_openat2',
];

/** One BPF link held by a process, as its fdinfo describes it. */
interface Link {
  type: string;
  tp: string | undefined;
}

/** The BPF links process `pid` holds open (fd → anon_inode:bpf_link), from /proc/<pid>/fdinfo. */
function bpfLinks(pid: number): Link[] {
  const links: Link[] = [];
  for (const fd of readdirSync(`/proc/${pid}/fd`)) {
    let target: string;
    try {
      target = readlinkSync(`/proc/${pid}/fd/${fd}`);
    } catch {
      continue; // closed meanwhile
    }
    if (target !== 'anon_inode:bpf_link') continue;
    const info = readFileSync(`/proc/${pid}/fdinfo/${fd}`, 'utf8');
    const field = (k: string) => new RegExp(`^${k}:\\s*(\\S+)`, 'm').exec(info)?.[1];
    links.push({ type: field('link_type') ?? '?', tp: field('tp_name') });
  }
  return links;
}

interface ChildRun {
  links: Link[];
  events: DecodedEvent[];
  pids: { open: number; inet: number };
  outs: { open: Record<string, number>; inet: Record<string, number> };
  tracefsVisible: boolean;
  capSysAdmin: boolean;
}

/** Runs test/support/enter-child.mjs behind `prefix` (a command that ends by exec'ing its arguments). */
function runChild(prefix: string[], dir: string): Promise<ChildRun> {
  const argv = [...prefix, process.execPath, childScript, buildTrigger(), dir];
  // Each case picks the path by what the child can do: a forced fallback (SCAPKIT_PROBE_ENTER=dispatcher,
  // set when the whole suite runs that way) is not passed on.
  const { SCAPKIT_PROBE_ENTER: _forced, ...env } = process.env;
  const child = spawn(argv[0]!, argv.slice(1), { stdio: ['pipe', 'pipe', 'pipe'], env });
  let stdout = '';
  let stderr = '';
  let links: Link[] | undefined;
  let linkError: unknown;
  child.stderr.on('data', (d: Buffer) => {
    stderr += d.toString();
  });
  child.stdout.on('data', (d: Buffer) => {
    stdout += d.toString();
    const ready = /^ready (\d+)$/m.exec(stdout);
    if (ready && !links && !linkError) {
      try {
        links = bpfLinks(Number(ready[1]));
      } catch (e) {
        linkError = e;
      }
      child.stdin.end('go\n');
    }
  });
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => {
      const last = stdout.trim().split('\n').at(-1) ?? '';
      if (code !== 0 || !last.startsWith('{') || !links) {
        reject(new Error(`${argv.join(' ')}: exit ${code} ${String(linkError ?? '')}\n${stdout}\n${stderr}`));
        return;
      }
      const r = JSON.parse(last);
      const batch = batchFromFramed(new Uint8Array(Buffer.from(r.events, 'base64')));
      const view = new EventView();
      const events: DecodedEvent[] = [];
      for (let i = 0; i < batch.count; i++) events.push(decode(view.at(batch, i)));
      resolve({ ...r, links, events });
    });
  });
}

/** The enter events of both helpers, parameter by parameter (as file/net.integration.test.ts do). */
function expectEnterEvents(run: ChildRun, dir: string): void {
  const { events, pids, outs } = run;
  const byOpen = events.filter((e) => e.tid === pids.open);
  const byInet = events.filter((e) => e.tid === pids.inet);
  const existing = join(dir, 'existing.txt');
  const created = join(dir, 'created.txt');
  expect(outs.open.ok).toBeGreaterThanOrEqual(0);
  expect(only(byOpen, 'open', '>').map((e) => e.params)).toEqual([
    { name: existing, flags: PPM_O_RDONLY | PPM_O_CLOEXEC, mode: 0 },
    { name: '/nonexistent/scapkit', flags: PPM_O_RDONLY, mode: 0 },
  ]);
  expect(only(byOpen, 'openat', '>').map((e) => e.params)).toEqual([
    { dirfd: -100, name: created, flags: PPM_O_WRONLY | PPM_O_CREAT | PPM_O_TRUNC, mode: 0o640 },
  ]);
  expect(only(byOpen, 'openat2', '>').map((e) => e.params)).toEqual([
    { dirfd: -100, name: dir, flags: PPM_O_RDONLY | PPM_O_DIRECTORY, mode: 0, resolve: RESOLVE_NO_SYMLINKS },
  ]);
  expect(only(byOpen, 'creat', '>').map((e) => e.params)).toEqual([{ name: created, mode: 0o600 }]);
  // Every enter precedes its exit.
  expect(byOpen.filter((e) => e.name === 'openat').map((e) => e.dir)).toEqual(['>', '<']);

  const u16 = (v: number) => [v & 0xff, v >> 8];
  const inet4 = (port: number) => Uint8Array.from([2, 127, 0, 0, 1, ...u16(port)]);
  const connects = only(byInet, 'connect', '>');
  // The client, the second client (same server), then the refused one (port 1).
  expect(connects.map((e) => e.params)).toEqual([
    { fd: outs.inet.cli, addr: inet4(outs.inet.port!) },
    { fd: outs.inet.cli2, addr: inet4(outs.inet.port!) },
    { fd: expect.any(Number), addr: inet4(1) },
  ]);
  expect(only(byInet, 'connect')[0]!.params).toMatchObject({ res: 0, fd: outs.inet.cli });
}

/** A scratch directory with the file `trigger open` opens, removed after the test. */
function fixtureDir(): string {
  const dir = scratchDir();
  onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
  writeFileSync(join(dir, 'existing.txt'), 'hello');
  return dir;
}

const tracepointLinks = (links: Link[]) =>
  links
    .filter((l) => l.type === 'perf')
    .map((l) => l.tp)
    .sort();
const rawTracepoints = (links: Link[]) => links.filter((l) => l.type === 'raw_tracepoint').map((l) => l.tp);

describe.runIf(CAN_LOAD_PROBE && hasBtf)('enter events', () => {
  it('come from the syscalls/sys_enter_* tracepoints when tracefs is there (sys_enter not attached)', async () => {
    const dir = fixtureDir();
    const run = await runChild([], dir);
    expect(run.capSysAdmin).toBe(true);
    expect(run.tracefsVisible).toBe(true);
    expect(tracepointLinks(run.links)).toEqual(ENTER_TRACEPOINTS);
    expect(rawTracepoints(run.links)).toContain('sys_exit');
    expect(rawTracepoints(run.links)).not.toContain('sys_enter');
    expectEnterEvents(run, dir);
  });

  it('come from the sys_enter dispatcher when tracefs is gone and cannot be mounted', async (ctx) => {
    // Drops CAP_SYS_ADMIN from the bounding set (so from the exec'd node too), keeping the rest:
    // CAP_BPF, CAP_PERFMON and the others loading needs.
    const drop = has('setpriv')
      ? ['setpriv', '--bounding-set', '-sys_admin', '--inh-caps', '-sys_admin', '--']
      : has('capsh')
        ? ['capsh', '--drop=cap_sys_admin', '--', '-c', 'exec "$@"', 'capsh']
        : undefined;
    if (!has('unshare') || !drop) {
      ctx.skip('needs unshare (util-linux) and setpriv (util-linux) or capsh (libcap2-bin)');
      return;
    }
    const prepare = [
      'while umount -l /sys/kernel/tracing 2>/dev/null; do :; done',
      'while umount -l /sys/kernel/debug/tracing 2>/dev/null; do :; done',
      // debugfs automounts tracefs at /sys/kernel/debug/tracing on access: hide it all.
      'if [ -d /sys/kernel/debug ]; then mount -t tmpfs -o ro,size=4k scapkit-no-debugfs /sys/kernel/debug; fi',
      'exec "$@"',
    ].join('\n');
    const dir = fixtureDir();
    const run = await runChild(
      ['unshare', '--mount', '--propagation', 'private', 'sh', '-c', prepare, 'sh', ...drop],
      dir,
    );
    // The child really was where the tracepoints cannot be reached.
    expect(run.capSysAdmin).toBe(false);
    expect(run.tracefsVisible).toBe(false);
    expect(tracepointLinks(run.links)).toEqual([]);
    expect(rawTracepoints(run.links).sort()).toEqual([
      'sched_process_exit',
      'signal_deliver',
      'sys_enter',
      'sys_exit',
    ]);
    expectEnterEvents(run, dir);
  });
});
