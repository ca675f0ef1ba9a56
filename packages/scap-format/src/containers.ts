// Container identification from a thread's cgroups, as sysdig does it before asking any runtime: the
// container id is the 64-hex id that runc-based runtimes put in the cgroup path, shown shortened to its
// first 12 characters (`container.id`); a thread that matches nothing runs on the host (`host`).
// Pure TypeScript: the /proc snapshot and the replay state engine both use it.
import { blankContainer, type ContainerInfo } from './metadata.js';

/** Runtimes told apart by their cgroup layout alone (sysdig's `container.type` names). */
export type ContainerRuntime = 'docker' | 'containerd' | 'cri-o' | 'podman';

export interface ContainerRef {
  /** Short id: the first 12 characters of the full id, as sysdig prints `container.id`. */
  id: string;
  type: ContainerRuntime;
  /** The full 64-character id found in the cgroup path. */
  fullId: string;
}

/** `container.id` of a thread that is in no container. */
export const HOST_CONTAINER_ID = 'host';

const SHORT_ID_LENGTH = 12;
const HEX64 = /^[0-9a-fA-F]{64}$/;
// One path component, systemd cgroup driver: `<runtime>-<id>.scope`. Components of the cgroupfs driver
// are the bare id or `crio-<id>` / `libpod-<id>` without the suffix.
const SCOPED = /^(docker|cri-containerd|crio|libpod)-([0-9a-fA-F]{64})(?:\.scope)?$/;
// containerd without `SystemdCgroup = true` under a systemd kubelet: `<pod slice>:cri-containerd:<id>`.
const COLON_CONTAINERD = /:cri-containerd:([0-9a-fA-F]{64})$/;
// conmon, the monitor podman and cri-o start beside each container, lives in its own scope on the host
// side: its threads are not in the container, and sysdig reports them as `host`.
const CONMON = /^(?:libpod|crio)-conmon-[0-9a-fA-F]{64}(?:\.scope)?$/;

const SCOPE_RUNTIME: Record<string, ContainerRuntime> = {
  docker: 'docker',
  'cri-containerd': 'containerd',
  crio: 'cri-o',
  libpod: 'podman',
};

/**
 * The container a thread runs in, from its cgroups, or undefined for the host.
 * Accepts sysdig's `subsys=path` entries, raw `/proc/PID/cgroup` lines (`4:memory:/docker/…`) or bare
 * paths. The first entry that names a container wins, as in libsinsp.
 */
export function containerIdFromCgroups(cgroups: readonly string[]): ContainerRef | undefined {
  for (const entry of cgroups) {
    const slash = entry.indexOf('/');
    if (slash < 0) continue;
    const found = containerIdFromCgroupPath(entry.slice(slash));
    if (found) return found;
  }
  return undefined;
}

/** The container named by one cgroup path (`/docker/<id>`, `/kubepods/…/crio-<id>.scope`, …), if any. */
export function containerIdFromCgroupPath(path: string): ContainerRef | undefined {
  const parts = path.split('/');
  // From the leaf up: a container's own processes may sit in a child group (`…/docker-<id>.scope/init.scope`
  // when the container runs systemd), and nested runtimes (docker in docker) put the innermost id last.
  for (let i = parts.length - 1; i >= 0; i--) {
    const part = parts[i] ?? '';
    if (part.length < 64) continue;
    if (CONMON.test(part)) return undefined;
    const [, prefix = '', id = ''] = SCOPED.exec(part) ?? [];
    // SCOPED's first alternation lists exactly SCOPE_RUNTIME's keys.
    const runtime = SCOPE_RUNTIME[prefix];
    if (runtime) return ref(id, runtime);
    const colonId = COLON_CONTAINERD.exec(part)?.[1];
    if (colonId) return ref(colonId, 'containerd');
    if (HEX64.test(part)) return ref(part, bareIdRuntime(parts.slice(0, i)));
  }
  return undefined;
}

// A bare id names no runtime: Kubernetes' cgroupfs layout (`/kubepods/<qos>/pod<uid>/<id>`) is the
// containerd CRI's; anything else (`/docker/<id>`, `/actions_job/<id>`) is docker, the runtime libsinsp
// tries first for this layout.
function bareIdRuntime(ancestors: string[]): ContainerRuntime {
  return ancestors.some((a) => a.startsWith('kubepods')) ? 'containerd' : 'docker';
}

/**
 * The record of a container known only from its cgroup (id, full id, runtime), until its runtime or a
 * container event tells the rest; libsinsp keeps such a record for every container id it finds too.
 */
export function cgroupContainer(ref: ContainerRef): ContainerInfo {
  const info = blankContainer(ref.id, ref.fullId, ref.type);
  info.lookup = { state: 'pending', source: 'cgroup' };
  return info;
}

function ref(fullId: string, type: ContainerRuntime): ContainerRef {
  return { id: fullId.slice(0, SHORT_ID_LENGTH), type, fullId };
}

/**
 * sysdig's `sinsp_container_type` numbers, as container events store them, and the `container.type`
 * names sysdig prints for them (index = number).
 */
export const CONTAINER_TYPE_NAMES: readonly string[] = [
  'docker', 'lxc', 'libvirt-lxc', 'mesos', 'rkt', 'custom', 'cri', 'containerd', 'cri-o', 'bpm', 'static',
  'podman',
]; // biome-ignore format: a table

/** `container.type` of a container event's type number (the number itself as text when unknown). */
export function containerTypeName(n: number): string {
  return CONTAINER_TYPE_NAMES[n] ?? String(n);
}

/** The type number of a `container.type` name; an unknown name is written as `custom` (5). */
export function containerTypeNumber(name: string): number {
  const n = CONTAINER_TYPE_NAMES.indexOf(name);
  return n >= 0 ? n : 5;
}
