// takeSnapshot: the initial state a recorder stores at the start of every trace file (sysdig's machine
// info, process list, fd lists, interface list and user list, plus the containers), read from /proc.
//
// How the tables are keyed (what the state engine relies on):
// - `threads` has one ThreadInfo per task, main threads and other threads alike, keyed by `tid`.
//   A thread other than the main one has `pid !== tid` and the flags PPM_CL_CLONE_THREAD |
//   PPM_CL_CLONE_FILES, which is how libsinsp knows to use its main thread's fd table.
// - `fds` is keyed by the process's main tid (= pid) only: threads of a process share one fd table, so
//   it is listed once, as libscap does. A thread's fds are `fds.get(thread.pid)`.
// - `containers` lists each container found in a thread's cgroups once; a thread's container is
//   `containerIdFromCgroups(thread.cgroups)` (the same function the state engine uses on replay).
//
// A box changes while it is scanned: a process or fd that vanishes (ENOENT, ESRCH) is skipped without a
// word; anything else that fails on one process (EACCES from an unprivileged recorder, …) is recorded in
// the report's `issues` and the scan goes on. Only an unreadable procRoot fails the snapshot.
import { readdirSync } from 'node:fs';
import {
  type CaptureMetadata,
  type ContainerInfo,
  cgroupContainer,
  containerIdFromCgroups,
  type FdInfo,
  type ThreadInfo,
} from '@scapkit/scap-format';
import { readAccounts } from './accounts.js';
import { ProcSnapshotError, type SnapshotIssue } from './errors.js';
import { FdScanContext, scanFds } from './fds.js';
import { readInterfaces } from './interfaces.js';
import { readMachineInfo } from './machine.js';
import { errorCode, ProcFs } from './procfs.js';
import { orientSockets } from './sockets.js';
import {
  buildThread,
  isKernelThread,
  type ProcessShared,
  parseStat,
  parseStatus,
  readProcessShared,
  type ThreadScanContext,
} from './threads.js';

export interface SnapshotOptions {
  /** Where procfs is mounted (default `/proc`; `/host/proc` for a recorder in a container). */
  procRoot?: string;
  /** Root of the host filesystem for /etc/passwd, /etc/group and /sys (default `/`). */
  hostRoot?: string;
  /** Processes left out with all their threads and fds (typically the recorder itself). */
  excludePids?: number[];
  /** Include kernel threads (kthreadd, kworkers, …: no exe, args or fds). Default true. */
  kernelThreads?: boolean;
  /** Called for each recorded issue as it happens, e.g. to log it. */
  onIssue?: (issue: SnapshotIssue) => void;
}

export interface SnapshotReport {
  metadata: CaptureMetadata;
  /** What could not be read, per process (see SnapshotIssue). */
  issues: SnapshotIssue[];
  stats: { processes: number; threads: number; fds: number; durationMs: number };
}

/** Processes scanned between two yields to the event loop, so a live capture's batches keep flowing. */
const PROCESSES_PER_SLICE = 64;

/** The initial snapshot of the box: every thread, every fd, users, groups, interfaces, containers. */
export async function takeSnapshot(opts: SnapshotOptions = {}): Promise<CaptureMetadata> {
  return (await takeSnapshotWithReport(opts)).metadata;
}

