// The packed CLI installed on a box that can record but has no BPF compiler (issue #18): every package
// packed by pnpm, the tarballs installed by npm with a PATH that holds everything of /usr/bin but clang,
// llc, llvm-* and bpftool. The probe's addon is compiled at install from the skeleton shipped in the
// tarball (its BPF object built when the package was packed), then `scapkit record -- CMD` records CMD
// with it in the running kernel. Needs root and BTF, like every *.integration.test.ts.
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { packWorkspace } from '../scripts/pack.mjs';
import { CAN_LOAD_PROBE } from './support/machine.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const BPF_TOOLCHAIN = /^(clang|llc|llvm-|bpftool|opt$)/;
// Packing builds every package, installing compiles two addons (the probe's, zstd-napi's): a guard
// against a hang, not a speed limit.
const SETUP_TIMEOUT = 30 * 60_000;

function run(cmd: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = {}) {
  return new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
    execFile(cmd, args, { cwd, env: { ...process.env, ...env }, maxBuffer: 1 << 28 }, (err, stdout, stderr) =>
      resolve({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, stdout, stderr }),
    );
  });
}

describe.skipIf(!CAN_LOAD_PROBE)('the packed CLI, installed where there is no BPF compiler', () => {
  let tmp: string;
  let project: string;
  let bin: string;

  beforeAll(async () => {
    tmp = mkdtempSync(join(tmpdir(), 'scapkit-packages-probe-'));
    const tarballs = packWorkspace(root, join(tmp, 'tarballs'), () => {});
    bin = join(tmp, 'bin');
    mkdirSync(bin);
    for (const dir of ['/usr/local/bin', '/usr/bin']) {
      for (const name of readdirSync(dir)) {
        if (!BPF_TOOLCHAIN.test(name) && !existsSync(join(bin, name)))
          symlinkSync(join(dir, name), join(bin, name));
      }
    }
    project = join(tmp, 'project');
    mkdirSync(project);
    const dependencies = Object.fromEntries([...tarballs].map(([name, tgz]) => [name, `file:${tgz}`]));
    writeFileSync(join(project, 'package.json'), JSON.stringify({ private: true, dependencies }));
    const r = await run('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error'], project, {
      PATH: bin,
    });
    if (r.code !== 0) throw new Error(`npm install exited ${r.code}:\n${r.stderr}`);
  }, SETUP_TIMEOUT);

  afterAll(() => {
    if (tmp) rmSync(tmp, { recursive: true, force: true });
  });

  it('builds the probe addon at install and records a command with it', async () => {
    expect(
      existsSync(join(project, 'node_modules/@scapkit/bpf-probe/build/Release/scapkit_probe.node')),
    ).toBe(true);
    // No BPF source came with the package, and none was compiled at install.
    expect(existsSync(join(project, 'node_modules/@scapkit/bpf-probe/src/bpf/programs'))).toBe(false);
    expect(existsSync(join(project, 'node_modules/@scapkit/bpf-probe/src/bpf/.output'))).toBe(false);
    const scapkit = join(project, 'node_modules/.bin/scapkit');
    const trace = join(tmp, 'cat.scap');
    const rec = await run(scapkit, ['record', '-w', trace, '--', 'cat', '/etc/hostname'], project, {
      PATH: bin,
    });
    expect(rec.code, rec.stderr).toBe(0);
    const replay = await run(
      scapkit,
      [
        'replay',
        '-r',
        trace,
        '-p',
        '%proc.name %evt.type %fd.name',
        'proc.name=cat and evt.type=openat and evt.dir=<',
      ],
      project,
    );
    expect(replay.code, replay.stderr).toBe(0);
    expect(replay.stdout).toMatch(/^cat openat \/etc\/hostname$/m);
  });
});
