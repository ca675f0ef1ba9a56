// /proc snapshots for a recording, taken on a worker thread (see snapshot-worker.ts for why), with a
// fallback to the main thread when a worker cannot be started.
import { Worker } from 'node:worker_threads';
import { takeSnapshot } from '@scapkit/bpf-probe';
import type { CaptureMetadata } from '@scapkit/scap-format';

type Reply = { id: number; meta: CaptureMetadata } | { id: number; error: string };

export class SnapshotTaker {
  private worker: Worker | undefined;
  private failed = false;
  private nextId = 1;
  private readonly waiting = new Map<
    number,
    { resolve: (m: CaptureMetadata) => void; reject: (e: Error) => void }
  >();

  /** A snapshot of every process, its fds, users, groups, interfaces and containers. */
  take(): Promise<CaptureMetadata> {
    const w = this.start();
    if (!w) return takeSnapshot();
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.waiting.set(id, { resolve, reject });
      w.postMessage(id);
    });
  }

  /** Ends the worker; snapshots still pending fail. */
  async close(): Promise<void> {
    const w = this.worker;
    this.worker = undefined;
    this.failed = true;
    if (w) await w.terminate();
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
        if ('meta' in r) p.resolve(r.meta);
        else p.reject(new Error(`/proc snapshot: ${r.error}`));
      });
      w.on('error', (e) => this.fail(e));
      w.on('exit', () => this.fail(new Error('the snapshot worker exited')));
      this.worker = w;
      return w;
    } catch {
      this.failed = true;
      return undefined;
    }
  }

  /** The worker died: pending snapshots are taken on the main thread instead, and so are later ones. */
  private fail(_e: Error): void {
    this.worker = undefined;
    this.failed = true;
    const pending = [...this.waiting.values()];
    this.waiting.clear();
    for (const p of pending) takeSnapshot().then(p.resolve, p.reject);
  }
}
