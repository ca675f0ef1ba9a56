// StateEngine: rebuilds the thread, process, fd, user, group and container tables from a metadata
// snapshot and from the events themselves, the way libsinsp's parser does, so that fields can answer
// proc.*, fd.*, user.* and container.* for every event. It works by event *name* and parameter *name*
// (old captures keep their old event ids), and falls back on the thread's last enter event for what an
// old exit event lacks. Everything it does per event is a Map lookup or two and, for the events that
// change state, the decoding of the few parameters that matter.
import {
  type CaptureMetadata,
  type ContainerInfo,
  cgroupContainer,
  containerFromOldEvent,
  containerFromSysdigJson,
  containerIdFromCgroups,
  EF,
  EVENT_MAX,
  EVENTS,
  EventView,
  EXECVE_FLAGS,
  type FdInfo,
  FdType,
  type GroupInfo,
  type InterfaceInfo,
  type MachineInfo,
  PT,
  type ThreadInfo,
  type UserInfo,
} from '@scapkit/scap-format';
import { FLAGS, H, HANDLER, isOldLayoutOf, REPORTS_VM } from './event-facts.js';
import { FdEntry, type FdTable, L4, Role } from './fd.js';
import { AF, decodeTuple, renderSockaddr, renderTuple, type Tuple } from './net.js';
import { concatenatePaths } from './paths.js';
import { CL, inheritExecFacts, NO_ID, normalizeCgroups, Thread } from './thread.js';

/** PPM_EXE_* bits of execve's `flags`, from the driver's name table. */
const exeFlag = (name: string): number => EXECVE_FLAGS.values[EXECVE_FLAGS.names.indexOf(name)]!;
const EXE_FLAG = {
  WRITABLE: exeFlag('EXE_WRITABLE'),
  UPPER_LAYER: exeFlag('EXE_UPPER_LAYER'),
  FROM_MEMFD: exeFlag('EXE_FROM_MEMFD'),
  LOWER_LAYER: exeFlag('EXE_LOWER_LAYER'),
} as const;

const TWO32 = 4294967296;
const AT_FDCWD = -100;
/** PPM_O_DIRECTORY: an open of a directory makes a directory fd. */
const PPM_O_DIRECTORY = 1 << 10;
/** PPM_O_CLOEXEC: such fds are closed by a successful execve. */
const O_CLOEXEC = 1 << 12;
/** PPM_FCNTL_F_DUPFD and PPM_FCNTL_F_DUPFD_CLOEXEC. */
const FCNTL_DUPFD = 1;
const FCNTL_DUPFD_CLOEXEC = 23;
/** PPM_PR_SET_NAME. */
const PR_SET_NAME = 15;
const IPPROTO_IP = 0;
const IPPROTO_ICMP = 1;
const IPPROTO_TCP = 6;
const IPPROTO_UDP = 17;
const IPPROTO_RAW = 255;
const SOCK_STREAM = 1;
const SOCK_DGRAM = 2;
const SOCK_RAW = 3;

const utf8 = new TextDecoder('utf-8', { fatal: false });

/** Handlers whose only effect is a new unnamed fd: the parameter that holds it and its type. */
const UNNAMED_FD = new Map<number, readonly [param: string, type: number]>([
  [H.EVENTFD_X, ['res', FdType.EVENT]],
  [H.SIGNALFD_X, ['res', FdType.SIGNALFD]],
  [H.TIMERFD_X, ['res', FdType.TIMERFD]],
  [H.INOTIFY_X, ['res', FdType.INOTIFY]],
  [H.EPOLL_X, ['res', FdType.EVENTPOLL]],
  [H.USERFAULTFD_X, ['res', FdType.USERFAULTFD]],
  [H.IOURING_X, ['res', FdType.IOURING]],
  [H.BPF_X, ['fd', FdType.BPF]],
  [H.PIDFD_X, ['fd', FdType.PIDFD]],
]);

/** Splits a NUL-separated list (args, env, cgroups) into its strings. */
export function splitNulList(b: Uint8Array): string[] {
  const out: string[] = [];
  let start = 0;
  for (let i = 0; i < b.length; i++) {
    if (b[i] === 0) {
      out.push(utf8.decode(b.subarray(start, i)));
      start = i + 1;
    }
  }
  if (start < b.length) out.push(utf8.decode(b.subarray(start)));
  return out;
}

/** Reads an integer parameter whatever its stored width (old layouts sometimes differ). */
export function paramInt(v: EventView, i: number): number {
  switch (v.paramLength(i)) {
    case 8:
      return v.paramI64(i);
    case 4:
      return v.paramI32(i);
    case 2:
      return v.paramI16(i);
    case 1:
      return v.paramI8(i);
    default:
      return 0;
  }
}
/** An unsigned integer parameter (exact below 2^53). */
export function paramUint(v: EventView, i: number): number {
  switch (v.paramLength(i)) {
    case 8:
      return v.paramU64(i);
    case 4:
      return v.paramU32(i);
    case 2:
      return v.paramU16(i);
    case 1:
      return v.paramU8(i);
    default:
      return 0;
  }
}

/** Per event id, the index of parameter `name` in the table (-1 when the event has none): no Map lookup. */
function paramIndexTable(name: string): Int16Array {
  const t = new Int16Array(EVENT_MAX).fill(-1);
  for (let id = 0; id < EVENT_MAX; id++) t[id] = EVENTS[id]!.paramIndex.get(name) ?? -1;
  return t;
}
const IDX_FD = paramIndexTable('fd');
const IDX_VM_SIZE = paramIndexTable('vm_size');
const IDX_VM_RSS = paramIndexTable('vm_rss');
const IDX_VM_SWAP = paramIndexTable('vm_swap');
const IDX_PGFT_MAJ = paramIndexTable('pgft_maj');
const IDX_PGFT_MIN = paramIndexTable('pgft_min');

/** v.paramIndex(name) through a paramIndexTable: the index when the event has the parameter, else -1. */
function tableIndex(v: EventView, table: Int16Array): number {
  const type = v.type;
  const i = type < EVENT_MAX ? table[type]! : -1;
  return i >= 0 && i < v.paramCount() ? i : -1;
}

export class StateEngine {
  readonly threads = new Map<number, Thread>();
  readonly users = new Map<number, UserInfo>();
  readonly groups = new Map<number, GroupInfo>();
  readonly containers = new Map<string, ContainerInfo>();
  interfaces: InterfaceInfo[] = [];
  machine: MachineInfo | undefined;

