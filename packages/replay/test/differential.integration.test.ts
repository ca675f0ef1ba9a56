// The differential check (issue #17) on a trace the real probe records: the workload of
// test/differential/workload.sh (dirfd walks, dup/fcntl, close-on-exec, threads, fork/vfork/clone3,
// setuid, prctl, eventfd … memfd, TCP/UDP/unix sockets, curl), exported with `--format scap`, printed with
// the state fields by `scapkit replay` and by Debian's sysdig 0.29.3. At least 99.9% of the lines must be
// identical, the rest allowed only as documented sysdig 0.29.3 defects (differential.mjs, ALLOWED); and
// scapkit's replay of the native trace must match its replay of the export but for what the export cannot
// carry. Then the case that started it: `grep -r` over /etc/ssh walks with a directory fd. Needs root,
// BTF, sysdig and a built CLI (`pnpm exec tsc -b`).
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CAN_LOAD_PROBE } from '../../../test/support/machine.mjs';
// @ts-expect-error: a plain ES module shared with bench/differential.bench.mjs
import { checkTrace, formatReport, identicalPercent } from './differential/differential.mjs';

const repo = fileURLToPath(new URL('../../../', import.meta.url));
const bin = process.env.SCAPKIT_BIN ?? join(repo, 'packages/recorder/bin/scapkit.js');
const workload = fileURLToPath(new URL('./differential/workload.sh', import.meta.url));
const ready = CAN_LOAD_PROBE && existsSync('/usr/bin/sysdig') && existsSync(bin);
const tmp = mkdtempSync(join(tmpdir(), 'scapkit-differential-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function run(file: string, args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      file,
      args,
      { env: { ...process.env, TZ: 'UTC' }, maxBuffer: 1 << 28, timeout: 300_000 },
      (err, stdout, stderr) => {
        const code = err ? Number((err as { code?: number }).code ?? -1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}
const scapkit = (args: string[]) => run(process.execPath, [bin, ...args]);

describe.skipIf(!ready)('state on a scapkit recording: scapkit replay vs sysdig 0.29.3', () => {
  const trace = join(tmp, 'workload.scap');

  beforeAll(async () => {
    const r = await scapkit(['record', '-q', '-w', trace, '--', 'bash', workload]);
    expect([0, 3], r.stderr).toContain(r.code);
  }, 600_000);

  it('the workload: ≥ 99.9% identical lines against sysdig on the export, and native vs export', async () => {
    const dir = mkdtempSync(join(tmp, 'check-'));
    const r = await checkTrace({ bin, trace, dir });
    expect(r.sysdig.total).toBeGreaterThan(1000);
    expect(identicalPercent(r.sysdig), formatReport(r.sysdig)).toBeGreaterThanOrEqual(99.9);
    // The native trace and its export are the same events through the same replay: every line of the
    // workload's own processes is the same but for what the export cannot carry (EXPORT_LIMITS).
    const workload = ['state-workload', 'wl-threads', 'find', 'grep', 'tar', 'rm', 'curl'];
    for (const name of workload) {
      expect(r.native.byProcess.get(name)?.differing ?? 0, `${name}: ${formatReport(r.native)}`).toBe(0);
    }
    // The recording is box-wide, so processes outside the workload are in it, with fds they opened before it
    // started: a probe's bpf fds (another recorder, a test worker of the probe's tests) closed while it runs
    // show as unsupported in the export, which 0.29.3's fd types cannot name (export-downgrades-fd-types). A
    // foreign thread renamed by prctl (0.29.3 has none) whose line also shows such an fd differs in two
    // columns that no single allowance names (a loaded CI run: 4 chromium lines of 45,143): for the rest of
    // the box, the bound of the sysdig comparison.
    expect(identicalPercent(r.native), formatReport(r.native)).toBeGreaterThanOrEqual(99.9);
    // The workload's own processes are all there, each as sysdig sees it; the one renamed by prctl only in
    // scapkit's replay of the native trace (0.29.3 has no prctl event: the export writes a generic one).
    for (const name of workload) {
      expect(r.sysdig.byProcess.get(name)?.lines ?? 0, name).toBeGreaterThan(0);
    }
    expect(r.native.byProcess.get('wl-renamed')?.lines ?? 0).toBeGreaterThan(0);
  }, 900_000);

  it('grep -r over /etc/ssh: every file it opens below its directory fd has its full path', async () => {
    const grep = join(tmp, 'grep.scap');
    const exported = join(tmp, 'grep-sysdig.scap');
    const rec = await scapkit([
      'record',
      '-q',
      '-w',
      grep,
      '--',
      'grep',
      '-r',
      '-l',
      'PermitRootLogin',
      '/etc/ssh',
    ]);
    expect([0, 1, 3], rec.stderr).toContain(rec.code); // grep exits 1 when nothing matches
    const filter = 'proc.name=grep and evt.type=openat and evt.dir=< and fd.name startswith /etc/ssh/';
    const fmt = '%fd.name';
    const ours = await scapkit(['replay', '-r', grep, '-p', fmt, filter]);
    expect((await scapkit(['export', '-r', grep, '-w', exported, '--format', 'scap'])).code).toBe(0);
    const theirs = await run('/usr/bin/sysdig', ['-r', exported, '-p', fmt, filter]);
    const names = ours.stdout.split('\n').filter(Boolean);
    expect(names).toContain('/etc/ssh/ssh_config');
    expect(names.length).toBeGreaterThanOrEqual(2);
    expect(names).toEqual(theirs.stdout.split('\n').filter(Boolean));
    // The issue's own query, as a user types it: every file grep opened is found by its path.
    const asTyped = await scapkit(['replay', '-r', grep, '-p', fmt, 'fd.name startswith /etc/ssh/']);
    expect(asTyped.code, asTyped.stderr).toBe(0);
    expect(new Set(asTyped.stdout.split('\n').filter(Boolean))).toEqual(new Set(names));
  }, 300_000);
});
