// /proc reads for a recording (tables, per-thread CPU times), taken on a worker thread (see
// snapshot-worker.ts for why), with a fallback to the main thread when a worker cannot be started.
import { Worker } from 'node:worker_threads';
import { readThreadCpuTimes, type ThreadCpuTimes, takeSnapshot } from '@scapkit/bpf-probe';
import type { CaptureMetadata } from '@scapkit/scap-format';

type Op = 'snapshot' | 'cpu';
type Reply = { id: number; result: unknown } | { id: number; error: string };

interface Waiting {
  op: Op;
  resolve: (r: never) => void;
  reject: (e: Error) => void;
}

export class SnapshotTaker {
  private worker: Worker | undefined;
  private failed = false;
  private nextId = 1;
  private readonly waiting = new Map<number, Waiting>();

  /** A snapshot of every process, its fds, users, groups, interfaces and containers. */
  take(): Promise<CaptureMetadata> {
    return this.request('snapshot');
  }

  /** The CPU time of every thread now. */
  cpuTimes(): Promise<ThreadCpuTimes> {
    return this.request('cpu');
  }

  /** Ends the worker; requests still pending fail. */
  async close(): Promise<void> {
    const w = this.worker;
    this.worker = undefined;
    this.failed = true;
    if (w) await w.terminate();
  }

  private request<T>(op: Op): Promise<T> {
    const w = this.start();
    if (!w) return onMainThread(op) as Promise<T>;
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      this.waiting.set(id, { op, resolve: resolve as (r: never) => void, reject });
      w.postMessage({ id, op });
    });
  }

  private start(): Worker | undefined {
    if (this.worker || this.failed) return this.worker;
    try {
      const w = new Worker(new URL('./snapshot-worker.js', import.meta.url));
      w.unref(); // never what keeps the recorder alive
      w.on('message', (r: Reply) => {
        const p = this.waiting.get(r.id);
        if (!p) return;
        this.waiting.delete(r.id);
        if ('result' in r) p.resolve(r.result as never);
        else p.reject(new Error(`/proc ${p.op}: ${r.error}`));
      });
      w.on('error', () => this.fail());
      w.on('exit', () => this.fail());
      this.worker = w;
      return w;
    } catch {
      this.failed = true;
      return undefined;
    }
  }

  /** The worker died: pending requests are served on the main thread instead, and so are later ones. */
  private fail(): void {
    this.worker = undefined;
    this.failed = true;
    const pending = [...this.waiting.values()];
    this.waiting.clear();
    for (const p of pending) onMainThread(p.op).then(p.resolve as (r: unknown) => void, p.reject);
  }
}

function onMainThread(op: Op): Promise<unknown> {
  return op === 'cpu' ? Promise.resolve().then(() => readThreadCpuTimes()) : takeSnapshot();
}
