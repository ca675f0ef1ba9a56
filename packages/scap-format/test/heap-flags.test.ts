// keepHeapFlags: starting a worker thread sets V8's flags back to their defaults; the flags a program
// listed under HEAP_FLAGS_KEY are set again once the worker is online. Observed the way it matters: with
// --semi-space-growth-factor=1 the young generation does not grow under a stream of short-lived objects
// that survive a scavenge or two (it grows, up to 16 MiB per semi-space, without it).
import { once } from 'node:events';
import { getHeapSpaceStatistics, setFlagsFromString } from 'node:v8';
import { Worker } from 'node:worker_threads';
import { afterAll, describe, expect, it } from 'vitest';
import { HEAP_FLAGS_KEY, keepHeapFlags } from '../src/node/heap-flags.js';

const youngGeneration = () =>
  (getHeapSpaceStatistics().find((s) => s.space_name === 'new_space')?.space_size ?? 0) / 2 ** 20;

/** How much the young generation grew (MiB) while objects that live a little while come and go. */
function youngGenerationGrowth(): number {
  const before = youngGeneration();
  let keep: unknown[] = [];
  let peak = before;
  for (let i = 0; i < 2e6; i++) {
    keep.push({ a: i, b: `x${i}` });
    if (keep.length > 20000) keep = [];
    if (i % 10000 === 0) {
      for (const s of getHeapSpaceStatistics())
        if (s.space_name === 'new_space') peak = Math.max(peak, s.space_size / 2 ** 20);
    }
  }
  return peak - before;
}

async function startedWorker(keep: boolean): Promise<Worker> {
  const w = new Worker('setInterval(() => {}, 1000)', { eval: true });
  if (keep) keepHeapFlags(w);
  await once(w, 'online');
  await new Promise((r) => setImmediate(r)); // after the 'online' listeners ran
  return w;
}

describe('keepHeapFlags', () => {
  const g = globalThis as Record<symbol, unknown>;
  const workers: Worker[] = [];
  afterAll(async () => {
    delete g[HEAP_FLAGS_KEY];
    setFlagsFromString('--semi-space-growth-factor=2');
    await Promise.all(workers.map((w) => w.terminate()));
  });

  it('sets the listed flags again once a worker has started', async () => {
    g[HEAP_FLAGS_KEY] = ['--semi-space-growth-factor=1'];
    setFlagsFromString('--semi-space-growth-factor=1');
    workers.push(await startedWorker(true));
    expect(youngGenerationGrowth()).toBe(0);
  }, 60_000);

  it('without it, the worker has put the default back and the young generation grows', async () => {
    setFlagsFromString('--semi-space-growth-factor=1');
    workers.push(await startedWorker(false));
    expect(youngGenerationGrowth()).toBeGreaterThan(0);
  }, 60_000);
});
