// container.* fields: `host` for threads outside any container, else the container found from the
// thread's cgroups, described by the capture's container records (the metadata at a file's start, the
// container events after it). What each field gives when the record lacks it follows sysdig 0.29.3's
// filterchecks (<NA>, or '' and NONE where sysdig prints those); the fields sysdig gained later
// (container.full_id, ip, host_*, cni.json) follow current libs, and container.label[...]/labels are
// Falco's container plugin's.
import type { ContainerInfo, ContainerMount } from '@scapkit/scap-format';
import { GlobMatcher } from '../filter/glob.js';
import { type ReplayContext, rc } from './context.js';
import { type Accessor, type FieldDef, simple } from './def.js';
import type { EvalContext, FieldType, FieldValue } from './types.js';

/** The container of the current event's thread; `host` when it runs in none; undefined without a thread. */
export function containerOf(ctx: ReplayContext): { id: string; info: ContainerInfo | undefined } | undefined {
  const t = ctx.state.thread;
  if (!t) return undefined;
  const id = t.containerId;
  if (id === '') return HOST;
  return { id, info: ctx.state.containers.get(id) };
}
const HOST = { id: 'host', info: undefined };

/** The container record of the current event's thread, when it runs in a container that has one. */
export function containerInfoOf(c: EvalContext): ContainerInfo | undefined {
  return containerOf(rc(c))?.info;
}

/**
 * When the init of the thread's pid namespace started, as Falco's container plugin reads it for
 * container.start_ts and container.duration: from the thread (the kernel's view), for a thread on the
 * host too, and whether or not the runtime described the container; undefined when unknown.
 */
function pidnsStart(ctx: ReplayContext): bigint | undefined {
  const ts = ctx.state.thread?.pidnsInitStartTs;
  return ts === undefined || ts === 0 || ts === 0n ? undefined : BigInt(ts);
}

/** Runtimes that report privileged mode and host namespaces the way docker does (libsinsp's list). */
const DOCKER_COMPATIBLE = new Set(['docker', 'cri', 'containerd', 'cri-o', 'podman']);

/** A field without argument: `host` gives `onHost`, a container without a record gives <NA>. */
function field(
  name: string,
  type: FieldType,
  description: string,
  onHost: FieldValue,
  get: (info: ContainerInfo) => FieldValue,
): FieldDef {
  return simple(name, type, description, (c) => {
    const found = containerOf(rc(c));
    if (!found) return undefined;
    if (found === HOST) return onHost;
    return found.info ? get(found.info) : undefined;
  });
}

/** A field that takes an argument (`[N]`, `[glob]`, `.name`). */
function fieldWithArg(
  name: string,
  type: FieldType,
  description: string,
  make: (arg: string) => (info: ContainerInfo) => FieldValue,
): FieldDef {
  return {
    name,
    type,
    description,
    arg: 'required',
    make(arg): Accessor {
      if (arg === undefined || arg === '') throw new Error(`${name} needs an argument: ${name}[...]`);
      const get = make(arg);
      return {
        get(c) {
          const found = containerOf(rc(c));
          if (!found?.info) return undefined;
          return get(found.info);
        },
      };
    },
  };
}

const nonEmpty = (s: string | undefined): string | undefined => (s === undefined || s === '' ? undefined : s);

/** `source:dest:mode:rdwr:propagation`, sysdig's container_mount_info::to_string. */
function mountText(m: ContainerMount): string {
  return `${m.source}:${m.dest}:${m.mode}:${m.rw ? 'true' : 'false'}:${m.propagation}`;
}

/**
 * The mount an argument picks: a number is an index, anything else a glob (fnmatch, as libsinsp) on the
 * mount's source, or on its destination for container.mount.source.
 */
function mountPicker(arg: string, byDest: boolean): (info: ContainerInfo) => ContainerMount | undefined {
  if (/^[0-9]+$/.test(arg)) {
    const idx = Number(arg);
    return (info) => info.mounts[idx];
  }
  const glob = new GlobMatcher(arg);
  return (info) => info.mounts.find((m) => glob.match(byDest ? m.dest : m.source));
}

function mountPart(name: string, part: keyof ContainerMount, description: string): FieldDef {
  return fieldWithArg(name, 'string', description, (arg) => {
    const pick = mountPicker(arg, part === 'source');
    return (info) => {
      const m = pick(info);
      if (!m) return undefined;
      return part === 'rw' ? (m.rw ? 'true' : 'false') : (m[part] as string);
    };
  });
}

function probeField(name: string, kind: ContainerInfo['healthProbes'][number]['kind'], description: string) {
  return field(name, 'string', description, undefined, (i) => {
    const p = i.healthProbes.find((x) => x.kind === kind);
    return p ? [p.exe, ...p.args].join(' ') : 'NONE';
  });
}

function dockerCompatible(
  name: string,
  description: string,
  get: (i: ContainerInfo) => boolean | undefined,
): FieldDef {
  return field(name, 'bool', description, undefined, (i) =>
    DOCKER_COMPATIBLE.has(i.type) ? get(i) === true : undefined,
  );
}