/** takeSnapshot, with what could not be read and how long it took. */
export async function takeSnapshotWithReport(opts: SnapshotOptions = {}): Promise<SnapshotReport> {
  const started = performance.now();
  const procRoot = trimSlash(opts.procRoot ?? '/proc');
  const hostPrefix = trimSlash(opts.hostRoot ?? '/');
  const excluded = new Set(opts.excludePids ?? []);
  const withKernelThreads = opts.kernelThreads ?? true;
  const fs = new ProcFs(opts.onIssue);

  let entries: string[];
  try {
    entries = readdirSync(procRoot);
  } catch (e) {
    throw new ProcSnapshotError('cannot list processes', procRoot, errorCode(e));
  }

  const ctx: ThreadScanContext = {
    fs,
    procRoot,
    hostPrefix,
    cgroupVersion: cgroupVersion(fs, procRoot),
    initPidnsStartTs: fs.stat(`${procRoot}/1`)?.ctimeNs ?? 0n,
  };
  const fdCtx = new FdScanContext(fs, procRoot);
  const metadata: CaptureMetadata = {
    machine: readMachineInfo(fs, procRoot),
    threads: [],
    fds: new Map(),
    users: [],
    groups: [],
    interfaces: [],
    containers: [],
  };

  let processes = 0;
  let fdCount = 0;
  let slice = 0;
  for (const entry of entries) {
    const pid = Number(entry);
    if (!Number.isInteger(pid) || pid <= 0 || excluded.has(pid)) continue;
    fs.pid = pid;
    const main = scanProcess(ctx, fdCtx, pid, withKernelThreads, metadata.threads);
    if (!main) continue;
    processes++;
    if (main.fds.length > 0) {
      metadata.fds.set(pid, main.fds);
      fdCount += main.fds.length;
    }
    if (++slice === PROCESSES_PER_SLICE) {
      slice = 0;
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
  }
  fs.pid = 0;
  orientSockets(metadata.fds.values());

  metadata.containers = containersOf(metadata.threads);
  const accounts = readAccounts(fs, `${hostPrefix}/etc`);
  metadata.users = accounts.users;
  metadata.groups = accounts.groups;
  metadata.interfaces = readInterfaces(fs, `${hostPrefix}/sys`);

  return {
    metadata,
    issues: fs.issues,
    stats: {
      processes,
      threads: metadata.threads.length,
      fds: fdCount,
      durationMs: performance.now() - started,
    },
  };
}

/** Reads one process and its threads into `threads`; undefined when it is gone or filtered out. */
function scanProcess(
  ctx: ThreadScanContext,
  fdCtx: FdScanContext,
  pid: number,
  withKernelThreads: boolean,
  threads: ThreadInfo[],
): { fds: FdInfo[] } | undefined {
  const { fs } = ctx;
  const dir = `${ctx.procRoot}/${pid}`;
  const statText = fs.read(`${dir}/stat`);
  const statusText = statText === undefined ? undefined : fs.read(`${dir}/status`);
  if (statText === undefined || statusText === undefined) return undefined;
  const stat = parseStat(statText);
  if (!stat) return undefined;
  if (!withKernelThreads && isKernelThread(stat)) return undefined;
  const status = parseStatus(statusText);
  const shared: ProcessShared = readProcessShared(ctx, pid, stat);
  threads.push(buildThread(ctx, pid, stat, status, shared));

  const tids = fs.list(`${dir}/task`) ?? [];
  for (const name of tids) {
    const tid = Number(name);
    if (tid === pid || !Number.isInteger(tid)) continue;
    const tdir = `${dir}/task/${tid}`;
    const tstatText = fs.read(`${tdir}/stat`);
    const tstatusText = tstatText === undefined ? undefined : fs.read(`${tdir}/status`);
    if (tstatText === undefined || tstatusText === undefined) continue; // the thread exited
    const tstat = parseStat(tstatText);
    if (!tstat) continue;
    threads.push(buildThread(ctx, tid, tstat, parseStatus(tstatusText), shared));
  }
  return { fds: shared.isKernelThread || shared.accessDenied ? [] : scanFds(fdCtx, pid) };
}

/**
 * 1 on a host with any cgroup v1 hierarchy mounted (legacy or hybrid), 2 on a pure v2 host; read from the
 * mounts of init (the host's mount namespace), or of the recorder when init's are not readable.
 */
function cgroupVersion(fs: ProcFs, procRoot: string): 1 | 2 {
  const mounts =
    fs.read(`${procRoot}/1/mounts`, 16 << 20, true) ?? fs.read(`${procRoot}/self/mounts`, 16 << 20, true);
  if (mounts === undefined) return 2;
  return /^\S+ \S+ cgroup /m.test(mounts) ? 1 : 2;
}

function containersOf(threads: ThreadInfo[]): ContainerInfo[] {
  const byId = new Map<string, ContainerInfo>();
  for (const t of threads) {
    const c = containerIdFromCgroups(t.cgroups);
    // Name, image and the rest come from the container's runtime, which the snapshot does not ask: the
    // recorder's container lookups complete these records (packages/recorder/src/containers).
    if (c && !byId.has(c.id)) byId.set(c.id, cgroupContainer(c));
  }
  return [...byId.values()];
}

/** A directory without its trailing slashes, so `${dir}/x` is one path ('' for the root). */
function trimSlash(p: string): string {
  return p.replace(/\/+$/, '');
}
