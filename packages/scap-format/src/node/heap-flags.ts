// V8's flags are the process's, and starting a worker thread sets them back to their defaults (Node 20):
// the CLI's heap flags (bin/scapkit.js: the main thread's young generation kept at 1 MiB per semi-space)
// were lost as soon as the decode pool started, and the young generation then grew to 8-16 MiB with the
// trace's length (peak RSS of `replay -p %evt.num`: a quarter of work.scap 115 MB, the whole 133 MB). A
// program that sets heap flags lists them under HEAP_FLAGS_KEY; whoever starts a worker calls
// keepHeapFlags(worker), which sets them again once the worker is up.
import { setFlagsFromString } from 'node:v8';
import type { Worker } from 'node:worker_threads';

/** globalThis[HEAP_FLAGS_KEY]: the V8 flags the program set (a string[]), written by bin/scapkit.js. */
export const HEAP_FLAGS_KEY = Symbol.for('scapkit.heapFlags');

/** Sets the program's heap flags again once `worker` has started (and reset them). */
export function keepHeapFlags(worker: Worker): void {
  const flags = (globalThis as Record<symbol, unknown>)[HEAP_FLAGS_KEY];
  if (!Array.isArray(flags) || flags.length === 0) return;
  worker.once('online', () => {
    for (const f of flags) if (typeof f === 'string') setFlagsFromString(f);
  });
}
