// A simulated fleet: twenty short recordings made on this box with the real probe, each exported into one
// directory under its own host name (`--hostname`, `--append`), and queried in one statement: the events
// per host equal what `scapkit replay` prints for each recording. One of the recordings is also held
// column by column against `replay -p` (support/replay-columns.ts), as the shared captures are.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeColumnsAgainstReplay, scapkit } from './support/replay-columns.js';

const isRoot = process.getuid?.() === 0;
const HOSTS = 20;
const work = mkdtempSync(join(tmpdir(), 'scapkit-fleet-'));
const trace = (i: number) => join(work, `host-${String(i).padStart(2, '0')}.scap`);
const fleet = join(work, 'fleet');

afterAll(() => rmSync(work, { recursive: true, force: true }));

/**
 * Records a small workload: files, a process tree, a loopback TCP connection. Only the workload's own
 * process tree (--only-command): a box-wide recording made while other tests run holds their processes,
 * and a concurrent `replay -p` whose format string carries the unit and record separators the column
 * check splits on prints them raw in its proc.args (seen in a loaded CI run).
 */
async function record(path: string): Promise<void> {
  const workload =
    'cat /etc/hostname /etc/os-release > /dev/null; ls /usr/bin > /dev/null; sh -c "echo child > /dev/null"; ' +
    'exec 3<>/dev/tcp/127.0.0.1/9 2>/dev/null || true';
  const r = await scapkit(['record', '-w', path, '-q', '--only-command', '--', 'bash', '-c', workload]);
  if (r.code !== 0) throw new Error(`record failed (${r.code}): ${r.stderr}`);
}

describe.skipIf(!isRoot)('a fleet of recordings', () => {
  beforeAll(async () => {
    for (let i = 0; i < HOSTS; i++) await record(trace(i));
  }, 600_000);

  describeColumnsAgainstReplay('a scapkit recording', () => trace(0));

  it('exported into one directory and queried in one statement, counts per host equal replay', async () => {
    for (let i = 0; i < HOSTS; i++) {
      const host = `host-${String(i).padStart(2, '0')}`;
      const args = ['export', '-r', trace(i), '--format', 'parquet', '-w', fleet, '--hostname', host];
      const r = await scapkit(i === 0 ? args : [...args, '--append']);
      expect(r.code, r.stderr).toBe(0);
    }
    const q = await scapkit([
      'query',
      'select host, count(*) as n from events group by host order by host',
      fleet,
      '--csv',
    ]);
    expect(q.code, q.stderr).toBe(0);
    const want = ['host,n'];
    for (let i = 0; i < HOSTS; i++) {
      const r = await scapkit(['replay', '-r', trace(i), '-p', '%evt.num']);
      expect(r.code).toBe(0);
      const n = r.stdout.split('\n').filter((l) => l !== '').length;
      expect(n).toBeGreaterThan(0);
      want.push(`host-${String(i).padStart(2, '0')},${n}`);
    }
    expect(q.stdout.trimEnd().split('\n')).toEqual(want);
  }, 600_000);
});
