// File descriptors as the state engine knows them: one mutable entry per open fd, kept in a per-process
// table keyed by fd number. Entries are created by the events that open fds and dropped when closed, so
// tables stay bounded by what the traced processes actually hold open.
import { type FdInfo, FdType, sanitizeString } from '@scapkit/scap-format';
import type { PathNames } from './paths.js';

/** Layer-4 protocol codes (scap_l4_proto). */
export const L4 = { UNKNOWN: 0, NA: 1, TCP: 2, UDP: 3, ICMP: 4, RAW: 5 } as const;

/** Which end of a connection this fd is (sinsp's FLAGS_ROLE_CLIENT / FLAGS_ROLE_SERVER). */
export const Role = { NONE: 0, CLIENT: 1, SERVER: 2 } as const;

export class FdEntry {
  fd: number;
  type: number;
  private nameText = '';
  // A name not made yet (an open's path, joined to its directory when first read: most never are): the
  // directory and the path parameter's bytes, copied where they stay (PathNames.keep), and the table that
  // makes the string. `pathNames` undefined: `nameText` is the name.
  private pathNames: PathNames | undefined = undefined;
  private pathDir = '';
  private pathBytes: Uint8Array | undefined = undefined;
  private pathAt = 0;
  private pathLen = 0;
  openFlags = 0;
  ino = 0;
  dev = 0;
  /** IP sockets: client (s) and server (d) ends; server sockets use dip/dport only. */
  sip = '';
  sport = 0;
  dip = '';
  dport = 0;
  l4proto: number = L4.UNKNOWN;
  role: number = Role.NONE;
  /** A connected socket (connect, accept, a TCP socket found in /proc). */
  connected = false;
  /** Unix sockets: kernel endpoint addresses in hex (as sysdig prints them). */
  usrc = '';
  udst = '';
  /**
   * The fd tables that hold this entry (FdTable: a fork's child shares its parent's entries until one
   * of them changes an entry, which it copies first). An entry no table holds may serve a new fd.
   */
  tables = 0;
  // What the fd.* fields derive from `name`, kept for the name they were made from (`derivedFrom`): the
  // name is set in many places and entries are reused after close, so the cache is keyed on the name
  // itself and cannot go stale. `undefined`: not derived yet for this name.
  private derivedFrom = '';
  private clean = '';
  private dir: string | undefined = undefined;
  private base: string | undefined = undefined;

  constructor(fd: number, type: number) {
    this.fd = fd;
    this.type = type;
  }

  /** Makes the entry what `new FdEntry(fd, type)` is: an entry of a closed fd serving a new one. */
  reset(fd: number, type: number): void {
    this.copyOf(BLANK_FD); // the field initialisers' values, written once below
    this.fd = fd;
    this.type = type;
    this.tables = 0;
  }

  /** A copy for dup/fcntl(F_DUPFD): the new fd shares what the old one points at. */
  cloneAs(fd: number): FdEntry {
    const e = new FdEntry(fd, this.type);
    e.copyOf(this);
    return e;
  }

  /** The printable name sysdig shows: path, connection tuple, unix endpoints, … */
  get name(): string {
    if (this.pathNames !== undefined) this.makeName(this.pathNames);
    return this.nameText;
  }
  set name(name: string) {
    this.nameText = name;
    this.pathNames = undefined;
    this.pathBytes = undefined;
  }

  /**
   * Names the fd `names.joinBytes(dir, bytes, at, len)` (a path parameter joined to its directory), made
   * when the name is first read; `bytes` must not change (PathNames.keep gives such copies).
   */
  setPathName(names: PathNames, dir: string, bytes: Uint8Array, at: number, len: number): void {
    // Mostly what the entry held already (one table, the same directory and buffer): see copyOf().
    if (this.pathNames !== names) this.pathNames = names;
    if (this.pathDir !== dir) this.pathDir = dir;
    if (this.pathBytes !== bytes) this.pathBytes = bytes;
    this.pathAt = at;
    this.pathLen = len;
  }

  private makeName(names: PathNames): void {
    const b = this.pathBytes;
    this.name = b === undefined ? '' : names.joinBytes(this.pathDir, b, this.pathAt, this.pathLen);
  }

