// Loading the probe while signals rain on the process (a profiler's SIGPROF every millisecond): the
// verifier would give up with EAGAIN, so the loader keeps signals off its thread while it loads.
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const dist = fileURLToPath(new URL('../dist/index.js', import.meta.url));

describe('probe load', () => {
  it('succeeds under node --cpu-prof (SIGPROF every millisecond)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'scapkit-prof-'));
    const script = `import(${JSON.stringify(dist)}).then(async (m) => { const p = m.openProbe(); await p.close(); console.log('loaded'); })`;
    for (let i = 0; i < 3; i++) {
      const r = spawnSync(
        process.execPath,
        ['--cpu-prof', '--cpu-prof-interval', '100', `--cpu-prof-dir=${dir}`, '-e', script],
        {
          encoding: 'utf8',
          timeout: 60_000,
        },
      );
      expect(r.stderr).toBe('');
      expect(r.stdout.trim()).toBe('loaded');
      expect(r.status).toBe(0);
    }
  });
});
