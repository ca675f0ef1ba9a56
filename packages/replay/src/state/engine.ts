// StateEngine: rebuilds the thread, process, fd, user, group and container tables from a metadata
// snapshot and from the events themselves, the way libsinsp's parser does, so that fields can answer
// proc.*, fd.*, user.* and container.* for every event. The engine owns the tables and the per-event
// cursor (the event's thread, its fd, the enter event an exit pairs with); what each event does to the
// tables is written in the handler modules (handlers/: processes, fds, sockets, identity), registered per
// event name in one table (handlers/index.ts). It works by event *name* and parameter *name* (old captures
// keep their old event ids), and falls back on the thread's last enter event for what an old exit event
// lacks. Per event it does a Map lookup or two and, for the events that change state, decodes the few
// parameters that matter.
import {
  type CaptureMetadata,
  type ContainerInfo,
  cgroupContainer,
  containerIdFromCgroups,
  EF,
  EVENT_MAX,
  EVENTS,
  EventView,
  eventTypeTable,
  type FdInfo,
  FdType,
  type GroupInfo,
  type InterfaceInfo,
  type MachineInfo,
  PT,
  paramInt,
  paramUint,
  type ThreadInfo,
  type UserInfo,
} from '@scapkit/scap-format';
import { FLAGS, isOldLayoutIn, layoutTables, reportsVm } from './event-facts.js';
import { FdEntry, type FdTable, Role } from './fd.js';
import { type EventHandler, handlerTables } from './handlers/index.js';
import { ParamReader, type ParamSlot, paramSlot, slotIndex } from './param-slots.js';
import { AT_FDCWD, concatenatePaths, PathNames } from './paths.js';
import { CL, Thread, ThreadTable } from './thread.js';

const TWO32 = 4294967296;
/**
 * What the pairing does with the event's fd: nothing (nobody reads it), put it on the cursor for fields to
 * read, or for a handler to change (FdTable.own: a fork's shared entry is copied first).
 */
const FD_NONE = 0;
const FD_READ = 1;
const FD_OWN = 2;
type FdUse = typeof FD_NONE | typeof FD_READ | typeof FD_OWN;
/** Entries of closed fds kept for new ones (see StateEngine.newFd). */
const SPARE_FDS = 256;

const FD = paramSlot('fd');
const OLDFD = paramSlot('oldfd');
const VM_SIZE = paramSlot('vm_size');
const VM_RSS = paramSlot('vm_rss');
const VM_SWAP = paramSlot('vm_swap');
const PGFT_MAJ = paramSlot('pgft_maj');
const PGFT_MIN = paramSlot('pgft_min');

export class StateEngine {
  readonly threads = new ThreadTable();
  readonly users = new Map<number, UserInfo>();
  readonly groups = new Map<number, GroupInfo>();
  readonly containers = new Map<string, ContainerInfo>();
  interfaces: InterfaceInfo[] = [];
  machine: MachineInfo | undefined;
  /** The full paths open and its family name their fds with, kept by the bytes of the event's path. */
  readonly pathNames = new PathNames();

  // -- the per-event cursor: what fields read about the current event ---------------------------------

  /** The current event's thread (sinsp's evt->m_tinfo); undefined when it has none. */
  thread: Thread | undefined;
  /** The fd the current event is about (sinsp's evt->m_fdinfo). */
  fd: FdEntry | undefined;
  /** Whether the thread's stored enter event is the one matching the current exit event. */
  enterValid = false;
  /** ns between the matching enter event and this exit event (0 for enter events). */
  latency = -0; // a double from the start (see Thread); the constructor makes it +0
  /** EF_* flags of the current event (sysdig 0.29.3's where it knew the event). */
  flags = 0;
  /** Whether the current event gave its fd a new name (fd.name_changed). */
  nameChanged = false;