  /** The current event's thread (sinsp's evt->m_tinfo); undefined when it has none. */
  thread: Thread | undefined;
  /** The fd the current event is about (sinsp's evt->m_fdinfo). */
  fd: FdEntry | undefined;
  /** Whether the thread's stored enter event is the one matching the current exit event. */
  enterValid = false;
  /** The view on stored enter events; `enterEvent()` positions it. */
  private readonly enter = new EventView();
  /** Whether `enter` is on the current exit's enter event (positioned only when a parameter needs it). */
  private enterPositioned = false;
  /** The thread whose stored enter event matches the current exit event. */
  private enterThread: Thread | undefined;
  /** ns between the matching enter event and this exit event (0 for enter events). */
  latency = -0; // a double from the start (see Thread); the constructor makes it +0
  /** EF_* flags of the current event (sysdig 0.29.3's where it knew the event). */
  flags = 0;
  /** Whether the current event gave its fd a new name (fd.name_changed). */
  nameChanged = false;

  /** Removals deferred until the current event has been shown (sinsp does the same). */
  private fdToRemoveTid = -1;
  private fdToRemove = -1;
  private tidToRemove = -1;

  constructor() {
    this.latency = 0;
  }

  /**
   * Replaces every table with a metadata snapshot (a new section, a rotated file, the live snapshot, a
   * checkpoint). Tables a state engine wrote (snapshot()) are taken as they are; tables read from /proc
   * or a sysdig file are brought to sinsp's conventions first.
   */
  reset(md: CaptureMetadata): void {
    this.threads.clear();
    this.users.clear();
    this.groups.clear();
    this.containers.clear();
    this.machine = md.machine;
    this.interfaces = md.interfaces;
    const scanned: Thread[] = [];
    for (const ti of md.threads) {
      const t = Thread.fromInfo(ti);
      if (ti.nchilds === undefined) {
        // sinsp keeps working directories with a trailing slash.
        if (t.cwd !== '' && !t.cwd.endsWith('/')) t.cwd += '/';
        t.containerId = this.containerIdOf(t.cgroups);
        scanned.push(t);
      }
      this.threads.set(t.tid, t);
    }
    const scannedFds: FdEntry[] = [];
    for (const [tid, list] of md.fds) {
      const t = this.threads.get(tid);
      if (!t) continue;
      for (const fi of list) {
        const e = FdEntry.fromInfo(fi);
        t.ownFds.set(e);
        if (fi.role === undefined) scannedFds.push(e);
      }
    }
    // Threads that share a table (a snapshot's fdsOf) use the one listed under its owner's tid.
    for (const ti of md.threads) {
      if (ti.fdsOf === undefined || ti.fdsOf === ti.tid) continue;
      const owner = this.threads.get(ti.fdsOf);
      const t = this.threads.get(ti.tid);
      if (owner && t) t.ownFds = owner.ownFds;
    }
    this.fixScannedSockets(scannedFds);
    // Each thread of a scan counts as a child of its process's main thread.
    for (const t of scanned) {
      if (t.isMainThread) continue;
      const m = this.threads.get(t.pid);
      if (m) m.nchilds++;
    }
    for (const u of md.users) if (!u.container) this.users.set(u.uid, u);
    for (const g of md.groups) if (!g.container) this.groups.set(g.gid, g);
    for (const c of md.containers) this.containers.set(c.id, c);
    this.thread = undefined;
    this.fd = undefined;
    this.fdToRemove = -1;
    this.tidToRemove = -1;
  }

  /**
   * The tables as they are now, such that reset() with them on a fresh engine continues exactly as this
   * one does: every state field of every later event is the same. Removals the last event scheduled (a
   * close, an exit) are applied first, as the next event would: call it between events.
   */
  snapshot(): CaptureMetadata {
    this.applyRemovals();
    const threads: ThreadInfo[] = [];
    const fds = new Map<number, FdInfo[]>();
    // A shared fd table is listed once, under the first thread that uses it.
    const listedUnder = new Map<FdTable, number>();
    for (const t of this.threads.values()) {
      const info = t.toInfo();
      const owner = listedUnder.get(t.ownFds);
      if (owner !== undefined) {
        info.fdsOf = owner;
      } else {
        listedUnder.set(t.ownFds, t.tid);
        if (t.ownFds.fds.size > 0) {
          const list: FdInfo[] = [];
          for (const e of t.ownFds.fds.values()) list.push(e.toInfo());
          fds.set(t.tid, list);
        }
      }
      threads.push(info);
    }
    const md: CaptureMetadata = {
      threads,
      fds,
      users: [...this.users.values()],
      groups: [...this.groups.values()],
      interfaces: this.interfaces,
      containers: [...this.containers.values()],
    };
    if (this.machine) md.machine = this.machine;
    return md;
  }

  /**
   * Sockets read from /proc say local→remote; sinsp orders them client→server. A socket whose local port
   * is a listening port of the box is the server end: its ends are swapped (sinsp's
   * fix_sockets_coming_from_proc, IPv4 only); the others are clients.
   */
  private fixScannedSockets(scanned: readonly FdEntry[]): void {
    const serverPorts = new Set<number>();
    for (const t of this.threads.values()) {
      for (const e of t.ownFds.fds.values()) if (e.isServSock) serverPorts.add(e.dport);
    }
    for (const e of scanned) {
      if (e.type !== FdType.IPV4_SOCK) continue;
      if (serverPorts.has(e.sport)) {
        const ip = e.sip;
        const port = e.sport;
        e.sip = e.dip;
        e.sport = e.dport;
        e.dip = ip;
        e.dport = port;
        e.name = `${e.sip}:${e.sport}->${e.dip}:${e.dport}`;
        e.role = Role.SERVER;
      } else {
        e.role = Role.CLIENT;
      }
    }
  }

  /** The main thread of `t`'s process, when known. */
  mainThread(t: Thread): Thread | undefined {
    return t.isMainThread ? t : this.threads.get(t.pid);
  }

  /** The fd table `t` uses: its process's when it shares it (CLONE_FILES), else its own. */
  fdTable(t: Thread): FdTable {
    if (t.flags & CL.CLONE_FILES && !t.isMainThread) {
      const m = this.threads.get(t.pid);
      if (m) return m.ownFds;
    }
    return t.ownFds;
  }

  getFd(t: Thread, fd: number): FdEntry | undefined {
    return this.fdTable(t).get(fd);
  }

  /** The working directory of `t` (kept by the main thread: threads share it). */
  cwd(t: Thread): string {
    if (t.isMainThread) return t.cwd;
    const m = this.threads.get(t.pid);
    return m ? m.cwd : t.cwd;
  }

