// The metadata record's msgpack shape, both ways (and the header's known fields). Reading checks every field of the model against its
// declared type (numbers, 64-bit values, strings, string lists, booleans), fills what a producer left out
// with the model's "unknown" values, and keeps fields it does not know; so consumers of CaptureMetadata
// can trust the types whatever the file says, and a contradiction is a ScapFormatError, not a TypeError
// deep inside the state engine.
import { ScapFormatError } from '../errors.js';
import { blankContainer, blankThread, type CaptureMetadata, type FdInfo, labelMap } from '../metadata.js';

/**
 * num: a number (a bigint is narrowed); u64: number or bigint; str; strs: string[]; bool; bin: bytes;
 * strmap: a map of strings, on disk a list of [key, value] pairs (the msgpack decoder refuses a
 * `__proto__` key, and a container label may have any name), rebuilt without a prototype.
 */
type Kind = 'num' | 'u64' | 'str' | 'strs' | 'bool' | 'bin' | 'strmap';
type Shape = Readonly<Record<string, Kind>>;

const THREAD: Shape = {
  tid: 'num', pid: 'num', ptid: 'num', sid: 'num', vpgid: 'num', pgid: 'num', comm: 'str', exe: 'str',
  exepath: 'str', args: 'strs', cwd: 'str', fdlimit: 'num', flags: 'num', uid: 'num', gid: 'num',
  vmsizeKb: 'num', vmrssKb: 'num', vmswapKb: 'num', pfMajor: 'num', pfMinor: 'num', env: 'strs', vtid: 'num',
  vpid: 'num', cgroups: 'strs', root: 'str', loginuid: 'num', tty: 'num', pidnsInitStartTs: 'u64',
  capInheritable: 'u64', capPermitted: 'u64', capEffective: 'u64', exeWritable: 'bool', exeUpperLayer: 'bool',
  exeLowerLayer: 'bool', exeFromMemfd: 'bool', exeIno: 'num', exeInoCtime: 'u64', exeInoMtime: 'u64',
}; // biome-ignore format: a table
/** What a state engine's snapshot adds (metadata.ts). */
const THREAD_OPTIONAL: Shape = {
  nchilds: 'num', containerId: 'str', fdsOf: 'num', lastEventFd: 'num', lastEnterEvent: 'bin', latency: 'num',
  cloneTs: 'u64', exited: 'bool',
}; // biome-ignore format: a table
const FD: Shape = { fd: 'num', ino: 'num', type: 'num', name: 'str' };
const FD_OPTIONAL: Shape = {
  openFlags: 'num', dev: 'num', sip: 'str', dip: 'str', sport: 'num', dport: 'num', l4proto: 'num',
  source: 'u64', dest: 'u64', role: 'num', connected: 'bool',
}; // biome-ignore format: a table
const USER: Shape = { uid: 'num', gid: 'num', name: 'str', homedir: 'str', shell: 'str' };
const GROUP: Shape = { gid: 'num', name: 'str' };
const WITH_CONTAINER: Shape = { container: 'str' };
const INTERFACE: Shape = { name: 'str', family: 'str', addr: 'str', netmask: 'str', bcast: 'str' };
const INTERFACE_OPTIONAL: Shape = { linkspeed: 'num' };
// Containers: the four fields of format 1.0, then what later recorders add (defaults from blankContainer).
const CONTAINER: Shape = {
  id: 'str', type: 'str', name: 'str', image: 'str', fullId: 'str', imageRepo: 'str', imageTag: 'str',
  imageDigest: 'str', imageId: 'str', labels: 'strmap', user: 'str', createdTs: 'u64', ip: 'str',
}; // biome-ignore format: a table
const CONTAINER_OPTIONAL: Shape = {
  privileged: 'bool', hostNetwork: 'bool', hostPid: 'bool', hostIpc: 'bool', podSandboxId: 'str',
  podSandboxLabels: 'strmap', cniJson: 'str', isPodSandbox: 'bool', memoryLimit: 'num', swapLimit: 'num',
  cpuShares: 'num', cpuQuota: 'num', cpuPeriod: 'num', cpusetCpuCount: 'num',
}; // biome-ignore format: a table
const CONTAINER_MOUNT: Shape = { source: 'str', dest: 'str', mode: 'str', rw: 'bool', propagation: 'str' };
const CONTAINER_PORT: Shape = { hostIp: 'str', hostPort: 'num', containerPort: 'num', protocol: 'str' };
const CONTAINER_PROBE: Shape = { kind: 'str', exe: 'str', args: 'strs' };
const CONTAINER_LOOKUP: Shape = { state: 'str' };
const CONTAINER_LOOKUP_OPTIONAL: Shape = { source: 'str', error: 'str' };
const MACHINE: Shape = { hostname: 'str', numCpus: 'num', memoryBytes: 'num', bootTs: 'u64' };
const MACHINE_OPTIONAL: Shape = { kernel: 'str', arch: 'str', maxPid: 'num' };
const HEADER_OPTIONAL: Shape = {
  recorderVersion: 'str', eventTableVersion: 'str', snaplen: 'num', filter: 'str', startTs: 'u64',
}; // biome-ignore format: a table

