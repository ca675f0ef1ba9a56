// Segment-parallel replay (src/segment-replay.ts): a trace with many checkpoints (capture.scap exported
// with one every half second) printed by worker threads, a segment each, prints the bytes the serial
// replay prints: default line, -j, state fields, a filter, relative times; and a damaged chunk ends both
// the same way (every event before it, the same message, exit 3). The table chisels (topfiles_bytes …), their
// sums joined from the segments, print the serial report.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { joinSegments, noCoreFree } from '@scapkit/scap-format';
import { openIndexedScapkitFile } from '@scapkit/scap-format/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { capturePath } from '../../../test/support/captures.mjs';
import { exportWithCheckpoints, scapkit, tempDir } from './support/cli.js';

const SERIAL = { SCAPKIT_SEGMENTS: '0' };
const PARALLEL = { SCAPKIT_SEGMENTS: '1' };
/** Several segments per worker: a worker's printer (or chisel) goes on from one segment to another. */
const MANY = { SCAPKIT_SEGMENTS: '1', SCAPKIT_SEGMENTS_PER_WORKER: '4' };
const STATE =
  '%evt.num|%evt.rawtime|%evt.type|%thread.tid|%proc.pid|%proc.ppid|%proc.name|%proc.args|%proc.cwd|%user.name|%fd.num|%fd.name|%evt.latency|%evt.reltime';

describe('segment-parallel replay', () => {
  const { dir, cleanup } = tempDir('scapkit-segments-');
  const trace = join(dir, 'capture.scap');
  afterAll(cleanup);

  beforeAll(async () => {
    const r = await exportWithCheckpoints(capturePath('capture.scap'), trace, 0.5);
    expect(r.code, r.stderr).toBe(0);
    const reader = await openIndexedScapkitFile(trace);
    try {
      expect(reader.segments().length).toBeGreaterThan(10);
    } finally {
      await reader.close();
    }
  }, 120_000);

  /** A copy of the trace, named `name`, with a chunk at 60% of the trace damaged (its CRC fails). */
  async function withDamagedChunk(name: string): Promise<string> {
    const reader = await openIndexedScapkitFile(trace);
    const chunk = reader.chunks[Math.floor(reader.chunks.length * 0.6)];
    await reader.close();
    if (!chunk) throw new Error('no chunk');
    const bytes = readFileSync(trace);
    const at = chunk.offset + chunk.recordLength - 10;
    bytes[at] = (bytes[at] ?? 0) ^ 0xff;
    const damaged = join(dir, name);
    writeFileSync(damaged, bytes);
    return damaged;
  }

  /** `replay -r FILE ARGS` serially and on segments (`env`): both runs, for their output to be compared. */
  async function bothWays(file: string, args: string[], env: NodeJS.ProcessEnv) {
    const serial = await scapkit(['replay', '-r', file, ...args], { env: SERIAL });
    const parallel = await scapkit(['replay', '-r', file, ...args], { env });
    return { serial, parallel };
  }

  it.each([
    ['the default line', []],
    ['-j', ['-j']],
    ['state fields', ['-p', STATE]],
    ['a filter', ['evt.type in (open, openat, connect, execve) and proc.name != bash']],
    ['relative times and internal events', ['-t', 'r', '-D']],
  ])(
    'prints the serial bytes: %s',
    async (_what, args) => {
      const { serial, parallel } = await bothWays(trace, args, PARALLEL);
      expect(serial.code, serial.stderr).toBe(0);
      expect(serial.stdout.length).toBeGreaterThan(1000);
      expect(parallel.code, parallel.stderr).toBe(0);
      expect(parallel.stderr).toBe(serial.stderr);
      // Compared whole first (a cheap equality), then by line to show where they part.
      if (parallel.stdout !== serial.stdout) {
        expect(parallel.stdout.split('\n')).toEqual(serial.stdout.split('\n'));
      }
    },
    120_000,
  );

  it.each([
    ['topfiles_bytes', ['-c', 'topfiles_bytes']],
    ['topfiles_time with a filter', ['-c', 'topfiles_time', 'proc.name != bash']],
    ['topprocs_file', ['-c', 'topprocs_file']],
    ['topprocs_net', ['-c', 'topprocs_net']],
    ['topscalls (ties in first-seen order)', ['-c', 'topscalls']],
    ['fdbytes_by', ['-c', 'fdbytes_by', 'fd.name']],
  ])(
    'joins a table chisel of segments into the serial report: %s',
    async (_what, args) => {
      const { serial, parallel } = await bothWays(trace, args, MANY);
      expect(serial.code, serial.stderr).toBe(0);
      // A header, a rule and rows.
      expect(serial.stdout.split('\n').length).toBeGreaterThan(4);
      expect(parallel.code, parallel.stderr).toBe(0);
      expect(parallel.stderr).toBe(serial.stderr);
      expect(parallel.stdout.split('\n')).toEqual(serial.stdout.split('\n'));
    },
    120_000,
  );

  it('ends a chisel at a damaged chunk as the serial replay does: the report of the events before it', async () => {
    const damaged = await withDamagedChunk('damaged-for-chisel.scap');
    const { serial, parallel } = await bothWays(damaged, ['-c', 'topscalls_time'], MANY);
    expect(serial.code).toBe(3);
    expect(serial.stderr).toMatch(/is damaged/);
    expect(parallel.code).toBe(3);
    expect(parallel.stderr).toBe(serial.stderr);
    expect(parallel.stdout).toBe(serial.stdout);
  }, 120_000);

  it('ends at a damaged chunk as the serial replay does: every event before it, exit 3', async () => {
    const damaged = await withDamagedChunk('damaged.scap');
    const { serial, parallel } = await bothWays(damaged, ['-p', '%evt.num %proc.name'], PARALLEL);
    expect(serial.code).toBe(3);
    expect(serial.stderr).toMatch(/is damaged/);
    expect(parallel.code).toBe(3);
    expect(parallel.stderr).toBe(serial.stderr);
    expect(parallel.stdout).toBe(serial.stdout);
  }, 120_000);

  it('passes over damaged checkpoints as the serial replay does: the same bytes', async () => {
    // Every checkpoint after the second damaged: each later segment starts from the second one, before
    // the events its worker's printer has replayed already (it goes back to those tables).
    const reader = await openIndexedScapkitFile(trace);
    const damagedAt = reader.checkpoints.filter((c) => c.eventsBefore > 0).slice(2);
    await reader.close();
    expect(damagedAt.length).toBeGreaterThan(2);
    const bytes = readFileSync(trace);
    for (const c of damagedAt) {
      const at = c.offset + c.recordLength - 10;
      bytes[at] = (bytes[at] ?? 0) ^ 0xff;
    }
    const damaged = join(dir, 'damaged-checkpoints.scap');
    writeFileSync(damaged, bytes);
    for (const args of [
      ['-p', STATE],
      ['-c', 'topfiles_bytes'],
    ]) {
      const { serial, parallel } = await bothWays(damaged, args, MANY);
      expect(serial.code, serial.stderr).toBe(0);
      expect(parallel.code, parallel.stderr).toBe(0);
      expect(parallel.stdout.split('\n')).toEqual(serial.stdout.split('\n'));
    }
  }, 120_000);
});

