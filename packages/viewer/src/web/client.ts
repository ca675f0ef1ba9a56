// The page's side of the worker protocol: one request → one promise, progress to a callback. The worker's
// code is bundled into the page as text and started from a blob: URL, so the page works opened from disk
// (file://, where a worker script file cannot be loaded) as well as from the server.
import type { Request, RequestError, Results, WorkerMessage } from '../model/protocol.js';

declare const WORKER_SOURCE: string;

export class RequestFailed extends Error {
  constructor(readonly detail: RequestError) {
    super(detail.kind === 'superseded' ? 'superseded' : detail.message);
  }
}

export type ProgressFn = (p: Extract<WorkerMessage, { progress: unknown }>['progress']) => void;

export class ModelClient {
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
