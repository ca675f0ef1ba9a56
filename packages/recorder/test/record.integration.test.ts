// `scapkit record` on the real kernel, as an SRE uses it: what a recording of a command holds (files,
// processes, sockets, exec arguments), the capture filter, -n, -M, and the refusals (a symlink or a
// directory as output, no privileges). Each test spawns the built CLI (`pnpm exec tsc -b` first).
import { execFile } from 'node:child_process';
import {
  chmodSync,
  copyFileSync,
  existsSync,
  mkdirSync,
  readFileSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CAN_LOAD_PROBE } from '../../../test/support/machine.mjs';
import {
  bin,
  catLoop,
  expectRecorded,
  info,
  parseSummary,
  type Run,
  recordWithoutDrops,
  replayLines,
  repo,
  scapkit,
  support,
  tempDir,
} from './support/cli.js';

const tmp = tempDir();
afterAll(() => tmp.cleanup());
const path = (name: string) => join(tmp.dir, name);

describe.skipIf(!CAN_LOAD_PROBE)('scapkit record: what a recording holds', () => {
  it("records a command's open of /etc/hostname with its process and parent, in a 0600 file", async () => {
    const file = path('cat.scap');
    // Through a link of our own: other cats on the box may open /etc/hostname meanwhile.
    const mine = path(`hostname-open-${process.pid}`);
    symlinkSync('/etc/hostname', mine);
    const r = await recordWithoutDrops(['record', '-w', file, '--', 'sh', '-c', `cat ${mine} > /dev/null`]);
    expectRecorded(r);
    expect(r.stderr).toMatch(/stopped: sh exited/);
    // Traces hold arguments, paths and environments: nobody but root reads them.
    expect(statSync(file).mode & 0o777).toBe(0o600);

    const { code, lines } = await replayLines(
      file,
      '%proc.name %proc.pname %evt.type %evt.dir %fd.name %fd.typechar',
      `proc.name=cat and evt.type in (open,openat) and fd.name=${mine}`,
    );
    expect(code).toBe(0);
    // The exit event carries the fd; sh forked cat, so cat's parent is sh.
    expect(lines).toContain(`cat sh openat < ${mine} f`);
    for (const l of lines) expect(l.startsWith(`cat sh open`) && l.includes(` ${mine}`), l).toBe(true);

    // The footer's statistics agree with the events in the file, and with the summary on stderr.
    const { json } = await info(file);
    const s = parseSummary(r.stderr)!;
    expect(json.stats?.eventsWritten).toBe(json.events);
    expect(json.events).toBe(s.written);
    expect(json.stats?.eventsSeen).toBe(s.seen);
  });

  it('records a TCP connect and accept on 127.0.0.1 with both ends of the connection', async () => {
    const file = path('net.scap');
    const r = await recordWithoutDrops([
      'record',
      '-w',
      file,
      '--',
      process.execPath,
      join(support, 'net-pair.mjs'),
    ]);
    expectRecorded(r);
    // The command's stdout goes through: net-pair.mjs prints the two ports the kernel picked.
    const ports = /^(\d+) (\d+)$/m.exec(r.stdout);
    expect(ports, r.stdout).not.toBeNull();
    const [, sport, cport] = ports!;
    const fmt = '%evt.type %fd.sip %fd.sport %fd.cip %fd.cport %fd.l4proto %fd.name';
    const tuple = `127.0.0.1 ${sport} 127.0.0.1 ${cport} tcp 127.0.0.1:${cport}->127.0.0.1:${sport}`;

    const c = await replayLines(file, fmt, `evt.type=connect and evt.dir=< and fd.sport=${sport}`);
    expect(c.code).toBe(0);
    expect(c.lines).toEqual([`connect ${tuple}`]);
    const a = await replayLines(
      file,
      fmt,
      `evt.type in (accept,accept4) and evt.dir=< and fd.sport=${sport}`,
    );
    expect(a.lines.map((l) => l.replace(/^accept4? /, ''))).toEqual([tuple]);
  });

  it("records an execve's arguments (proc.args, evt.arg.args) and its parent", async () => {
    const file = path('exec.scap');
    // env replaces itself with echo: two successful execve in one process, with different arguments.
    const r = await recordWithoutDrops([
      'record',
      '-w',
      file,
      '--',
      'env',
      'A=1',
      '/bin/echo',
      'alpha',
      'beta gamma',
    ]);
    expectRecorded(r);
    expect(r.stdout).toBe('alpha beta gamma\n');
    const { lines } = await replayLines(
      file,
      '%proc.name|%proc.exe|%proc.args|%evt.arg.args|%proc.pname|%evt.res',
      'evt.type=execve and evt.dir=< and proc.name in (env,echo)',
    );
    // The recorder spawned env, so the parent is the recorder itself (node): it stays in the thread table.
    expect(lines).toEqual([
      'env|env|A=1 /bin/echo alpha beta gamma|A=1./bin/echo.alpha.beta gamma.|node|SUCCESS',
      'echo|/bin/echo|alpha beta gamma|alpha.beta gamma.|node|SUCCESS',
    ]);
  });

  it('a capture filter keeps fewer events but still names every process of the events it keeps', async () => {
    const all = path('unfiltered.scap');
    const some = path('filtered.scap');
    // Our cat reads /etc/hostname through a link of its own, to tell it from other cats on the box.
    const mine = path(`hostname-${process.pid}`);
    symlinkSync('/etc/hostname', mine);
    const cmd = ['--', 'sh', '-c', `cat ${mine}`];
    const ra = await recordWithoutDrops(['record', '-w', all, ...cmd]);
    const rf = await recordWithoutDrops(['record', '-w', some, 'proc.name=cat', ...cmd]);
    expectRecorded(ra);
    expectRecorded(rf);
    const iff = (await info(some)).json;
    expect(iff.header.filter).toBe('proc.name=cat');
    // Fewer than an unfiltered recording of the same moment, which writes every event seen (two runs'
    // totals are not comparable: the rest of the box does not repeat itself).
    const s = parseSummary(rf.stderr)!;
    expect(iff.events).toBe(s.written);
    expect(s.filtered).toBeGreaterThan(0);
    expect(iff.events).toBeLessThan(s.seen - s.drops);
    expect(iff.stats?.eventsFiltered).toBe(s.filtered);
    // Every event the kernel produced is accounted for: written, left out by the filter, or dropped.
    expect(s.seen + s.added).toBe(s.written + s.filtered + s.drops);
    // cat's own events are all kept: as many as the unfiltered recording has of its cat.
    const ours = `proc.name=cat and proc.args=${mine}`;
    const catAll = await replayLines(all, '%evt.type', ours);
    const catSome = await replayLines(some, '%evt.type', ours);
    expect(catSome.lines.length).toBeGreaterThan(20);
    if (s.drops === 0 && parseSummary(ra.stderr)!.drops === 0) expect(catSome.lines).toEqual(catAll.lines);

    // '*' prints events whose fields are missing too, as <NA>. Every event of the traced command (sh and
    // cat) names its process and its parent. (Other processes' kept
    // state events can still show <NA> when the process was born while the probe loaded and was gone
    // before the /proc snapshot: no clone event, in neither snapshot. See the report.)
    const names = await replayLines(some, '*%proc.name %evt.type');
    expect(names.code).toBe(0);
    expect(names.lines.length).toBe(iff.events);
    const ourTree = await replayLines(
      some,
      '*%proc.name %proc.pname %evt.type',
      `proc.args contains hostname-${process.pid}`,
    );
    expect(ourTree.lines.length).toBeGreaterThan(20);
    expect(ourTree.lines.filter((l) => l.includes('<NA>'))).toEqual([]);
    // cat's events are all there, the open of /etc/hostname with its parent's name.
    const open = await replayLines(
      some,
      '%proc.pname %fd.name',
      `${ours} and evt.type=openat and evt.dir=< and fd.name=${mine}`,
    );
    expect(open.lines).toEqual([`sh ${mine}`]);
    // What is kept besides cat's events is what keeps the tables right (execve, clone, close, ...).
    const others = await replayLines(some, '%evt.type', 'proc.name!=cat');
    expect(others.lines.length).toBeGreaterThan(0);
    expect(
      others.lines.filter((t) => ['read', 'write', 'mmap', 'brk', 'futex', 'syscall', 'poll'].includes(t)),
    ).toEqual([]);
  });

  it('-n 100 writes exactly 100 events and accounts for the rest', async () => {
    const file = path('n100.scap');
    const r = await scapkit(['record', '-w', file, '-n', '100', '--', 'sh', '-c', catLoop(20)]);
    expectRecorded(r);
    expect(r.stderr).toMatch(/stopped: 100 events written \(-n\)/);
    const { json } = await info(file);
    expect(json.events).toBe(100);
    expect(json.stats?.eventsWritten).toBe(100);
    expect(
      (await scapkit(['replay', '-r', file, '-D', '-p', '%evt.num'])).stdout.trim().split('\n'),
    ).toHaveLength(100);
    const s = parseSummary(r.stderr)!;
    expect(s.written).toBe(100);
    expect(s.seen + s.added).toBe(s.written + s.afterLimit + s.drops);
  });

  it('-M 1 stops after about a second, and ends the command it was given', async () => {
    const file = path('m1.scap');
    const marker = `scapkit-m1-${process.pid}`;
    // A command that would run forever, ticking every 100 ms so the trace has events all along.
    const r = await scapkit(
      ['record', '-w', file, '-M', '1', '--', 'sh', '-c', `while :; do sleep 0.1; done # ${marker}`],
      { timeoutMs: 120_000 },
    );
    expectRecorded(r);
    expect(r.stderr).toMatch(/stopped: 1 s elapsed \(-M\)/);
    const { json } = await info(file);
    const spanMs = Number(BigInt(json.lastTs!) - BigInt(json.firstTs!)) / 1e6;
    expect(spanMs).toBeGreaterThan(700);
    // The trace's own clock, not the wall's (probe load and the /proc snapshot vary with the machine's
    // load): the old 1 s tick made this up to 2 s; the command alone would never end.
    expect(spanMs).toBeLessThan(2500);
    // The endless command is gone (it used to be left running, orphaned, holding the caller's pipes).
    const ps = await new Promise<string>((res) => execFile('pgrep', ['-f', marker], (_e, out) => res(out)));
    expect(ps.trim()).toBe('');
  });
});

