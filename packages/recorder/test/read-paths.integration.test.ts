// On a recording the probe makes (files read, a tar, processes that come and go): the replay prints the
// same bytes inline and with its chunks decoded on worker threads, and after re-export with each codec; a
// --from/--to range prints exactly the full replay's lines for its events, state fields included, started
// just after a checkpoint, between two, and before the first.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CAN_LOAD_PROBE } from '../../../test/support/machine.mjs';
import { scapkit, tempDir } from './support/cli.js';

const STATE =
  '*%evt.num|%evt.rawtime|%evt.type|%evt.dir|%thread.tid|%proc.pid|%proc.ppid|%proc.name|%proc.exe|%proc.args|%proc.cwd|%user.uid|%fd.num|%fd.typechar|%fd.name|%evt.res|%evt.reltime';

describe.skipIf(!CAN_LOAD_PROBE)('read paths on a recording', () => {
  const { dir, cleanup } = tempDir('scapkit-read-paths-');
  const trace = join(dir, 'work.scap');
  afterAll(cleanup);

  beforeAll(async () => {
    const workload =
      'for i in $(seq 30); do cat /etc/passwd /etc/group > /dev/null; ls /usr/share > /dev/null; ' +
      'tar cf - /usr/share/doc/bash 2>/dev/null | wc -c > /dev/null; sh -c "id > /dev/null"; sleep 0.05; done';
    const r = await scapkit(['record', '-q', '-w', trace, '--', 'sh', '-c', workload], {
      timeoutMs: 120_000,
    });
    expect([0, 3], r.stderr).toContain(r.code);
  }, 150_000);

  it('prints the same bytes inline and on worker threads, and after re-export with each codec', async () => {
    const inline = await scapkit(['replay', '-r', trace], { env: { SCAPKIT_WORKERS: '0' } });
    const pooled = await scapkit(['replay', '-r', trace], { env: { SCAPKIT_WORKERS: '1' } });
    expect(inline.code).toBe(0);
    expect(inline.stdout.split('\n').length).toBeGreaterThan(5000);
    expect(pooled.stdout).toBe(inline.stdout);
    const j0 = await scapkit(['replay', '-r', trace, '-j'], { env: { SCAPKIT_WORKERS: '0' } });
    const j1 = await scapkit(['replay', '-r', trace, '-j'], { env: { SCAPKIT_WORKERS: '1' } });
    expect(j1.stdout).toBe(j0.stdout);
    for (const codec of ['none', 'lz4', 'zstd']) {
      const copy = join(dir, `copy-${codec}.scap`);
      const e = await scapkit(['export', '-r', trace, '-w', copy, '--format', 'scapkit', '--codec', codec]);
      expect(e.code, e.stderr).toBe(0);
      for (const workers of ['0', '1']) {
        const r = await scapkit(['replay', '-r', copy], { env: { SCAPKIT_WORKERS: workers } });
        expect(r.stdout, `${codec} workers=${workers}`).toBe(inline.stdout);
      }
    }
  });

  it('--from/--to: the full replay lines of the range, state included, from a checkpoint before it', async () => {
    const cp = join(dir, 'checkpoints.scap');
    await scapkit(['export', '-r', trace, '-w', cp, '--format', 'scapkit', '--checkpoint-seconds', '0.3']);
    const info = JSON.parse((await scapkit(['info', '--json', cp])).stdout);
    const checkpoints = (info.checkpoints as { ts: string }[]).map((c) => BigInt(c.ts));
    expect(checkpoints.length).toBeGreaterThanOrEqual(3);
    const full = (await scapkit(['replay', '-r', cp, '-p', STATE])).stdout
      .split('\n')
      .filter((l) => l !== '');
    const tsOf = (l: string) => BigInt(l.split('|')[1]!);
    const first = BigInt(info.firstTs);
    const cuts: [string, bigint][] = [
      ['before the first checkpoint', first + (checkpoints[0]! - first) / 2n],
      ['just after a checkpoint', checkpoints[1]! + 1n],
      ['between two checkpoints', (checkpoints[1]! + checkpoints[2]!) / 2n],
    ];
    for (const [where, from] of cuts) {
      const to = from + 200_000_000n;
      const want = full.filter((l) => tsOf(l) >= from && tsOf(l) <= to);
      expect(want.length, where).toBeGreaterThan(20);
      const r = await scapkit(['replay', '-r', cp, '-p', STATE, '--from', String(from), '--to', String(to)]);
      expect(r.code).toBe(0);
      expect(
        r.stdout.split('\n').filter((l) => l !== ''),
        where,
      ).toEqual(want);
    }
    // The recording itself (whatever checkpoints its recorder wrote) reads the same range the same way.
    const from = cuts[2]![1];
    const to = from + 200_000_000n;
    const own = await scapkit([
      'replay',
      '-r',
      trace,
      '-p',
      STATE,
      '--from',
      String(from),
      '--to',
      String(to),
    ]);
    expect(own.stdout.split('\n').filter((l) => l !== '')).toEqual(
      full.filter((l) => tsOf(l) >= from && tsOf(l) <= to),
    );
    expect(readFileSync(cp).length).toBeGreaterThan(0);
  });
});
