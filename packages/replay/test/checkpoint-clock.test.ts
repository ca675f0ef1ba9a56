// CheckpointClock spaces checkpoints by volume as well as by time: fed the events of a real capture in the
// batches a writer gets, with an interval longer than the capture, a checkpoint falls due each time
// `eventBytes` of events (their header's length field, summed here independently) have been written.
import { createReadStream } from 'node:fs';
import { type CaptureRecord, readSysdigCapture } from '@scapkit/scap-format';
import { describe, expect, it } from 'vitest';
import { CheckpointClock } from '../src/index.js';
import { CAPTURES } from './support/replay-capture.js';

async function capture(name: string): Promise<CaptureRecord[]> {
  const recs: CaptureRecord[] = [];
  for await (const r of readSysdigCapture(createReadStream(`${CAPTURES}/${name}.scap`))) recs.push(r);
  return recs;
}

describe('CheckpointClock', () => {
  it('makes a checkpoint due every eventBytes of events when time alone would make none', async () => {
    const budget = 64 << 10;
    const clock = new CheckpointClock(2 ** 64, budget);
    const gaps: number[] = [];
    let sinceLast = 0;
    let largest = 0;
    let total = 0;
    for (const r of await capture('capture')) {
      if (r.kind !== 'events') {
        clock.push(r);
        continue;
      }
      let b = r.batch;
      while (b.count > 0) {
        // As `scapkit export` writes: up to where one falls due, then the checkpoint.
        const n = clock.eventsUntilDue(b);
        const head = { data: b.data, offsets: b.offsets.subarray(0, n), count: n };
        const dv = new DataView(b.data.buffer, b.data.byteOffset, b.data.byteLength);
        for (const off of head.offsets) {
          const len = dv.getUint32(off + 16, true);
          sinceLast += len;
          total += len;
          largest = Math.max(largest, len);
        }
        clock.push({ kind: 'events', batch: head });
        if (clock.due()) {
          gaps.push(sinceLast);
          sinceLast = 0;
        }
        b = { data: b.data, offsets: b.offsets.subarray(n, b.count), count: b.count - n };
      }
    }
    expect(total).toBeGreaterThan(10 * budget);
    expect(gaps.reduce((a, g) => a + g, 0) + sinceLast).toBe(total);
    for (const g of gaps) {
      expect(g).toBeGreaterThanOrEqual(budget);
      expect(g).toBeLessThan(budget + largest);
    }
    expect(sinceLast).toBeLessThan(budget);
  }, 60_000);

  it('makes none due by volume under the budget', async () => {
    const clock = new CheckpointClock(2 ** 64);
    for (const r of await capture('cat_write')) clock.push(r);
    expect(clock.due()).toBeUndefined();
  });
});
