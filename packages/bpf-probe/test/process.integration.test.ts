// execve (failed and successful), fork and thread creation (clone/clone3), kill/tgkill, signal delivery
// and process exit.
import { readFileSync, realpathSync, statSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CAN_LOAD_PROBE } from '../../../test/support/machine.mjs';
import { buildTrigger, capture, type DecodedEvent, only } from './support/capture.js';

const ENOENT = 2;
const ESRCH = 3;
const PPM_CL_CLONE_FILES = 1 << 0;
const PPM_CL_CLONE_FS = 1 << 1;
const PPM_CL_CLONE_SIGHAND = 1 << 11;
const PPM_CL_CLONE_THREAD = 1 << 13;
const PPM_CL_CLONE_VM = 1 << 15;
const PPM_CL_CLONE_VFORK = 1 << 27;

/** The cgroups param as libs writes it, from /proc/self/cgroup (the helper inherits the test's cgroups):
 *  name -> path for each v1 controller, or '' -> path for the v2 hierarchy. */
function ownCgroups(): Map<string, string> {
  const m = new Map<string, string>();
  for (const line of readFileSync('/proc/self/cgroup', 'utf8').trim().split('\n')) {
    const [, ctrls, path] = line.split(':') as [string, string, string];
    for (const c of ctrls.split(',')) if (!c.startsWith('name=')) m.set(c, path);
  }
  return m;
}
function parseCgroupsParam(b: Uint8Array): Map<string, string> {
  const m = new Map<string, string>();
  for (const kv of Buffer.from(b).toString().split('\0').filter(Boolean)) {
    const i = kv.indexOf('=');
    m.set(kv.slice(0, i), kv.slice(i + 1));
  }
  return m;
}

const strs = (...s: string[]) => Uint8Array.from(Buffer.from(s.map((x) => `${x}\0`).join('')));