  /**
   * The enter event matching the current exit event, or undefined. Positioned on first use: most exit
   * events never need it.
   */
  enterEvent(): EventView | undefined {
    const t = this.enterThread;
    if (!this.enterValid || !t) return undefined;
    if (!this.enterPositioned) {
      this.enter.atOffset(t.enterBuf, 4);
      this.enterPositioned = true;
    }
    return this.enter;
  }

  /**
   * Updates state with one event. What the event closes or ends (an fd, a thread) is removed at the start
   * of the next event, as sinsp does, so the event itself still shows it.
   */
  process(v: EventView): void {
    // Removals scheduled by the previous event (close, procexit) happen first, as in sinsp.
    this.applyRemovals();
    const type = v.type;
    const flags = type < EVENT_MAX ? FLAGS[type]! : 0;
    this.flags = flags;
    this.fd = undefined;
    this.enterValid = false;
    this.latency = 0;
    this.nameChanged = false;
    this.enterPositioned = false;
    const tid = v.tid;
    let t = this.threads.get(tid);
    const handler = type < EVENT_MAX ? HANDLER[type]! : H.NONE;

    // Scheduler switches and internal events are seen but leave the thread's enter/exit pairing alone
    // (sinsp's reset() returns before it for both).
    if (flags & EF.SKIPPARSERESET || handler === H.SWITCH) {
      this.thread = t;
      // A switch reports the page faults of the thread leaving the CPU and the memory of its process:
      // sinsp keeps the first on the thread, the second on the process's main thread.
      if (t && handler === H.SWITCH) {
        this.updatePageFaults(v, t);
        const m = this.mainThread(t);
        if (m) this.updateVm(v, m);
      }
      return;
    }
    if (!t && tid > 0 && handler !== H.CLONE_X) {
      // sinsp creates an entry for a thread it meets for the first time, with unknown identity.
      t = new Thread(tid);
      t.comm = '<NA>';
      t.exe = '<NA>';
      this.threads.set(tid, t);
    }
    this.thread = t;
    if (t) {
      const enter = (type & 1) === 0;
      if (enter) {
        t.lastEventFd = -1;
        t.latency = 0;
        t.storeEnter(v.data, v.off, v.len, type, v.tsHi, v.tsLo);
        if (flags & EF.USES_FD) {
          let i = tableIndex(v, IDX_FD);
          if (i < 0 && v.paramCount() > 0 && v.info?.params[0]?.type === PT.FD) i = 0;
          if (i >= 0) {
            t.lastEventFd = paramInt(v, i);
            this.fd = this.getFd(t, t.lastEventFd);
          }
        }
      } else {
        const oldLayout = isOldLayoutOf(type, v.paramCount());
        if (t.enterType === type - 1) {
          this.enterValid = true;
          this.enterThread = t;
        }
        if (this.enterValid || (oldLayout && t.enterType >= 0)) {
          // sinsp 0.29.3 measures from the thread's last enter event, whichever it was; an exit in a
          // current layout (most have no enter event) only from its own.
          t.latency = (v.tsHi - t.enterTsHi) * TWO32 + (v.tsLo - t.enterTsLo);
        } else if (!oldLayout) {
          t.latency = 0;
        }
        this.latency = t.latency;
        if (flags & EF.USES_FD) {
          // Current layouts carry the fd on the exit event (the probe records no enter event for most
          // syscalls): it is the fd of the event, whatever enter event the thread last stored. Old
          // layouts have it on the enter event, which must then match; sysdig 0.29.3 took it from there
          // even for the two exits that also carried it (setsockopt, getsockopt: -1, their enter has none).
          const fi = tableIndex(v, IDX_FD);
          if (fi >= 0 && (!oldLayout || !this.enterValid)) t.lastEventFd = paramInt(v, fi);
          else if (fi < 0 && !this.enterValid && !oldLayout) {
            // A current-layout exit without its fd and without its enter event: the thread's last fd
            // belongs to some earlier event, and current libs do not trust it either.
            t.lastEventFd = -1;
          }
          if (fi >= 0 || this.enterValid) this.fd = this.getFd(t, t.lastEventFd);
        }
      }
    }
    if (handler !== H.NONE) this.dispatch(handler, v, t);
    // brk, mmap, munmap … report the memory of the process after the call.
    if (t && (type & 1) === 1 && type < EVENT_MAX && REPORTS_VM[type] && handler !== H.CLONE_X) {
      this.updateVm(v, t);
      this.updatePageFaults(v, t);
    }
  }

  private updateVm(v: EventView, t: Thread): void {
    let i = tableIndex(v, IDX_VM_SIZE);
    if (i >= 0) t.vmsizeKb = paramUint(v, i);
    i = tableIndex(v, IDX_VM_RSS);
    if (i >= 0) t.vmrssKb = paramUint(v, i);
    i = tableIndex(v, IDX_VM_SWAP);
    if (i >= 0) t.vmswapKb = paramUint(v, i);
  }

  private updatePageFaults(v: EventView, t: Thread): void {
    let i = tableIndex(v, IDX_PGFT_MAJ);
    if (i >= 0) t.pfMajor = paramUint(v, i);
    i = tableIndex(v, IDX_PGFT_MIN);
    if (i >= 0) t.pfMinor = paramUint(v, i);
  }

  private applyRemovals(): void {
    if (this.fdToRemove >= 0) {
      const t = this.threads.get(this.fdToRemoveTid);
      if (t) this.fdTable(t).delete(this.fdToRemove);
      this.fdToRemove = -1;
    }
    if (this.tidToRemove >= 0) {
      this.removeThread(this.tidToRemove);
      this.tidToRemove = -1;
    }
  }

  private removeThread(tid: number): void {
    const t = this.threads.get(tid);
    if (!t) return;
    const parent = this.threads.get(t.ptid);
    if (parent && parent.nchilds > 0) parent.nchilds--;
    // A main thread that leaves before the other threads of its process stays (marked exited): they
    // still read its fd table and cwd. The last thread out takes the process entry with it.
    if (t.isMainThread) {
      for (const o of this.threads.values()) if (o.pid === t.pid && o.tid !== tid && !o.exited) return;
      this.threads.delete(tid);
      return;
    }
    this.threads.delete(tid);
    const m = this.threads.get(t.pid);
    if (m?.exited) {
      for (const o of this.threads.values()) if (o.pid === t.pid && o.tid !== m.tid) return;
      this.threads.delete(m.tid);
    }
  }

  // -- parameters, with the enter-event fallback ---------------------------------------------------

