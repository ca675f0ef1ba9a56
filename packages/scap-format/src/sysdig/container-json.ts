// sysdig's container records both ways: the JSON of the container event (`{"container": {...}}`, as
// libsinsp's container_to_json writes it and parse_container_json_evt reads it) and the old four-parameter
// container event, to and from the ContainerInfo model. The state engine reads container events through
// this file and the sysdig exporter writes them through it, so the two agree on every key.
import { containerTypeName, containerTypeNumber } from '../containers.js';
import {
  blankContainer,
  type ContainerHealthProbe,
  type ContainerInfo,
  type ContainerLookup,
  type ContainerMount,
  type ContainerPort,
  labelMap,
} from '../metadata.js';
import { EventEncoder } from '../params/encode.js';
import { currentEventIds } from '../schema/index.js';

/** libsinsp's sinsp_container_lookup_state. */
const LOOKUP_STARTED = 0;
const LOOKUP_SUCCESSFUL = 1;
const LOOKUP_FAILED = 2;

/** The JSON keys of the health probes (container_health_probe::probe_type_names). */
const PROBE_KEYS: Record<ContainerHealthProbe['kind'], string> = {
  healthcheck: 'Healthcheck',
  liveness: 'LivenessProbe',
  readiness: 'ReadinessProbe',
};

/** Keys scapkit adds (sysdig ignores keys it does not know): what a failed lookup could not learn. */
const KEY_LOOKUP_SOURCE = 'scapkit_lookup_source';
const KEY_LOOKUP_ERROR = 'scapkit_lookup_error';

type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): string => (typeof v === 'string' ? v : '');
const int = (v: unknown): number | undefined =>
  typeof v === 'number' && Number.isFinite(v) ? Math.trunc(v) : undefined;
const bool = (v: unknown): boolean | undefined => (typeof v === 'boolean' ? v : undefined);

/**
 * The container a container event's JSON describes; undefined when the text is not JSON or names no
 * container id (libsinsp then ignores the event too).
 */
export function containerFromSysdigJson(json: string): ContainerInfo | undefined {
  let root: unknown;
  try {
    root = JSON.parse(json);
  } catch {
    return undefined;
  }
  const c = isObject(root) ? root.container : undefined;
  if (!isObject(c) || typeof c.id !== 'string') return undefined;
  const type = int(c.type);
  // libsinsp's default type is docker (0).
  const info = blankContainer(c.id, str(c.full_id), containerTypeName(type ?? 0));
  info.name = str(c.name);
  info.image = str(c.image);
  info.imageId = str(c.imageid);
  info.imageRepo = str(c.imagerepo);
  info.imageTag = str(c.imagetag);
  info.imageDigest = str(c.imagedigest);
  info.user = str(c.User);
  // libsinsp keeps the address as a u32, 0 for none: it writes "0.0.0.0" for a container without one.
  info.ip = str(c.ip) === '0.0.0.0' ? '' : str(c.ip);
  info.labels = labelMap(c.labels);
  setIfDefined(info, 'privileged', bool(c.privileged));
  setIfDefined(info, 'hostPid', bool(c.host_pid));
  setIfDefined(info, 'hostNetwork', bool(c.host_network));
  setIfDefined(info, 'hostIpc', bool(c.host_ipc));
  setIfDefined(info, 'isPodSandbox', bool(c.is_pod_sandbox));
  const created = int(c.created_time);
  if (created !== undefined) info.createdTs = BigInt(created) * 1_000_000_000n;
  if (Array.isArray(c.Mounts)) {
    for (const m of c.Mounts) {
      if (!isObject(m)) continue;
      info.mounts.push({
        source: str(m.Source),
        dest: str(m.Destination),
        mode: str(m.Mode),
        rw: m.RW === true,
        propagation: str(m.Propagation),
      });
    }
  }
  if (Array.isArray(c.port_mappings)) {
    for (const p of c.port_mappings) {
      if (!isObject(p)) continue;
      info.ports.push({
        hostIp: ipv4FromHostOrder(int(p.HostIp) ?? 0),
        hostPort: (int(p.HostPort) ?? 0) & 0xffff,
        containerPort: (int(p.ContainerPort) ?? 0) & 0xffff,
        protocol: 'tcp', // libsinsp records only the tcp ones
      });
    }
  }
  for (const [kind, key] of Object.entries(PROBE_KEYS) as [ContainerHealthProbe['kind'], string][]) {
    const p = c[key];
    if (!isObject(p) || typeof p.exe !== 'string') continue;
    const args = Array.isArray(p.args) ? p.args.filter((a): a is string => typeof a === 'string') : [];
    info.healthProbes.push({ kind, exe: p.exe, args });
  }
  if (typeof c.pod_sandbox_id === 'string' && c.pod_sandbox_id !== '') info.podSandboxId = c.pod_sandbox_id;
  if (isObject(c.pod_sandbox_labels) && Object.keys(c.pod_sandbox_labels).length > 0)
    info.podSandboxLabels = labelMap(c.pod_sandbox_labels);
  if (typeof c.cni_json === 'string' && c.cni_json !== '') info.cniJson = c.cni_json;
  for (const [key, from] of [
    ['memoryLimit', 'memory_limit'],
    ['swapLimit', 'swap_limit'],
    ['cpuShares', 'cpu_shares'],
    ['cpuQuota', 'cpu_quota'],
    ['cpuPeriod', 'cpu_period'],
    ['cpusetCpuCount', 'cpuset_cpu_count'],
  ] as const) {
    setIfDefined(info, key, int(c[from]));
  }
  info.lookup = lookupFromJson(c);
  return info;
}

