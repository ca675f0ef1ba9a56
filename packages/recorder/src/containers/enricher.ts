// Container records at record time. For every container the probe shows (a container id in the cgroups of
// a clone or execve, or of a thread in a /proc snapshot), its runtime is asked once, asynchronously, off
// the event path; the answer (or what could not be learned, and why) goes into the trace as a container
// event at the point it arrived, and into every later table (rotated files, checkpoints), as sysdig does.
//
// Nothing here blocks a batch: observe() only reads event types and, for the few events that carry
// cgroups, their cgroups; lookups run on sockets or in child processes; a lookup that does not end in time
// is given up (`timeoutMs`) and recorded as failed.
import {
  batchEventTs,
  type CaptureMetadata,
  type ContainerInfo,
  cgroupContainer,
  containerEvent,
  containerIdFromCgroups,
  EVENTS,
  type EventBatch,
  EventBatchBuilder,
  EventView,
} from '@scapkit/scap-format';
import type { RecordModule } from '../record/session.js';
import { criRuntime } from './cri.js';
import { type ContainerRuntime, dockerApi, libpodApi, podmanCli } from './runtimes.js';
import { LookupError } from './unix-http.js';

export interface ContainerLookupOptions {
  /** Root of the host's filesystem, for sockets (default `/`; `/host` for a recorder in a container). */
  hostRoot?: string;
  /** How long one lookup may take before its container is recorded as failed (default 5000 ms). */
  timeoutMs?: number;
  /** Lookups running at once (default 8; `podman inspect` runs one process at a time anyway). */
  concurrency?: number;
  /** How long the start of a recording waits for the containers already running (default 2000 ms). */
  startupWaitMs?: number;
  /** A CRI socket to ask before the default ones (sysdig's --cri): containerd's or CRI-O's elsewhere. */
  criSocket?: string;
  /** The runtimes to ask, by container type (tests); default: the sockets and programs below. */
  runtimes?: Partial<Record<string, ContainerRuntime[]>>;
}

/** Where each runtime listens by default. */
export const DOCKER_SOCKET = '/var/run/docker.sock';
export const PODMAN_SOCKET = '/run/podman/podman.sock';
export const CONTAINERD_SOCKET = '/run/containerd/containerd.sock';
export const CRIO_SOCKET = '/var/run/crio/crio.sock';

/** Per event id: the index of its `cgroups` parameter, on the exits that have one (clone, fork, execve). */
const CGROUPS = Int16Array.from(EVENTS, (e) => (e.dir === '<' ? (e.paramIndex.get('cgroups') ?? -1) : -1));
const CGROUP_CACHE_MAX = 4096;

export class ContainerEnricher implements RecordModule {
  /** Every container seen, by short id: the best record so far. */
  private readonly records = new Map<string, ContainerInfo>();
  /** Records whose lookup ended since the last drain: written as container events. */
  private done: ContainerInfo[] = [];
  private readonly queue: ContainerInfo[] = [];
  private inFlight = 0;
  private readonly inFlightAll = new Set<Promise<void>>();
  private readonly timeoutMs: number;
  private readonly concurrency: number;
  private readonly startupWaitMs: number;
  private readonly runtimes: Record<string, ContainerRuntime[]>;
  private readonly view = new EventView();
  private readonly decoder = new TextDecoder();
  /** cgroups text → container short id ('' = the host), so a busy container is parsed once. */
  private readonly cgroupIds = new Map<string, string>();
  private closed = false;

  constructor(opts: ContainerLookupOptions = {}) {
    this.timeoutMs = opts.timeoutMs ?? 5000;
    this.concurrency = opts.concurrency ?? 8;
    this.startupWaitMs = opts.startupWaitMs ?? 2000;
    const root = (opts.hostRoot ?? '/').replace(/\/+$/, '');
    const docker = dockerApi(`${root}${DOCKER_SOCKET}`);
    const podman = [libpodApi(`${root}${PODMAN_SOCKET}`), podmanCli()];
    const cri = opts.criSocket
      ? [criRuntime(opts.criSocket, /crio/.test(opts.criSocket) ? 'cri-o' : 'containerd')]
      : [];
    const containerd = [...cri, criRuntime(`${root}${CONTAINERD_SOCKET}`, 'containerd')];
    const crio = [...cri, criRuntime(`${root}${CRIO_SOCKET}`, 'cri-o')];
    // A bare id in a cgroup path is docker's or containerd's (CRI without a kubepods parent); kubepods
    // containers are containerd's or, on a node that runs pods on docker (cri-dockerd), docker's.
    this.runtimes = {
      docker: [docker, ...containerd],
      podman,
      containerd: [...containerd, docker],
      'cri-o': crio,
      ...opts.runtimes,
    } as Record<string, ContainerRuntime[]>;
  }

  /** A table snapshot (a file's start, a checkpoint): its containers completed with what is known. */
  onMetadata(meta: CaptureMetadata): void {
    for (const c of meta.containers) this.see(c);
    meta.containers = [...this.records.values()];
    // The tables hold what the lookups ended so far have learned: no container event needed for those.
    this.done = [];
  }

