// fd.* fields, with sinsp's rules for which events have an fd at all (those flagged as creating, using or
// destroying one), fd.num being the thread's last fd even where the fd is unknown, and the fallbacks for
// events whose fd is not in the table (a failed open still has a name, an open's enter event is a file).
import { EF, EVENTS, FdType, paramInt, sanitizeString } from '@scapkit/scap-format';
import { FLAGS } from '../state/event-facts.js';
import { directoryOf, type FdEntry, fdTypeChar, fdTypeString, l4protoName, Role } from '../state/fd.js';
import { AT_FDCWD, concatenatePaths } from '../state/paths.js';
import { effectiveL4 } from '../state/sockets.js';
import type { Thread } from '../state/thread.js';
import { type ReplayContext, rc } from './context.js';
import { type FieldDef, simple } from './def.js';
import type { FieldType, FieldValue } from './types.js';

const FD_EVENT = EF.CREATES_FD | EF.USES_FD | EF.DESTROYS_FD;

/** sinsp's extract_fd: the thread, for events about an fd; undefined for the others. */
function fdThread(ctx: ReplayContext): Thread | undefined {
  const t = ctx.state.thread;
  if (!t || !((FLAGS[ctx.view.type] ?? 0) & FD_EVENT)) return undefined;
  return t;
}

/** The fd the event is about: the one the engine found, else the thread's last fd. */
function fdOf(ctx: ReplayContext, t: Thread): FdEntry | undefined {
  const e = ctx.state.fd;
  if (e) return e;
  return t.lastEventFd !== -1 ? ctx.state.getFd(t, t.lastEventFd) : undefined;
}

/** The fd entry an event is about, as every fd.* field finds it (undefined: those fields are too). */
export function withFd(ctx: ReplayContext): FdEntry | undefined {
  const t = fdThread(ctx);
  return t ? fdOf(ctx, t) : undefined;
}

// The fd type sinsp gives an event of these calls when the fd is unknown (extract_from_null_fd,
// TYPE_FDTYPECHAR), by the id of the enter event (exits look up their enter's id).
const NULL_FD_TYPECHAR_BY_NAME: Readonly<Record<string, string>> = {
  open: 'f',
  openat: 'f',
  openat2: 'f',
  creat: 'f',
  socket: '4', // sinsp admits it always says IPv4
  accept: '4',
  accept4: '4',
  pipe: 'p',
  eventfd: 'e',
  signalfd: 's',
  timerfd_create: 't',
  inotify_init: 'i',
};
const NULL_FD_TYPECHAR: (string | undefined)[] = EVENTS.map((e) =>
  e.dir === '>' ? NULL_FD_TYPECHAR_BY_NAME[e.name] : undefined,
);

// connect's exit events by id: a failed one names the fd by the address it tried (fd.name asks per event).
const CONNECT_EXIT: boolean[] = EVENTS.map((e, id) => e.name === 'connect' && (id & 1) === 1);

/** sinsp's extract_fdname_from_creator: the name an exit event gives even when its fd is unknown. */
function nameFromCreator(ctx: ReplayContext): string | undefined {
  const v = ctx.view;
  const type = v.type;
  if ((type & 1) === 0) return undefined;
  const info = v.info;
  const name = info?.name;
  const r = ctx.render;
  switch (name) {
    case 'open':
    case 'creat':
    case 'accept':
    case 'accept4':
    case 'connect': {
      if (v.paramCount() < 2) return 'NULL'; // a missing parameter renders as NULL
      const s = r.value(v, 1, ctx.state.thread);
      return r.resolved !== '' ? r.resolved : s;
    }
    case 'openat':
    case 'openat2': {
      // The name and dirfd come from the exit event when it has them, else from the enter event: the old
      // openat exit (fd only) names its file through its enter event, as current libs' converter does
      // (sinsp 0.29 did not keep openat's enter event and left a failed openat nameless).
      let src = v;
      let ni = v.paramIndex('name');
      const enter = ctx.state.enterEvent();
      if (ni < 0 && enter) {
        src = enter;
        ni = src.paramIndex('name');
      }
      if (ni < 0) return undefined;
      const rel = src.paramString(ni);
      const di = src.paramIndex('dirfd');
      const t = ctx.state.thread;
      const dir = t ? ctx.state.atDirectory(t, di >= 0 ? paramInt(src, di) : AT_FDCWD) : '';
      return concatenatePaths(dir, rel);
    }
    default:
      return '';
  }
}

/**
 * sinsp's is_ipv4addr_in_local_machine: the container's own address for a thread in a container (an
 * unknown one reads as 0.0.0.0, so it matches a socket not yet connected), else any interface address.
 */
