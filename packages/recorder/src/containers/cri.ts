// Kubernetes' Container Runtime Interface, as containerd and CRI-O serve it on their sockets: gRPC
// (@grpc/grpc-js) with the few runtime.v1 messages a lookup needs (protobufjs, from the field numbers of
// k8s.io/cri-api's api.proto). ContainerStatus (verbose: the runtime's own JSON, where privileged mode and
// the pod sandbox are) then PodSandboxStatus (the pod's labels, ip and namespaces) make one record, as
// libsinsp's CRI engine makes it. Loaded only when a containerd or CRI-O container is met.
import { existsSync } from 'node:fs';
import type { ContainerInfo } from '@scapkit/scap-format';
import { blankContainer, labelMap } from '@scapkit/scap-format';
import { splitImage } from './inspect.js';
import type { ContainerRuntime } from './runtimes.js';
import { LookupError } from './unix-http.js';

/** The runtime.v1 messages a lookup reads (enums as int32: the same on the wire). */
export const CRI_LOOKUP_PROTO = `
syntax = "proto3";
package runtime.v1;
message ContainerStatusRequest { string container_id = 1; bool verbose = 2; }
message ContainerMetadata { string name = 1; uint32 attempt = 2; }
message ImageSpec { string image = 1; map<string, string> annotations = 2; }
message Mount { string container_path = 1; string host_path = 2; bool readonly = 3; bool selinux_relabel = 4; int32 propagation = 5; }
message ContainerStatus {
  string id = 1; ContainerMetadata metadata = 2; int32 state = 3; int64 created_at = 4; int64 started_at = 5;
  int64 finished_at = 6; int32 exit_code = 7; ImageSpec image = 8; string image_ref = 9; string reason = 10;
  string message = 11; map<string, string> labels = 12; map<string, string> annotations = 13;
  repeated Mount mounts = 14; string log_path = 15;
}
message ContainerStatusResponse { ContainerStatus status = 1; map<string, string> info = 2; }
message PodSandboxStatusRequest { string pod_sandbox_id = 1; bool verbose = 2; }
message PodSandboxMetadata { string name = 1; string uid = 2; string namespace = 3; uint32 attempt = 4; }
message PodSandboxNetworkStatus { string ip = 1; }
message NamespaceOption { int32 network = 1; int32 pid = 2; int32 ipc = 3; string target_id = 4; }
message Namespace { NamespaceOption options = 2; }
message LinuxPodSandboxStatus { Namespace namespaces = 1; }
message PodSandboxStatus {
  string id = 1; PodSandboxMetadata metadata = 2; int32 state = 3; int64 created_at = 4;
  PodSandboxNetworkStatus network = 5; LinuxPodSandboxStatus linux = 6; map<string, string> labels = 7;
  map<string, string> annotations = 8; string runtime_handler = 9;
}
message PodSandboxStatusResponse { PodSandboxStatus status = 1; map<string, string> info = 2; }
`;

/** NamespaceMode NODE: the host's namespace. */
const NODE = 2;
/** MountPropagation, as libsinsp names them. */
const PROPAGATION = ['private', 'rslave', 'rshared'];

// biome-ignore lint/suspicious/noExplicitAny: decoded protobuf messages and the runtime's verbose JSON, read defensively
type Json = Record<string, any>;

/** One unary call: `method` of runtime.v1.RuntimeService with the request and response message names. */
export type CriCall = (
  method: string,
  request: string,
  response: string,
  body: object,
  timeoutMs: number,
) => Promise<Json>;

/** A CRI client on a unix socket, for the messages of `proto` (the lookup's, or more for tests). */
export async function criClient(
  socketPath: string,
  proto = CRI_LOOKUP_PROTO,
): Promise<{ call: CriCall; close(): void }> {
  const grpc = await import('@grpc/grpc-js');
  const protobuf = (await import('protobufjs')).default;
  const root = protobuf.parse(proto, { keepCase: true }).root;
  const client = new grpc.Client(`unix://${socketPath}`, grpc.credentials.createInsecure());
  const call: CriCall = (method, request, response, body, timeoutMs) => {
    const Req = root.lookupType(`runtime.v1.${request}`);
    const Res = root.lookupType(`runtime.v1.${response}`);
    return new Promise((resolve, reject) => {
      client.makeUnaryRequest(
        `/runtime.v1.RuntimeService/${method}`,
        (o: object) => Buffer.from(Req.encode(Req.fromObject(o)).finish()),
        (b: Buffer) => Res.toObject(Res.decode(b), { longs: String, defaults: true }) as Json,
        body,
        { deadline: Date.now() + timeoutMs },
        (err, value) => (err ? reject(grpcError(socketPath, err, timeoutMs)) : resolve(value as Json)),
      );
    });
  };
  return { call, close: () => client.close() };
}

