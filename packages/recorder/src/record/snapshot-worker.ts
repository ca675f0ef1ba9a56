// Runs takeSnapshot() off the recorder's main thread. The /proc walk reads synchronously and took 70 to
// 210 ms on a loaded 2-core box; on the main thread that stalls the probe's batch delivery, the per-CPU
// rings overflow, and every -C/-G rotation under a storm dropped events (4.5 % at 1M events/s with
// -C 10). Messages: a request id in, `{ id, meta }` or `{ id, error }` out (CaptureMetadata is plain
// data: structured clone keeps it whole, Maps and bigints included).
import { parentPort } from 'node:worker_threads';
import { takeSnapshot } from '@scapkit/bpf-probe';

const port = parentPort;
if (!port) throw new Error('snapshot-worker runs as a worker thread');
port.on('message', (id: number) => {
  takeSnapshot().then(
    (meta) => port.postMessage({ id, meta }),
    (e: unknown) => port.postMessage({ id, error: e instanceof Error ? e.message : String(e) }),
  );
});