/** `key:value` pairs joined by `, ` (as sysdig joins labels), leaving out the keys `skip` names. */
export function joinLabels(labels: Record<string, string>, skip?: (key: string) => boolean): string {
  let s = '';
  for (const k of Object.keys(labels).sort()) {
    if (skip?.(k)) continue;
    if (s !== '') s += ', ';
    s += labels[k] === '' ? k : `${k}:${labels[k]}`;
  }
  return s;
}

export const CONTAINER_FIELDS: readonly FieldDef[] = [
  simple(
    'container.id',
    'string',
    "the container id (the first 12 characters of the full id), or 'host' for processes outside containers",
    (c) => containerOf(rc(c))?.id,
  ),
  field('container.full_id', 'string', "the full container id, or 'host'", 'host', (i) => nonEmpty(i.fullId)),
  field('container.name', 'string', "the container name, or 'host'", 'host', (i) => nonEmpty(i.name)),
  field(
    'container.image',
    'string',
    'the container image name (e.g. falcosecurity/falco:latest)',
    undefined,
    (i) => nonEmpty(i.image),
  ),
  field('container.image.id', 'string', 'the container image id (e.g. 6f7e2741b66b)', undefined, (i) =>
    nonEmpty(i.imageId),
  ),
  field('container.type', 'string', "the container type ('docker', 'cri-o', 'podman', …)", 'host', (i) =>
    nonEmpty(i.type),
  ),
  dockerCompatible(
    'container.privileged',
    "'true' for containers running as privileged, 'false' otherwise",
    (i) => i.privileged,
  ),
  field(
    'container.mounts',
    'string',
    'the mounts, each as <source>:<dest>:<mode>:<rdrw>:<propagation>, separated by commas',
    undefined,
    (i) => i.mounts.map(mountText).join(','),
  ),
  fieldWithArg(
    'container.mount',
    'string',
    'one mount, by number (container.mount[0]) or by source, a glob (container.mount[/usr/local/*]), ' +
      'as <source>:<dest>:<mode>:<rdrw>:<propagation>',
    (arg) => {
      const pick = mountPicker(arg, false);
      return (info) => {
        const m = pick(info);
        return m ? mountText(m) : undefined;
      };
    },
  ),
  mountPart(
    'container.mount.source',
    'source',
    'the source of a mount, by number or by destination (a glob): container.mount.source[/host/lib/modules]',
  ),
  mountPart(
    'container.mount.dest',
    'dest',
    'the destination of a mount, by number or by source (a glob): container.mount.dest[/lib/modules]',
  ),
  mountPart('container.mount.mode', 'mode', 'the mode of a mount, by number or by source (a glob)'),
  mountPart('container.mount.rdwr', 'rw', "'true' for a read-write mount, by number or by source (a glob)"),
  mountPart(
    'container.mount.propagation',
    'propagation',
    'the propagation of a mount, by number or by source (a glob)',
  ),
  field('container.image.repository', 'string', 'the container image repository', undefined, (i) =>
    nonEmpty(i.imageRepo),
  ),
  field('container.image.tag', 'string', 'the container image tag', undefined, (i) => nonEmpty(i.imageTag)),
  field('container.image.digest', 'string', 'the container image registry digest', undefined, (i) =>
    nonEmpty(i.imageDigest),
  ),
  probeField(
    'container.healthcheck',
    'healthcheck',
    "the container's health check command line, or NONE when it has none",
  ),
  probeField(
    'container.liveness_probe',
    'liveness',
    "the container's Kubernetes liveness probe command line, or NONE when it has none",
  ),
  probeField(
    'container.readiness_probe',
    'readiness',
    "the container's Kubernetes readiness probe command line, or NONE when it has none",
  ),
  simple(
    'container.start_ts',
    'abstime',
    "the container's start (ns since the epoch): when the init process of the thread's pid namespace " +
      'started, as the kernel reports it, not from the container runtime',
    (c) => pidnsStart(rc(c)),
  ),
  simple('container.duration', 'reltime', 'ns since container.start_ts', (c) => {
    const ctx = rc(c);
    const start = pidnsStart(ctx);
    if (start === undefined) return undefined;
    return Number(((BigInt(ctx.view.tsHi) << 32n) | BigInt(ctx.view.tsLo)) - start);
  }),
  field('container.ip', 'string', "the container's primary IPv4 address", undefined, (i) => nonEmpty(i.ip)),
  field(
    'container.cni.json',
    'string',
    "the CNI result of the container's pod (CRI runtimes), as JSON",
    undefined,
    (i) => i.cniJson ?? '',
  ),
  dockerCompatible(
    'container.host_pid',
    "'true' if the container runs in the host's PID namespace",
    (i) => i.hostPid,
  ),
  dockerCompatible(
    'container.host_network',
    "'true' if the container runs in the host's network namespace",
    (i) => i.hostNetwork,
  ),
  dockerCompatible(
    'container.host_ipc',
    "'true' if the container runs in the host's IPC namespace",
    (i) => i.hostIpc,
  ),
  fieldWithArg(
    'container.label',
    'string',
    'one container label: container.label[com.example.team] or container.label.team',
    (key) => (info) => (Object.hasOwn(info.labels, key) ? info.labels[key] : undefined),
  ),
  field(
    'container.labels',
    'string',
    "the container's labels as key:value pairs separated by ', '",
    undefined,
    (i) => joinLabels(i.labels),
  ),
];
