// The batch buffer pool: a buffer given back is taken again for a request of about its size, and batches
// built in buffers used before (full of another batch's bytes) hold the same rows as batches built in new ones.
import { toArrow } from '@scapkit/columnar';
import { openCaptureFile } from '@scapkit/scap-format/node';
import type { RecordBatch } from 'apache-arrow';
import { describe, expect, it } from 'vitest';
import { capturePath } from '../../../test/support/captures.mjs';
import { BufferPool, batchBufferPool } from '../src/buffer-pool.js';
import { batchBuffers, bufferList } from '../src/parquet-file.js';

describe('BufferPool', () => {
  it('takes a buffer given back for a request of about its size, and allocates otherwise', () => {
    const pool = new BufferPool(1 << 20);
    const a = pool.take(100_000);
    expect(a.byteLength).toBeGreaterThanOrEqual(100_000);
    expect(a.byteLength).toBeLessThanOrEqual(112_500);
    pool.give([a]);
    expect(pool.size).toBe(a.byteLength);
    // A little less than before (a text column of the next batch): the same buffer.
    expect(pool.take(98_000)).toBe(a);
    expect(pool.size).toBe(0);
    pool.give([a]);
    // Half the size: a buffer of its own, the large one stays for a large request.
    expect(pool.take(50_000)).not.toBe(a);
    expect(pool.int32(25_000).buffer).toBe(a);
  });

  it('keeps no more than its limit, and neither small buffers nor sizes it does not allocate', () => {
    const pool = new BufferPool(300_000);
    const big = [pool.take(131_072), pool.take(131_072), pool.take(131_072)];
    pool.give(big);
    expect(pool.size).toBe(262_144);
    pool.give([new ArrayBuffer(1000), new ArrayBuffer(100_001)]);
    expect(pool.size).toBe(262_144);
  });
});

/** Every row of the batches, as plain values. */
function rows(batches: RecordBatch[]): unknown[] {
  return batches.flatMap((b) =>
    b.toArray().map((r) => JSON.stringify(r.toJSON(), (_k, v) => (typeof v === 'bigint' ? `${v}` : v))),
  );
}

async function build(path: string): Promise<RecordBatch[]> {
  const out: RecordBatch[] = [];
  for await (const b of toArrow(openCaptureFile(path), { batchSize: 4096 })) out.push(b);
  return out;
}

describe('batches built in reused buffers', () => {
  it('hold the rows batches built in new buffers hold', async () => {
    const path = capturePath('502Error.scap');
    const fresh = await build(path);
    expect(fresh.length).toBeGreaterThan(2);
    // Buffers like theirs, every byte set, given back as the export gives back its batches'.
    for (const b of await build(path)) {
      const buffers = bufferList(batchBuffers(b));
      for (const a of buffers) new Uint8Array(a).fill(0xa5);
      batchBufferPool.give(buffers);
    }
    expect(batchBufferPool.size).toBeGreaterThan(0);
    const reused = await build(path);
    expect(rows(reused)).toEqual(rows(fresh));
  });
});
