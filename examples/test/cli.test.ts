// The examples as commands: compiled from their TypeScript sources (esbuild here, so the test needs no
// `tsc -b` first), run with `node`, and held to the exit codes of every scapkit command: 0 ok, 1 error,
// 2 usage, 3 finished but data was lost (a cut file: everything before the cut is still printed).
import { spawnSync } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { capture, lines, sourcesEventCount, sysdig } from './helpers.js';

const src = (p: string) => fileURLToPath(new URL(p, import.meta.url));
// The workspace packages from source, as vitest.config.ts aliases them.
const ALIASES: Record<string, string> = {
  '@scapkit/scap-format': src('../../packages/scap-format/src/index.ts'),
  '@scapkit/scap-format/node': src('../../packages/scap-format/src/node/index.ts'),
  '@scapkit/replay': src('../../packages/replay/src/index.ts'),
};

let dir: string;
const program = (name: string) => join(dir, `${name}.js`);

/** Runs a compiled example like a user would; output as text, with the exit code. */
function runCommand(name: string, args: string[]) {
  const r = spawnSync(process.execPath, [program(name), ...args], { encoding: 'utf8', timeout: 30_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'scapkit-examples-'));
  await build({
    entryPoints: ['to-csv', 'opened-files'].map((n) => src(`../${n}.ts`)),
    outdir: dir,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    logLevel: 'warning',
    plugins: [
      {
        name: 'workspace-from-source',
        setup(b) {
          b.onResolve({ filter: /^@scapkit\// }, (a) =>
            ALIASES[a.path] ? { path: ALIASES[a.path]! } : undefined,
          );
        },
      },
    ],
  });
});

afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('examples as commands', () => {
  it('exit 0 and the data on stdout', () => {
    const r = runCommand('to-csv', [capture('cat_write.scap')]);
    expect(r.code).toBe(0);
    expect(lines(r.stdout)).toHaveLength(1 + sourcesEventCount('cat_write.scap'));
  });

  it('exit 2 and the usage on stderr when an argument is missing', () => {
    const r = runCommand('opened-files', [capture('cat_write.scap')]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^usage: opened-files CAPTURE COMMAND/);
  });

  it('exit 1 for a file that is not a capture, and for a missing one', async () => {
    const notes = join(dir, 'notes.txt');
    await writeFile(notes, 'hello\n');
    for (const f of [notes, join(dir, 'missing.scap')]) {
      const r = runCommand('to-csv', [f]);
      expect(r.code).toBe(1);
      expect(r.stdout).toBe('');
      expect(r.stderr).toMatch(/^error: /);
    }
  });

  it('exit 3 for a cut file, after printing every event before the cut', async () => {
    // A gzip sysdig capture cut in the middle, as a crash or a full disk leaves it.
    const whole = await readFile(capture('curl_google.scap'));
    const cut = join(dir, 'cut.scap');
    await writeFile(cut, whole.subarray(0, Math.floor(whole.length * 0.6)));
    const r = runCommand('to-csv', [cut]);
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/^warning: the capture is cut/);
    const rows = lines(r.stdout).slice(1);
    const all = lines(
      sysdig([
        '-D',
        '-r',
        capture('curl_google.scap'),
        '-p',
        '%evt.num,%evt.rawtime,%thread.tid,%evt.type,%evt.dir',
      ]),
    );
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.length).toBeLessThan(all.length);
    expect(rows).toEqual(all.slice(0, rows.length));
  });
});