function isLocal(ctx: ReplayContext, ip: string): boolean {
  const t = ctx.state.thread;
  if (t && t.containerId !== '') {
    const cip = ctx.state.containers.get(t.containerId)?.ip;
    if ((typeof cip === 'string' && cip !== '' ? cip : '0.0.0.0') === ip) return true;
  }
  for (const i of ctx.state.interfaces) if (i.addr === ip) return true;
  return false;
}

function fdField(
  name: string,
  type: FieldType,
  description: string,
  get: (ctx: ReplayContext, e: FdEntry, t: Thread) => FieldValue,
  nullFd?: (ctx: ReplayContext) => FieldValue,
): FieldDef {
  return simple(name, type, description, (c) => {
    const ctx = rc(c);
    const t = fdThread(ctx);
    if (!t) return undefined;
    const e = fdOf(ctx, t);
    if (e) return get(ctx, e, t);
    return nullFd ? nullFd(ctx) : undefined;
  });
}

const ROLE_WORD = { cip: 'client', sip: 'server', lip: 'local', rip: 'remote' } as const;
const isIpSock = (e: FdEntry) => e.type === FdType.IPV4_SOCK || e.type === FdType.IPV6_SOCK;
const isServ = (e: FdEntry) => e.type === FdType.IPV4_SERVSOCK || e.type === FdType.IPV6_SERVSOCK;

/**
 * The fd's name without control characters, as fd.name prints it (the entry keeps it); an IP socket's
 * ports as service names under -R (sinsp names sockets that way).
 */
function fdName(ctx: ReplayContext, e: FdEntry): string {
  const services = ctx.render.services;
  if (services && (isIpSock(e) || isServ(e))) return sanitizeString(services.rename(e.name, effectiveL4(e)));
  return e.cleanName;
}

/** A port as the fd.*proto fields print it: the number, or its service name under -R. */
function portText(ctx: ReplayContext, e: FdEntry, port: number): string {
  const services = ctx.render.services;
  return services ? services.port(port, effectiveL4(e)) : String(port);
}

function clientIp(e: FdEntry): string | undefined {
  return e.role !== Role.NONE && isIpSock(e) ? e.sip : undefined;
}
function serverIp(e: FdEntry): string | undefined {
  if (e.role === Role.NONE) return undefined;
  return isServ(e) || isIpSock(e) ? e.dip : undefined;
}
/** fd.cport: sinsp falls through to the protocol string for non-IP fds with a role, which reads as 0. */
function clientPort(e: FdEntry): number | undefined {
  if (e.role === Role.NONE) return undefined;
  return isIpSock(e) ? e.sport : 0;
}
function serverPort(e: FdEntry): number | undefined {
  if (isServ(e)) return e.dport;
  if (isIpSock(e)) return e.role === Role.NONE ? undefined : e.dport;
  return undefined;
}
function localRemote(ctx: ReplayContext, e: FdEntry, local: boolean, port: boolean): FieldValue {
  if (!isIpSock(e) || e.role === Role.NONE) return undefined;
  const srcLocal = isLocal(ctx, e.sip);
  const pickSrc = srcLocal === local;
  if (port) return pickSrc ? e.sport : e.dport;
  return pickSrc ? e.sip : e.dip;
}

function multiIp(
  name: string,
  description: string,
  type: FieldType,
  pick: (e: FdEntry, ctx: ReplayContext) => FieldValue[],
): FieldDef {
  return {
    name,
    type,
    description,
    arg: 'none',
    filterOnly: true,
    multi: true,
    make: () => ({
      get(c) {
        const ctx = rc(c);
        const e = withFd(ctx);
        return e ? pick(e, ctx)[0] : undefined;
      },
      values(c) {
        const ctx = rc(c);
        const e = withFd(ctx);
        if (!e) return undefined;
        const vs = pick(e, ctx);
        return vs.length > 0 ? vs : undefined;
      },
    }),
  };
}

function endpoints(e: FdEntry): string[] {
  if (isServ(e)) return [e.dip];
  if (isIpSock(e)) return [e.sip, e.dip];
  return [];
}
function ports(e: FdEntry): number[] {
  if (isServ(e)) return [e.dport];
  if (isIpSock(e)) return [e.sport, e.dport];
  return [];
}