describe.runIf(CAN_LOAD_PROBE)('process syscalls', () => {
  it('records a failed and a successful execve with exe, args, env, ids and the new image', async () => {
    const trigger = buildTrigger();
    const { events, pid } = await capture('exec');
    const [bad, good] = only(events, 'execve') as [DecodedEvent, DecodedEvent];
    expect(bad.params).toMatchObject({
      res: -ENOENT,
      exe: 'nope',
      args: strs('x'),
      tid: pid,
      pid,
      ptid: process.pid,
      comm: 'trigger',
      env: strs('SCAPKIT_TEST=1', 'FOO=bar'),
      filename: '/nonexistent/scapkit',
      uid: 0,
      gid: 0,
    });
    expect(bad.params.exe_ino).toBe(statSync(trigger, { bigint: true }).ino);
    // Paths rebuilt in the kernel: the working directory, and the executable as opened (links resolved).
    expect(bad.params.cwd).toBe(realpathSync(process.cwd()));
    expect(bad.params.trusted_exepath).toBe(realpathSync(trigger));
    expect(good.params).toMatchObject({
      res: 0,
      exe: '/bin/echo',
      args: strs('hello', 'world'),
      tid: pid,
      pid,
      ptid: process.pid,
      comm: 'echo',
      env: strs('SCAPKIT_TEST=1', 'FOO=bar'),
      filename: '/bin/echo',
      uid: 0,
      gid: 0,
    });
    expect(good.params.cwd).toBe(realpathSync(process.cwd()));
    expect(good.params.trusted_exepath).toBe(realpathSync('/bin/echo'));
    const echo = statSync('/bin/echo', { bigint: true });
    expect(good.params.exe_ino).toBe(echo.ino);
    expect(good.params.exe_ino_mtime).toBe(echo.mtimeNs);
    expect(good.params.exe_ino_ctime).toBe(echo.ctimeNs);
    expect(good.params.fdlimit as bigint).toBeGreaterThan(0n);
    expect(good.params.vm_size as number).toBeGreaterThan(0);
    expect(good.params.cap_effective as bigint).toBeGreaterThan(0n); // root
    expect(good.ts).toBeGreaterThan(bad.ts);
    const [badat] = only(events, 'execveat');
    expect(badat!.params).toMatchObject({
      res: -ENOENT,
      exe: 'nope',
      args: strs('x'),
      tid: pid,
      pid,
      comm: 'trigger',
      env: strs('SCAPKIT_TEST=1', 'FOO=bar'),
    });
    // The recorded time is wall-clock time (ns since the epoch).
    const ms = Number(good.ts / 1_000_000n);
    expect(Math.abs(ms - Date.now())).toBeLessThan(60_000);
  });

  it('records fork and thread creation with the child tids, and both exits', async () => {
    const trigger = buildTrigger();
    const { events, out, pid } = await capture('clone');
    const forks = only(events, 'fork');
    // Only the parent's side: the child is another process, outside the pid filter.
    expect(forks).toHaveLength(1);
    expect(forks[0]!.params).toMatchObject({
      res: out.child,
      exe: trigger,
      tid: pid,
      pid,
      ptid: process.pid,
      comm: 'trigger',
      flags: 0,
      cwd: realpathSync(process.cwd()),
      uid: 0,
      gid: 0,
      vtid: pid,
      vpid: pid,
    });
    const vforks = only(events, 'vfork');
    expect(vforks).toHaveLength(1);
    expect(vforks[0]!.params).toMatchObject({
      res: out.vchild,
      tid: pid,
      pid,
      flags: PPM_CL_CLONE_VFORK | PPM_CL_CLONE_VM,
    });
    // cgroups: every subsystem the kernel has, with the path /proc shows for it.
    const cg = parseCgroupsParam(forks[0]!.params.cgroups as Uint8Array);
    const own = ownCgroups();
    expect(cg.get('cpu')).toBeDefined();
    expect(cg.get('memory')).toBeDefined();
    for (const [name, path] of cg) {
      const expected = own.get(name) ?? (own.size === 1 ? own.get('') : undefined);
      if (expected !== undefined) expect(`${name}=${path}`).toBe(`${name}=${expected}`);
    }
    const clone3 = only(events, 'clone3');
    // Parent (res = new thread) and the new thread itself (res = 0), same process.
    const parent = clone3.find((e) => e.params.res !== 0)!;
    const child = clone3.find((e) => e.params.res === 0)!;
    expect(parent.params).toMatchObject({ res: out.thread, tid: pid, pid });
    expect(child.params).toMatchObject({ res: 0, tid: out.thread, pid });
    expect(child.tid).toBe(out.thread);
    const flags = parent.params.flags as number;
    expect(flags & (PPM_CL_CLONE_THREAD | PPM_CL_CLONE_VM | PPM_CL_CLONE_FILES)).toBe(
      PPM_CL_CLONE_THREAD | PPM_CL_CLONE_VM | PPM_CL_CLONE_FILES,
    );
    // The new thread's own flags come from its task, not from struct clone_args in its creator's stack,
    // which the creator may have reused by then (the thread then read CLONE_NEWUSER|CLONE_VFORK|…, or no
    // CLONE_THREAD): a thread sharing its process's files, fs, memory and signal handlers, nothing else
    // a thread cannot have.
    const threadFlags = child.params.flags as number;
    const threadBits =
      PPM_CL_CLONE_THREAD | PPM_CL_CLONE_SIGHAND | PPM_CL_CLONE_VM | PPM_CL_CLONE_FILES | PPM_CL_CLONE_FS;
    expect(threadFlags & threadBits).toBe(threadBits);
    expect(threadFlags & ~flags).toBe(0); // nothing its creator did not ask for
    const exits = only(events, 'procexit', '>');
    expect(exits.map((e) => e.tid).sort()).toEqual([pid, out.thread].sort());
    expect(exits.find((e) => e.tid === pid)!.params).toMatchObject({ status: 0, ret: 0, sig: 0, core: 0 });
  });

  it("records kill and tgkill with the signal, and the signal's delivery", async () => {
    const { events, out, pid } = await capture('kill');
    const kills = only(events, 'kill');
    expect(kills.map((e) => e.params)).toEqual([
      { res: 0, pid: out.child, sig: 15 },
      { res: -ESRCH, pid: 999999999, sig: 10 },
    ]);
    expect(only(events, 'tgkill')[0]!.params).toEqual({ res: 0, pid, tid: pid, sig: 12 });
    expect(only(events, 'tkill')[0]!.params).toEqual({ res: 0, tid: pid, sig: 12 });
    const delivered = only(events, 'signaldeliver', '>').filter((e) => e.params.sig === 12);
    expect(delivered.map((e) => e.params)).toEqual([
      { spid: pid, dpid: pid, sig: 12 },
      { spid: pid, dpid: pid, sig: 12 },
    ]);
  });
});