function grpcError(
  socketPath: string,
  e: Error & { code?: number; details?: string },
  timeoutMs: number,
): LookupError {
  const d = e.details ?? e.message;
  switch (e.code) {
    case 5: // NOT_FOUND
      return new LookupError('notFound', `${socketPath}: no such container`);
    case 4: // DEADLINE_EXCEEDED
      return new LookupError('timeout', `${socketPath}: no answer within ${timeoutMs} ms`);
    case 12: // UNIMPLEMENTED
      return new LookupError('absent', `${socketPath} serves no CRI (runtime.v1) API`);
    case 14: // UNAVAILABLE
      if (/ENOENT|No such file/.test(d)) return new LookupError('absent', `no socket at ${socketPath}`);
      if (/EACCES|EPERM|ermission denied/.test(d))
        return new LookupError('denied', `permission denied on ${socketPath} (run the recorder as root)`);
      return new LookupError('down', `nothing answers on ${socketPath}: ${d}`);
    default:
      return new LookupError('bad', `${socketPath}: ${d}`);
  }
}

/** The CRI of a runtime (`containerd`, `cri-o`) on its socket. */
export function criRuntime(socketPath: string, type: string): ContainerRuntime {
  const source = `${type} CRI ${socketPath}`;
  let client: Promise<{ call: CriCall; close(): void }> | undefined;
  return {
    source,
    async lookup(fullId, timeoutMs) {
      // gRPC retries a missing socket until the deadline: say at once that there is none.
      if (!existsSync(socketPath)) throw new LookupError('absent', `no socket at ${socketPath}`);
      client ??= criClient(socketPath);
      const { call } = await client;
      const res = await call(
        'ContainerStatus',
        'ContainerStatusRequest',
        'ContainerStatusResponse',
        { container_id: fullId, verbose: true },
        timeoutMs,
      );
      const c = containerFromCri(res, type);
      const sandbox = c.podSandboxId;
      let error: string | undefined;
      if (sandbox) {
        try {
          const pod = await call(
            'PodSandboxStatus',
            'PodSandboxStatusRequest',
            'PodSandboxStatusResponse',
            { pod_sandbox_id: sandbox, verbose: true },
            timeoutMs,
          );
          addPodSandbox(c, pod);
        } catch (e) {
          error = `pod sandbox ${sandbox.slice(0, 12)}: ${(e as Error).message}`;
        }
      }
      c.lookup = error ? { state: 'partial', source, error } : { state: 'ok', source };
      return c;
    },
  };
}

function parseInfo(info: Json | undefined): Json {
  try {
    return JSON.parse(info?.info ?? '{}') ?? {};
  } catch {
    return {};
  }
}

/** The record from a ContainerStatusResponse (verbose). */
export function containerFromCri(res: Json, type: string): ContainerInfo {
  const s: Json = res.status ?? {};
  const id = String(s.id ?? '');
  const c = blankContainer(id.slice(0, 12), id, type);
  const info = parseInfo(res.info);
  c.name = s.metadata?.name ?? '';
  c.image = s.image?.image ?? '';
  const split = splitImage(c.image);
  c.imageRepo = split.repo;
  c.imageTag = split.tag;
  // image_ref: the image id (containerd: sha256:<id>) or the repo digest (CRI-O: repo@sha256:<digest>).
  const ref = String(s.image_ref ?? '');
  if (ref.includes('@')) c.imageDigest = ref.slice(ref.indexOf('@') + 1);
  else c.imageId = ref.replace(/^sha256:/, '');
  if (split.digest) c.imageDigest = split.digest;
  c.labels = labelMap(s.labels);
  c.createdTs = BigInt(s.created_at ?? 0);
  for (const m of s.mounts ?? []) {
    c.mounts.push({
      source: m.host_path ?? '',
      dest: m.container_path ?? '',
      mode: '',
      rw: m.readonly !== true,
      propagation: PROPAGATION[m.propagation ?? 0] ?? '',
    });
  }
  // The verbose info: containerd's {sandboxID, config: {linux: {security_context: {privileged}}}, runtimeSpec},
  // CRI-O's {sandboxID, privileged, runtimeSpec}.
  const privileged = info.config?.linux?.security_context?.privileged ?? info.privileged;
  if (typeof privileged === 'boolean') c.privileged = privileged;
  else c.privileged = false;
  const user = info.runtimeSpec?.process?.user;
  if (user && typeof user.uid === 'number') c.user = String(user.uid);
  const sandbox = info.sandboxID ?? c.labels['io.kubernetes.sandbox.id'];
  if (typeof sandbox === 'string' && sandbox !== '') c.podSandboxId = sandbox;
  c.isPodSandbox = c.labels['io.kubernetes.docker.type'] === 'podsandbox';
  return c;
}

/** What the pod sandbox adds: the pod's labels, ip, CNI result, host namespaces. */
export function addPodSandbox(c: ContainerInfo, res: Json): void {
  const s: Json = res.status ?? {};
  c.podSandboxLabels = labelMap(s.labels);
  c.ip = s.network?.ip ?? '';
  const ns: Json = s.linux?.namespaces?.options ?? {};
  c.hostNetwork = ns.network === NODE;
  c.hostPid = ns.pid === NODE;
  c.hostIpc = ns.ipc === NODE;
  const info = parseInfo(res.info);
  if (info.cniResult) c.cniJson = JSON.stringify(info.cniResult);
}
