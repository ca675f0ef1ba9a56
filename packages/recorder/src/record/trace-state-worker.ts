// The recording's state engine on a worker thread (see trace-state.ts): tables and event batches in, in
// the order the files get them; a snapshot out for each request, with the tables after every message
// before it. A failure answers every later request with its message.
import { parentPort } from 'node:worker_threads';
import { TraceEngine, type TraceStateMessage } from './trace-state.js';

const port = parentPort;
if (!port) throw new Error('trace-state-worker runs as a worker thread');
const engine = new TraceEngine();
let failed: string | undefined;
port.on('message', (m: TraceStateMessage) => {
  if (m.op === 'snapshot') {
    if (failed !== undefined) {
      port.postMessage({ id: m.id, error: failed });
      return;
    }
    try {
      port.postMessage({ id: m.id, meta: engine.snapshot() });
    } catch (e) {
      port.postMessage({ id: m.id, error: e instanceof Error ? e.message : String(e) });
    }
    return;
  }
  if (failed !== undefined) return;
  try {
    engine.handle(m);
  } catch (e) {
    failed = e instanceof Error ? `${e.message} (${m.op})` : String(e);
  }
});