  /** Index of `name` in the current exit event, else -1 (and `fromEnter` tells where it was found). */
  private fromEnter = false;
  private idx(v: EventView, name: string): number {
    let i = v.paramIndex(name);
    if (i >= 0) {
      this.fromEnter = false;
      return i;
    }
    const enter = this.enterEvent();
    if (enter) {
      i = enter.paramIndex(name);
      if (i >= 0) {
        this.fromEnter = true;
        return i;
      }
    }
    return -1;
  }
  private src(v: EventView): EventView {
    return this.fromEnter ? this.enter : v;
  }
  private int(v: EventView, name: string, dflt: number): number {
    const i = this.idx(v, name);
    return i < 0 ? dflt : paramInt(this.src(v), i);
  }
  private uint(v: EventView, name: string, dflt: number): number {
    const i = this.idx(v, name);
    return i < 0 ? dflt : paramUint(this.src(v), i);
  }
  private str(v: EventView, name: string): string | undefined {
    const i = this.idx(v, name);
    if (i < 0) return undefined;
    const s = this.src(v);
    return s.paramLength(i) === 0 ? undefined : s.paramString(i);
  }
  private bytes(v: EventView, name: string): Uint8Array | undefined {
    const i = this.idx(v, name);
    return i < 0 ? undefined : this.src(v).paramBytes(i);
  }

  private addFd(t: Thread, e: FdEntry): FdEntry {
    this.fdTable(t).set(e);
    t.lastEventFd = e.fd;
    // A close of the same number pending removal is cancelled by the new fd (sinsp's close-cancel).
    if (this.fdToRemove === e.fd && this.fdToRemoveTid === t.tid) this.fdToRemove = -1;
    return e;
  }

  // -- event handlers ------------------------------------------------------------------------------

  private dispatch(h: number, v: EventView, t: Thread | undefined): void {
    switch (h) {
      case H.CONTAINER_JSON:
        this.onContainerJson(v);
        return;
      case H.CONTAINER_OLD:
        this.onContainerOld(v);
        return;
      case H.USER_ADDED:
      case H.USER_DELETED:
        this.onUser(v, h === H.USER_ADDED);
        return;
      case H.GROUP_ADDED:
      case H.GROUP_DELETED:
        this.onGroup(v, h === H.GROUP_ADDED);
        return;
      case H.CLONE_X:
        this.onClone(v, t);
        return;
    }
    if (!t) return;
    switch (h) {
      case H.OPEN_X:
        this.onOpen(v, t);
        break;
      case H.CLOSE_X:
        if (this.int(v, 'res', -1) >= 0 && this.fd) {
          this.fdToRemoveTid = t.tid;
          this.fdToRemove = t.lastEventFd;
        }
        break;
      case H.SOCKET_X:
        this.onSocket(v, t);
        break;
      case H.BIND_X:
        this.onBind(v);
        break;
      case H.CONNECT_X:
        this.onConnect(v, t);
        break;
      case H.ACCEPT_X:
        this.onAccept(v, t);
        break;
      case H.DUP_X:
        this.onDup(v, t);
        break;
      case H.FCNTL_X: {
        const cmd = this.int(v, 'cmd', -1);
        if (cmd === FCNTL_DUPFD || cmd === FCNTL_DUPFD_CLOEXEC) this.onDup(v, t);
        break;
      }
      case H.PIPE_X:
        this.onPipe(v, t);
        break;
      case H.SOCKETPAIR_X:
        this.onSocketpair(v, t);
        break;
      case H.EVENTFD_X:
      case H.SIGNALFD_X:
      case H.TIMERFD_X:
      case H.INOTIFY_X:
      case H.EPOLL_X:
      case H.USERFAULTFD_X:
      case H.IOURING_X:
      case H.BPF_X:
      case H.PIDFD_X: {
        const [param, type] = UNNAMED_FD.get(h)!;
        this.simpleFd(v, t, param, type, '');
        break;
      }
      case H.MEMFD_X:
        this.simpleFd(v, t, 'fd', FdType.MEMFD, `memfd:${this.str(v, 'name') ?? ''}`);
        break;
      case H.EXECVE_X:
        this.onExecve(v, t);
        break;
      case H.PROCEXIT:
        t.exited = true;
        this.tidToRemove = t.tid;
        break;
      case H.CHDIR_X:
        if (this.int(v, 'res', -1) >= 0) {
          const p = this.str(v, 'path');
          if (p !== undefined) this.setCwd(t, p);
        }
        break;
      case H.FCHDIR_X:
        if (this.int(v, 'res', -1) >= 0 && this.fd) this.setCwd(t, this.fd.name);
        break;
      case H.SETUID_X:
        if (this.int(v, 'res', -1) >= 0) t.uid = this.uint(v, 'uid', NO_ID);
        break;
      case H.SETGID_X:
        if (this.int(v, 'res', -1) >= 0) t.gid = this.uint(v, 'gid', NO_ID);
        break;
      case H.SETRESUID_X:
      case H.SETREUID_X:
        if (this.int(v, 'res', -1) >= 0) {
          const euid = this.uint(v, 'euid', NO_ID);
          if (euid !== NO_ID) t.uid = euid;
        }
        break;
      case H.SETRESGID_X:
      case H.SETREGID_X:
        if (this.int(v, 'res', -1) >= 0) {
          const egid = this.uint(v, 'egid', NO_ID);
          if (egid !== NO_ID) t.gid = egid;
        }
        break;
      case H.PRCTL_X:
        if (this.int(v, 'res', -1) >= 0 && this.int(v, 'option', -1) === PR_SET_NAME) {
          const name = this.str(v, 'arg2_str');
          if (name !== undefined) t.comm = name;
        }
        break;
      case H.SETSID_X: {
        const r = this.int(v, 'res', -1);
        if (r >= 0) t.sid = r;
        break;
      }
      case H.CHROOT_X:
        if (this.int(v, 'res', -1) >= 0) {
          const p = this.str(v, 'path');
          if (p !== undefined) t.root = p;
        }
        break;
      case H.CAPSET_X:
        if (this.int(v, 'res', -1) >= 0) {
          const i = this.idx(v, 'cap_permitted');
          if (i >= 0) t.capPermitted = this.src(v).paramBigU64(i);
          const j = this.idx(v, 'cap_effective');
          if (j >= 0) t.capEffective = this.src(v).paramBigU64(j);
          const k = this.idx(v, 'cap_inheritable');
          if (k >= 0) t.capInheritable = this.src(v).paramBigU64(k);
        }
        break;
      case H.IO_TUPLE_X:
        this.onIoTuple(v, t);
        break;
    }
  }

  private setCwd(t: Thread, path: string): void {
    const m = this.mainThread(t) ?? t;
    let cwd = concatenatePaths(this.cwd(t), path);
    if (!cwd.endsWith('/')) cwd += '/';
    m.cwd = cwd;
    if (m !== t) t.cwd = cwd;
  }