  /**
   * Takes everything but the fd number from `src` (this entry becomes a dup of it). A field that holds an
   * object or a string is written only when it differs: such a store runs V8's write barrier, and an entry
   * reused for a file after a file (reset(), most opens) already has most of them.
   */
  copyOf(src: FdEntry): void {
    this.type = src.type;
    // A name not made yet stays so: both entries make the same string from the same bytes.
    if (this.nameText !== src.nameText) this.nameText = src.nameText;
    if (this.pathNames !== src.pathNames) this.pathNames = src.pathNames;
    if (this.pathDir !== src.pathDir) this.pathDir = src.pathDir;
    if (this.pathBytes !== src.pathBytes) this.pathBytes = src.pathBytes;
    this.pathAt = src.pathAt;
    this.pathLen = src.pathLen;
    this.openFlags = src.openFlags;
    this.ino = src.ino;
    this.dev = src.dev;
    if (this.sip !== src.sip) this.sip = src.sip;
    this.sport = src.sport;
    if (this.dip !== src.dip) this.dip = src.dip;
    this.dport = src.dport;
    this.l4proto = src.l4proto;
    this.role = src.role;
    this.connected = src.connected;
    if (this.usrc !== src.usrc) this.usrc = src.usrc;
    if (this.udst !== src.udst) this.udst = src.udst;
  }

  /** The name without control characters, as sysdig prints it (fd.name). */
  get cleanName(): string {
    if (this.derivedFrom !== this.name) this.rederive();
    return this.clean;
  }
  /** directoryOf(name): the directory of a file fd (fd.directory). */
  get directory(): string {
    if (this.derivedFrom !== this.name) this.rederive();
    if (this.dir === undefined) this.dir = directoryOf(this.name);
    return this.dir;
  }
  /** fileNameOf(name): the last component of a file fd's path (fd.filename). */
  get fileName(): string {
    if (this.derivedFrom !== this.name) this.rederive();
    if (this.base === undefined) this.base = fileNameOf(this.name);
    return this.base;
  }
  private rederive(): void {
    const n = this.name;
    this.derivedFrom = n;
    this.clean = sanitizeString(n);
    this.dir = undefined;
    this.base = undefined;
  }

  get isIp(): boolean {
    const t = this.type;
    return (
      t === FdType.IPV4_SOCK ||
      t === FdType.IPV6_SOCK ||
      t === FdType.IPV4_SERVSOCK ||
      t === FdType.IPV6_SERVSOCK
    );
  }
  get isServSock(): boolean {
    return this.type === FdType.IPV4_SERVSOCK || this.type === FdType.IPV6_SERVSOCK;
  }

  /**
   * The entry as a snapshot entry: the model's fields in their usual sense (a listening socket's address
   * in sip/sport, unix endpoints as numbers), plus the role and connected state; `fromInfo` restores it
   * exactly.
   */
  toInfo(): FdInfo {
    const i: FdInfo = { fd: this.fd, ino: this.ino, type: this.type, name: this.name };
    if (this.openFlags !== 0) i.openFlags = this.openFlags;
    if (this.dev !== 0) i.dev = this.dev;
    if (this.isServSock) {
      // A listening socket keeps its address as the server end; its client end means nothing.
      i.sip = this.dip;
      i.sport = this.dport;
    } else if (this.sip !== '' || this.dip !== '' || this.sport !== 0 || this.dport !== 0) {
      i.sip = this.sip;
      i.sport = this.sport;
      i.dip = this.dip;
      i.dport = this.dport;
    }
    if (this.l4proto !== L4.UNKNOWN) i.l4proto = this.l4proto;
    if (this.usrc !== '') i.source = BigInt(`0x${this.usrc}`);
    if (this.udst !== '') i.dest = BigInt(`0x${this.udst}`);
    i.role = this.role;
    if (this.connected) i.connected = true;
    return i;
  }

