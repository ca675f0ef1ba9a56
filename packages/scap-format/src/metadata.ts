// The capture metadata model shared by every source (probe snapshot, scapkit file, sysdig file): plain
// data only, so it serialises to msgpack as is and decodes without prototypes.

export interface MachineInfo {
  hostname: string;
  /** Kernel release (uname -r), when known. */
  kernel?: string;
  arch?: string;
  numCpus: number;
  memoryBytes: number;
  /** Boot time, ns since the epoch (0 when unknown). */
  bootTs: bigint | number;
  maxPid?: number;
}

/** One thread (sysdig's process-list entry). Numbers are -1 where unknown. */
export interface ThreadInfo {
  tid: number;
  pid: number;
  ptid: number;
  sid: number;
  vpgid: number;
  pgid: number;
  /** Short name (comm, 16 chars in the kernel). */
  comm: string;
  /** argv[0]. */
  exe: string;
  /** Full path of the executable. */
  exepath: string;
  args: string[];
  cwd: string;
  fdlimit: number;
  /** PPM_CL_* clone flags of the thread. */
  flags: number;
  uid: number;
  gid: number;
  vmsizeKb: number;
  vmrssKb: number;
  vmswapKb: number;
  pfMajor: number;
  pfMinor: number;
  env: string[];
  vtid: number;
  vpid: number;
  /** `subsys=path` entries. */
  cgroups: string[];
  root: string;
  loginuid: number;
  tty: number;
  /** When the init of the thread's pid namespace started, ns since the epoch (0: unknown). */
  pidnsInitStartTs: bigint | number;
  capInheritable: bigint | number;
  capPermitted: bigint | number;
  capEffective: bigint | number;
  exeWritable: boolean;
  exeUpperLayer: boolean;
  exeLowerLayer: boolean;
  exeFromMemfd: boolean;
  exeIno: number;
  exeInoCtime: bigint | number;
  exeInoMtime: bigint | number;
  // What follows is written only by a state engine's snapshot (StateEngine.snapshot()): what the engine
  // learnt from the events that a /proc scan cannot know. A thread that has `nchilds` is restored exactly
  // as given (no trailing slash added to cwd, its container as given, no counting of children); readers
  // that do not know these fields ignore them.
  /** Threads and processes this thread created that are still alive (sinsp's m_nchilds). */
  nchilds?: number;
  /** The id of the container the thread runs in ('' on the host), when it did not come from cgroups. */
  containerId?: string;
  /**
   * The tid under which `fds` lists the table this thread uses: the threads of a process, and a process
   * created with CLONE_FILES, share one fd table. Absent: the thread's own list.
   */
  fdsOf?: number;
  /** The fd number of the thread's last fd event (sinsp's m_lastevent_fd). */
  lastEventFd?: number;
  /**
   * The thread's last enter event, framed as in an EventBatch (u16 cpu, u16 flags, then the scap event):
   * a later exit event pairs with it for evt.latency and for the parameters its layout lacks.
   */
  lastEnterEvent?: Uint8Array;
  /** ns from the last enter event to its exit (sinsp's m_latency). */
  latency?: number;
  /** When the capture saw the thread created (ns since the epoch; 0 when it was already there). */
  cloneTs?: bigint | number;
  /** The thread has exited; it stays while other threads of its process still use its fds and cwd. */
  exited?: boolean;
}

/** scap fd types (`scap_fd_type`), as stored in fd lists. */
export const FdType = {
  UNKNOWN: 0, FILE: 1, DIRECTORY: 2, IPV4_SOCK: 3, IPV6_SOCK: 4, IPV4_SERVSOCK: 5, IPV6_SERVSOCK: 6, FIFO: 7,
  UNIX_SOCK: 8, EVENT: 9, UNSUPPORTED: 10, SIGNALFD: 11, EVENTPOLL: 12, INOTIFY: 13, TIMERFD: 14, NETLINK: 15,
  FILE_V2: 16, BPF: 17, USERFAULTFD: 18, IOURING: 19, MEMFD: 20, PIDFD: 21,
} as const; // biome-ignore format: a table