describe.skipIf(!CAN_LOAD_PROBE)('scapkit replay of a recording', () => {
  // A read or write exit of the current layout carries its own fd (libs HEAD read_x: res, data, fd, size);
  // fd.num/fd.name must come from it, not from the thread's last fd (a bug found on the way: every read of
  // `dd if=/dev/zero of=/dev/null` showed fd 1 /dev/null). %evt.arg.fd renders as sysdig does: <f>/dev/zero.
  it("fd.num and fd.name of a read are the read's own fd (dd reads /dev/zero, not /dev/null)", async () => {
    const file = path('dd.scap');
    // dd under a name of its own: the probe sees the whole box, where other dd processes may run.
    const dd = `dd-${process.pid}`;
    copyFileSync('/usr/bin/dd', path(dd));
    chmodSync(path(dd), 0o755);
    const r = await recordWithoutDrops([
      'record',
      '-w',
      file,
      `proc.name=${dd}`,
      '--',
      path(dd),
      'if=/dev/zero',
      'of=/dev/null',
      'bs=1',
      'count=5',
      'status=none',
    ]);
    expectRecorded(r);
    const reads = await replayLines(
      file,
      '%evt.rawarg.fd %fd.num %fd.name %evt.arg.fd',
      `proc.name=${dd} and evt.type=read and evt.dir=< and evt.rawarg.res=1`,
    );
    expect(reads.lines).toHaveLength(5);
    for (const l of reads.lines) expect(l).toMatch(/^0 0 \/dev\/zero <[a-z]>\/dev\/zero$/);
  });
});