  /** The view on stored enter events; `enterEvent()` positions it. */
  private readonly enter = new EventView();
  /** Whether `enter` is on the current exit's enter event (positioned only when a parameter needs it). */
  private enterPositioned = false;
  /** The thread whose stored enter event matches the current exit event. */
  private enterThread: Thread | undefined;
  /** Whether the parameter idx() found last came from the enter event. */
  private fromEnter = false;
  /** Reads the one parameter the loop and int()/uint() want of an event, without locating the others. */
  private readonly param = new ParamReader();
  // The per-event-id tables the loop reads (made by the first engine, not at import).
  private readonly handlers: readonly (EventHandler | undefined)[];
  private readonly needsThread: Uint8Array;
  private readonly changesFd: Uint8Array;
  private readonly isSwitch: Uint8Array;
  private readonly isClone: Uint8Array;
  /** pairingOnlyTypes(): 1 for the exits update() only pairs. */
  private readonly pairingOnly: Uint8Array;
  /** reportsVm() and isOldLayoutOf()'s tables (event-facts.ts). */
  private readonly reportsVm: Uint8Array;
  private readonly oldParams: Int16Array;

  /** A DataView on the bytes of the current batch (made when the batch changes). */
  private viewData: Uint8Array = new Uint8Array(0);
  private dataView: DataView = new DataView(this.viewData.buffer);

  /** The name of the last directory fd atDirectory() was asked for, and that name with its '/'. */
  private dirName = '';
  private dirPath = '/';

  /**
   * Entries of fds a close removed, handed out again by newFd: traces open and close files by the
   * hundred thousand, and an entry allocated per open was most of what the state engine allocated. An
   * entry is valid while its fd is open (`fd` is, during its event).
   */
  private readonly spareFds: FdEntry[] = [];

  /**
   * Between beginBatch() and endBatch(): enter events stay where they are in the batch (Thread.referEnter)
   * and these threads' are copied out at its end.
   */
  private inBatch = false;
  private readonly entersInBatch: Thread[] = [];

  /** Removals deferred until the current event has been shown (sinsp does the same). */
  private fdToRemoveTid = -1;
  private fdToRemove = -1;
  private tidToRemove = -1;