/** One open fd of a thread. Addresses are printable strings; fields not used by the type are absent. */
export interface FdInfo {
  fd: number;
  ino: number;
  /** A FdType value. */
  type: number;
  /** Path for files, dirs, fifos, unix sockets and the like. */
  name: string;
  /** PPM_O_* open flags (FILE_V2). */
  openFlags?: number;
  dev?: number;
  /** IPv4/IPv6 sockets: source (client) and destination (server); servsocks use sip/sport only. */
  sip?: string;
  dip?: string;
  sport?: number;
  dport?: number;
  /** 0 unknown, 1 n/a, 2 TCP, 3 UDP, 4 ICMP, 5 RAW. */
  l4proto?: number;
  /** Unix sockets: kernel socket addresses. */
  source?: bigint | number;
  dest?: bigint | number;
  // Written only by a state engine's snapshot: an fd that has `role` is restored exactly as given (its
  // name, type and ends as the engine held them; IP sockets already ordered client → server).
  /** Which end of a connection the fd is: 0 none (yet), 1 client, 2 server. */
  role?: number;
  /** A connected socket. */
  connected?: boolean;
}

export interface UserInfo {
  uid: number;
  gid: number;
  name: string;
  homedir: string;
  shell: string;
  container?: string;
}

export interface GroupInfo {
  gid: number;
  name: string;
  container?: string;
}

export interface InterfaceInfo {
  name: string;
  family: 'ipv4' | 'ipv6';
  addr: string;
  netmask: string;
  bcast: string;
  linkspeed?: number;
}

/** One mount of a container: `container.mount*` fields, `source:dest:mode:rw:propagation` in sysdig. */
export interface ContainerMount {
  source: string;
  dest: string;
  /** The runtime's mode string (`z`, `ro`, … or ''). */
  mode: string;
  rw: boolean;
  /** `rprivate`, `rshared`, … ('' when the runtime does not say). */
  propagation: string;
}

/** A published port: the host's `hostIp:hostPort` leads to the container's `containerPort`. */
export interface ContainerPort {
  hostIp: string;
  hostPort: number;
  containerPort: number;
  /** `tcp`, `udp` or `sctp`. */
  protocol: string;
}

/** A health check (docker, podman) or a Kubernetes liveness/readiness probe: the command it runs. */
export interface ContainerHealthProbe {
  kind: 'healthcheck' | 'liveness' | 'readiness';
  exe: string;
  args: string[];
}

/**
 * How a container record was learned. `ok`: the runtime answered; `partial`: it answered, but some of it
 * could not be learned (an image it could not describe, …); `failed`: it did not answer, and the record
 * holds only what the cgroup tells (id, full id, runtime); `pending`: asked, no answer yet (a table
 * written while a lookup runs: a later container event completes it).
 */
export interface ContainerLookup {
  state: 'ok' | 'partial' | 'failed' | 'pending';
  /** Where the record comes from: `docker /var/run/docker.sock`, `podman inspect`, `sysdig event`, … */
  source?: string;
  /** What could not be learned, and why, in words a user can act on. */
  error?: string;
}

/**
 * A container, as sysdig and Falco know it (the record of sysdig's container events). Strings are ''
 * and lists empty where unknown; the three-valued facts (privileged, host namespaces) are absent when the
 * runtime does not say.
 */