function lookupFromJson(c: Json): ContainerLookup {
  // A file has no lookup still running: libsinsp reads STARTED from a file as FAILED.
  const state = int(c.lookup_state);
  const failed = state === LOOKUP_FAILED || state === LOOKUP_STARTED;
  const lookup: ContainerLookup = { state: failed ? 'failed' : 'ok', source: 'sysdig container event' };
  if (typeof c[KEY_LOOKUP_SOURCE] === 'string') lookup.source = c[KEY_LOOKUP_SOURCE];
  if (typeof c[KEY_LOOKUP_ERROR] === 'string') {
    lookup.error = c[KEY_LOOKUP_ERROR];
    if (!failed) lookup.state = 'partial';
  }
  return lookup;
}

/** The container of an old container event (id 228: id, type number, name, image). */
export function containerFromOldEvent(id: string, type: number, name: string, image: string): ContainerInfo {
  const info = blankContainer(id, '', containerTypeName(type));
  info.name = name;
  info.image = image;
  info.lookup = { state: 'ok', source: 'sysdig container event' };
  return info;
}

/** The container event JSON for `c`, with the keys libsinsp writes (and reads back). */
export function containerToSysdigJson(c: ContainerInfo): string {
  const out: Json = {
    id: c.id,
    full_id: c.fullId,
    type: containerTypeNumber(c.type),
    name: c.name,
    image: c.image,
    imageid: c.imageId,
    imagerepo: c.imageRepo,
    imagetag: c.imageTag,
    imagedigest: c.imageDigest,
  };
  if (c.privileged !== undefined) out.privileged = c.privileged;
  if (c.hostPid !== undefined) out.host_pid = c.hostPid;
  if (c.hostNetwork !== undefined) out.host_network = c.hostNetwork;
  if (c.hostIpc !== undefined) out.host_ipc = c.hostIpc;
  if (c.isPodSandbox !== undefined) out.is_pod_sandbox = c.isPodSandbox;
  // What sysdig does with a record it could not complete: it keeps the container (and its id) but hides
  // the event. A pending lookup in a file will never finish: failed as well.
  out.lookup_state =
    c.lookup.state === 'failed' || c.lookup.state === 'pending' ? LOOKUP_FAILED : LOOKUP_SUCCESSFUL;
  out.created_time = Number(BigInt(c.createdTs) / 1_000_000_000n);
  out.Mounts = c.mounts.map((m: ContainerMount) => ({
    Source: m.source,
    Destination: m.dest,
    Mode: m.mode,
    RW: m.rw,
    Propagation: m.propagation,
  }));
  out.User = c.user;
  for (const p of c.healthProbes) out[PROBE_KEYS[p.kind]] = { exe: p.exe, args: p.args };
  // libsinsp reads this with inet_pton into a u32: an IPv6 or empty address becomes 0.0.0.0.
  out.ip = c.ip === '' ? '0.0.0.0' : c.ip;
  out.cni_json = c.cniJson ?? '';
  out.pod_sandbox_id = c.podSandboxId ?? '';
  out.port_mappings = c.ports
    .filter((p: ContainerPort) => p.protocol === 'tcp')
    .map((p: ContainerPort) => ({
      HostIp: ipv4ToHostOrder(p.hostIp),
      HostPort: p.hostPort,
      ContainerPort: p.containerPort,
    }));
  out.labels = { ...c.labels };
  out.pod_sandbox_labels = { ...(c.podSandboxLabels ?? {}) };
  out.env = [];
  out.memory_limit = c.memoryLimit ?? 0;
  out.swap_limit = c.swapLimit ?? 0;
  out.cpu_shares = c.cpuShares ?? 1024;
  out.cpu_quota = c.cpuQuota ?? 0;
  out.cpu_period = c.cpuPeriod ?? 100000;
  out.cpuset_cpu_count = c.cpusetCpuCount ?? 0;
  out.metadata_deadline = 0;
  if (c.lookup.source !== undefined) out[KEY_LOOKUP_SOURCE] = c.lookup.source;
  if (c.lookup.error !== undefined) out[KEY_LOOKUP_ERROR] = c.lookup.error;
  return JSON.stringify({ container: out });
}

function setIfDefined<K extends keyof ContainerInfo>(
  info: ContainerInfo,
  key: K,
  v: ContainerInfo[K] | undefined,
) {
  if (v !== undefined) info[key] = v;
}

/** A u32 address in host byte order (how libsinsp stores port mappings' HostIp) as dotted text. */
function ipv4FromHostOrder(n: number): string {
  const u = n >>> 0;
  return `${u >>> 24}.${(u >>> 16) & 0xff}.${(u >>> 8) & 0xff}.${u & 0xff}`;
}

function ipv4ToHostOrder(ip: string): number {
  const p = ip.split('.').map(Number);
  if (p.length !== 4 || p.some((x) => !Number.isInteger(x) || x < 0 || x > 255)) return 0;
  return p.reduce((n, x) => n * 256 + x, 0);
}

/** The container event libsinsp writes today (CONTAINER_JSON_2_E, 324: one JSON parameter, u32 lengths). */
export const CONTAINER_EVENT_ID = currentEventIds('container')?.[0] ?? 324;
const encoder = new EventEncoder();

/**
 * The container event for `c` (the event bytes, header included, without a frame), as libsinsp injects
 * one: on no thread (tid -1), stamped `ts`.
 */
export function containerEvent(c: ContainerInfo, ts: bigint): Uint8Array {
  return encoder.encodeToBytes({ ts, tid: -1, type: CONTAINER_EVENT_ID, params: [containerToSysdigJson(c)] });
}