  constructor() {
    this.latency = 0;
    const { handlers, needsThread, changesFd } = handlerTables();
    this.handlers = handlers;
    this.needsThread = needsThread;
    this.changesFd = changesFd;
    const { isSwitch, isClone } = loopTables();
    this.isSwitch = isSwitch;
    this.isClone = isClone;
    this.pairingOnly = pairingOnlyTypes();
    const { reports, old } = layoutTables();
    this.reportsVm = reports;
    this.oldParams = old;
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
        // sinsp keeps working directories with a trailing slash; one the scan could not read is '/'.
        if (!t.cwd.endsWith('/')) t.cwd += '/';
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
        if (t.ownFds.size > 0) {
          const list: FdInfo[] = [];
          for (const e of t.ownFds.values()) list.push(e.toInfo());
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
      for (const e of t.ownFds.values()) if (e.isServSock) serverPorts.add(e.dport);
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

  // -- the tables as handlers and fields see them ---------------------------------------------------

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

  /** getFd() of an entry a handler changes (FdTable.own: its own copy when another table holds it too). */
  ownFd(t: Thread, fd: number): FdEntry | undefined {
    return this.fdTable(t).own(fd);
  }

  /** The working directory of `t` (kept by the main thread: threads share it). */
  cwd(t: Thread): string {
    if (t.isMainThread) return t.cwd;
    const m = this.threads.get(t.pid);
    return m ? m.cwd : t.cwd;
  }

  /**
   * The directory a path relative to `dirfd` starts from (sinsp's parse_dirfd): the working directory for
   * AT_FDCWD, the fd's name and a '/', or "<UNKNOWN>" for an fd the tables do not know.
   */
  atDirectory(t: Thread, dirfd: number): string {
    if (dirfd === AT_FDCWD) return this.cwd(t);
    const d = this.getFd(t, dirfd);
    if (!d) return '<UNKNOWN>';
    // Walks open one directory's entries through the same dirfd: its name is made (and flattened, so that
    // comparing it is cheap) once, not once per open.
    if (d.name !== this.dirName) {
      this.dirName = d.name;
      this.dirPath = `${d.name}/`;
      this.dirPath.charCodeAt(0);
    }
    return this.dirPath;
  }

  /**
   * The enter event matching the current exit event, or undefined. Positioned on first use: most exit
   * events never need it.
   */
  enterEvent(): EventView | undefined {
    const t = this.enterThread;
    if (!this.enterValid || !t) return undefined;
    if (!this.enterPositioned) {
      this.enter.atOffset(t.enterBuf, t.enterAt + 4);
      this.enterPositioned = true;
    }
    return this.enter;
  }

  // -- the event loop ---------------------------------------------------------------------------------

  /**
   * The events until endBatch() are all of one batch, whose bytes stay as they are until then: the
   * threads' enter events are kept there, not copied each (the Pipeline brackets each batch).
   */
  beginBatch(): void {
    this.inBatch = true;
  }

  /** The batch's bytes are about to go: the enter events kept in them are copied into their threads. */
  endBatch(): void {
    for (const t of this.entersInBatch) t.keepEnter(this.viewOf(t.enterBuf));
    this.entersInBatch.length = 0;
    this.inBatch = false;
    // enterEvent() after the batch positions its view on the copy, not on the batch's bytes.
    this.enterPositioned = false;
  }

  /**
   * Updates state with one event. What the event closes or ends (an fd, a thread) is removed at the start
   * of the next event, as sinsp does, so the event itself still shows it.
   */
  process(v: EventView): void {
    this.step(v, true);
  }

  /**
   * process() for an event whose fields nobody reads (the pipeline's state-only path): the tables change
   * exactly as process() changes them, but the cursor's `fd` is left unset for an event that changes no
   * table (its handler would read it), which saves the fd table lookup of most reads and writes.
   */
  update(v: EventView): void {
    const type = v.type;
    // Most events of a trace are exits that change no table (generic system calls, reads, writes): the
    // thread's pairing with its enter event is all they do.
    if (this.pairingOnly[type] === 1) {
      if (this.fdToRemove >= 0 || this.tidToRemove >= 0) this.applyRemovals();
      const t = this.threads.lookup(v.tid);
      if (t !== undefined) {
        // Stored only when it changes: storing an object runs V8's write barrier, whose slow path (the
        // incremental marker's) was 1.7% of the main thread's samples here (perf).
        if (this.thread !== t) this.thread = t;
        this.fd = undefined;
        this.enterValid = false;
        this.enterPositioned = false;
        this.nameChanged = false;
        const flags = FLAGS[type] ?? 0;
        this.flags = flags;
        this.pairExit(v, t, type, flags, FD_NONE, false);
        return;
      }
    }
    this.step(v, false);
  }

  private step(v: EventView, cursor: boolean): void {
    // Removals scheduled by the previous event (close, procexit) happen first, as in sinsp.
    if (this.fdToRemove >= 0 || this.tidToRemove >= 0) this.applyRemovals();
    const type = v.type;
    const known = type < EVENT_MAX;
    const flags = FLAGS[type] ?? 0;
    this.flags = flags;
    this.fd = undefined;
    this.enterValid = false;
    this.latency = 0;
    this.nameChanged = false;
    this.enterPositioned = false;
    const tid = v.tid;
    let t = this.threads.lookup(tid);

    // Scheduler switches and internal events are seen but leave the thread's enter/exit pairing alone
    // (sinsp's reset() returns before it for both).
    if (flags & EF.SKIPPARSERESET || (known && this.isSwitch[type] === 1)) {
      this.thread = t;
      // A switch reports the page faults of the thread leaving the CPU and the memory of its process:
      // sinsp keeps the first on the thread, the second on the process's main thread.
      if (t && known && this.isSwitch[type] === 1) {
        this.updatePageFaults(v, t);
        const m = this.mainThread(t);
        if (m) this.updateVm(v, m);
      }
      return;
    }
    const handler = known ? this.handlers[type] : undefined;
    if (!t && tid > 0 && !(known && this.isClone[type] === 1)) {
      // sinsp creates an entry for a thread it meets for the first time, with unknown identity.
      t = new Thread(tid);
      t.comm = '<NA>';
      t.exe = '<NA>';
      this.threads.set(tid, t);
    }
    if (this.thread !== t) this.thread = t;
    if (t) {
      // Handlers change the event's fd: one the table shares with another (a fork's) becomes its own.
      const fdUse =
        handler !== undefined && this.changesFd[type] === 1
          ? FD_OWN
          : handler !== undefined || cursor
            ? FD_READ
            : FD_NONE;
      if ((type & 1) === 0) this.pairEnter(v, t, type, flags, fdUse, cursor);
      else this.pairExit(v, t, type, flags, fdUse, cursor);
    }
    if (handler !== undefined && (t !== undefined || this.needsThread[type] === 0))
      handler(this, v, t as Thread);
    // brk, mmap, munmap … report the memory of the process after the call.
    if (t && (type & 1) === 1 && known && this.reportsVm[type] === 1 && this.isClone[type] !== 1) {
      this.updateVm(v, t);
      this.updatePageFaults(v, t);
    }
  }

  /** A DataView on `data` (the one made for the previous event's batch when it is the same). */
  private viewOf(data: Uint8Array): DataView {
    if (data !== this.viewData) {
      this.viewData = data;
      this.dataView = new DataView(data.buffer, data.byteOffset, data.byteLength);
    }
    return this.dataView;
  }

  /**
   * An enter event: stored for its exit, and its fd is the thread's last fd (the cursor's, `fdUse`).
   * `located`: fields will read the event's parameters (EventView locates them all once), else the fd is
   * read alone (ParamReader).
   */
  private pairEnter(
    v: EventView,
    t: Thread,
    type: number,
    flags: number,
    fdUse: FdUse,
    located: boolean,
  ): void {
    t.lastEventFd = -1;
    t.latency = 0;
    if (this.inBatch) {
      if (!t.enterInBatch) this.entersInBatch.push(t);
      t.referEnter(v.data, v.off, v.len, type, v.tsHi, v.tsLo);
    } else t.storeEnter(this.viewOf(v.data), v.off, v.len, type, v.tsHi, v.tsLo);
    if (flags & EF.USES_FD) {
      let fd: number | undefined;
      if (located) {
        const i = slotIndex(v, FD);
        if (i >= 0) fd = paramInt(v, i);
      } else if (this.param.find(v, FD)) fd = this.param.int();
      // An enter event of an old layout whose fd is not named `fd`: its first parameter, when an fd.
      if (fd === undefined && v.paramCount() > 0 && v.info?.params[0]?.type === PT.FD) fd = paramInt(v, 0);
      if (fd !== undefined) {
        t.lastEventFd = fd;
        if (fdUse !== FD_NONE) this.cursorFd(t, fd, fdUse);
      }
    }
  }

  /**
   * An exit event: paired with the thread's stored enter event when it is its own, for latency and fd (the
   * cursor's, `fdUse`); `located` as for pairEnter.
   */
  private pairExit(
    v: EventView,
    t: Thread,
    type: number,
    flags: number,
    fdUse: FdUse,
    located: boolean,
  ): void {
    const oldLayout = isOldLayoutIn(this.oldParams, type, v.nparams);
    if (t.enterType === type - 1) {
      this.enterValid = true;
      if (this.enterThread !== t) this.enterThread = t;
    }
    if (this.enterValid || (oldLayout && t.enterType >= 0)) {
      // sinsp 0.29.3 measures from the thread's last enter event, whichever it was; an exit in a current
      // layout (most have no enter event) only from its own.
      t.latency = (v.tsHi - t.enterTsHi) * TWO32 + (v.tsLo - t.enterTsLo);
    } else if (!oldLayout) {
      t.latency = 0;
    }
    this.latency = t.latency;
    if (flags & EF.USES_FD) {
      // Current layouts carry the fd on the exit event (the probe records no enter event for most
      // syscalls): it is the fd of the event, whatever enter event the thread last stored. Old layouts
      // have it on the enter event, which must then match; sysdig 0.29.3 took it from there even for the
      // two exits that also carried it (setsockopt, getsockopt: -1, their enter has none).
      // dup2 and dup3 name the fd they copy `oldfd`, as their enter events did.
      let has: boolean;
      let fd = -1;
      if (located) {
        let i = slotIndex(v, FD);
        if (i < 0) i = slotIndex(v, OLDFD);
        has = i >= 0;
        if (has) fd = paramInt(v, i);
      } else {
        const param = this.param;
        has = param.find(v, FD) || param.find(v, OLDFD);
        if (has) fd = param.int();
      }
      if (has && (!oldLayout || !this.enterValid)) t.lastEventFd = fd;
      else if (!has && !this.enterValid && !oldLayout) {
        // A current-layout exit without its fd and without its enter event: the thread's last fd belongs
        // to some earlier event, and current libs do not trust it either.
        t.lastEventFd = -1;
      }
      if (fdUse !== FD_NONE && (has || this.enterValid)) this.cursorFd(t, t.lastEventFd, fdUse);
    }
  }

  /** Sets the cursor's fd: `fd` of `t`'s table, read or owned (see FdUse). */
  private cursorFd(t: Thread, fd: number, fdUse: FdUse): void {
    this.fd = fdUse === FD_OWN ? this.ownFd(t, fd) : this.getFd(t, fd);
  }

  /** Memory of the process as the event reports it (kB). */
  updateVm(v: EventView, t: Thread): void {
    const param = this.param;
    if (param.find(v, VM_SIZE)) t.vmsizeKb = param.uint();
    if (param.find(v, VM_RSS)) t.vmrssKb = param.uint();
    if (param.find(v, VM_SWAP)) t.vmswapKb = param.uint();
  }

  private updatePageFaults(v: EventView, t: Thread): void {
    const param = this.param;
    if (param.find(v, PGFT_MAJ)) t.pfMajor = param.uint();
    if (param.find(v, PGFT_MIN)) t.pfMinor = param.uint();
  }

  // -- what handlers do to the tables ----------------------------------------------------------------

  /** A new entry for `fd` of `type`, to add with addFd (a closed fd's entry, reset, when there is one). */
  newFd(fd: number, type: number): FdEntry {
    const e = this.spareFds.pop();
    if (e === undefined) return new FdEntry(fd, type);
    e.reset(fd, type);
    return e;
  }

  /** Adds `e` to `t`'s table as the event's fd (a pending close of the same number is cancelled). */
  addFd(t: Thread, e: FdEntry): FdEntry {
    this.fdTable(t).set(e);
    t.lastEventFd = e.fd;
    // sinsp's close-cancel: a close of the same number pending removal is cancelled by the new fd.
    if (this.fdToRemove === e.fd && this.fdToRemoveTid === t.tid) this.fdToRemove = -1;
    this.fd = e;
    return e;
  }

  /** Removes `fd` from `t`'s table once the current event has been shown. */
  removeFdAfterEvent(t: Thread, fd: number): void {
    this.fdToRemoveTid = t.tid;
    this.fdToRemove = fd;
  }

  /** Removes `t` once the current event has been shown. */
  removeThreadAfterEvent(t: Thread): void {
    t.exited = true;
    this.tidToRemove = t.tid;
  }

  /** Changes the process's working directory (threads share it) to `path`, relative to the current one. */
  setCwd(t: Thread, path: string): void {
    const m = this.mainThread(t) ?? t;
    let cwd = concatenatePaths(this.cwd(t), path);
    if (!cwd.endsWith('/')) cwd += '/';
    m.cwd = cwd;
    if (m !== t) t.cwd = cwd;
  }

  private applyRemovals(): void {
    if (this.fdToRemove >= 0) {
      // lookup(): the event after a close is mostly its thread's, whose lookup then hits the cache.
      const t = this.threads.lookup(this.fdToRemoveTid);
      const e = t ? this.fdTable(t).delete(this.fdToRemove) : undefined;
      // Nothing holds a closed fd's entry by now (the event that closed it was the last to show it) unless
      // another table still does (a fork's).
      if (e !== undefined && e.tables === 0 && this.spareFds.length < SPARE_FDS) this.spareFds.push(e);
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

  // -- parameters of the current event, with the enter-event fallback --------------------------------

  /** Index of `p` in the current exit event, else in its enter event (then src() is the enter), else -1. */
  idx(v: EventView, p: ParamSlot): number {
    const i = slotIndex(v, p);
    if (i >= 0) {
      this.fromEnter = false;
      return i;
    }
    return this.enterIdx(p);
  }
  /** idx() once the event itself has no `p`: its index in the enter event, or -1. */
  private enterIdx(p: ParamSlot): number {
    const enter = this.enterEvent();
    if (enter) {
      const i = slotIndex(enter, p);
      if (i >= 0) {
        this.fromEnter = true;
        return i;
      }
    }
    return -1;
  }
  /** The event the last idx() found its parameter in. */
  src(v: EventView): EventView {
    return this.fromEnter ? this.enter : v;
  }
  // These two look in the event itself without a call to idx() (current layouts carry every parameter on
  // the exit event; they run several times for each event that changes a table), then where idx() would.
  int(v: EventView, p: ParamSlot, dflt: number): number {
    if (this.param.find(v, p)) {
      this.fromEnter = false;
      return this.param.int();
    }
    const i = this.enterIdx(p);
    return i < 0 ? dflt : paramInt(this.src(v), i);
  }
  uint(v: EventView, p: ParamSlot, dflt: number): number {
    if (this.param.find(v, p)) {
      this.fromEnter = false;
      return this.param.uint();
    }
    const i = this.enterIdx(p);
    return i < 0 ? dflt : paramUint(this.src(v), i);
  }
  // These two read a parameter by its index in the located event (EventView locates every parameter once),
  // with the enter-event fallback of idx(): for a handler that reads several parameters of one event (an
  // open reads six), where int()/uint() would sum the lengths before each one anew.
  locatedInt(v: EventView, p: ParamSlot, dflt: number): number {
    const i = this.idx(v, p);
    return i < 0 ? dflt : paramInt(this.src(v), i);
  }
  locatedUint(v: EventView, p: ParamSlot, dflt: number): number {
    const i = this.idx(v, p);
    return i < 0 ? dflt : paramUint(this.src(v), i);
  }
  /** A 64-bit unsigned parameter; undefined when absent. */
  u64(v: EventView, p: ParamSlot): bigint | undefined {
    const i = this.idx(v, p);
    return i < 0 ? undefined : this.src(v).paramBigU64(i);
  }
  /** A string parameter; undefined when absent or empty. */
  str(v: EventView, p: ParamSlot): string | undefined {
    const i = this.idx(v, p);
    if (i < 0) return undefined;
    const s = this.src(v);
    return s.paramLength(i) === 0 ? undefined : s.paramString(i);
  }
  /**
   * The container the cgroups name ('' for the host). One not described yet gets the record its cgroup
   * tells (id, full id, runtime), as sinsp makes one for each container id it finds: container.type and
   * -c lscontainers know it before its container event.
   */
  containerIdOf(cgroups: readonly string[]): string {
    const ref = containerIdFromCgroups(cgroups);
    if (!ref) return '';
    if (!this.containers.has(ref.id)) this.containers.set(ref.id, cgroupContainer(ref));
    return ref.id;
  }
  /**
   * Names `e` with a path parameter joined to `dir` (concatenatePaths, through pathNames), made when the
   * name is first read: most fds an open makes are closed before anything asks. False, and `e` unnamed,
   * when the parameter is absent or empty.
   */
  setPathName(e: FdEntry, v: EventView, p: ParamSlot, dir: string): boolean {
    const i = this.idx(v, p);
    if (i < 0) return false;
    const s = this.src(v);
    const len = s.paramLength(i);
    if (len === 0) return false;
    const names = this.pathNames;
    const at = names.keep(s, i);
    e.setPathName(names, dir, names.keptBytes, at, len);
    return true;
  }
  bytes(v: EventView, p: ParamSlot): Uint8Array | undefined {
    const i = this.idx(v, p);
    return i < 0 ? undefined : this.src(v).paramBytes(i);
  }
}

/**
 * Per event id: 1 for the exits step() only pairs with their enter event (no handler, no memory report,
 * not skipped, not a switch, not a clone), which update() pairs directly.
 */
const pairingOnlyTypes = eventTypeTable(() => {
  const { handlers } = handlerTables();
  const { isSwitch, isClone } = loopTables();
  const only = new Uint8Array(EVENT_MAX);
  for (let id = 1; id < EVENT_MAX; id += 2) {
    const skipped = ((FLAGS[id] ?? 0) & EF.SKIPPARSERESET) !== 0;
    if (handlers[id] === undefined && !skipped && isSwitch[id] !== 1 && isClone[id] !== 1 && !reportsVm(id))
      only[id] = 1;
  }
  return only;
});

// Events the loop itself treats apart: a scheduler switch (no pairing), a clone exit (creates its thread).
const loopTables = eventTypeTable(() => {
  const isSwitch = new Uint8Array(EVENT_MAX);
  const isClone = new Uint8Array(EVENT_MAX);
  for (let id = 0; id < EVENT_MAX; id++) {
    const e = EVENTS[id];
    if (!e) continue;
    if (e.name === 'switch') isSwitch[id] = 1;
    if (
      e.dir === '<' &&
      (e.name === 'clone' || e.name === 'clone3' || e.name === 'fork' || e.name === 'vfork')
    ) {
      isClone[id] = 1;
    }
  }
  return { isSwitch, isClone };
});
