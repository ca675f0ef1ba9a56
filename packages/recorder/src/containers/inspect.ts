// A container record from an "inspect" document, as docker's API, podman's docker-compatible API,
// podman's libpod API and `podman inspect` return it (the four share the docker layout; libpod adds
// ImageName, ImageDigest and a bare image id). What each field means follows libsinsp's docker engine, so
// a record scapkit makes and one sysdig made for the same container say the same.
import { blankContainer, type ContainerInfo, labelMap } from '@scapkit/scap-format';

type Json = Record<string, unknown>;
const obj = (v: unknown): Json =>
  typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Json) : {};
const str = (v: unknown): string => (typeof v === 'string' ? v : '');
const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);

/** `[host[:port]/]repo[:tag][@digest]` into repository, tag and digest (sysdig's split_container_image). */
export function splitImage(image: string): { repo: string; tag: string; digest: string } {
  let rest = image;
  let digest = '';
  const at = rest.indexOf('@');
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
  }
  const slash = rest.lastIndexOf('/');
  const colon = rest.lastIndexOf(':');
  let tag = '';
  if (colon > slash) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
  }
  return { repo: rest, tag, digest };
}

/** An RFC 3339 time with up to nanoseconds (`2026-12-07T00:12:19.438508693Z`) as ns since the epoch. */
export function rfc3339Ns(s: string): bigint {
  const m = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(?:\.(\d{1,9}))?(Z|[+-]\d\d:\d\d)$/.exec(s);
  if (!m) return 0n;
  const ms = Date.parse(`${m[1]}${m[3]}`);
  if (!Number.isFinite(ms) || ms < 0) return 0n;
  return BigInt(ms) * 1_000_000n + BigInt((m[2] ?? '').padEnd(9, '0'));
}

/**
 * The record for an inspect document of a container of runtime `type`. `image` (docker: from an image
 * inspect) supplies the digest when the container's document has none.
 */
export function containerFromInspect(doc: unknown, type: string, image?: unknown): ContainerInfo {
  const d = obj(doc);
  const fullId = str(d.Id);
  const c = blankContainer(fullId.slice(0, 12), fullId, type);
  const config = obj(d.Config);
  const host = obj(d.HostConfig);
  const net = obj(d.NetworkSettings);
  // k8s and compose names may start with '/'.
  c.name = str(d.Name).replace(/^\//, '');
  // The image as the user named it (libpod: ImageName; docker: Config.Image). Image is the local id.
  c.image = str(d.ImageName) || str(config.Image);
  c.imageId = str(d.Image).replace(/^sha256:/, '');
  const split = splitImage(c.image);
  c.imageRepo = split.repo;
  c.imageTag = split.tag || (c.image !== '' ? 'latest' : '');
  c.imageDigest = split.digest || str(d.ImageDigest) || digestFromImage(image, c.imageRepo);
  c.labels = labelMap(config.Labels);
  c.user = str(config.User);
  c.createdTs = rfc3339Ns(str(d.Created));
  if (typeof host.Privileged === 'boolean') c.privileged = host.Privileged;
  c.hostPid = host.PidMode === 'host';
  c.hostNetwork = host.NetworkMode === 'host';
  c.hostIpc = host.IpcMode === 'host';
  c.isPodSandbox = d.IsInfra === true || c.name.startsWith('k8s_POD');
  if (Array.isArray(d.Mounts)) {
    for (const m of d.Mounts.map(obj)) {
      c.mounts.push({
        source: str(m.Source),
        dest: str(m.Destination),
        mode: str(m.Mode),
        rw: m.RW === true,
        propagation: str(m.Propagation),
      });
    }
  }
  c.ip = str(net.IPAddress) || firstNetworkIp(net.Networks);
  for (const [key, bindings] of Object.entries(obj(net.Ports))) {
    const [port, protocol] = key.split('/');
    if (!Array.isArray(bindings)) continue;
    for (const b of bindings.map(obj)) {
      c.ports.push({
        hostIp: str(b.HostIp),
        hostPort: Number(str(b.HostPort)) || 0,
        containerPort: Number(port) || 0,
        protocol: protocol ?? 'tcp',
      });
    }
  }
  const probe = healthcheck(config.Healthcheck);
  if (probe) c.healthProbes.push(probe);
  const memory = num(host.Memory);
  if (memory !== undefined) c.memoryLimit = memory;
  const swap = num(host.MemorySwap);
  if (swap !== undefined) c.swapLimit = swap;
  const shares = num(host.CpuShares);
  if (shares) c.cpuShares = shares;
  const period = num(host.CpuPeriod);
  if (period) c.cpuPeriod = period;
  const quota = Math.max(num(host.CpuQuota) ?? 0, Math.trunc((num(host.NanoCpus) ?? 0) / 10000));
  c.cpuQuota = quota;
  return c;
}

function firstNetworkIp(networks: unknown): string {
  for (const n of Object.values(obj(networks))) {
    const ip = str(obj(n).IPAddress);
    if (ip !== '') return ip;
  }
  return '';
}

/** The registry digest of `repo` among an image inspect's RepoDigests (`repo@sha256:…`). */
function digestFromImage(image: unknown, repo: string): string {
  const digests = obj(image).RepoDigests;
  if (!Array.isArray(digests)) return '';
  const all = digests.filter((x): x is string => typeof x === 'string');
  const mine = all.find((x) => x.split('@')[0] === repo) ?? (all.length === 1 ? all[0] : undefined);
  return mine?.split('@')[1] ?? '';
}

/** Config.Healthcheck.Test: ["CMD", exe, args…] or ["CMD-SHELL", command]; ["NONE"] is none. */
function healthcheck(v: unknown): ContainerInfo['healthProbes'][number] | undefined {
  const test = obj(v).Test;
  if (!Array.isArray(test)) return undefined;
  const [kind, first, ...rest] = test.map(str);
  if (first === undefined) return undefined;
  if (kind === 'CMD') return { kind: 'healthcheck', exe: first, args: rest };
  if (kind === 'CMD-SHELL') return { kind: 'healthcheck', exe: '/bin/sh', args: ['-c', first] };
  return undefined;
}