/**
 * Heap bounds of one metadata record, far above what a real box has (tens of thousands of threads, a few
 * hundred thousand fds) and low enough that the model one record builds stays well under 1 GiB of heap:
 * - maps and lists in the record (each thread is a map and three lists, each fd a map): each costs tens
 *   of bytes of heap even when empty, so 2M of them cost a few hundred MB at most;
 * - threads: a ThreadInfo has ~40 fields, ~1.7 KB of heap each once filled in, so 256 Ki of them ~450 MB.
 */
export const MAX_METADATA_CONTAINERS = 1 << 21;
export const MAX_METADATA_THREADS = 1 << 18;

const DEFAULTS: Record<Kind, () => unknown> = {
  num: () => 0,
  u64: () => 0,
  str: () => '',
  strs: () => [],
  bool: () => false,
  strmap: () => labelMap(),
  bin: () => new Uint8Array(0),
};

const EXPECTED: Record<Kind, string> = {
  num: 'a number',
  u64: 'an integer',
  str: 'a string',
  strs: 'a list of strings',
  bool: 'a boolean',
  bin: 'bytes',
  strmap: 'a list of [key, value] strings',
};

const isMap = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Uint8Array);

/** Metadata on disk: the model, with the fd tables as [tid, fds] pairs since msgpack maps key by string. */
export function metadataToWire(meta: CaptureMetadata): Record<string, unknown> {
  return {
    machine: meta.machine,
    threads: meta.threads,
    fds: [...meta.fds],
    users: meta.users,
    groups: meta.groups,
    interfaces: meta.interfaces,
    containers: meta.containers.map((c) => ({
      ...c,
      ...(c.labels ? { labels: Object.entries(c.labels) } : {}),
      ...(c.podSandboxLabels ? { podSandboxLabels: Object.entries(c.podSandboxLabels) } : {}),
    })),
  };
}

class Checker {
  constructor(private readonly offset: number) {}

  fail(where: string, what: string): never {
    throw new ScapFormatError(
      `${where.startsWith('header') ? '' : 'metadata: '}${where}: ${what}`,
      this.offset,
    );
  }

  /** Checks (and in place narrows) `m`'s fields; a missing required field takes its default. */
  fields(
    m: Record<string, unknown>,
    where: string,
    required: Shape,
    optional: Shape = {},
    defaults?: object,
  ): void {
    for (const [key, kind] of Object.entries(required)) {
      if (m[key] === undefined)
        m[key] = defaults ? (defaults as Record<string, unknown>)[key] : DEFAULTS[kind]();
      else m[key] = this.value(m[key], kind, where, key);
    }
    for (const [key, kind] of Object.entries(optional)) {
      if (m[key] !== undefined) m[key] = this.value(m[key], kind, where, key);
    }
  }

  private value(v: unknown, kind: Kind, where: string, key: string): unknown {
    switch (kind) {
      case 'num':
        if (typeof v === 'number') return v;
        if (typeof v === 'bigint') return Number(v);
        break;
      case 'u64':
        if (typeof v === 'number' || typeof v === 'bigint') return v;
        break;
      case 'str':
        if (typeof v === 'string') return v;
        break;
      case 'bool':
        if (typeof v === 'boolean') return v;
        break;
      case 'strs':
        if (Array.isArray(v) && v.every((s) => typeof s === 'string')) return v;
        break;
      case 'strmap':
        if (
          Array.isArray(v) &&
          v.every(
            (p) => Array.isArray(p) && p.length === 2 && typeof p[0] === 'string' && typeof p[1] === 'string',
          )
        ) {
          const m = labelMap();
          for (const [k, val] of v as [string, string][]) m[k] = val;
          return m;
        }
        break;
      case 'bin':
        if (v instanceof Uint8Array) return v;
        break;
    }
    const found = Array.isArray(v) ? 'a list' : v === null ? 'nil' : typeof v;
    return this.fail(`${where}.${key}`, `expected ${EXPECTED[kind]}, found ${found}`);
  }