describe.skipIf(!CAN_LOAD_PROBE)('scapkit record: refusals', () => {
  it('refuses an output path that is a symbolic link, and leaves its target alone', async () => {
    const target = path('precious.txt');
    writeFileSync(target, 'keep me\n');
    const link = path('link.scap');
    symlinkSync(target, link);
    const r = await scapkit(['record', '-w', link, '-M', '1']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/link\.scap.*symbolic link/);
    expect(r.stderr).not.toMatch(/internal error|\n\s+at /);
    expect(readFileSync(target, 'utf8')).toBe('keep me\n');
  });

  it('refuses an output path that is a directory', async () => {
    const dir = path('a-directory.scap');
    mkdirSync(dir);
    const r = await scapkit(['record', '-w', dir, '-M', '1']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/a-directory\.scap.*directory/);
    expect(r.stderr).not.toMatch(/internal error|\n\s+at /);
    expect(statSync(dir).isDirectory()).toBe(true);
  });

  it('refuses a ring buffer size the probe cannot use, as bad usage (exit 2), and does not hang', async () => {
    const r = await scapkit(['record', '-w', path('tiny.scap'), '--buffer-size', '1K', '-M', '1'], {
      timeoutMs: 60_000,
    });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--buffer-size must be between 4K and 1G/);
    expect(r.stderr).not.toMatch(/internal error/);
    expect(existsSync(path('tiny.scap'))).toBe(false);
  });

  it('without root it refuses clearly (exit 1, root/CAP_BPF named) and leaves no file', async () => {
    // A directory nobody could write in, so a refusal is the recorder's and not the file system's.
    chmodSync(tmp.dir, 0o711);
    const dir = path('nobody');
    mkdirSync(dir);
    chmodSync(dir, 0o777);
    const out = join(dir, 'nobody.scap');
    const r = await asNobody([bin, 'record', '-w', out, '-M', '1']);
    expect(r.code, r.stderr).toBe(1);
    expect(r.stderr).toMatch(/root/);
    expect(r.stderr).toMatch(/CAP_BPF/);
    expect(r.stderr).not.toMatch(/internal error/);
    expect(existsSync(out)).toBe(false);
  });

  // The probe's own refusal, for other users of openProbe (the recorder checks CapEff before loading it):
  // it used to say 'kernel-too-old', "BPF ring buffers are not supported: the probe needs Linux 5.8", as
  // libbpf's feature probe answers "unsupported" when the map it tries to create is refused.
  it('bpf-probe: openProbe() as nobody fails with reason not-root', async () => {
    const probe = join(repo, 'packages/bpf-probe/dist/index.js');
    const script = `import(${JSON.stringify(probe)}).then((m) => { try { m.openProbe(); console.log('opened'); } catch (e) { console.log(e.reason + ': ' + e.message); } })`;
    const r = await asNobody(['--input-type=module', '-e', script]);
    expect(r.stdout).toMatch(/^not-root: /);
  });
});

