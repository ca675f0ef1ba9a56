// The model worker: opens one trace (a dropped file or the server's URL), runs the first pass, then answers
// the page's requests from its TraceSession. Nothing here touches the DOM; the page never blocks on it.
// The same script also runs as the reader worker the model worker starts (reader.ts), told by its first
// message.
import { FilterSyntaxError, UnknownFieldError } from '@scapkit/replay';
import type { RequestError, RequestMessage, TraceSource, WorkerMessage } from './protocol.js';
import { type ReaderMessage, ReaderStream, runReader } from './reader.js';
import { type Progress, Superseded, TraceSession } from './session.js';
import { blobSource, httpSource } from './source.js';

type Incoming = RequestMessage | { role: 'reader'; source: TraceSource };

interface WorkerScope {
  postMessage(m: WorkerMessage | ReaderMessage, transfer?: Transferable[]): void;
  onmessage: ((e: MessageEvent<Incoming>) => void) | null;
  location: { href: string };
}
const scope = self as unknown as WorkerScope;

let session: TraceSession | undefined;

function errorOf(e: unknown): RequestError {
  if (e instanceof Superseded) return { kind: 'superseded' };
  if (e instanceof FilterSyntaxError) {
    return { kind: 'filter', message: e.message, reason: e.reason, position: e.position };
  }
  if (e instanceof UnknownFieldError)
    return { kind: 'filter', message: e.message, reason: e.message, position: -1 };
  return { kind: 'error', message: e instanceof Error ? e.message : String(e) };
}

/** A reader worker on `source` (this script again), or undefined where a worker cannot start one. */
function startReader(source: TraceSource): ReaderStream | undefined {
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
  w.postMessage({ role: 'reader', source });
  return stream;
}

async function open(m: Extract<RequestMessage, { op: 'open' }>): Promise<TraceSession> {
  const report = (p: Progress) =>
    scope.postMessage({
      id: m.id,
      progress: { phase: 'reading', done: p.bytes, total: p.total, events: p.events, partial: p.partial },
    });
  const reader = startReader(m.source);
  if (reader) {
    await reader.started();
    const file = {
      name: reader.name,
      size: reader.size,
      bytes: () => reader.bytes,
      reader: 'worker' as const,
    };
    return TraceSession.openStream(reader, file, report);
  }
  const src = m.source.kind === 'file' ? blobSource(m.source.file) : await httpSource(m.source.url);
  return TraceSession.open(src, m.source.kind === 'file' ? m.source.file.name : m.source.name, report);
}

async function handle(m: RequestMessage): Promise<unknown> {
  const progress = (phase: string) => (done: number) =>
    scope.postMessage({ id: m.id, progress: { phase, done, total: 1 } });
  if (m.op === 'open') {
    session = await open(m);
    return { info: session.info, model: session.firstModel() };
  }
  const s = session;
  if (!s) throw new Error('no trace is open');
  switch (m.op) {
    case 'model':
      s.compile(m.filter); // a bad filter fails here, before anything is superseded
      s.generation++;
      return s.model(m.filter, m.from, m.to ?? Number.POSITIVE_INFINITY, progress('filtering'));
    case 'rows':
      return s.rows(m.key, m.start, m.count);
    case 'rowOf':
      return s.rowOf(m.key, m.num);
    case 'find':
      s.generation++;
      return s.find(m.key, m.text, m.start, m.dir);
    case 'fields':
      return s.fields(m.num);
    case 'follow':
      s.generation++;
      return s.follow(m.target, m.from, m.to ?? Number.POSITIVE_INFINITY, progress('following'));
  }
}

scope.onmessage = (e) => {
  const m = e.data;
  if ('role' in m) {
    void runReader(m.source, (msg, transfer) => scope.postMessage(msg, transfer));
    return;
  }
  handle(m).then(
    (result) => scope.postMessage({ id: m.id, result }),
    (err) => scope.postMessage({ id: m.id, error: errorOf(err) }),
  );
};