  private onOpen(v: EventView, t: Thread): void {
    const fd = this.int(v, 'fd', -1);
    if (fd < 0) return;
    let name = this.str(v, 'name') ?? this.str(v, 'path') ?? '';
    const flags = this.uint(v, 'flags', 0);
    let dir = this.cwd(t);
    const dfi = this.idx(v, 'dirfd');
    if (dfi >= 0) {
      const dirfd = paramInt(this.src(v), dfi);
      if (dirfd !== AT_FDCWD) {
        const d = this.getFd(t, dirfd);
        dir = d ? d.name : '';
      }
    }
    name = concatenatePaths(dir, name);
    const e = new FdEntry(fd, flags & PPM_O_DIRECTORY ? FdType.DIRECTORY : FdType.FILE);
    e.name = name;
    e.openFlags = flags;
    e.dev = this.uint(v, 'dev', 0);
    e.ino = this.uint(v, 'ino', 0);
    this.fd = this.addFd(t, e);
    this.nameChanged = true;
  }

  private simpleFd(v: EventView, t: Thread, param: string, type: number, name: string): void {
    const fd = this.int(v, param, -1);
    if (fd < 0) return;
    const e = new FdEntry(fd, type);
    e.name = name;
    this.fd = this.addFd(t, e);
  }

  private onSocket(v: EventView, t: Thread): void {
    const fd = this.int(v, 'fd', -1);
    if (fd < 0) return;
    if (!this.enterValid && v.paramIndex('domain') < 0) return;
    const domain = this.uint(v, 'domain', 0);
    const type = this.uint(v, 'type', 0);
    const proto = this.uint(v, 'proto', 0);
    let ft: number;
    if (domain === AF.UNIX) ft = FdType.UNIX_SOCK;
    else if (domain === AF.INET) ft = FdType.IPV4_SOCK;
    else if (domain === AF.INET6) ft = FdType.IPV6_SOCK;
    else if (domain === AF.NETLINK) ft = FdType.NETLINK;
    else return; // sinsp does not track sockets of other families
    const e = new FdEntry(fd, ft);
    if (ft === FdType.IPV4_SOCK || ft === FdType.IPV6_SOCK) {
      e.l4proto = l4FromSocket(type, proto);
      // Not connected yet: both ends are the zero address (which fd.ip / fd.net do compare).
      const zero = ft === FdType.IPV4_SOCK ? '0.0.0.0' : '::';
      e.sip = zero;
      e.dip = zero;
    }
    this.fd = this.addFd(t, e);
  }

  private onBind(v: EventView): void {
    const e = this.fd;
    if (!e || this.int(v, 'res', -1) < 0) return;
    const addr = this.bytes(v, 'addr');
    if (!addr || addr.length === 0) return;
    const fam = addr[0];
    if ((fam === AF.INET && addr.length >= 7) || (fam === AF.INET6 && addr.length >= 19)) {
      const port = fam === AF.INET ? addr[5]! | (addr[6]! << 8) : addr[17]! | (addr[18]! << 8);
      if (port > 0) {
        const s = renderSockaddr(addr);
        const colon = s.lastIndexOf(':');
        const mapped = s.indexOf(':') === colon; // IPv4 or IPv4-mapped: one colon
        e.type = fam === AF.INET || mapped ? FdType.IPV4_SERVSOCK : FdType.IPV6_SERVSOCK;
        e.dip = s.slice(0, colon);
        e.dport = port;
        e.role = Role.SERVER;
      }
    }
    e.name = renderSockaddr(addr);
    this.nameChanged = true;
  }

  private onConnect(v: EventView, t: Thread): void {
    let e = this.fd;
    if (!e) {
      const i = v.paramIndex('fd');
      if (i < 0) return;
      const fd = paramInt(v, i);
      if (fd < 0) return;
      t.lastEventFd = fd;
      e = this.getFd(t, fd);
      if (!e) return;
      this.fd = e;
    }
    // A failed connect (other than one still in progress) leaves the fd as it was.
    const res = this.int(v, 'res', 0);
    if (res < 0 && res !== -115) return;
    e.connected = true;
    const tb = this.bytes(v, 'tuple');
    if (!tb || tb.length === 0) return;
    this.fillClient(e, tb);
    this.nameChanged = true;
  }

  /** sinsp's fill_client_socket_info: a connect makes this fd a client of the tuple's destination. */
  private fillClient(e: FdEntry, tb: Uint8Array): void {
    const tu = decodeTuple(tb);
    if (!tu) return;
    if (tu.family === AF.INET || tu.family === AF.INET6) {
      this.setAddresses(e, tu, true);
      e.name = `${e.sip}:${e.sport}->${e.dip}:${e.dport}`;
    } else {
      e.name = renderTuple(tb);
      e.usrc = tu.usrc;
      e.udst = tu.udst;
    }
    if (e.role === Role.NONE) e.role = Role.CLIENT;
  }

  /**
   * sinsp's set_*_addresses_and_ports: the source is taken from the tuple, the destination only while
   * unknown; the same connection seen from either end changes nothing. A UDP server that sends to a new
   * peer (`outgoing`) keeps itself as the destination (the ends are swapped). Returns whether anything
   * changed.
   */
  private setAddresses(e: FdEntry, tu: Tuple, outgoing: boolean): boolean {
    const type = tu.v4 ? FdType.IPV4_SOCK : FdType.IPV6_SOCK;
    if (e.type === FdType.IPV6_SERVSOCK) {
      // sinsp reads the layer-4 protocol through a union here and finds none (then assumes UDP).
      e.l4proto = L4.UNKNOWN;
    }
    if (e.type === type) {
      if (
        (tu.sip === e.sip && tu.sport === e.sport && tu.dip === e.dip && tu.dport === e.dport) ||
        (tu.dip === e.sip && tu.dport === e.sport && tu.sip === e.dip && tu.sport === e.dport)
      ) {
        return false;
      }
    } else if (e.isServSock) {
      // The server socket's own address is not a peer: the connected socket starts without ends.
      e.dip = '';
      e.dport = 0;
    }
    e.type = type;
    let changed = false;
    if (e.sip !== tu.sip) {
      e.sip = tu.sip;
      changed = true;
    }
    if (e.sport !== tu.sport) {
      e.sport = tu.sport;
      changed = true;
    }
    if (isZeroAddr(e.dip) && e.dip !== tu.dip) {
      e.dip = tu.dip;
      changed = true;
    }
    if (e.dport === 0 && tu.dport !== 0) {
      e.dport = tu.dport;
      changed = true;
    }
    if (outgoing && changed && e.role === Role.SERVER && e.l4proto === L4.UDP) {
      const ip = e.sip;
      const port = e.sport;
      e.sip = e.dip;
      e.sport = e.dport;
      e.dip = ip;
      e.dport = port;
    }
    return changed;
  }