/** Runs node with ARGS as user and group 65534 with no supplementary groups (setpriv, util-linux). */
function asNobody(args: string[]): Promise<Run> {
  return new Promise((resolve) => {
    execFile(
      'setpriv',
      ['--reuid=65534', '--regid=65534', '--clear-groups', process.execPath, ...args],
      { env: { ...process.env, TZ: 'UTC' }, timeout: 30_000 },
      (err, stdout, stderr) => {
        const e = err as (Error & { code?: unknown }) | null;
        resolve({ code: e ? (typeof e.code === 'number' ? e.code : -1) : 0, signal: null, stdout, stderr });
      },
    );
  });
}

describe.skipIf(!CAN_LOAD_PROBE)('scapkit record -c: a chisel on live events', () => {
  it('counts the traced command’s syscalls like replay -c does on a file', async () => {
    const r = await recordWithoutDrops([
      'record',
      '-q',
      '-c',
      'topscalls',
      'proc.name=cat',
      '--',
      'sh',
      '-c',
      'cat /etc/hostname /etc/hostname /etc/hostname > /dev/null',
    ]);
    expect(r.code, r.stderr).toBe(0);
    const rows = r.stdout.split('\n');
    expect(rows[0]).toMatch(/^# Calls\s+Syscall/);
    // cat opens each of its three arguments: at least three openat (plus its libraries).
    const openat = rows.find((l) => /\sopenat$/.test(l));
    expect(openat, r.stdout).toBeDefined();
    expect(Number(openat!.split(/\s+/)[0])).toBeGreaterThanOrEqual(3);
    const bad = await scapkit(['record', '-c', 'topscalls', '-w', path('x.scap'), '-M', '1']);
    expect(bad.code).toBe(2);
  });
});