  /** From a metadata snapshot entry (sysdig FDL block, scapkit metadata, /proc scan, a state engine). */
  static fromInfo(i: FdInfo): FdEntry {
    if (i.role !== undefined) return FdEntry.restore(i);
    const type = i.type === FdType.FILE_V2 ? FdType.FILE : i.type;
    const e = new FdEntry(i.fd, type);
    e.openFlags = i.openFlags ?? 0;
    e.ino = i.ino;
    e.dev = i.dev ?? 0;
    e.l4proto = i.l4proto ?? L4.UNKNOWN;
    switch (type) {
      case FdType.IPV4_SOCK:
      case FdType.IPV6_SOCK:
        // An IPv6 socket between two IPv4-mapped addresses is an IPv4 socket to sinsp.
        if (type === FdType.IPV6_SOCK && isMapped(i.sip) && isMapped(i.dip)) {
          e.type = FdType.IPV4_SOCK;
          e.sip = mappedToV4(i.sip!);
          e.sport = i.sport ?? 0;
          e.dip = mappedToV4(i.dip!);
          e.dport = i.dport ?? 0;
          e.name = tupleName(false, e.sip, e.sport, e.dip, e.dport);
          e.connected = e.l4proto === L4.TCP;
          break;
        }
        e.sip = i.sip ?? '';
        e.sport = i.sport ?? 0;
        e.dip = i.dip ?? '';
        e.dport = i.dport ?? 0;
        e.name = tupleName(e.type === FdType.IPV6_SOCK, e.sip, e.sport, e.dip, e.dport);
        e.connected = e.l4proto === L4.TCP;
        break;
      case FdType.IPV4_SERVSOCK:
      case FdType.IPV6_SERVSOCK:
        e.dip = i.sip ?? i.dip ?? '';
        e.dport = i.sport ?? i.dport ?? 0;
        // A listening socket found in the snapshot has no role yet (sinsp: role none).
        e.name = `${e.dip}:${e.dport}`;
        break;
      case FdType.UNIX_SOCK:
        e.usrc = hex(i.source ?? 0);
        e.udst = hex(i.dest ?? 0);
        e.name = i.name;
        // sinsp gives the unix sockets it finds in /proc a role (so fd.cport reads 0, not <NA>).
        e.role = Role.CLIENT;
        break;
      default:
        e.name = i.name;
    }
    return e;
  }

  /** An entry a state engine wrote (toInfo): taken as it is. */
  private static restore(i: FdInfo): FdEntry {
    const e = new FdEntry(i.fd, i.type);
    e.name = i.name;
    e.openFlags = i.openFlags ?? 0;
    e.ino = i.ino;
    e.dev = i.dev ?? 0;
    if (e.isServSock) {
      e.dip = i.sip ?? '';
      e.dport = i.sport ?? 0;
    } else {
      e.sip = i.sip ?? '';
      e.sport = i.sport ?? 0;
      e.dip = i.dip ?? '';
      e.dport = i.dport ?? 0;
    }
    e.l4proto = i.l4proto ?? L4.UNKNOWN;
    e.usrc = i.source === undefined ? '' : hex(i.source);
    e.udst = i.dest === undefined ? '' : hex(i.dest);
    e.role = i.role ?? Role.NONE;
    e.connected = i.connected ?? false;
    return e;
  }
}

/** An entry as constructed: what reset() makes a reused entry. */
const BLANK_FD = new FdEntry(-1, 0);

/** sinsp's directory of a path: up to its last `/` (none: `/`); a path ending in `/` is its own. */
export function directoryOf(name: string): string {
  const pos = name.lastIndexOf('/');
  if (pos > 0) return pos < name.length - 1 ? name.slice(0, pos) : name;
  return '/';
}

/** sinsp's file name of a path: after its last `/` (none: `/`); a path ending in `/` is its own. */
export function fileNameOf(name: string): string {
  const pos = name.lastIndexOf('/');
  return pos >= 0 && pos < name.length - 1 ? name.slice(pos + 1) : pos < 0 ? '/' : name;
}

function isMapped(ip: string | undefined): boolean {
  return ip !== undefined && (ip === '::' || (ip.startsWith('::ffff:') && ip.indexOf('.') > 0));
}
function mappedToV4(ip: string): string {
  return ip === '::' ? '0.0.0.0' : ip.slice(7);
}

function hex(v: bigint | number): string {
  return (typeof v === 'bigint' ? v : BigInt(v)).toString(16);
}

/** `sip:sport->dip:dport`, sinsp's name for a connected IP socket. */
export function tupleName(_v6: boolean, sip: string, sport: number, dip: string, dport: number): string {
  return `${sip}:${sport}->${dip}:${dport}`;
}

