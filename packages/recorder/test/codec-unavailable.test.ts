// `--codec zstd` where the native zstd module (zstd-napi, an optional dependency) is missing: record and
// export stop with exit 1 and a message that says what to do, before creating any file; without --codec
// they write LZ4 chunks instead (packages/scap-format/README.md: "a writer falls back to LZ4"). The module
// is taken away without uninstalling it: test/support/no-zstd-napi.cjs, preloaded through NODE_OPTIONS,
// makes resolving it throw MODULE_NOT_FOUND as a missing package does (or, with SCAPKIT_TEST_ZSTD=unbuilt,
// only its native build, as an install whose node-gyp build failed). Needs the build (`pnpm exec tsc -b`).
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { SK, walkScapkit } from '../../../fuzz/lib/walk.mjs';
import { CAN_LOAD_PROBE } from '../../../test/support/machine.mjs';
import { recordWithoutDrops, scapkit, tempDir } from './support/cli.js';

const preload = fileURLToPath(new URL('./support/no-zstd-napi.cjs', import.meta.url));
const noZstd = { NODE_OPTIONS: `--require ${preload}` };
const unbuiltZstd = { ...noZstd, SCAPKIT_TEST_ZSTD: 'unbuilt' };
/** A small scapkit trace (40 events, chunks stored uncompressed), from the format's golden files. */
const input = fileURLToPath(new URL('../../scap-format/test/golden/basic-none.scapkit', import.meta.url));
const CODEC = { none: 0, lz4: 1, zstd: 2 };

/** The codec byte of every chunk of a scapkit trace, read by the fuzzer's independent record walker. */
function chunkCodecs(file: string): Set<number> {
  const bytes = new Uint8Array(readFileSync(file));
  const chunks = walkScapkit(bytes).filter((r) => r.type === SK.CHUNK);
  expect(chunks.length).toBeGreaterThan(0);
  return new Set(chunks.map((r) => bytes[r.bodyStart]!));
}

/** The message for a zstd-napi that is not installed: what is missing, how to install it, the way round. */
function expectNotInstalledMessage(stderr: string): void {
  expect(stderr).toMatch(
    /^scapkit: --codec zstd: zstd-napi \(the native zstd module, an optional dependency\) is not installed\./,
  );
  expect(stderr).toContain('npm install zstd-napi');
  expect(stderr).toContain('python3, make and a C++ compiler');
  expect(stderr).toContain('use --codec lz4');
  expect(stderr).toContain('Without --codec, scapkit writes lz4 when zstd-napi is missing.');
  expect(stderr).not.toContain('internal error');
  expect(stderr.trim().split('\n')).toHaveLength(1);
}

const tmp = tempDir('scapkit-codec-');
afterAll(() => tmp.cleanup());

describe('--codec zstd without the native zstd module', () => {
  it('export --format scapkit --codec zstd: exit 1, says to install zstd-napi or use --codec lz4, writes nothing', async () => {
    // The control: with the module, the same command writes zstd chunks.
    const withModule = join(tmp.dir, 'with-module.scapkit');
    const ok = await scapkit([
      'export',
      '-r',
      input,
      '-w',
      withModule,
      '--format',
      'scapkit',
      '--codec',
      'zstd',
    ]);
    expect(ok.code, ok.stderr).toBe(0);
    expect(chunkCodecs(withModule)).toEqual(new Set([CODEC.zstd]));

    const out = join(tmp.dir, 'export-zstd.scapkit');
    const r = await scapkit(['export', '-r', input, '-w', out, '--format', 'scapkit', '--codec', 'zstd'], {
      env: noZstd,
    });
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expectNotInstalledMessage(r.stderr);
    expect(existsSync(out)).toBe(false);
  });

  it('export --format scapkit without --codec falls back to lz4, and replays the same', async () => {
    const zstdTrace = join(tmp.dir, 'default-with-module.scapkit');
    const withModule = await scapkit(['export', '-r', input, '-w', zstdTrace, '--format', 'scapkit']);
    expect(withModule.code, withModule.stderr).toBe(0);
    expect(chunkCodecs(zstdTrace)).toEqual(new Set([CODEC.zstd])); // the default where zstd-napi loads

    const out = join(tmp.dir, 'default-without-module.scapkit');
    const r = await scapkit(['export', '-r', input, '-w', out, '--format', 'scapkit'], { env: noZstd });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/wrote 40 events/);
    expect(chunkCodecs(out)).toEqual(new Set([CODEC.lz4]));
    const [a, b] = await Promise.all([
      scapkit(['replay', '-r', input], { env: noZstd }),
      scapkit(['replay', '-r', out], { env: noZstd }),
    ]);
    expect(a.code, a.stderr).toBe(0);
    expect(b.code, b.stderr).toBe(0);
    expect(a.stdout).not.toBe('');
    expect(b.stdout).toBe(a.stdout);
  });

  it('record --codec zstd: exit 1 with the same message, before loading the probe or creating the trace', async () => {
    const out = join(tmp.dir, 'record-zstd.scapkit');
    // -M 1 -- true: should the check ever come too late, the recording is still short.
    const r = await scapkit(['record', '--codec', 'zstd', '-w', out, '-M', '1', '--', 'true'], {
      env: noZstd,
    });
    expect(r.code).toBe(1);
    expectNotInstalledMessage(r.stderr);
    expect(r.stderr).not.toMatch(/probe|root/);
    expect(existsSync(out)).toBe(false);
  });

  it.runIf(CAN_LOAD_PROBE)('record without --codec falls back to lz4', async () => {
    const out = join(tmp.dir, 'record-default.scapkit');
    // Again if the box was too busy to keep every event: cat's open is looked for below.
    const r = await recordWithoutDrops(['record', '-q', '-w', out, '--', 'cat', '/etc/hostname'], {
      env: noZstd,
      timeoutMs: 120_000,
    });
    expect(r.code, r.stderr).toBe(0);
    expect(chunkCodecs(out)).toEqual(new Set([CODEC.lz4]));
    const cat = await scapkit(['replay', '-r', out, '-p', '%evt.type', 'proc.name=cat and evt.type=openat'], {
      env: noZstd,
    });
    expect(cat.code, cat.stderr).toBe(0);
    expect(cat.stdout).toContain('openat');
  });

  it('an installed zstd-napi whose native build is missing: says so, with its error, and to rebuild it', async () => {
    const out = join(tmp.dir, 'export-unbuilt.scapkit');
    const r = await scapkit(['export', '-r', input, '-w', out, '--format', 'scapkit', '--codec', 'zstd'], {
      env: unbuiltZstd,
    });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(
      /^scapkit: --codec zstd: zstd-napi \(the native zstd module\) is installed but does not load: Cannot find module '\.\/build\/\w+\/binding\.node'\./,
    );
    expect(r.stderr).toContain('npm rebuild zstd-napi');
    expect(r.stderr).toContain('Without --codec, scapkit writes lz4 when zstd-napi does not load.');
    expect(r.stderr).toContain('use --codec lz4');
    expect(existsSync(out)).toBe(false);
    // Without --codec it still writes, with lz4.
    const fallback = join(tmp.dir, 'default-unbuilt.scapkit');
    const d = await scapkit(['export', '-r', input, '-w', fallback, '--format', 'scapkit'], {
      env: unbuiltZstd,
    });
    expect(d.code, d.stderr).toBe(0);
    expect(chunkCodecs(fallback)).toEqual(new Set([CODEC.lz4]));
  });
});
