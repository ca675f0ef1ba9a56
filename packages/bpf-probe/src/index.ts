// @scapkit/bpf-probe: records every system call of the machine with a CO-RE eBPF probe and yields the
// events as EventBatches in the scap layout, merged across CPUs by timestamp.
//
//   const probe = openProbe({ snaplen: 256 });
//   for await (const batch of probe) { ... view.at(batch, i) ... }
//   await probe.close();
import { type EventBatch, SYSCALL_NAMES } from '@scapkit/scap-format';
import { ProbeLoadError } from './errors.js';
import {
  loadNative,
  type NativeLoadedProbe,
  type NativeProbeConfig,
  type NativeProbeHandle,
} from './native.js';

export { ProbeLoadError, type ProbeLoadReason } from './errors.js';
export * from './snapshot/index.js';

export interface ProbeOptions {
  /** Bytes of I/O data captured per read/write/send/recv. Default 80, at most 65000. */
  snaplen?: number;
  /** Size of each CPU's ring buffer, rounded up to a power of two. Default 8 MiB. */
  bufferBytesPerCpu?: number;
  /** Record only these processes (tgids). Default: every process. */
  pids?: readonly number[];
  /**
   * Follow forks: a process forked by a recorded one is recorded too, from its first event (the kernel adds
   * it to the pid filter in the parent, before the child runs; it leaves with its last thread). With
   * `pids`: those and their descendants. Default false.
   */
  followForks?: boolean;
  /**
   * With followForks: record the processes this one forks from now on, and their descendants, but not
   * this one. `{ childrenOf: process.pid, followForks: true }` records exactly the commands the caller
   * starts (`scapkit record --only-command`).
   */
  childrenOf?: number;
  /** Record only these syscalls, by name (`'openat'`, `'read'`…). Default: all. */
  syscalls?: readonly string[];
  /** Never record these processes. Default: this process, so reading the events makes none. */
  excludePids?: readonly number[];
  /** Record context switches (`switch` events). Default false: they are very frequent. */
  schedSwitch?: boolean;
  /** Record user page faults (`page_fault` events). Default false. */
  pageFaults?: boolean;
  /** Record the enter events current libs keeps (open, openat, openat2, creat, connect). Default true.
   *  They come from those syscalls' own tracepoints (other syscalls pay nothing for them), or, where
   *  tracefs or syscall tracepoints are missing, from a sys_enter program that runs on every syscall.
   *  Turning them off attaches neither. */
  enterEvents?: boolean;
}

export interface ProbeCpuStats {
  cpu: number;
  /** Events the probe tried to emit on this CPU. */
  seen: number;
  /** Dropped because the CPU's ring buffer was full. */
  dropsBuffer: number;
  /** Dropped for any other reason (no scratch buffer, event too large). */
  dropsOther: number;
}

export interface ProbeStats {
  perCpu: ProbeCpuStats[];
  seen: number;
  dropsBuffer: number;
  dropsOther: number;
  /** Events read from the rings and handed to JavaScript. Once the rings are drained,
   *  seen = delivered + dropsBuffer + dropsOther. */
  delivered: number;
  /** Events discarded because nobody iterated the probe and maxQueuedBytes was reached. */
  droppedUnconsumed: number;
}

export interface Probe extends AsyncIterable<EventBatch> {
  stats(): ProbeStats;
  /** Detaches the programs, delivers what the rings still hold, stops the reader. Iteration ends after
   *  the last batch. */
  close(): Promise<void>;
  /** Keep the event loop alive while the probe runs (the default). */
  ref(): void;
  /** Let the process exit even though the probe runs. */
  unref(): void;
}

const DEFAULT_SNAPLEN = 80;
const MAX_SNAPLEN = 65000;
const DEFAULT_BUFFER_BYTES = 8 << 20;
/** Batches pile up here only when nobody iterates; past this the oldest-first queue stops growing. */
const MAX_QUEUED_BYTES = 64 << 20;

function ppmScCodes(names: readonly string[]): number[] {
  const codes: number[] = [];
  const unknown: string[] = [];
  for (const n of names) {
    const code = SYSCALL_NAMES.indexOf(n);
    if (code > 0) codes.push(code);
    else unknown.push(n);
  }
  if (unknown.length) throw new TypeError(`openProbe: unknown syscall name(s): ${unknown.join(', ')}`);
  return codes;
}

function checkPids(what: string, pids: readonly number[]): number[] {
  for (const p of pids) {
    if (!Number.isInteger(p) || p <= 0 || p > 0xffffffff)
      throw new TypeError(`openProbe: ${what}: bad pid ${p}`);
  }
  return [...pids];
}

class LiveProbe implements Probe {
  private readonly queue: EventBatch[] = [];
  private queuedBytes = 0;
  private droppedUnconsumed = 0;
  private waiting: ((r: IteratorResult<EventBatch>) => void) | undefined;
  private ended = false;
  private closing: Promise<void> | undefined;
  private readonly handle: NativeProbeHandle;

  constructor(
    handleFactory: (onBatch: (d: ArrayBuffer, o: ArrayBuffer, n: number) => void) => NativeProbeHandle,
  ) {
    this.handle = handleFactory((data, offsets, count) => this.push(data, offsets, count));
  }

  private push(data: ArrayBuffer, offsets: ArrayBuffer, count: number): void {
    const batch: EventBatch = { data: new Uint8Array(data), offsets: new Uint32Array(offsets), count };
    if (this.waiting) {
      const w = this.waiting;
      this.waiting = undefined;
      w({ value: batch, done: false });
      return;
    }
    if (this.queuedBytes + data.byteLength > MAX_QUEUED_BYTES) {
      this.droppedUnconsumed += count;
      return;
    }
    this.queue.push(batch);
    this.queuedBytes += data.byteLength;
  }