export const FD_FIELDS: readonly FieldDef[] = [
  simple(
    'fd.num',
    'int',
    'the unique number identifying the file descriptor',
    (c) => fdThread(rc(c))?.lastEventFd,
  ),
  fdField(
    'fd.type',
    'string',
    "type of FD: 'file', 'directory', 'ipv4', 'ipv6', 'unix', 'pipe', 'event', 'signalfd', …",
    (_c, e) => fdTypeString(e.type),
  ),
  fdField(
    'fd.typechar',
    'string',
    "type of FD as a single character: 'f' file, '4' IPv4 socket, '6' IPv6 socket, 'u' unix socket, …",
    (_c, e) => fdTypeChar(e.type),
    (ctx) => NULL_FD_TYPECHAR[ctx.view.type & ~1] ?? 'o',
  ),
  fdField(
    'fd.name',
    'string',
    'FD full name: the file path for files, the connection tuple for sockets',
    (ctx, e) => {
      // A failed connect keeps the old name in the table: sinsp reports the attempted address instead.
      const v = ctx.view;
      if (CONNECT_EXIT[v.type]) {
        const i = v.paramIndex('res');
        if (i >= 0 && paramInt(v, i) < 0) return nameFromCreator(ctx);
      }
      return fdName(ctx, e);
    },
    nameFromCreator,
  ),
  fdField(
    'fd.nameraw',
    'string',
    'FD full name without the resolution of relative paths',
    (_c, e) => e.name,
    nameFromCreator,
  ),
  fdField(
    'fd.directory',
    'string',
    'if the fd is a file, the directory that contains it',
    (_c, e) => (e.type === FdType.FILE ? e.directory : e.type === FdType.DIRECTORY ? e.name : undefined),
    (ctx) => {
      const n = nameFromCreator(ctx);
      return n === undefined ? undefined : directoryOf(n);
    },
  ),
  fdField(
    'fd.filename',
    'string',
    'if the fd is a file, the filename without the path',
    (_c, e) => {
      return e.type === FdType.FILE ? e.fileName : undefined;
    },
    (ctx) => {
      const t = ctx.view.type;
      if (t !== 2 && t !== 102 && t !== 306 && t !== 58) return undefined;
      return undefined;
    },
  ),
  multiIp('fd.ip', 'matches the ip address (client or server) of the fd', 'ipaddr', endpoints),
  fdField('fd.cip', 'ipaddr', 'client IP address', (_c, e) => clientIp(e)),
  fdField('fd.sip', 'ipaddr', 'server IP address', (_c, e) => serverIp(e)),
  fdField('fd.lip', 'ipaddr', 'local IP address', (ctx, e) => localRemote(ctx, e, true, false)),
  fdField('fd.rip', 'ipaddr', 'remote IP address', (ctx, e) => localRemote(ctx, e, false, false)),
  multiIp('fd.port', 'matches the port (either client or server) of the fd', 'int', ports),
  fdField('fd.cport', 'int', 'for TCP/UDP FDs, the client port', (_c, e) => clientPort(e)),
  fdField('fd.sport', 'int', 'for TCP/UDP FDs, server port', (_c, e) => serverPort(e)),
  fdField('fd.lport', 'int', 'for TCP/UDP FDs, the local port', (ctx, e) => localRemote(ctx, e, true, true)),
  fdField('fd.rport', 'int', 'for TCP/UDP FDs, the remote port', (ctx, e) =>
    localRemote(ctx, e, false, true),
  ),
  fdField(
    'fd.l4proto',
    'string',
    "the IP protocol of a socket: 'tcp', 'udp', 'icmp' or 'raw'",
    (_c, e) => l4protoName(effectiveL4(e)) ?? '<NA>',
  ),
  fdField('fd.sockfamily', 'string', "the socket family for socket events: 'ip' or 'unix'", (_c, e) =>
    isIpSock(e) || isServ(e) ? 'ip' : e.type === FdType.UNIX_SOCK ? 'unix' : undefined,
  ),
  fdField('fd.is_server', 'bool', "'true' if the process owning this FD is the server endpoint", (ctx, e) => {
    if (isServ(e)) return true;
    // The zero address of an IPv6 socket not yet connected counts as local (sinsp compares it as such).
    if (isIpSock(e)) return e.dip === '::' || isLocal(ctx, e.dip);
    return false;
  }),
  simple(
    'fd.uid',
    'string',
    'a unique identifier for the FD, created by chaining the FD number and the thread ID',
    (c) => {
      const ctx = rc(c);
      const t = fdThread(ctx);
      return t ? `${t.tid}${t.lastEventFd}` : undefined;
    },
  ),
  fdField(
    'fd.containername',
    'string',
    'chaining of the container ID and the FD name',
    (ctx, e, t) => {
      const v = ctx.view;
      if (CONNECT_EXIT[v.type]) {
        const i = v.paramIndex('res');
        if (i >= 0 && paramInt(v, i) < 0) {
          const n = nameFromCreator(ctx);
          return n === undefined ? undefined : `${t.containerId}:${n}`;
        }
      }
      return `${t.containerId}:${fdName(ctx, e)}`;
    },
    (ctx) => {
      const n = nameFromCreator(ctx);
      return n === undefined ? undefined : `${ctx.state.thread!.containerId}:${n}`;
    },
  ),
  fdField(
    'fd.containerdirectory',
    'string',
    'chaining of the container ID and the directory name',
    (_c, e, t) => `${t.containerId}:${e.type === FdType.FILE ? e.directory : e.name}`,
  ),
  multiIp('fd.proto', 'matches the protocol (either client or server) of the fd', 'string', (e) =>
    ports(e).map(String),
  ),
  fdField('fd.cproto', 'string', 'for TCP/UDP FDs, the client protocol', (ctx, e) => {
    if (e.role === Role.NONE) return undefined;
    return isIpSock(e) ? portText(ctx, e, e.sport) : '';
  }),
  fdField('fd.sproto', 'string', 'for TCP/UDP FDs, server protocol', (ctx, e) => {
    const p = serverPort(e);
    return p === undefined || isServ(e) ? (p === undefined ? undefined : '') : portText(ctx, e, p);
  }),
  fdField('fd.lproto', 'string', 'for TCP/UDP FDs, the local protocol', (ctx, e) => {
    const p = localRemote(ctx, e, true, true);
    return p === undefined ? undefined : portText(ctx, e, p as number);
  }),
  fdField('fd.rproto', 'string', 'for TCP/UDP FDs, the remote protocol', (ctx, e) => {
    const p = localRemote(ctx, e, false, true);
    return p === undefined ? undefined : portText(ctx, e, p as number);
  }),
  multiIp('fd.net', 'matches the IP network (client or server) of the fd', 'ipnet', endpoints),
  multiIp('fd.cnet', 'matches the client IP network of the fd', 'ipnet', (e) => {
    const ip = clientIp(e);
    return ip === undefined ? [] : [ip];
  }),
  multiIp('fd.snet', 'matches the server IP network of the fd', 'ipnet', (e) => {
    const ip = serverIp(e);
    return ip === undefined ? [] : [ip];
  }),
  multiIp('fd.lnet', 'matches the local IP network of the fd', 'ipnet', (e, ctx) => {
    const ip = localRemote(ctx, e, true, false);
    return ip === undefined ? [] : [ip];
  }),
  multiIp('fd.rnet', 'matches the remote IP network of the fd', 'ipnet', (e, ctx) => {
    const ip = localRemote(ctx, e, false, false);
    return ip === undefined ? [] : [ip];
  }),
  // Names would need DNS answers seen during the capture; an offline replay has none.
  ...(['cip', 'sip', 'lip', 'rip'] as const).map(
    (end): FieldDef => ({
      // libs resolves names only when DNS resolution is configured; without it the name is empty.
      ...fdField(
        `fd.${end}.name`,
        'string',
        `domain name associated with the ${ROLE_WORD[end]} IP address`,
        (_c, e) => (isIpSock(e) ? '' : undefined),
      ),
      unanswered:
        'scapkit does not resolve addresses to names (as Falco without DNS resolution): the value is empty ' +
        'and never equals a name',
    }),
  ),
  fdField(
    'fd.connected',
    'bool',
    "for TCP/UDP FDs, 'true' if the socket is connected",
    (_c, e) => e.connected,
  ),
  fdField(
    'fd.name_changed',
    'bool',
    "'true' when an event changes the name of an fd used by this event",
    (ctx) => ctx.state.nameChanged,
  ),
  {
    ...fdField(
      'fd.dev',
      'int',
      'device number (major/minor) containing the referenced file',
      (_c, e) => e.dev,
    ),
    display: 'hex',
  },
  fdField(
    'fd.dev.major',
    'int',
    'major device number containing the referenced file',
    (_c, e) => e.dev >>> 20,
  ),
  fdField(
    'fd.dev.minor',
    'int',
    'minor device number containing the referenced file',
    (_c, e) => e.dev & 0xfffff,
  ),
  fdField('fd.ino', 'int', 'inode number of the referenced file', (_c, e) => e.ino),
  {
    name: 'fd.types',
    type: 'string',
    description: 'list of FD types in use: fd.types[N] is the type of fd N',
    arg: 'optional',
    multi: true,
    make(arg) {
      const n = arg === undefined ? -1 : Number(arg);
      return {
        get(c) {
          const ctx = rc(c);
          const t = ctx.state.thread;
          if (!t) return undefined;
          if (n >= 0) {
            const e = ctx.state.getFd(t, n);
            return e ? fdTypeString(e.type) : undefined;
          }
          return undefined;
        },
        values(c) {
          const ctx = rc(c);
          const t = ctx.state.thread;
          if (!t) return undefined;
          const set = new Set<string>();
          for (const e of ctx.state.fdTable(t).values()) set.add(fdTypeString(e.type));
          return set.size > 0 ? [...set] : undefined;
        },
      };
    },
  },
];
