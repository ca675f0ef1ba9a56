// scapkit's default ruleset against real behaviour: each behaviour a rule describes is done for real on
// this box (workloads/behaviours.sh, and a shell in a podman container), recorded with the real probe
// through `scapkit record -- …`, and judged; every rule must fire for the step that does what it
// describes. An ordinary workload (workloads/benign.sh) recorded the same way must raise nothing.
// The recordings hold the whole box (other work runs on it too): only the workload's own processes
// (its pid and descendants, or its container) are judged.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { compileFilter } from '@scapkit/replay';
import { openCaptureFile } from '@scapkit/scap-format/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bin, repo, scapkit, tempDir } from '../../recorder/test/support/cli.js';
import { type Alert, AlertFormatter, createDetectPipeline, RulesEngine } from '../src/index.js';
import { DEFAULT_RULES_FILE, loadRulesFile } from '../src/node/index.js';

const workloads = fileURLToPath(new URL('./workloads/', import.meta.url));
const isRoot = process.getuid?.() === 0;
const havePodman = existsSync('/usr/bin/podman');
const { dir: tmp, cleanup } = tempDir('scapkit-rules-');

/** `scapkit record -q -w TRACE -- CMD…` with the real probe; the trace's path. */
async function record(name: string, cmd: string[]): Promise<string> {
  const trace = join(tmp, `${name}.scap`);
  // Rings that hold a few seconds of a busy box: the suite runs beside other work (a drop would be exit 3).
  const r = await scapkit(['record', '-q', '--buffer-size', '64M', '-w', trace, '--', ...cmd], {
    timeoutMs: 300_000,
  });
  expect(r.code, r.stderr).toBe(0);
  return trace;
}

/** Falco's stock ruleset (falcosecurity/rules), as reference data beside the repository. */
const STOCK_RULES = join(repo, '../shared/reference/falco/falco_rules.yaml');
const haveStock = existsSync(STOCK_RULES);

/** The alerts of a ruleset (the default one) on `trace`, for the events `scope` (a sysdig filter) passes. */
async function judge(trace: string, scope: string, rules = DEFAULT_RULES_FILE): Promise<Alert[]> {
  const engine = new RulesEngine();
  const loaded = await loadRulesFile(engine, rules);
  expect(loaded.errors).toEqual([]);
  const inScope = compileFilter(scope, engine.registry);
  const alerts: Alert[] = [];
  const { pipeline } = createDetectPipeline({
    ruleset: engine.ruleset(),
    formatter: new AlertFormatter({ registry: engine.registry, json: false, hostname: () => '' }),
    filter: (ctx) => inScope.match(ctx),
    onAlert: (a) => alerts.push(a),
  });
  await pipeline.run(openCaptureFile(trace));
  return alerts;
}

const byRule = (alerts: Alert[], rule: string) =>
  alerts.filter((a) => a.rule.name === rule).map((a) => a.output);

/** Some alert of `rule` says what `output` matches; the rule's alerts are shown when none does. */
function expectFired(alerts: Alert[], rule: string, output: RegExp): void {
  const outs = byRule(alerts, rule);
  expect(
    outs.some((o) => output.test(o)),
    `${rule} alerts:\n${outs.join('\n')}`,
  ).toBe(true);
}

let listener: Server;
let port = 0;
beforeAll(async () => {
  listener = createServer((c) => {
    c.on('data', () => {});
    c.on('error', () => {});
  });
  await new Promise<void>((resolve) => listener.listen(0, '127.0.0.1', resolve));
  port = (listener.address() as { port: number }).port;
});
afterAll(() => {
  listener.close();
  cleanup();
});

