// The model worker: opens one trace (a file dropped on the page), runs the first pass, then answers
// the page's requests from its TraceSession. Nothing here touches the DOM; the page never blocks on it.
// The same script also runs as the reader worker the model worker starts (reader.ts), told by its first
// message.
import { openCapture } from '@scapkit/scap-format';
import type { RequestMessage, WorkerMessage } from './protocol.js';
import { type ReaderMessage, ReaderStream, runReader } from './reader.js';
import { answer, errorOf } from './requests.js';
import { type Progress, TraceSession } from './session.js';
import { blobSource, readSequentially } from './source.js';
import { MemoryStore } from './store.js';

type Incoming = RequestMessage | { role: 'reader'; file: File };

interface WorkerScope {
  postMessage(m: WorkerMessage | ReaderMessage, transfer?: Transferable[]): void;
  onmessage: ((e: MessageEvent<Incoming>) => void) | null;
  location: { href: string };
}
const scope = self as unknown as WorkerScope;

let session: TraceSession | undefined;

/** A reader worker on `file` (this script again), or undefined where a worker cannot start one. */
function startReader(file: File): ReaderStream | undefined {
  let w: Worker;
  try {
    w = new Worker(scope.location.href);
  } catch {
    return undefined;
  }
  const stream = new ReaderStream();
  w.onmessage = (e: MessageEvent<ReaderMessage>) => stream.push(e.data);
  w.onerror = (e) =>
    stream.push({
      kind: 'failed',
      problem: { kind: 'other', message: `the reader failed: ${e.message}`, offset: -1 },
    });
  w.postMessage({ role: 'reader', file });
  return stream;
}

async function open(m: Extract<RequestMessage, { op: 'open' }>): Promise<TraceSession> {
  const report = (p: Progress) =>
    scope.postMessage({
      id: m.id,
      progress: { phase: 'reading', done: p.bytes, total: p.total, events: p.events, partial: p.partial },
    });
  // The server reads the trace it was started on and answers the page itself: nothing here reads it.
  if (m.source.kind !== 'file') throw new Error('the model worker opens only files dropped on the page');
  const dropped = m.source.file;
  // A dropped file has no index the page could seek in cheaply: the store keeps the decoded batches.
  const store = new MemoryStore();
  const reader = startReader(dropped);
  if (reader) {
    await reader.started();
    const file = {
      name: reader.name,
      size: reader.size,
      bytes: () => reader.bytes,
      reader: 'worker' as const,
    };
    return TraceSession.open(reader, store, file, report);
  }
  const src = blobSource(dropped);
  let bytes = 0;
  const records = openCapture(readSequentially(src, (b) => (bytes = b)));
  const file = { name: dropped.name, size: src.size, bytes: () => bytes, reader: 'model worker' as const };
  return TraceSession.open(records, store, file, report);
}

async function handle(m: RequestMessage): Promise<unknown> {
  if (m.op === 'open') {
    session = await open(m);
    return { info: session.info, model: session.firstModel(), alerts: session.alerts };
  }
  if (!session) throw new Error('no trace is open');
  return answer(session, m, (phase, done) =>
    scope.postMessage({ id: m.id, progress: { phase, done, total: 1 } }),
  );
}

scope.onmessage = (e) => {
  const m = e.data;
  if ('role' in m) {
    void runReader(m.file, (msg, transfer) => scope.postMessage(msg, transfer));
    return;
  }
  handle(m).then(
    (result) => scope.postMessage({ id: m.id, result }),
    (err) => scope.postMessage({ id: m.id, error: errorOf(err) }),
  );
};
