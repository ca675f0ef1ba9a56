// container.* fields: `host` for threads outside any container, else the container found from the
// thread's cgroups, named and described by the capture's container records or container events.
import type { ContainerInfo } from '@scapkit/scap-format';
import { type ReplayContext, rc } from './context.js';
import { type FieldDef, simple } from './def.js';
import type { FieldType, FieldValue } from './types.js';

function containerOf(ctx: ReplayContext): { id: string; info: ContainerInfo | undefined } | undefined {
  const t = ctx.state.thread;
  if (!t) return undefined;
  const id = t.containerId;
  if (id === '') return { id: 'host', info: undefined };
  return { id, info: ctx.state.containers.get(id) };
}

function field(
  name: string,
  type: FieldType,
  description: string,
  host: FieldValue,
  get: (info: ContainerInfo) => FieldValue,
): FieldDef {
  return simple(name, type, description, (c) => {
    const found = containerOf(rc(c));
    if (!found) return undefined;
    if (found.id === 'host') return host;
    return found.info ? get(found.info) : undefined;
  });
}

const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);

export const CONTAINER_FIELDS: readonly FieldDef[] = [
  simple(
    'container.id',
    'string',
    "the container id, or 'host' for processes outside containers",
    (c) => containerOf(rc(c))?.id,
  ),
  field('container.name', 'string', "the container name, or 'host'", 'host', (i) => str(i.name)),
  field(
    'container.image',
    'string',
    'the container image name (e.g. falcosecurity/falco:latest)',
    undefined,
    (i) => str(i.image),
  ),
  field('container.image.id', 'string', 'the container image id (e.g. 6f7e2741b66b)', undefined, (i) =>
    str(i.imageid),
  ),
  field('container.image.repository', 'string', 'the container image repository', undefined, (i) =>
    str(i.imagerepo),
  ),
  field('container.image.tag', 'string', 'the container image tag', undefined, (i) => str(i.imagetag)),
  field('container.image.digest', 'string', 'the container image registry digest', undefined, (i) =>
    str(i.imagedigest),
  ),
  field('container.type', 'string', "the container type ('docker', 'cri-o', 'podman', …)", 'host', (i) =>
    str(i.type),
  ),
  field(
    'container.privileged',
    'bool',
    "'true' for containers running as privileged",
    undefined,
    (i) => i.privileged === true,
  ),
  field('container.ip', 'string', 'the container IP address', undefined, (i) => str(i.ip)),
];