describe('joinSegments', () => {
  const parts = (counts: number[]) => {
    let before = 0;
    return counts.map((events, i) => {
      const s = { start: i * 100, end: (i + 1) * 100, eventsBefore: before, events };
      before += events;
      return s;
    });
  };

  it('joins neighbours into about n segments that still cover every event once, in order', () => {
    const segments = parts([5, 40, 10, 10, 10, 30, 2, 2, 50, 1]);
    const joined = joinSegments(segments, 3);
    expect(joined.length).toBeLessThanOrEqual(4);
    expect(joined.length).toBeGreaterThanOrEqual(2);
    expect(joined[0]?.start).toBe(0);
    expect(joined.at(-1)?.end).toBe(1000);
    let before = 0;
    for (const [i, s] of joined.entries()) {
      expect(s.eventsBefore).toBe(before);
      if (i > 0) expect(s.start).toBe(joined[i - 1]?.end);
      before += s.events;
    }
    expect(before).toBe(160);
  });

  it('keeps segments as they are when there are no more than n', () => {
    const segments = parts([10, 10, 10]);
    expect(joinSegments(segments, 6)).toEqual(segments);
  });
});

describe('noCoreFree', () => {
  it('is true only when the load average is above the cores but one', () => {
    expect(noCoreFree(0.5, 2)).toBe(false);
    expect(noCoreFree(1, 2)).toBe(false);
    expect(noCoreFree(1.01, 2)).toBe(true);
    expect(noCoreFree(2.5, 4)).toBe(false);
    expect(noCoreFree(3.5, 4)).toBe(true);
    expect(noCoreFree(0.1, 1)).toBe(true);
  });
});