  /** The list under `key` (absent: empty), each entry a map checked by `each`. */
  list<T>(
    m: Record<string, unknown>,
    key: string,
    each: (e: Record<string, unknown>, where: string) => void,
  ): T[] {
    const v = m[key];
    if (v === undefined) return [];
    if (!Array.isArray(v)) return this.fail(key, 'not a list');
    v.forEach((e, i) => {
      if (!isMap(e)) this.fail(`${key}[${i}]`, 'not a map');
      each(e, `${key}[${i}]`);
    });
    return v as T[];
  }
}

/** Checks one container record in place; fields a recorder of format 1.0 did not write take their default. */
function checkContainer(c: Checker, x: Record<string, unknown>, where: string): void {
  const id = typeof x.id === 'string' ? x.id : '';
  c.fields(x, where, CONTAINER, CONTAINER_OPTIONAL, blankContainer(id, '', ''));
  x.mounts = c.list(x, 'mounts', (m, w) => c.fields(m, `${where}.${w}`, CONTAINER_MOUNT));
  x.ports = c.list(x, 'ports', (p, w) => c.fields(p, `${where}.${w}`, CONTAINER_PORT));
  x.healthProbes = c.list(x, 'healthProbes', (p, w) => c.fields(p, `${where}.${w}`, CONTAINER_PROBE));
  // Format 1.0 recorders never asked a runtime: their records hold only what the cgroup told.
  if (x.lookup === undefined) x.lookup = { state: 'failed', source: 'cgroup', error: 'not looked up' };
  else if (!isMap(x.lookup)) c.fail(`${where}.lookup`, 'not a map');
  else c.fields(x.lookup, `${where}.lookup`, CONTAINER_LOOKUP, CONTAINER_LOOKUP_OPTIONAL);
}

/** Checks the header fields scapkit defines (others are kept as they are). */
export function checkHeaderFields(m: Record<string, unknown>, offset: number): Record<string, unknown> {
  const c = new Checker(offset);
  c.fields(m, 'header', {}, HEADER_OPTIONAL);
  if (m.machine !== undefined) {
    if (!isMap(m.machine)) c.fail('header.machine', 'not a map');
    else c.fields(m.machine, 'header.machine', MACHINE, MACHINE_OPTIONAL);
  }
  return m;
}

/** Checks decoded metadata against the model and rebuilds it (fd tables back into a Map). */
export function metadataFromWire(v: unknown, offset: number): CaptureMetadata {
  const c: Checker = new Checker(offset); // annotated, so its never-returning fail() narrows types
  if (!isMap(v)) return c.fail('record', 'not a map');
  if (Array.isArray(v.threads) && v.threads.length > MAX_METADATA_THREADS)
    return c.fail('threads', `${v.threads.length} entries, more than the ${MAX_METADATA_THREADS} allowed`);
  const meta: CaptureMetadata = {
    threads: c.list(v, 'threads', (t, where) => {
      if (typeof t.tid !== 'number') c.fail(`${where}.tid`, 'missing or not a number');
      c.fields(t, where, THREAD, THREAD_OPTIONAL, blankThread(t.tid as number));
    }),
    fds: new Map(),
    users: c.list(v, 'users', (u, where) => c.fields(u, where, USER, WITH_CONTAINER)),
    groups: c.list(v, 'groups', (g, where) => c.fields(g, where, GROUP, WITH_CONTAINER)),
    interfaces: c.list(v, 'interfaces', (x, where) => c.fields(x, where, INTERFACE, INTERFACE_OPTIONAL)),
    containers: c.list(v, 'containers', (x, where) => checkContainer(c, x, where)),
  };
  const pairs = v.fds ?? [];
  if (!Array.isArray(pairs)) return c.fail('fds', 'not a list');
  pairs.forEach((p, i) => {
    if (!Array.isArray(p) || p.length !== 2 || typeof p[0] !== 'number' || !Array.isArray(p[1])) {
      c.fail(`fds[${i}]`, 'not a [tid, fds] pair');
    }
    const list = p[1] as unknown[];
    list.forEach((fd, k) => {
      if (!isMap(fd)) c.fail(`fds[${i}][${k}]`, 'not a map');
      if (typeof fd.fd !== 'number') c.fail(`fds[${i}][${k}].fd`, 'missing or not a number');
      c.fields(fd, `fds[${i}][${k}]`, FD, FD_OPTIONAL);
    });
    meta.fds.set(p[0] as number, list as FdInfo[]);
  });
  if (v.machine !== undefined) {
    if (!isMap(v.machine)) return c.fail('machine', 'not a map');
    c.fields(v.machine, 'machine', MACHINE, MACHINE_OPTIONAL);
    meta.machine = v.machine as never;
  }
  return meta;
}
