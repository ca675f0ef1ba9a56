// The page's side of the worker protocol: one request → one promise, progress to a callback. The worker's
// code is bundled into the page as text and started from a blob: URL, so the page works opened from disk
// (file://, where a worker script file cannot be loaded) as well as from the server.
import type { Request, RequestError, Results, WorkerMessage } from '../model/protocol.js';
import { wireReviver } from '../model/wire.js';

declare const WORKER_SOURCE: string;

export class RequestFailed extends Error {
  constructor(readonly detail: RequestError) {
    super(detail.kind === 'superseded' ? 'superseded' : detail.message);
  }
}

export type ProgressFn = (p: Extract<WorkerMessage, { progress: unknown }>['progress']) => void;

/** Where the page's requests go: the model worker (a dropped file) or the `scapkit view` server. */
export interface TraceClient {
  request<R extends Request>(req: R, progress?: ProgressFn): Promise<Results[R['op']]>;
  terminate(): void;
}

/** The model in a worker of the page, for a trace dropped on it. */
export class ModelClient implements TraceClient {
  private readonly worker: Worker;
  private next = 1;
  private readonly pending = new Map<
    number,
    { ok: (v: unknown) => void; fail: (e: Error) => void; progress?: ProgressFn }
  >();

  constructor() {
    const url = URL.createObjectURL(new Blob([WORKER_SOURCE], { type: 'text/javascript' }));
    this.worker = new Worker(url);
    this.worker.onmessage = (e: MessageEvent<WorkerMessage>) => {
      const m = e.data;
      const p = this.pending.get(m.id);
      if (!p) return;
      if ('progress' in m) return p.progress?.(m.progress);
      this.pending.delete(m.id);
      if ('error' in m) p.fail(new RequestFailed(m.error));
      else p.ok(m.result);
    };
    this.worker.onerror = (e) => {
      for (const p of this.pending.values()) p.fail(new Error(`the worker failed: ${e.message}`));
      this.pending.clear();
    };
  }

  request<R extends Request>(req: R, progress?: ProgressFn): Promise<Results[R['op']]> {
    const id = this.next++;
    return new Promise((ok, fail) => {
      this.pending.set(id, { ok: ok as (v: unknown) => void, fail, progress });
      this.worker.postMessage({ ...req, id });
    });
  }

  terminate(): void {
    this.worker.terminate();
  }
}

/**
 * The model on the `scapkit view` server (read there through the native read path): each request is a GET
 * of `api?q=JSON` under the page's token, answered as JSON lines — progress, then the result or the error.
 */
export class ServerModelClient implements TraceClient {
  private readonly base = new URL('api', location.href);

  async request<R extends Request>(req: R, progress?: ProgressFn): Promise<Results[R['op']]> {
    const url = new URL(this.base);
    url.searchParams.set('q', JSON.stringify(req));
    const r = await fetch(url);
    if (!r.ok || !r.body) throw new Error(`the scapkit view server answered ${r.status} ${r.statusText}`);
    const lines = r.body.pipeThrough(new TextDecoderStream()).getReader();
    let buf = '';
    for (;;) {
      const { value, done } = await lines.read();
      if (value) buf += value;
      let nl = buf.indexOf('\n');
      while (nl >= 0) {
        const m = JSON.parse(buf.slice(0, nl), wireReviver) as
          | { progress: Parameters<ProgressFn>[0] }
          | { result: unknown }
          | { error: RequestError };
        buf = buf.slice(nl + 1);
        if ('progress' in m) progress?.(m.progress);
        else if ('error' in m) throw new RequestFailed(m.error);
        else return m.result as Results[R['op']];
        nl = buf.indexOf('\n');
      }
      if (done) throw new Error('the scapkit view server closed the answer early');
    }
  }

  terminate(): void {}
}