  [Symbol.asyncIterator](): AsyncIterator<EventBatch> {
    return {
      next: () => {
        const b = this.queue.shift();
        if (b) {
          this.queuedBytes -= b.data.byteLength;
          return Promise.resolve({ value: b, done: false });
        }
        if (this.ended) return Promise.resolve({ value: undefined, done: true });
        return new Promise((resolve) => {
          this.waiting = resolve;
        });
      },
      return: async () => {
        await this.close();
        return { value: undefined, done: true };
      },
    };
  }

  stats(): ProbeStats {
    const s = this.handle.stats();
    const perCpu = s.cpus.map((c, cpu) => ({ cpu, ...c }));
    const sum = (k: 'seen' | 'dropsBuffer' | 'dropsOther') => perCpu.reduce((a, c) => a + c[k], 0);
    return {
      perCpu,
      seen: sum('seen'),
      dropsBuffer: sum('dropsBuffer'),
      dropsOther: sum('dropsOther'),
      delivered: s.delivered,
      droppedUnconsumed: this.droppedUnconsumed,
    };
  }

  close(): Promise<void> {
    this.closing ??= this.handle.close().then(() => {
      this.ended = true;
      const w = this.waiting;
      this.waiting = undefined;
      w?.({ value: undefined, done: true });
    });
    return this.closing;
  }

  ref(): void {
    this.handle.ref();
  }

  unref(): void {
    this.handle.unref();
  }
}

/** The options as the addon reads them; TypeError for bad ones. */
function nativeConfig(options: ProbeOptions): NativeProbeConfig {
  const snaplen = options.snaplen ?? DEFAULT_SNAPLEN;
  if (!Number.isInteger(snaplen) || snaplen < 0 || snaplen > MAX_SNAPLEN) {
    throw new TypeError(`openProbe: snaplen must be an integer in 0..${MAX_SNAPLEN}, got ${snaplen}`);
  }
  const bufferBytesPerCpu = options.bufferBytesPerCpu ?? DEFAULT_BUFFER_BYTES;
  if (!Number.isInteger(bufferBytesPerCpu) || bufferBytesPerCpu < 4096 || bufferBytesPerCpu > 1 << 30) {
    throw new TypeError(
      `openProbe: bufferBytesPerCpu must be an integer in 4096..2^30, got ${bufferBytesPerCpu}`,
    );
  }
  const config = {
    snaplen,
    bufferBytesPerCpu,
    pids: checkPids('pids', options.pids ?? []),
    excludePids: checkPids('excludePids', options.excludePids ?? [process.pid]),
    ppmSc: ppmScCodes(options.syscalls ?? []),
    schedSwitch: options.schedSwitch ?? false,
    pageFaults: options.pageFaults ?? false,
    enterEvents: options.enterEvents ?? true,
    followForks: options.followForks ?? false,
    childrenOf: options.childrenOf ?? 0,
  };
  if (options.childrenOf !== undefined) {
    checkPids('childrenOf', [options.childrenOf]);
    if (!config.followForks) throw new TypeError('openProbe: childrenOf needs followForks');
  }
  if (options.syscalls && config.ppmSc.length === 0) {
    throw new TypeError('openProbe: syscalls is empty: leave it out to record every syscall');
  }
  if (options.pids && config.pids.length === 0) {
    throw new TypeError('openProbe: pids is empty: leave it out to record every process');
  }
  return config;
}

/**
 * Loads and attaches the probe. Throws ProbeLoadError (reason: 'not-root', 'no-btf', 'kernel-too-old',
 * 'verifier', 'build-missing', …) when it cannot, and TypeError for bad options.
 */
export function openProbe(options: ProbeOptions = {}): Probe {
  const config = nativeConfig(options);
  const native = loadNative();
  return new LiveProbe((onBatch) => {
    try {
      return new native.ProbeHandle(config, onBatch);
    } catch (e) {
      throw ProbeLoadError.fromNative(e);
    }
  });
}

/** A probe loaded and verified by the kernel, not attached yet: no event flows until attach(). */
export interface LoadedProbe {
  /** Attaches: events are recorded from here on. Throws ProbeLoadError ('attach', …). */
  attach(): Probe;
  /** Releases it without attaching. */
  discard(): void;
}

/**
 * Loads the probe on a worker thread (the kernel's verification of its programs is most of the
 * start-up), so the caller can go on meanwhile; attach() then starts recording at once. Rejects with
 * ProbeLoadError as openProbe throws; TypeError for bad options at once.
 */
export async function loadProbe(options: ProbeOptions = {}): Promise<LoadedProbe> {
  const config = nativeConfig(options);
  const native = loadNative();
  let loaded: NativeLoadedProbe | undefined;
  try {
    loaded = await native.loadProbe(config);
  } catch (e) {
    throw ProbeLoadError.fromNative(e);
  }
  return {
    attach() {
      const l = loaded;
      loaded = undefined;
      if (!l) throw new Error('loadProbe: this probe was attached or discarded already');
      return new LiveProbe((onBatch) => {
        try {
          return new native.ProbeHandle(l, onBatch);
        } catch (e) {
          throw ProbeLoadError.fromNative(e);
        }
      });
    },
    discard() {
      if (loaded) native.discardProbe(loaded);
      loaded = undefined;
    },
  };
}
