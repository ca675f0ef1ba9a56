// Runs the recorder's /proc reads off its main thread: takeSnapshot() for the tables of each file, and
// the per-thread CPU times of the procinfo events each second. The /proc walk reads synchronously and
// took 70 to 210 ms on a loaded 2-core box; on the main thread that stalls the probe's batch delivery,
// the per-CPU rings overflow, and every -C/-G rotation under a storm dropped events (4.5 % at 1M
// events/s with -C 10). Messages: `{ id, op }` in (op 'snapshot' or 'cpu'), `{ id, result }` or
// `{ id, error }` out (structured clone keeps CaptureMetadata whole, Maps and bigints included; the CPU
// times' typed arrays are transferred).
import { parentPort } from 'node:worker_threads';
import { readThreadCpuTimes, takeSnapshot } from '@scapkit/bpf-probe';

const port = parentPort;
if (!port) throw new Error('snapshot-worker runs as a worker thread');
port.on('message', ({ id, op }: { id: number; op: 'snapshot' | 'cpu' }) => {
  const fail = (e: unknown) => port.postMessage({ id, error: e instanceof Error ? e.message : String(e) });
  if (op === 'cpu') {
    try {
      const t = readThreadCpuTimes();
      const buffers = [t.tid, t.pid, t.ppid, t.utime, t.stime].map((a) => a.buffer as ArrayBuffer);
      port.postMessage({ id, result: t }, buffers);
    } catch (e) {
      fail(e);
    }
    return;
  }
  takeSnapshot().then((result) => port.postMessage({ id, result }), fail);
});