// sinsp's fd type characters and names (sinsp_fdinfo::get_typechar / get_typestring), by scap fd type.
const TYPECHAR: readonly string[] = [];
const TYPESTRING: readonly string[] = [];
{
  const c = TYPECHAR as string[];
  const s = TYPESTRING as string[];
  const set = (t: number, ch: string, name: string) => {
    c[t] = ch;
    s[t] = name;
  };
  set(FdType.UNKNOWN, 'o', '<NA>');
  set(FdType.FILE, 'f', 'file');
  set(FdType.FILE_V2, 'f', 'file');
  set(FdType.DIRECTORY, 'd', 'directory');
  set(FdType.IPV4_SOCK, '4', 'ipv4');
  set(FdType.IPV6_SOCK, '6', 'ipv6');
  set(FdType.IPV4_SERVSOCK, '4', 'ipv4');
  set(FdType.IPV6_SERVSOCK, '6', 'ipv6');
  set(FdType.FIFO, 'p', 'pipe');
  set(FdType.UNIX_SOCK, 'u', 'unix');
  set(FdType.EVENT, 'e', 'event');
  set(FdType.UNSUPPORTED, 'X', 'unknown');
  set(FdType.SIGNALFD, 's', 'signalfd');
  set(FdType.EVENTPOLL, 'l', 'eventpoll');
  set(FdType.INOTIFY, 'i', 'inotify');
  set(FdType.TIMERFD, 't', 'timerfd');
  set(FdType.NETLINK, 'n', 'netlink');
  set(FdType.BPF, 'b', 'bpf');
  set(FdType.USERFAULTFD, 'u', 'userfaultfd');
  set(FdType.IOURING, 'r', 'io_uring');
  set(FdType.MEMFD, 'm', 'memfd');
  set(FdType.PIDFD, 'P', 'pidfd');
}

export function fdTypeChar(type: number): string {
  return TYPECHAR[type] ?? 'o';
}
export function fdTypeString(type: number): string {
  return TYPESTRING[type] ?? '<NA>';
}
export function l4protoName(p: number): string | undefined {
  switch (p) {
    case L4.TCP:
      return 'tcp';
    case L4.UDP:
      return 'udp';
    case L4.ICMP:
      return 'icmp';
    case L4.RAW:
      return 'raw';
    default:
      return undefined;
  }
}
/** The second character of `<4t>` in a rendered fd. */
export function l4protoChar(p: number): string {
  switch (p) {
    case L4.TCP:
      return 't';
    case L4.UDP:
      return 'u';
    case L4.ICMP:
      return 'i';
    case L4.RAW:
      return 'r';
    default:
      return '';
  }
}

/** Fds below this number are kept in an array indexed by number; others (rare) in a Map. */
const DIRECT_FDS = 4096;

/**
 * The fds of one or more tables that have not diverged yet: a fork's child and its parent share one until
 * either changes its table (copy-on-write), which then takes a copy of the lists (not of the entries).
 */
class FdBody {
  constructor(
    /** Entries by fd number, below DIRECT_FDS. */
    readonly direct: (FdEntry | undefined)[] = [],
    /** When each direct entry's number was added (the insertion order values() lists them in). */
    readonly directSeq: number[] = [],
  ) {}
  /** Entries of other numbers, and when each was added. */
  readonly others = new Map<number, { e: FdEntry; seq: number }>();
  nextSeq = 0;
  count = 0;
  /** The tables that use this body (0: the shared empty body, which none may change). */
  holders = 1;

  /** A body with the same fds, held by one table; every entry is then in one more body. */
  clone(): FdBody {
    const b = new FdBody(this.direct.slice(), this.directSeq.slice());
    for (const e of b.direct) if (e !== undefined) e.tables++;
    for (const [fd, o] of this.others) {
      o.e.tables++;
      b.others.set(fd, { e: o.e, seq: o.seq });
    }
    b.nextSeq = this.nextSeq;
    b.count = this.count;
    return b;
  }
}

/** The body of every new table until it adds an fd (most threads share their process's instead). */
const EMPTY_BODY = new FdBody();
EMPTY_BODY.holders = 0;

/**
 * One process's open fds. Threads created with CLONE_FILES share their process's table (the same object).
 * A process created without it gets a copy(), which shares the fds with its parent's table until one of
 * them changes: copying is then a list of pointers, and an entry both still hold is copied only when one
 * of them changes it (own()): after a fork most children exec, close or replace what they inherited.
 * The kernel hands out the lowest free number, so an fd is found by indexing an array (a Map keyed by fd
 * rehashed every few opens of a process that opens and closes files, and allocated a table each time);
 * numbers beyond DIRECT_FDS go to a Map. Entries list in the order a Map would keep them: by when their
 * number was added, a replaced entry keeping its place.
 */