describe.skipIf(!isRoot)('the default ruleset on behaviours done for real on this box', () => {
  let alerts: Alert[] = [];
  let stockAlerts: Alert[] = [];
  beforeAll(async () => {
    const pidfile = join(tmp, 'behaviours.pid');
    const trace = await record('behaviours', [
      'bash',
      join(workloads, 'behaviours.sh'),
      String(port),
      pidfile,
    ]);
    const pid = Number(readFileSync(pidfile, 'utf8'));
    alerts = await judge(trace, `proc.pid=${pid} or proc.apid=${pid}`);
    if (haveStock) stockAlerts = await judge(trace, `proc.pid=${pid} or proc.apid=${pid}`, STOCK_RULES);
  }, 600_000);

  it.each([
    [
      'Sensitive file read',
      /^Sensitive file \/etc\/shadow opened for reading \(user=root process=cat command=cat \/etc\/shadow /,
    ],
    [
      'Write below /etc',
      /^File below \/etc opened for writing \(file=\/etc\/scapkit-test-\d+ user=root process=touch /,
    ],
    ['Crontab changed', /^Crontab changed \(file=\/etc\/cron\.d\/scapkit-test-\d+ /],
    [
      'SSH authorized keys changed',
      /^SSH authorized keys written \(file=\/root\/\.ssh\/authorized_keys_scapkit-test-\d+ /,
    ],
    [
      'Write below a system directory',
      /^File below a system directory opened for writing \(file=\/usr\/local\/bin\/scapkit-test-\d+ user=root process=cp /,
    ],
    [
      'Modified system binary run',
      /^System binary changed \d+ ns before it ran \(exe=\/usr\/local\/bin\/scapkit-test-\d+ /,
    ],
    ['Log file truncated', /^Log file truncated \(file=\/var\/log\/scapkit-test-\d+\.log /],
    [
      'Log file deleted',
      /^Log file deleted \(unlinkat .*name=\/var\/log\/scapkit-test-\d+\.log .*process=rm /,
    ],
    [
      'Program run from a temporary directory',
      /^Program run from a temporary directory \(exe=\/tmp\/scapkit-test-\d+ /,
    ],
    // (argv[0] is "payload"; the kernel names the process after the path it was run by, /proc/self/fd/N)
    ['Fileless execution', /^Program executed from memory \(exe=payload .*parent=bash /],
    ['Privileges changed with sudo or su', /^su run \(user=root .*command=su nobody -s \/bin\/sh -c true /],
    ['Namespace changed', /^unshare by unshare \(res=0 flags=\d+\(CLONE_NEWUTS\)/],
    ['Ptrace attached to a process', /^PTRACE_SEIZE of .*process=strace command=strace -qq -p \d+ /],
    ['Kernel module loaded', /^finit_module \(res=\S+ user=root process=perl /],
    ['Netcat or socat run', /^nc run \(user=root command=nc -h /],
    [
      'Unexpected network connection',
      new RegExp(`^bash connected to 127\\.0\\.0\\.1:\\d+->127\\.0\\.0\\.1:${'\\d+'} `),
    ],
    [
      'Standard input or output redirected to a socket',
      /^Socket 127\.0\.0\.1:\d+->127\.0\.0\.1:\d+ duplicated onto fd 0 /,
    ],
  ])('%s', (rule, output) => expectFired(alerts, rule, output));

  // Falco's stock ruleset on the same recording: each rule whose description a step does fires for it
  // (the first matching rule in load order alerts, as Falco's default). Outputs as the rules write them.
  it.skipIf(!haveStock).each([
    [
      'Read sensitive file untrusted',
      /^Sensitive file opened for reading by non-trusted program \| file=\/etc\/shadow .* process=cat /,
    ],
    ['Clear Log Activities', /^Log files were tampered \| file=\/var\/log\/scapkit-test-\d+\.log /],
    [
      'Create Symlink Over Sensitive Files',
      /^Symlinks created over sensitive files \| target=\/etc\/shadow linkpath=\S+\/shadow-link /,
    ],
    ['PTRACE attached to process', /^Detected ptrace PTRACE_ATTACH attempt \| .* process=strace /],
    ['Find AWS Credentials', /^Detected AWS credentials search activity \| .* process=grep /],
    [
      'Search Private Keys or Passwords',
      /^Grep private keys or passwords activities found \| .* process=find /,
    ],
    ['Execution from /dev/shm', /^File execution detected from \/dev\/shm \| /],
    // A process on the host has a pid namespace too: Falco's container plugin gives its start.
    [
      'Fileless execution via memfd_create',
      /^Fileless execution via memfd_create \| container_start_ts=\d{19} .* exe_flags=\S*EXE_FROM_MEMFD/,
    ],
    ['Remove Bulk Data from Disk', /^Bulk data has been removed from disk \| .* process=shred /],
  ])('stock ruleset: %s', (rule, output) => expectFired(stockAlerts, rule, output));

  it('raises nothing the script did not do', () => {
    const expected = new Set([
      'Sensitive file read',
      'Write below /etc',
      'Crontab changed',
      'SSH authorized keys changed',
      'Write below a system directory',
      'Modified system binary run',
      'Log file truncated',
      'Log file deleted',
      'Program run from a temporary directory',
      'Fileless execution',
      'Privileges changed with sudo or su',
      'Namespace changed',
      'Ptrace attached to a process',
      'Kernel module loaded',
      'Netcat or socat run',
      'Unexpected network connection',
      'Standard input or output redirected to a socket',
    ]);
    expect(
      alerts.filter((a) => !expected.has(a.rule.name)).map((a) => `${a.rule.name}: ${a.output}`),
    ).toEqual([]);
  });
});

describe.skipIf(!isRoot || !havePodman)('the default ruleset on a shell in a container (podman)', () => {
  const image = `localhost/scapkit-rules-test:${process.pid}`;
  let alerts: Alert[] = [];
  let stockAlerts: Alert[] = [];
  let traceStart = 0n;
  beforeAll(async () => {
    // An image from a busybox rootfs, with an `apk` and a `cc` (scripts under the names the rules know).
    const rootfs = join(tmp, 'rootfs');
    for (const d of ['bin', 'sbin', 'usr/bin', 'tmp', 'etc']) mkdirSync(join(rootfs, d), { recursive: true });
    execFileSync('cp', ['/bin/busybox', join(rootfs, 'bin/busybox')]);
    for (const a of ['sh', 'cp', 'true']) execFileSync('ln', ['-s', 'busybox', join(rootfs, 'bin', a)]);
    for (const tool of ['sbin/apk', 'usr/bin/cc'])
      writeFileSync(join(rootfs, tool), '#!/bin/sh\nexit 0\n', { mode: 0o755 });
    execFileSync('tar', ['-C', rootfs, '-cf', join(tmp, 'rootfs.tar'), '.']);
    execFileSync('podman', ['import', '-q', join(tmp, 'rootfs.tar'), image]);
    const cidfile = join(tmp, 'cid');
    const trace = await record('container', [
      'podman',
      'run',
      '--rm',
      '--cidfile',
      cidfile,
      ...['--runtime', 'runc', '--cgroup-manager', 'cgroupfs', '--network', 'none'],
      ...['--ulimit', 'nofile=1024:1024', '--ulimit', 'nproc=1024:1024'],
      image,
      'sh',
      '-c',
      // busybox runs the applet its name says: the dropped copy is named `true`.
      'apk add curl; cc -o x x.c; mkdir /tmp/dropped; cp /bin/busybox /tmp/dropped/true; /tmp/dropped/true',
    ]);
    const cid = readFileSync(cidfile, 'utf8').trim().slice(0, 12);
    alerts = await judge(trace, `container.id=${cid}`);
    if (haveStock) stockAlerts = await judge(trace, `container.id=${cid}`, STOCK_RULES);
    traceStart = BigInt(
      execFileSync(process.execPath, [bin, 'replay', '-r', trace, '-p', '%evt.rawtime', 'evt.num=1'], {
        encoding: 'utf8',
      }).trim(),
    );
  }, 600_000);
  afterAll(() => {
    try {
      execFileSync('podman', ['rmi', '-f', image], { stdio: 'ignore' });
    } catch {
      // already gone
    }
  });

  it.each([
    ['Shell spawned in a container', /^Shell spawned in container [0-9a-f]{12} \(user=root process=sh /],
    [
      'Package manager run in a container',
      /^Package manager run in container [0-9a-f]{12} \(user=root command=apk /,
    ],
    ['Compiler run in a container', /^Compiler run in container [0-9a-f]{12} \(user=root command=cc /],
    [
      'Binary written in a container run',
      /^Program not in the container image executed \(exe=\/tmp\/dropped\/true /,
    ],
  ])('%s', (rule, output) => expectFired(alerts, rule, output));

  // Falco's stock rule for it, whose output carries container.start_ts: the start of the container's
  // init (its `sh`, pid 1 there), after the recording began and before the alert.
  it.skipIf(!haveStock)('stock ruleset: Drop and execute new binary in container', () => {
    const outs = byRule(stockAlerts, 'Drop and execute new binary in container');
    const m = outs
      .map((o) =>
        /^Executing binary not part of base image \| proc_exe=\/tmp\/dropped\/true .* container_start_ts=(\d+) .*exe_flags=\S*EXE_UPPER_LAYER/.exec(
          o,
        ),
      )
      .find((x) => x !== null);
    expect(m, outs.join('\n')).toBeTruthy();
    const start = BigInt(m![1]!);
    const alert = stockAlerts.find((a) => a.rule.name === 'Drop and execute new binary in container')!;
    expect(start).toBeGreaterThan(traceStart);
    expect(start).toBeLessThan(alert.ts);
  });
});

/**
 * Whether `alert` is "Modified system binary run" for a binary whose status the box changed before
 * `beforeNs` (wall clock, ns), as the file system still says: not the workload's doing. Anything that
 * links, chmods or setcaps a system binary changes its ctime, the time the rule reads (the one time
 * a replaced binary cannot set back): perf's build-id cache hard-links every binary `perf record` samples
 * into ~/.debug, and the box is profiled while the suite runs.
 */
function statusChangedBefore(alert: Alert, beforeNs: bigint): boolean {
  if (alert.rule.name !== 'Modified system binary run') return false;
  const m = /\(exe=(\S+) ctime=(\d+) /.exec(alert.output);
  if (!m?.[1] || !m[2]) return false;
  const ctime = BigInt(m[2]);
  return ctime < beforeNs && statSync(m[1], { bigint: true }).ctimeNs === ctime;
}

describe.skipIf(!isRoot)('the default ruleset on an ordinary workload', () => {
  it('raises nothing', async () => {
    const pidfile = join(tmp, 'benign.pid');
    const started = BigInt(Date.now()) * 1_000_000n;
    const trace = await record('benign', ['bash', join(workloads, 'benign.sh'), pidfile]);
    const pid = Number(readFileSync(pidfile, 'utf8'));
    const alerts = await judge(trace, `proc.pid=${pid} or proc.apid=${pid}`);
    // The workload changes no system binary; one the box changed in the five minutes before it (a perf
    // profile) is run by it and alerted on, rightly: not an alert of the workload's.
    const ours = alerts.filter((a) => !statusChangedBefore(a, started));
    expect(ours.map((a) => `${a.rule.name}: ${a.output}`)).toEqual([]);
  }, 600_000);
});