export interface ContainerInfo {
  /** Short id: the first 12 characters of the full id (`container.id`), or the runtime's own name. */
  id: string;
  /** The full id (64 hex characters for runc-based runtimes). */
  fullId: string;
  /** sysdig's `container.type` names: `docker`, `containerd`, `cri-o`, `podman`, `cri`, `lxc`, … */
  type: string;
  name: string;
  /** The image as the container was started from it (`docker.io/library/nginx:1.25`). */
  image: string;
  imageRepo: string;
  imageTag: string;
  /** `sha256:…` of the image manifest in its registry. */
  imageDigest: string;
  /** The local image id (64 hex characters, without `sha256:`). */
  imageId: string;
  /** The container's labels (for CRI runtimes, the `io.kubernetes.*` ones name its pod). */
  labels: Record<string, string>;
  privileged?: boolean;
  hostNetwork?: boolean;
  hostPid?: boolean;
  hostIpc?: boolean;
  mounts: ContainerMount[];
  ports: ContainerPort[];
  /** The user the container's process starts as, as configured (`1000`, `nginx:nginx`, '' = the image's). */
  user: string;
  /** Creation time, ns since the epoch (0 when unknown). */
  createdTs: bigint | number;
  /** Its primary IPv4 address ('' when unknown or none). */
  ip: string;
  healthProbes: ContainerHealthProbe[];
  /** Kubernetes: the full id of the pod sandbox the container belongs to. */
  podSandboxId?: string;
  /** Kubernetes: the pod's own labels (CRI PodSandboxStatus). */
  podSandboxLabels?: Record<string, string>;
  /** Kubernetes: the pod's CNI result as JSON (CRI). */
  cniJson?: string;
  /** Whether this is a pod's sandbox (pause) container. */
  isPodSandbox?: boolean;
  memoryLimit?: number;
  swapLimit?: number;
  cpuShares?: number;
  cpuQuota?: number;
  cpuPeriod?: number;
  cpusetCpuCount?: number;
  lookup: ContainerLookup;
}

/** Everything known about the box before the first event: tables reset to this at each sysdig section. */
export interface CaptureMetadata {
  machine?: MachineInfo;
  threads: ThreadInfo[];
  /** Open fds by tid (threads of one process may share a table; each tid lists what it has). */
  fds: Map<number, FdInfo[]>;
  users: UserInfo[];
  groups: GroupInfo[];
  interfaces: InterfaceInfo[];
  containers: ContainerInfo[];
}

export function emptyMetadata(): CaptureMetadata {
  return { threads: [], fds: new Map(), users: [], groups: [], interfaces: [], containers: [] };
}

/**
 * A label map without a prototype, so a label named `__proto__` is a label like any other; values that are
 * not strings become text as jsoncpp's asString() makes them (numbers, booleans) or ''.
 */
export function labelMap(from?: unknown): Record<string, string> {
  const m: Record<string, string> = Object.create(null);
  if (typeof from !== 'object' || from === null || Array.isArray(from)) return m;
  for (const [k, v] of Object.entries(from)) {
    m[k] = typeof v === 'string' ? v : typeof v === 'number' || typeof v === 'boolean' ? String(v) : '';
  }
  return m;
}

/**
 * Gives the containers of `tables` their prototype-free label maps back, in place, after a structured clone
 * (a worker's postMessage) made them ordinary objects again, where `labels.constructor` is Object's.
 */
export function restoreLabelMaps(tables: CaptureMetadata): CaptureMetadata {
  for (const c of tables.containers) {
    c.labels = labelMap(c.labels);
    if (c.podSandboxLabels) c.podSandboxLabels = labelMap(c.podSandboxLabels);
  }
  return tables;
}

/** A ContainerInfo with every field unknown but its id, full id and runtime (what a cgroup path tells). */
export function blankContainer(id: string, fullId: string, type: string): ContainerInfo {
  return {
    id, fullId, type, name: '', image: '', imageRepo: '', imageTag: '', imageDigest: '', imageId: '',
    labels: labelMap(), mounts: [], ports: [], user: '', createdTs: 0, ip: '', healthProbes: [],
    lookup: { state: 'pending' },
  }; // biome-ignore format: a table
}

/** A ThreadInfo with every field at its "unknown" value, for sources that fill only some. */
export function blankThread(tid: number): ThreadInfo {
  return {
    tid, pid: -1, ptid: -1, sid: -1, vpgid: -1, pgid: -1, comm: '', exe: '', exepath: '', args: [], cwd: '',
    fdlimit: 0, flags: 0, uid: 0xffffffff, gid: 0xffffffff, vmsizeKb: 0, vmrssKb: 0, vmswapKb: 0, pfMajor: 0,
    pfMinor: 0, env: [], vtid: -1, vpid: -1, cgroups: [], root: '', loginuid: 0xffffffff, tty: 0,
    pidnsInitStartTs: 0, capInheritable: 0, capPermitted: 0, capEffective: 0, exeWritable: false,
    exeUpperLayer: false, exeLowerLayer: false, exeFromMemfd: false, exeIno: 0, exeInoCtime: 0, exeInoMtime: 0,
  }; // biome-ignore format: a table
}