  private onAccept(v: EventView, t: Thread): void {
    const fd = this.int(v, 'fd', -1);
    if (fd < 0) return;
    t.lastEventFd = fd;
    const tb = this.bytes(v, 'tuple');
    if (!tb || tb.length === 0) return;
    const tu = decodeTuple(tb);
    if (!tu) return;
    let e: FdEntry;
    if (tu.family === AF.UNIX) {
      e = new FdEntry(fd, FdType.UNIX_SOCK);
      e.usrc = tu.usrc;
      e.udst = tu.udst;
    } else {
      e = new FdEntry(fd, tu.v4 ? FdType.IPV4_SOCK : FdType.IPV6_SOCK);
      e.sip = tu.sip;
      e.sport = tu.sport;
      e.dip = tu.dip;
      e.dport = tu.dport;
      e.l4proto = L4.TCP;
    }
    e.name = renderTuple(tb);
    e.role = Role.SERVER;
    e.connected = true;
    this.fd = this.addFd(t, e);
    this.nameChanged = true;
  }

  private onDup(v: EventView, t: Thread): void {
    const res = this.int(v, 'res', -1);
    if (res < 0) return;
    let old = -1;
    let i = v.paramIndex('oldfd');
    if (i >= 0) old = paramInt(v, i);
    else {
      i = this.idx(v, 'fd');
      old = i >= 0 ? paramInt(this.src(v), i) : t.lastEventFd;
    }
    const src = this.getFd(t, old);
    if (!src) return;
    // dup2/dup3 onto an open fd replace it; the copy is not close-on-exec (dup3/F_DUPFD_CLOEXEC aside).
    const copy = src.cloneAs(res);
    copy.openFlags &= ~O_CLOEXEC;
    this.fd = this.addFd(t, copy);
  }

  private onPipe(v: EventView, t: Thread): void {
    if (this.int(v, 'res', -1) < 0) return;
    const fd1 = this.int(v, 'fd1', -1);
    const fd2 = this.int(v, 'fd2', -1);
    const ino = this.uint(v, 'ino', 0);
    const flags = this.uint(v, 'flags', 0);
    for (const fd of [fd1, fd2]) {
      if (fd < 0) continue;
      const e = new FdEntry(fd, FdType.FIFO);
      e.ino = ino;
      e.openFlags = flags;
      this.fd = this.addFd(t, e);
    }
  }

  private onSocketpair(v: EventView, t: Thread): void {
    if (this.int(v, 'res', -1) < 0) return;
    const fd1 = this.int(v, 'fd1', -1);
    const fd2 = this.int(v, 'fd2', -1);
    const src = this.idx(v, 'source');
    const usrc = src >= 0 ? this.src(v).paramBigU64(src).toString(16) : '0';
    const dst = this.idx(v, 'peer');
    const udst = dst >= 0 ? this.src(v).paramBigU64(dst).toString(16) : '0';
    for (const fd of [fd1, fd2]) {
      if (fd < 0) continue;
      const e = new FdEntry(fd, FdType.UNIX_SOCK);
      e.usrc = usrc;
      e.udst = udst;
      const added = this.addFd(t, e);
      if (fd === fd1) this.fd = added;
    }
  }

  /**
   * sendto/sendmsg/recvfrom/recvmsg carry a tuple: a socket still without a name, or any non-TCP one,
   * takes its ends from it (sinsp's update_fd in parse_rw_exit), unknown ends are filled in from the
   * network interfaces, and a socket without a role gets one guessed.
   */
  private onIoTuple(v: EventView, t: Thread): void {
    const e = this.fd;
    if (!e || this.int(v, 'res', -1) < 0) return;
    // sendto/sendmsg exits of old captures lack the tuple: their enter event has it.
    const tb = this.bytes(v, 'tuple');
    if (!tb || tb.length === 0) return;
    if (!e.isIp) return;
    // sinsp's is_tcp_socket reads the IPv4 view of the socket union: only IPv4 sockets can say TCP.
    if (e.name !== '' && e.type === FdType.IPV4_SOCK && e.l4proto === L4.TCP) return;
    const tu = decodeTuple(tb);
    if (!tu || tu.family === AF.UNIX) return;
    // A UDP server's reply (a send) names its peer as destination: the ends swap, receives do not.
    const outgoing = v.info?.name === 'sendto' || v.info?.name === 'sendmsg';
    if (!this.setAddresses(e, tu, outgoing)) return;
    if (e.l4proto === L4.UNKNOWN) e.l4proto = L4.UDP;
    this.inferAddresses(e);
    e.name = `${e.sip}:${e.sport}->${e.dip}:${e.dport}`;
    this.nameChanged = true;
    if (e.role === Role.NONE) {
      // sinsp_fdinfo::set_net_role_by_guessing: the process owns the destination port → server.
      e.role = this.isBoundToPort(t, e.dport) ? Role.SERVER : Role.CLIENT;
    }
  }

  private isBoundToPort(t: Thread, port: number): boolean {
    for (const f of this.fdTable(t).fds.values()) if (f.isServSock && f.dport === port) return true;
    return false;
  }

  /** sinsp_network_interfaces::update_fd: an unknown (zero) end is the interface facing the other one. */
  private inferAddresses(e: FdEntry): void {
    const v6 = e.type === FdType.IPV6_SOCK;
    if (!isZeroAddr(e.sip) && !isZeroAddr(e.dip)) return;
    if (isZeroAddr(e.sip)) {
      const a = this.inferAddress(v6, e.dip);
      if (a === undefined || (a === e.dip && e.sport === e.dport)) return;
      e.sip = a;
    } else {
      const a = this.inferAddress(v6, e.sip);
      if (a === undefined || (a === e.sip && e.sport === e.dport)) return;
      e.dip = a;
    }
  }

  /** The interface address for talking to `peer`: itself, one on its subnet, else the first non-loopback. */
  private inferAddress(v6: boolean, peer: string): string | undefined {
    const family = v6 ? 'ipv6' : 'ipv4';
    for (const i of this.interfaces) if (i.family === family && i.addr === peer) return i.addr;
    if (!v6) {
      const p = ipv4Num(peer);
      for (const i of this.interfaces) {
        if (i.family !== 'ipv4') continue;
        const m = ipv4Num(i.netmask);
        if (p !== undefined && m !== undefined && (ipv4Num(i.addr)! & m) === (p & m)) return i.addr;
      }
    }
    for (const i of this.interfaces) {
      if (i.family !== family) continue;
      if (v6 ? i.addr === '::1' : i.addr.startsWith('127.')) continue;
      return i.addr;
    }
    return undefined;
  }

