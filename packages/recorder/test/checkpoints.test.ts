// Checkpoint records through the CLI: `scapkit info` lists them (and says which are damaged); `export
// --format scapkit` carries them over. The files are the golden ones of scap-format's independent writer.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repo, scapkit } from './support/cli.js';

const golden = (name: string) => join(repo, 'packages/scap-format/test/golden', name);

describe('checkpoints', () => {
  it('info lists each checkpoint: the events before it, their latest time, its offset', async () => {
    const r = await scapkit(['info', golden('checkpoint.scapkit')]);
    expect(r.stdout).toContain('format:      scapkit 1.1');
    expect(r.stdout).toMatch(
      /checkpoints: 1\n {2}after event {9}17 {2}2024-11-24T00:00:00\.000016006 UTC \(1732406400000016006\) {2}at byte 1799\n/,
    );
    const j = JSON.parse((await scapkit(['info', '--json', golden('checkpoint.scapkit')])).stdout);
    expect(j.checkpoints).toEqual([{ offset: 1799, eventsBefore: 17, ts: '1732406400000016006' }]);
    // The index is not a statistic.
    expect(j.stats).not.toHaveProperty('checkpoints');
  });

  it('info says which checkpoint is damaged, and still counts every event', async () => {
    const r = await scapkit(['info', '--json', golden('checkpoint-damaged.scapkit')]);
    const j = JSON.parse(r.stdout);
    expect(j.events).toBe(40);
    expect(j.checkpoints).toEqual([
      { offset: 1799, eventsBefore: 17, ts: '1732406400000016006', damage: expect.stringMatching(/CRC32C/) },
    ]);
    expect((await scapkit(['info', golden('checkpoint-damaged.scapkit')])).stdout).toMatch(
      /at byte 1799 {2}DAMAGED: checkpoint CRC32C mismatch/,
    );
  });

  it('export --format scapkit writes checkpoints of its own, every --checkpoint-seconds of event time', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'scapkit-cp-'));
    const out = join(dir, 'copy.scapkit');
    // The golden capture spans 39 µs: a checkpoint every 10 µs.
    const e = await scapkit([
      'export',
      '-r',
      golden('checkpoint.scapkit'),
      '-w',
      out,
      '--format',
      'scapkit',
      '--checkpoint-seconds',
      '0.00001',
    ]);
    expect(e.stderr).toContain('wrote 40 events');
    const j = JSON.parse((await scapkit(['info', '--json', out])).stdout);
    // After the first event about 10 µs past the last checkpoint: events are 1 µs apart, and the clock
    // spaces checkpoints with times as doubles (exact to a quarter of a microsecond today).
    const after = j.checkpoints.map((c: { eventsBefore: number }) => c.eventsBefore) as number[];
    expect(after).toHaveLength(3);
    for (const [k, n] of after.entries())
      expect(Math.abs(n - 11 * (k + 1)), `${after}`).toBeLessThanOrEqual(k + 1);
    const none = join(dir, 'none.scapkit');
    await scapkit([
      'export',
      '-r',
      golden('checkpoint.scapkit'),
      '-w',
      none,
      '--format',
      'scapkit',
      '--checkpoint-seconds',
      '0',
    ]);
    expect(JSON.parse((await scapkit(['info', '--json', none])).stdout).checkpoints).toEqual([]);
  });
});
