// Answering the page's requests from a TraceSession: the same in the page's model worker (a dropped file)
// and in the `scapkit view` server (over HTTP). The 'open' request is where each opens its trace.
import { FilterSyntaxError, UnknownFieldError } from '@scapkit/replay';
import type { Request, RequestError } from './protocol.js';
import { Superseded, type TraceSession } from './session.js';

/** Reports progress of a request: `phase` and the fraction done. */
export type RequestProgress = (phase: string, done: number) => void;

/** The answer to every request but 'open'. */
export async function answer(
  s: TraceSession,
  m: Exclude<Request, { op: 'open' }>,
  progress: RequestProgress,
): Promise<unknown> {
  const phase = (name: string) => (done: number) => progress(name, done);
  switch (m.op) {
    case 'model':
      s.compile(m.filter); // a bad filter fails here, before anything is superseded
      s.generation++;
      return s.model(m.filter, m.from, m.to ?? Number.POSITIVE_INFINITY, phase('filtering'));
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
      return s.follow(m.target, m.from, m.to ?? Number.POSITIVE_INFINITY, phase('following'));
  }
}

/** What the page is told when a request fails. */
export function errorOf(e: unknown): RequestError {
  if (e instanceof Superseded) return { kind: 'superseded' };
  if (e instanceof FilterSyntaxError) {
    return { kind: 'filter', message: e.message, reason: e.reason, position: e.position };
  }
  if (e instanceof UnknownFieldError)
    return { kind: 'filter', message: e.message, reason: e.message, position: -1 };
  return { kind: 'error', message: e instanceof Error ? e.message : String(e) };
}
