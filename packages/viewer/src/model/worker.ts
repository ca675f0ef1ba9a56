// The model worker: opens one trace (a dropped file or the server's URL), runs the first pass, then answers
// the page's requests from its TraceSession. Nothing here touches the DOM; the page never blocks on it.
import { FilterSyntaxError, UnknownFieldError } from '@scapkit/replay';
import type { RequestError, RequestMessage, WorkerMessage } from './protocol.js';
import { Superseded, TraceSession } from './session.js';
import { blobSource, httpSource } from './source.js';

interface WorkerScope {
  postMessage(m: WorkerMessage): void;
  onmessage: ((e: MessageEvent<RequestMessage>) => void) | null;
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

async function handle(m: RequestMessage): Promise<unknown> {
  const progress = (phase: string) => (done: number) =>
    scope.postMessage({ id: m.id, progress: { phase, done, total: 1 } });
  if (m.op === 'open') {
    const src = m.source.kind === 'file' ? blobSource(m.source.file) : await httpSource(m.source.url);
    const name = m.source.kind === 'file' ? m.source.file.name : m.source.name;
    session = await TraceSession.open(src, name, (p) =>
      scope.postMessage({
        id: m.id,
        progress: { phase: 'reading', done: p.bytes, total: p.total, events: p.events, partial: p.partial },
      }),
    );
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
  handle(m).then(
    (result) => scope.postMessage({ id: m.id, result }),
    (err) => scope.postMessage({ id: m.id, error: errorOf(err) }),
  );
};
