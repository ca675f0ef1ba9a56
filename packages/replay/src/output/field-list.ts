// The field listings: `-l` (one line per field: name, type, description) and sysdig's `--list-markdown`
// (a section per field class, `## Field Class: NAME`, its description, then a Name | Type | Description
// table). The fields are scapkit's registry; classes, their order and descriptions, and the type names
// follow sysdig's listing.
import type { FieldInfo, FieldType } from '../fields/types.js';

/** `-l`: `name[ARG]` in 30 columns, the type in 8, the description. */
export function formatFieldList(fields: readonly FieldInfo[]): string[] {
  return fields.map((f) => {
    const arg = f.arg === 'required' ? '[ARG]' : f.arg === 'optional' ? '[ARG?]' : '';
    return `${`${f.name}${arg}`.padEnd(30)} ${f.type.padEnd(8)} ${f.description}${f.filterOnly ? ' (filters only)' : ''}`;
  });
}

interface FieldClass {
  name: string;
  description: string;
  /** Whether a field belongs to the class. */
  has(field: string): boolean;
}

/** evt fields sysdig lists in its first class, the one for every event type (plugins' too). */
const ANY_EVENT_FIELDS = new Set([
  'evt.num',
  'evt.time',
  'evt.time.s',
  'evt.time.iso8601',
  'evt.datetime',
  'evt.datetime.s',
  'evt.rawtime',
  'evt.rawtime.s',
  'evt.rawtime.ns',
  'evt.reltime',
  'evt.reltime.s',
  'evt.reltime.ns',
  'evt.pluginname',
  'evt.plugininfo',
]);

const prefix = (p: string) => (f: string) => f.startsWith(p);

/** sysdig 0.29.3's field classes, in its order, with its descriptions. */
const CLASSES: readonly FieldClass[] = [
  {
    name: 'evt',
    description: 'These fields can be used for all event types',
    has: (f) => ANY_EVENT_FIELDS.has(f),
  },
  {
    name: 'evt',
    description:
      'Event fields applicable to syscall events. Note that for most events you can access the individual arguments/parameters of each syscall via evt.arg, e.g. evt.arg.filename.',
    has: (f) => f.startsWith('evt.') || f.startsWith('syscall.'),
  },
  {
    name: 'process',
    description: 'Additional information about the process and thread executing the syscall event.',
    has: (f) => f.startsWith('proc.') || f.startsWith('thread.'),
  },
  {
    name: 'user',
    description: 'Information about the user executing the specific event.',
    has: prefix('user.'),
  },
  { name: 'group', description: 'Information about the user group.', has: prefix('group.') },
  {
    name: 'container',
    description:
      "Container information. If the event is not happening inside a container, both id and name will be set to 'host'.",
    has: prefix('container.'),
  },
  {
    name: 'fd',
    description:
      'Every syscall that has a file descriptor in its arguments has these fields set with information related to the file.',
    has: prefix('fd.'),
  },
  { name: 'syslog', description: 'Content of Syslog messages.', has: prefix('syslog.') },
  { name: 'fdlist', description: 'Poll event related fields.', has: prefix('fdlist.') },
  {
    name: 'k8s',
    description:
      'Kubernetes related context. Available when configured to fetch k8s meta-data from API Server.',
    has: prefix('k8s.'),
  },
];

/** sysdig's names for the types (its PT_* names). */
const TYPE_NAMES: Record<FieldType, string> = {
  string: 'CHARBUF',
  int: 'INT64',
  uint64: 'UINT64',
  double: 'DOUBLE',
  bool: 'BOOL',
  ipaddr: 'IPADDR',
  ipnet: 'IPNET',
  bytes: 'BYTEBUF',
  reltime: 'RELTIME',
  abstime: 'ABSTIME',
};

/** `--list-markdown`: the fields as sysdig's markdown listing lays them out. */
export function formatFieldMarkdown(fields: readonly FieldInfo[]): string[] {
  const out: string[] = [];
  const left = new Set(fields);
  const section = (name: string, description: string, members: readonly FieldInfo[]) => {
    out.push('', `## Field Class: ${name}`, '', description, '');
    out.push('Name | Type | Description', ':----|:-----|:-----------');
    for (const f of members) {
      const desc = `${f.description}${f.filterOnly ? ' (filters only)' : ''}`;
      out.push(`\`${f.name}\` | ${TYPE_NAMES[f.type]} | ${desc}`);
    }
  };
  for (const c of CLASSES) {
    const members = [...left].filter((f) => c.has(f.name));
    if (members.length === 0) continue;
    for (const f of members) left.delete(f);
    section(c.name, c.description, members);
  }
  // Fields of a class sysdig does not have: a section per name prefix.
  const rest = new Map<string, FieldInfo[]>();
  for (const f of left) {
    const [p = f.name] = f.name.split('.');
    rest.set(p, [...(rest.get(p) ?? []), f]);
  }
  for (const [p, members] of rest) section(p, `${p} fields.`, members);
  return out;
}