  private onClone(v: EventView, caller: Thread | undefined): void {
    const res = this.int(v, 'res', -1);
    if (res < 0) return;
    const tid = v.tid;
    const flags = this.uint(v, 'flags', 0);
    const childTid = res === 0 ? tid : res;
    if (res === 0) {
      // The child's own clone exit: create it only when the parent's exit did not already.
      const existing = this.threads.get(tid);
      if (existing && existing.comm !== '<NA>') {
        this.thread = existing;
        return;
      }
    } else {
      if (this.threads.has(childTid)) {
        const existing = this.threads.get(childTid)!;
        if (existing.comm !== '<NA>') return; // the child's event came first
      }
      // In a pid namespace clone returns the child's namespaced tid: the child is created by its own
      // clone exit instead (sinsp does the same).
      const ptid = this.int(v, 'tid', tid);
      const pvtid = this.int(v, 'vtid', ptid);
      if (pvtid !== ptid) return;
    }
    const pid = this.int(v, 'pid', childTid);
    const ptidParam = this.int(v, 'ptid', -1);
    const parentTid = res === 0 ? ptidParam : tid;
    // What the child inherits comes from its process for a thread, else from the parent process.
    const parent =
      res !== 0 ? caller : flags & CL.CLONE_THREAD ? this.threads.get(pid) : this.threads.get(parentTid);
    const c = new Thread(childTid, flags & CL.CLONE_THREAD ? pid : childTid);
    if (res === 0) c.pid = pid;
    c.flags = flags;
    // A thread's parent is the thread that created it (its process's parent is the main thread's ptid);
    // seen from the child's side the creator is unknown and sinsp links the thread to its process.
    c.ptid = flags & CL.CLONE_THREAD ? (res === 0 ? c.pid : tid) : parentTid;
    c.comm = this.str(v, 'comm') ?? parent?.comm ?? this.str(v, 'exe') ?? '';
    c.exe = this.str(v, 'exe') ?? parent?.exe ?? '';
    c.exepath = parent?.exepath ?? '';
    const args = this.bytes(v, 'args');
    c.args = args ? splitNulList(args) : (parent?.args ?? []);
    c.env = parent?.env ?? [];
    c.cwd = parent ? this.cwd(parent) : (this.str(v, 'cwd') ?? '');
    c.fdlimit = this.int(v, 'fdlimit', parent?.fdlimit ?? -1);
    c.uid = this.uint(v, 'uid', parent?.uid ?? NO_ID);
    c.gid = this.uint(v, 'gid', parent?.gid ?? NO_ID);
    // sinsp leaves the audit uid of a thread created without a known parent at 0.
    c.loginuid = parent?.loginuid ?? 0;
    // On the parent's side the event's vtid/vpid are the caller's: the child's own are its ids.
    c.vtid = res === 0 ? this.int(v, 'vtid', childTid) : childTid;
    c.vpid =
      res === 0
        ? this.int(v, 'vpid', c.pid)
        : flags & CL.CLONE_THREAD
          ? this.int(v, 'vpid', c.pid)
          : childTid;
    c.sid = parent?.sid ?? -1;
    c.vpgid = parent?.vpgid ?? -1;
    c.pgid = parent?.pgid ?? -1;
    c.tty = parent?.tty ?? 0;
    c.root = parent?.root ?? '';
    const cg = this.bytes(v, 'cgroups');
    c.cgroups = cg ? normalizeCgroups(splitNulList(cg)) : (parent?.cgroups ?? []);
    c.containerId = cg ? this.containerIdOf(c.cgroups) : (parent?.containerId ?? '');
    c.pfMajor = this.uint(v, 'pgft_maj', 0);
    c.pfMinor = this.uint(v, 'pgft_min', 0);
    c.vmsizeKb = this.uint(v, 'vm_size', 0);
    c.vmrssKb = this.uint(v, 'vm_rss', 0);
    c.vmswapKb = this.uint(v, 'vm_swap', 0);
    // fds: threads share their process's table; processes get a copy of the parent's.
    if (!(flags & CL.CLONE_FILES) && parent) c.ownFds = this.fdTable(parent).copy();
    if (flags & CL.CLONE_FILES && !(flags & CL.CLONE_THREAD) && parent) c.ownFds = this.fdTable(parent);
    if (parent) inheritExecFacts(c, parent);
    c.cloneTsHi = v.tsHi;
    c.cloneTsLo = v.tsLo;
    this.threads.set(childTid, c);
    if (res === 0) this.thread = c;
    // A thread whose process is unknown gets a main thread made from what the thread knows (sinsp's
    // create_thread_dependencies), so that pid=… resolves and the process has an fd table.
    if (flags & CL.CLONE_THREAD && !this.threads.has(c.pid)) {
      const m = new Thread(c.pid, c.pid);
      m.comm = c.comm;
      m.exe = c.exe;
      m.exepath = c.exepath;
      m.args = c.args;
      m.env = c.env;
      m.cwd = c.cwd;
      m.uid = c.uid;
      m.gid = c.gid;
      m.loginuid = c.loginuid;
      m.vtid = c.vpid;
      m.vpid = c.vpid;
      m.cgroups = c.cgroups;
      m.containerId = c.containerId;
      m.nchilds = 1;
      this.threads.set(m.tid, m);
    } else if (flags & CL.CLONE_THREAD) {
      // nchilds counts the threads a thread created (proc.nthreads is the main thread's + 1).
      const creator = this.threads.get(c.ptid);
      if (creator) creator.nchilds++;
    }
  }