export class FdTable {
  private body: FdBody = EMPTY_BODY;

  /** Open fds in the table. */
  get size(): number {
    return this.body.count;
  }

  /** The entry of `fd`, to read: it may be another table's too (see own()). */
  get(fd: number): FdEntry | undefined {
    if (fd >= 0 && fd < DIRECT_FDS) return this.body.direct[fd];
    return this.body.others.get(fd)?.e;
  }

  /** The entry of `fd`, to change: a copy of its own first when another table holds it too. */
  own(fd: number): FdEntry | undefined {
    const e = this.get(fd);
    if (e === undefined || (e.tables === 1 && this.body.holders === 1)) return e;
    const b = this.writable();
    // The copy is this table's alone; the entry stays the other table's.
    const mine = this.get(fd) as FdEntry;
    if (mine.tables === 1) return mine;
    mine.tables--;
    const copy = mine.cloneAs(fd);
    copy.tables = 1;
    if (fd >= 0 && fd < DIRECT_FDS) b.direct[fd] = copy;
    else {
      const o = b.others.get(fd);
      if (o) o.e = copy;
    }
    return copy;
  }

  set(e: FdEntry): void {
    const b = this.writable();
    const fd = e.fd;
    e.tables++;
    if (fd >= 0 && fd < DIRECT_FDS) {
      const d = b.direct;
      while (d.length <= fd) {
        d.push(undefined);
        b.directSeq.push(0);
      }
      const old = d[fd];
      if (old === undefined) {
        b.directSeq[fd] = b.nextSeq++;
        b.count++;
      } else old.tables--;
      d[fd] = e;
      return;
    }
    const o = b.others.get(fd);
    if (o) {
      o.e.tables--;
      o.e = e;
    } else {
      b.others.set(fd, { e, seq: b.nextSeq++ });
      b.count++;
    }
  }

  /** Removes `fd`; returns its entry (undefined when it was not there), which other tables may still hold. */
  delete(fd: number): FdEntry | undefined {
    if (this.get(fd) === undefined) return undefined;
    const b = this.writable();
    let e: FdEntry | undefined;
    if (fd >= 0 && fd < DIRECT_FDS) {
      e = b.direct[fd];
      b.direct[fd] = undefined;
    } else {
      e = b.others.get(fd)?.e;
      b.others.delete(fd);
    }
    if (e === undefined) return undefined;
    e.tables--;
    b.count--;
    return e;
  }

  /** The open fds' entries, in the order their numbers were added. */
  values(): FdEntry[] {
    const out: FdEntry[] = [];
    const seqs: number[] = [];
    let sorted = true;
    const add = (e: FdEntry, seq: number) => {
      // Insertion into a list that is mostly in order already (the lowest free number is reused).
      let k = out.length;
      if (k > 0 && (seqs[k - 1] ?? 0) > seq) sorted = false;
      out.push(e);
      seqs.push(seq);
      if (sorted) return;
      while (k > 0 && (seqs[k - 1] ?? 0) > seq) {
        out[k] = out[k - 1] ?? e;
        seqs[k] = seqs[k - 1] ?? 0;
        k--;
      }
      out[k] = e;
      seqs[k] = seq;
    };
    const b = this.body;
    const d = b.direct;
    for (let fd = 0; fd < d.length; fd++) {
      const e = d[fd];
      if (e !== undefined) add(e, b.directSeq[fd] ?? 0);
    }
    for (const o of b.others.values()) add(o.e, o.seq);
    return out;
  }

  /**
   * A table for a child that does not share its parent's table (fork without CLONE_FILES): the same fds,
   * independent of this table from now on, sharing its lists until either changes.
   */
  copy(): FdTable {
    const t = new FdTable();
    const b = this.body;
    if (b.holders > 0) {
      b.holders++;
      t.body = b;
    }
    return t;
  }

  /** The body, this table's alone (a copy of the lists when others hold it too). */
  private writable(): FdBody {
    let b = this.body;
    if (b.holders !== 1) {
      if (b.holders > 1) b.holders--;
      b = b.clone();
      this.body = b;
    }
    return b;
  }
}
