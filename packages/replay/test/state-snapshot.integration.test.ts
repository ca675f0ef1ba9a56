// StateEngine.snapshot() on a trace scapkit records with the real probe (current layouts: exit events with
// every parameter, few enter events, a /proc snapshot at the start): cut at several events, a fresh engine
// restored from the snapshot prints the same state for every later event as the engine that ran from the
// start (support/snapshot-check.ts). Needs root, BTF and a built CLI (`pnpm exec tsc -b`).
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { CAN_LOAD_PROBE } from '../../../test/support/machine.mjs';
import { checkCuts, pickCuts } from './support/snapshot-check.js';

const repo = fileURLToPath(new URL('../../../', import.meta.url));
const bin = process.env.SCAPKIT_BIN ?? join(repo, 'packages/recorder/bin/scapkit.js');
const ready = CAN_LOAD_PROBE && existsSync(bin);
const tmp = mkdtempSync(join(tmpdir(), 'scapkit-snapshot-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

// The differential workload (threads, forks, execs, dirfd walks, dup/fcntl, sockets, setuid, prctl …).
const WORKLOAD = fileURLToPath(new URL('./differential/workload.sh', import.meta.url));

describe.skipIf(!ready)('StateEngine.snapshot() on a scapkit recording', () => {
  it('a restored engine continues exactly at every cut', async () => {
    const trace = join(tmp, 'trace.scap');
    const r = await new Promise<{ code: number; stderr: string }>((resolve) => {
      execFile(
        process.execPath,
        [bin, 'record', '-q', '-w', trace, '--', 'bash', WORKLOAD],
        { timeout: 120_000, maxBuffer: 1 << 24 },
        (err, _out, stderr) =>
          resolve({ code: err ? Number((err as { code?: number }).code ?? -1) : 0, stderr }),
      );
    });
    expect([0, 3], r.stderr).toContain(r.code);
    const cuts = await pickCuts(trace);
    expect(cuts.length).toBeGreaterThan(5);
    const out = await checkCuts(trace, cuts);
    expect(out.mismatches).toEqual([]);
    expect(out.compared).toBeGreaterThan(out.events);
  }, 900_000);
});