  private onExecve(v: EventView, t: Thread): void {
    if (this.int(v, 'res', -1) < 0) return;
    const exe = this.str(v, 'exe');
    if (exe !== undefined) t.exe = exe;
    const args = this.bytes(v, 'args');
    if (args) t.args = splitNulList(args);
    const comm = this.str(v, 'comm');
    t.comm = comm ?? (exe !== undefined ? basename(exe) : t.comm);
    const pid = this.int(v, 'pid', t.pid);
    t.pid = pid;
    const ptid = this.int(v, 'ptid', t.ptid);
    t.ptid = ptid;
    const fdl = this.idx(v, 'fdlimit');
    if (fdl >= 0) t.fdlimit = paramInt(this.src(v), fdl);
    const env = this.bytes(v, 'env');
    if (env) t.env = splitNulList(env).filter((s) => s !== '');
    const cg = this.bytes(v, 'cgroups');
    if (cg) {
      t.cgroups = normalizeCgroups(splitNulList(cg));
      t.containerId = this.containerIdOf(t.cgroups);
    }
    const tty = this.idx(v, 'tty');
    if (tty >= 0) t.tty = paramInt(this.src(v), tty);
    const lu = this.idx(v, 'loginuid');
    if (lu >= 0) t.loginuid = paramUint(this.src(v), lu);
    const uid = this.idx(v, 'uid');
    if (uid >= 0) t.uid = paramUint(this.src(v), uid);
    const gid = this.idx(v, 'gid');
    if (gid >= 0) t.gid = paramUint(this.src(v), gid);
    const vpgid = this.idx(v, 'vpgid');
    if (vpgid >= 0) t.vpgid = paramInt(this.src(v), vpgid);
    const pgid = this.idx(v, 'pgid');
    if (pgid >= 0) t.pgid = paramInt(this.src(v), pgid);
    const tp = this.str(v, 'trusted_exepath');
    t.exepath = tp ?? this.str(v, 'filename') ?? t.exepath;
    t.vmsizeKb = this.uint(v, 'vm_size', t.vmsizeKb);
    t.vmrssKb = this.uint(v, 'vm_rss', t.vmrssKb);
    t.vmswapKb = this.uint(v, 'vm_swap', t.vmswapKb);
    this.execFacts(v, t);
    // Close-on-exec fds are gone after a successful exec.
    const table = this.fdTable(t);
    for (const [fd, e] of table.fds) if (e.openFlags & O_CLOEXEC) table.delete(fd);
  }

  /** The new image's executable (flags, inode, times) and capabilities, from layouts that carry them. */
  private execFacts(v: EventView, t: Thread): void {
    const src = this.src(v);
    const f = this.idx(v, 'flags');
    if (f >= 0) {
      const flags = paramUint(src, f);
      t.exeWritable = (flags & EXE_FLAG.WRITABLE) !== 0;
      t.exeUpperLayer = (flags & EXE_FLAG.UPPER_LAYER) !== 0;
      t.exeLowerLayer = (flags & EXE_FLAG.LOWER_LAYER) !== 0;
      t.exeFromMemfd = (flags & EXE_FLAG.FROM_MEMFD) !== 0;
    }
    const caps = ['cap_inheritable', 'cap_permitted', 'cap_effective'] as const;
    for (const name of caps) {
      const i = this.idx(v, name);
      if (i < 0) continue;
      const val = src.paramBigU64(i);
      if (name === 'cap_inheritable') t.capInheritable = val;
      else if (name === 'cap_permitted') t.capPermitted = val;
      else t.capEffective = val;
    }
    const ino = this.idx(v, 'exe_ino');
    if (ino >= 0) t.exeIno = Number(src.paramBigU64(ino));
    const ct = this.idx(v, 'exe_ino_ctime');
    if (ct >= 0) t.exeInoCtime = src.paramBigU64(ct);
    const mt = this.idx(v, 'exe_ino_mtime');
    if (mt >= 0) t.exeInoMtime = src.paramBigU64(mt);
  }

  /**
   * The container the cgroups name ('' for the host). One not described yet gets the record its cgroup
   * tells (id, full id, runtime), as sinsp makes one for each container id it finds: container.type and
   * -c lscontainers know it before its container event.
   */
  private containerIdOf(cgroups: readonly string[]): string {
    const ref = containerIdFromCgroups(cgroups);
    if (!ref) return '';
    if (!this.containers.has(ref.id)) this.containers.set(ref.id, cgroupContainer(ref));
    return ref.id;
  }

  private onContainerJson(v: EventView): void {
    const json = this.str(v, 'json');
    const info = json === undefined ? undefined : containerFromSysdigJson(json);
    if (!info) return;
    this.containers.set(info.id, info);
    if (v.tid === -1 || v.tid === 0xffffffff) this.thread = this.containerThread(info.id);
  }

  private onContainerOld(v: EventView): void {
    const id = this.str(v, 'id');
    if (id === undefined) return;
    const info = containerFromOldEvent(
      id,
      this.uint(v, 'type', 0),
      this.str(v, 'name') ?? '',
      this.str(v, 'image') ?? '',
    );
    this.containers.set(id, info);
  }

  /** sinsp shows container events on a made-up thread named after the container. */
  private containerThread(id: string): Thread {
    const t = new Thread(-1, -1);
    t.ptid = 0;
    t.comm = `container:${id}`;
    t.exe = '';
    t.uid = 0;
    t.gid = 0;
    t.containerId = id;
    return t;
  }

  private onUser(v: EventView, added: boolean): void {
    const uid = this.uint(v, 'uid', NO_ID);
    const container = this.str(v, 'container_id') ?? '';
    if (container !== '') return;
    if (!added) {
      this.users.delete(uid);
      return;
    }
    this.users.set(uid, {
      uid,
      gid: this.uint(v, 'gid', NO_ID),
      name: this.str(v, 'name') ?? '',
      homedir: this.str(v, 'home') ?? '',
      shell: this.str(v, 'shell') ?? '',
    });
  }

  private onGroup(v: EventView, added: boolean): void {
    const gid = this.uint(v, 'gid', NO_ID);
    const container = this.str(v, 'container_id') ?? '';
    if (container !== '') return;
    if (!added) {
      this.groups.delete(gid);
      return;
    }
    this.groups.set(gid, { gid, name: this.str(v, 'name') ?? '' });
  }
}

function isZeroAddr(ip: string): boolean {
  return ip === '' || ip === '0.0.0.0' || ip === '::';
}

function ipv4Num(ip: string): number | undefined {
  const p = ip.split('.');
  if (p.length !== 4) return undefined;
  return ((Number(p[0]) << 24) | (Number(p[1]) << 16) | (Number(p[2]) << 8) | Number(p[3])) >>> 0;
}

function basename(p: string): string {
  const i = p.lastIndexOf('/');
  return i >= 0 ? p.slice(i + 1) : p;
}

function l4FromSocket(type: number, proto: number): number {
  const raw = (type & 0xff) === SOCK_RAW;
  switch (proto) {
    case IPPROTO_TCP:
      return raw ? L4.RAW : L4.TCP;
    case IPPROTO_UDP:
      return raw ? L4.RAW : L4.UDP;
    case IPPROTO_IP:
      if ((type & 0xff) === SOCK_STREAM) return L4.TCP;
      if ((type & 0xff) === SOCK_DGRAM) return L4.UDP;
      return L4.UNKNOWN;
    case IPPROTO_ICMP:
      return raw ? L4.RAW : L4.ICMP;
    case IPPROTO_RAW:
      return L4.RAW;
    default:
      return L4.UNKNOWN;
  }
}
