// keepHeapFlags (src/node/heap-flags.ts) without a real worker: what it does with each value the program
// may have left under HEAP_FLAGS_KEY. Nothing listed (not set, empty, not a list): it waits for nothing.
// A list: once the worker is online, and not before, each string in it is set again, in order (anything
// else in the list is skipped). heap-flags.test.ts shows the effect on a real worker's heap.
import { EventEmitter } from 'node:events';
import { setFlagsFromString } from 'node:v8';
import type { Worker } from 'node:worker_threads';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { HEAP_FLAGS_KEY, keepHeapFlags } from '../src/node/heap-flags.js';

vi.mock('node:v8', async (importOriginal) => ({
  ...(await importOriginal<typeof import('node:v8')>()),
  setFlagsFromString: vi.fn(),
}));
const setFlags = vi.mocked(setFlagsFromString);

const g = globalThis as Record<symbol, unknown>;
const fakeWorker = () => new EventEmitter() as EventEmitter & Worker;

describe('keepHeapFlags, by what the program listed', () => {
  beforeEach(() => setFlags.mockClear());
  afterEach(() => {
    delete g[HEAP_FLAGS_KEY];
  });

  it.each([
    ['nothing', undefined],
    ['an empty list', []],
    ['a string, not a list', '--semi-space-growth-factor=1'],
  ])('%s: waits for nothing, sets nothing', (_what, listed) => {
    if (listed !== undefined) g[HEAP_FLAGS_KEY] = listed;
    const w = fakeWorker();
    keepHeapFlags(w);
    expect(w.listenerCount('online')).toBe(0);
    w.emit('online');
    expect(setFlags).not.toHaveBeenCalled();
  });

  it('a list: its strings, in order, once the worker is online', () => {
    g[HEAP_FLAGS_KEY] = ['--max-semi-space-size=1', 42, '--semi-space-growth-factor=1'];
    const w = fakeWorker();
    keepHeapFlags(w);
    expect(setFlags).not.toHaveBeenCalled(); // the worker resets them when it starts: not before
    w.emit('online');
    expect(setFlags.mock.calls).toEqual([['--max-semi-space-size=1'], ['--semi-space-growth-factor=1']]);
    w.emit('online');
    expect(setFlags).toHaveBeenCalledTimes(2); // once per worker
  });
});
