// k8s.* fields from what the container runtime says, as libsinsp gives them without a Kubernetes API
// server: the pod's name, namespace and uid are the `io.kubernetes.pod.*` labels a CRI runtime (or the
// kubelet's dockershim) puts on every container of a pod; the pod's own labels are those of its sandbox
// (CRI PodSandboxStatus, or the labels of the sandbox container the `io.kubernetes.sandbox.id` label
// names, as sysdig 0.29.3 finds them). A container outside Kubernetes has none of these: <NA>.
import type { ContainerInfo } from '@scapkit/scap-format';
import type { StateEngine } from '../state/engine.js';
import { containerOf, joinLabels } from './container.js';
import { rc } from './context.js';
import { type Accessor, type FieldDef, simple } from './def.js';
import type { EvalContext, FieldValue } from './types.js';

const POD_NAME = 'io.kubernetes.pod.name';
const POD_NAMESPACE = 'io.kubernetes.pod.namespace';
const POD_UID = 'io.kubernetes.pod.uid';
const SANDBOX_ID = 'io.kubernetes.sandbox.id';

function container(c: EvalContext): { info: ContainerInfo; state: StateEngine } | undefined {
  const ctx = rc(c);
  const info = containerOf(ctx)?.info;
  return info ? { info, state: ctx.state } : undefined;
}

function label(key: string) {
  return (c: EvalContext): FieldValue => {
    const info = container(c)?.info;
    return info && Object.hasOwn(info.labels, key) ? info.labels[key] : undefined;
  };
}

/** The full id of the container's pod sandbox: from the CRI record, else from the dockershim label. */
function sandboxId(info: ContainerInfo): string | undefined {
  const id = info.podSandboxId ?? (Object.hasOwn(info.labels, SANDBOX_ID) ? info.labels[SANDBOX_ID] : '');
  return id === '' ? undefined : id;
}

/** The pod's own labels: the CRI record's, else those of the pod's sandbox container, if it was seen. */
function podLabels(info: ContainerInfo, state: StateEngine): Record<string, string> | undefined {
  if (info.podSandboxLabels) return info.podSandboxLabels;
  const id = sandboxId(info);
  if (id === undefined) return undefined;
  const sandbox = state.containers.get(id.slice(0, 12));
  if (!sandbox) return undefined;
  return sandbox.podSandboxLabels ?? (Object.keys(sandbox.labels).length > 0 ? sandbox.labels : undefined);
}

/** Labels that describe the pod's machinery, not the pod (left out of k8s.pod.labels, as libsinsp does). */
const internalLabel = (k: string): boolean => k.startsWith('annotation.') || k.startsWith('io.kubernetes.');

export const K8S_FIELDS: readonly FieldDef[] = [
  simple('k8s.ns.name', 'string', "the Kubernetes namespace of the container's pod", label(POD_NAMESPACE)),
  simple('k8s.pod.name', 'string', "the name of the container's Kubernetes pod", label(POD_NAME)),
  simple('k8s.pod.id', 'string', 'the Kubernetes pod uid (legacy name of k8s.pod.uid)', label(POD_UID)),
  simple('k8s.pod.uid', 'string', "the Kubernetes pod's uid", label(POD_UID)),
  simple('k8s.pod.sandbox_id', 'string', "the pod sandbox's id, first 12 characters", (c) => {
    const info = container(c)?.info;
    return info ? sandboxId(info)?.slice(0, 12) : undefined;
  }),
  simple('k8s.pod.full_sandbox_id', 'string', "the pod sandbox's full id", (c) => {
    const info = container(c)?.info;
    return info ? sandboxId(info) : undefined;
  }),
  {
    name: 'k8s.pod.label',
    type: 'string',
    description:
      'one label of the Kubernetes pod: k8s.pod.label[app.kubernetes.io/name] or k8s.pod.label.app',
    arg: 'required',
    make(arg): Accessor {
      if (arg === undefined || arg === '')
        throw new Error('k8s.pod.label needs a label: k8s.pod.label[NAME]');
      return {
        get(c) {
          const found = container(c);
          const labels = found ? podLabels(found.info, found.state) : undefined;
          return labels && Object.hasOwn(labels, arg) ? labels[arg] : undefined;
        },
      };
    },
  },
  simple(
    'k8s.pod.labels',
    'string',
    "the Kubernetes pod's labels as key:value pairs separated by ', '",
    (c) => {
      const found = container(c);
      const labels = found ? podLabels(found.info, found.state) : undefined;
      return labels ? joinLabels(labels, internalLabel) : undefined;
    },
  ),
  simple('k8s.pod.ip', 'string', "the pod's IPv4 address (that of its sandbox)", (c) => {
    const found = container(c);
    if (!found) return undefined;
    const id = sandboxId(found.info);
    if (id === undefined) return undefined;
    const ip = found.info.ip || found.state.containers.get(id.slice(0, 12))?.ip;
    return ip === undefined || ip === '' ? undefined : ip;
  }),
  simple('k8s.pod.cni.json', 'string', "the pod's CNI result (CRI), as JSON", (c) => {
    const found = container(c);
    if (!found || sandboxId(found.info) === undefined) return undefined;
    return found.info.cniJson ?? found.state.containers.get(sandboxId(found.info)!.slice(0, 12))?.cniJson;
  }),
];