  /**
   * Waits for the lookups of the containers seen so far (those running when the recording starts), at
   * most `startupWaitMs`, so that the first file's tables describe them (the recording calls it before
   * the probe attaches).
   */
  async ready(): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const budget = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, this.startupWaitMs);
      timer.unref();
    });
    await Promise.race([this.settled(), budget]);
    clearTimeout(timer);
  }

  /** Container events for the lookups ended since the last batch, stamped `ts`; then looks at `batch`. */
  beforeBatch(batch: EventBatch): EventBatch | undefined {
    const events = batch.count > 0 ? this.drain(batchEventTs(batch, 0)) : undefined;
    this.observe(batch);
    return events;
  }

  /** At the end of the recording: lookups still running are waited for (each ends by its deadline). */
  async end(lastTs: bigint): Promise<EventBatch | undefined> {
    await this.settled();
    return this.drain(lastTs);
  }

  async close(): Promise<void> {
    this.closed = true;
    this.queue.length = 0;
  }

  /** Every lookup started so far has ended. */
  async settled(): Promise<void> {
    while (this.inFlightAll.size > 0) await Promise.all([...this.inFlightAll]);
  }

  /** The containers seen, as the trace records them. */
  table(): ContainerInfo[] {
    return [...this.records.values()];
  }

  /**
   * One line per reason a lookup failed, with the containers it concerns; empty when all were learned.
   * What the recorder's summary prints (once).
   */
  problems(): string[] {
    const byReason = new Map<string, string[]>();
    for (const c of this.records.values()) {
      if (c.lookup.state !== 'failed' && c.lookup.state !== 'partial') continue;
      const reason = c.lookup.error ?? 'no runtime answered';
      const ids = byReason.get(reason) ?? [];
      ids.push(c.name || c.id);
      byReason.set(reason, ids);
    }
    return [...byReason].map(([reason, ids]) => {
      const shown =
        ids.length > 5 ? `${ids.slice(0, 5).join(', ')} and ${ids.length - 5} more` : ids.join(', ');
      return `${ids.length} container${ids.length > 1 ? 's' : ''} (${shown}): ${reason}`;
    });
  }

  /** How many containers were seen, and how many of them their runtime described. */
  counts(): { seen: number; learned: number } {
    let learned = 0;
    for (const c of this.records.values())
      if (c.lookup.state === 'ok' || c.lookup.state === 'partial') learned++;
    return { seen: this.records.size, learned };
  }

  /** Finds the containers named in the cgroups of clone/fork/execve exits. */
  observe(batch: EventBatch): void {
    const v = this.view;
    for (let i = 0; i < batch.count; i++) {
      const idx = CGROUPS[v.at(batch, i).type] ?? -1;
      if (idx < 0 || idx >= v.paramCount()) continue;
      const text = this.decoder.decode(v.paramBytes(idx));
      let id = this.cgroupIds.get(text);
      if (id === undefined) {
        const ref = containerIdFromCgroups(text.split('\0'));
        id = ref?.id ?? '';
        if (this.cgroupIds.size >= CGROUP_CACHE_MAX) this.cgroupIds.clear();
        this.cgroupIds.set(text, id);
        if (ref && !this.records.has(ref.id)) this.see(cgroupContainer(ref));
      }
    }
  }

  /** Takes note of a container; one never seen before is looked up. */
  private see(c: ContainerInfo): void {
    const known = this.records.get(c.id);
    if (known) {
      // A record learned from a runtime beats one that only says what the cgroup told.
      if (known.lookup.state === 'pending' && c.lookup.state !== 'pending') this.records.set(c.id, c);
      return;
    }
    this.records.set(c.id, c);
    if (c.lookup.state === 'pending' && c.fullId !== '') {
      this.queue.push(c);
      this.pump();
    }
  }

  private pump(): void {
    while (!this.closed && this.inFlight < this.concurrency && this.queue.length > 0) {
      const c = this.queue.shift()!;
      this.inFlight++;
      const p = this.lookup(c).finally(() => {
        this.inFlight--;
        this.inFlightAll.delete(p);
        this.pump();
      });
      this.inFlightAll.add(p);
    }
  }

  /** Asks the runtimes that may know the container, in turn, until one answers. */
  private async lookup(c: ContainerInfo): Promise<void> {
    const reasons: string[] = [];
    let found: ContainerInfo | undefined;
    const runtimes = this.runtimes[c.type] ?? [];
    for (const rt of runtimes) {
      try {
        found = await withDeadline(rt.lookup(c.fullId, this.timeoutMs), this.timeoutMs, rt.source);
        break;
      } catch (e) {
        reasons.push(e instanceof LookupError ? e.message : `${rt.source}: ${(e as Error).message}`);
      }
    }
    let record: ContainerInfo;
    if (found) {
      // The runtime's own type name for it may differ from the cgroup's guess (a bare id is docker's or
      // containerd's): the runtime that answered knows.
      record = found;
    } else {
      record = {
        ...c,
        lookup: { state: 'failed', source: runtimes.map((r) => r.source).join(', ') || 'cgroup' },
      };
      record.lookup.error =
        runtimes.length === 0 ? `no runtime is known for ${c.type} containers` : reasons.join('; ');
    }
    this.records.set(c.id, record);
    this.done.push(record);
  }

  private drain(ts: bigint): EventBatch | undefined {
    if (this.done.length === 0) return undefined;
    const b = new EventBatchBuilder(4096);
    for (const c of this.done) b.append(containerEvent(c, ts), 0);
    this.done = [];
    return b.take();
  }
}

/** `p`, or a timeout LookupError after `ms` (a runtime client's own timeout covers one request only). */
function withDeadline<T>(p: Promise<T>, ms: number, source: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new LookupError('timeout', `${source}: no answer within ${ms} ms`)), ms);
    timer.unref();
  });
  return Promise.race([p, deadline]).finally(() => clearTimeout(timer));
}
