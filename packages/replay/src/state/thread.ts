// A thread as the state engine tracks it (sinsp_threadinfo): identity, process hierarchy, credentials,
// exec information, cwd and the fd table it uses, plus the last enter event it produced, which exit
// events fall back on for parameters their old layout lacks and which evt.latency is measured from.
import {
  blankThread,
  EVENT_HEADER_SIZE,
  EventView,
  FRAME_SIZE,
  splitNulList,
  type ThreadInfo,
} from '@scapkit/scap-format';
import { FdTable } from './fd.js';

/** PPM_CL_* clone flags that change how threads share state. */
export const CL = {
  CLONE_FILES: 1 << 0,
  CLONE_FS: 1 << 1,
  CLONE_NEWPID: 1 << 6,
  CLONE_THREAD: 1 << 13,
  CLONE_VM: 1 << 15,
  CLONE_VFORK: 1 << 27,
  CHILD_IN_PIDNS: 1 << 29,
} as const;

export const NO_ID = 0xffffffff;

export class Thread {
  tid: number;
  pid: number;
  ptid = -1;
  sid = -1;
  vpgid = -1;
  pgid = -1;
  comm = '';
  exe = '';
  exepath = '';
  // args and env arrive as NUL-separated bytes on every clone and execve, and most traces never print
  // them: they are kept as bytes and decoded on first use.
  private argsList: string[] = [];
  private argsBytes: Uint8Array | undefined = undefined;
  private envList: string[] = [];
  private envBytes: Uint8Array | undefined = undefined;
  cwd = '';
  root = '';
  fdlimit = -1;
  flags = 0;
  uid = NO_ID;
  gid = NO_ID;
  loginuid = NO_ID;
  vtid = -1;
  vpid = -1;
  tty = 0;
  cgroups: string[] = [];
  containerId = '';
  /** Threads and processes this thread created that are still alive (sinsp's m_nchilds). */
  nchilds = 0;
  vmsizeKb = 0;
  vmrssKb = 0;
  vmswapKb = 0;
  pfMajor = 0;
  pfMinor = 0;
  capPermitted: bigint | number = 0;
  capEffective: bigint | number = 0;
  capInheritable: bigint | number = 0;
  /** The table this thread owns; threads sharing their process's table use the main thread's instead. */
  ownFds: FdTable = new FdTable();
  /** The fd of the last fd-using enter event (sinsp's m_lastevent_fd); sinsp starts threads at 0. */
  lastEventFd = 0;
  /** Type of the last enter event, -1 when the next exit has no matching enter event. */
  enterType = -1;
  /**
   * The last enter event, its 4-byte frame and bytes at `enterAt`: in the batch being processed (see
   * StateEngine.endBatch, which copies it out), or in a buffer of the thread's reused from event to event.
   */
  enterBuf: Uint8Array = EMPTY;
  enterAt = 0;
  enterLen = 0;
  /** Whether `enterBuf` is a batch's bytes, to copy before the batch goes (keepEnter). */
  enterInBatch = false;
  private ownEnterBuf: Uint8Array = EMPTY;
  private ownEnterView: DataView = EMPTY_VIEW;
  // Fields that take values beyond 2^31 (a timestamp's low word, ns) are first stored as -0, a double: V8
  // then keeps them as doubles from the first object on, instead of deoptimizing the hot code that stores
  // the first large value. The constructor makes them +0.
  /** Timestamp of the last enter event (ns; hi and lo words, to stay exact without bigints). */
  enterTsHi = 0;
  enterTsLo = -0;
  /** ns from the last enter event to its exit (sinsp's m_latency): 0 after an enter event. */
  latency = -0;
  /** When the capture saw this thread created (clone exit), 0 when it was already there. */
  cloneTsHi = 0;
  cloneTsLo = -0;
  /**
   * When the init process of this thread's pid namespace started (ns since the epoch, 0 when unknown):
   * libs' m_pidns_init_start_ts, which container.start_ts and container.duration read.
   */
  pidnsInitStartTs: bigint | number = 0;
  exeWritable = false;
  /** The executable is on an overlayfs upper layer (written in the container), or a lower one (the image). */
  exeUpperLayer = false;
  exeLowerLayer = false;
  /** The executable is a memfd (fileless execution). */
  exeFromMemfd = false;
  /** The executable's inode number and its ctime and mtime (ns since the epoch), 0 when unknown. */
  exeIno = 0;
  exeInoCtime: bigint | number = 0;
  exeInoMtime: bigint | number = 0;
  /** Set by procexit: the thread is removed once the event has been processed and shown. */
  exited = false;

  constructor(tid: number, pid = tid) {
    this.tid = tid;
    this.pid = pid;
    this.enterTsLo = 0;
    this.latency = 0;
    this.cloneTsLo = 0;
  }

  /** The command-line arguments (argv[1..]). */
  get args(): string[] {
    if (this.argsBytes !== undefined) {
      this.argsList = splitNulList(this.argsBytes);
      this.argsBytes = undefined;
    }
    return this.argsList;
  }
  set args(list: string[]) {
    this.argsList = list;
    this.argsBytes = undefined;
  }
  /** The arguments as the event carries them (NUL-separated); copied, decoded when first read. */
  setArgsBytes(b: Uint8Array): void {
    this.argsBytes = b.slice();
  }

  /** The environment (empty entries dropped, as sinsp does). */
  get env(): string[] {
    if (this.envBytes !== undefined) {
      this.envList = splitNulList(this.envBytes).filter((e) => e !== '');
      this.envBytes = undefined;
    }
    return this.envList;
  }
  set env(list: string[]) {
    this.envList = list;
    this.envBytes = undefined;
  }
  /** The environment as the event carries it (NUL-separated); copied, decoded when first read. */
  setEnvBytes(b: Uint8Array): void {
    this.envBytes = b.slice();
  }

  /** Takes `from`'s arguments and environment as they are, decoded or not (a clone's child). */
  inheritCommandLine(from: Thread): void {
    this.argsList = from.argsList;
    this.argsBytes = from.argsBytes;
    this.envList = from.envList;
    this.envBytes = from.envBytes;
  }

  get isMainThread(): boolean {
    return this.tid === this.pid;
  }

  /**
   * Remembers an enter event (frame included) so that its exit can read what it lacks: the `len` bytes at
   * `off` of `src` and the 4-byte frame before them, copied a word at a time (no view to allocate).
   */
  storeEnter(src: DataView, off: number, len: number, type: number, tsHi: number, tsLo: number): void {
    const need = len + 4;
    if (this.ownEnterBuf.length < need) {
      this.ownEnterBuf = new Uint8Array(Math.max(need, 256));
      this.ownEnterView = new DataView(this.ownEnterBuf.buffer);
    }
    const b = this.ownEnterView;
    const from = off - 4;
    let k = 0;
    for (; k + 4 <= need; k += 4) b.setUint32(k, src.getUint32(from + k, true), true);
    for (; k < need; k++) b.setUint8(k, src.getUint8(from + k));
    if (this.enterBuf !== this.ownEnterBuf) this.enterBuf = this.ownEnterBuf;
    this.enterAt = 0;
    this.enterInBatch = false;
    this.enterLen = len;
    this.enterType = type;
    this.enterTsHi = tsHi;
    this.enterTsLo = tsLo;
  }

  /**
   * Remembers an enter event where it is, in the batch being processed (`data`, the event at `off`):
   * keepEnter() copies it before the batch's bytes go. Most enter events are followed by another of the
   * same thread before the batch ends, and copying every one cost more than the rest of their pairing.
   */
  referEnter(data: Uint8Array, off: number, len: number, type: number, tsHi: number, tsLo: number): void {
    if (this.enterBuf !== data) this.enterBuf = data;
    this.enterAt = off - 4;
    this.enterInBatch = true;
    this.enterLen = len;
    this.enterType = type;
    this.enterTsHi = tsHi;
    this.enterTsLo = tsLo;
  }

  /** Copies the enter event referEnter() left in the batch (`src`: a view on enterBuf) into the thread's buffer. */
  keepEnter(src: DataView): void {
    if (this.enterInBatch)
      this.storeEnter(src, this.enterAt + 4, this.enterLen, this.enterType, this.enterTsHi, this.enterTsLo);
  }

  /**
   * The thread as a snapshot entry, with what the engine learnt from events (nchilds, the pending enter
   * event, …); `fromInfo` restores it exactly. Its fd table is listed apart (CaptureMetadata.fds).
   */
  toInfo(): ThreadInfo {
    const i = blankThread(this.tid);
    i.pid = this.pid;
    i.ptid = this.ptid;
    i.sid = this.sid;
    i.vpgid = this.vpgid;
    i.pgid = this.pgid;
    i.comm = this.comm;
    i.exe = this.exe;
    i.exepath = this.exepath;
    i.args = this.args;
    i.env = this.env;
    i.cwd = this.cwd;
    i.root = this.root;
    i.fdlimit = this.fdlimit;
    i.flags = this.flags;
    i.uid = this.uid;
    i.gid = this.gid;
    i.loginuid = this.loginuid;
    i.vtid = this.vtid;
    i.vpid = this.vpid;
    i.tty = this.tty;
    i.pidnsInitStartTs = this.pidnsInitStartTs;
    i.cgroups = this.cgroups;
    i.vmsizeKb = this.vmsizeKb;
    i.vmrssKb = this.vmrssKb;
    i.vmswapKb = this.vmswapKb;
    i.pfMajor = this.pfMajor;
    i.pfMinor = this.pfMinor;
    i.capPermitted = this.capPermitted;
    i.capEffective = this.capEffective;
    i.capInheritable = this.capInheritable;
    i.exeWritable = this.exeWritable;
    i.exeUpperLayer = this.exeUpperLayer;
    i.exeLowerLayer = this.exeLowerLayer;
    i.exeFromMemfd = this.exeFromMemfd;
    i.exeIno = this.exeIno;
    i.exeInoCtime = this.exeInoCtime;
    i.exeInoMtime = this.exeInoMtime;
    i.nchilds = this.nchilds;
    i.containerId = this.containerId;
    i.lastEventFd = this.lastEventFd;
    if (this.enterType >= 0)
      i.lastEnterEvent = this.enterBuf.slice(this.enterAt, this.enterAt + this.enterLen + FRAME_SIZE);
    i.latency = this.latency;
    i.cloneTs = tsFromWords(this.cloneTsHi, this.cloneTsLo);
    if (this.exited) i.exited = true;
    return i;
  }

  static fromInfo(i: ThreadInfo): Thread {
    const t = new Thread(i.tid, i.pid);
    t.ptid = i.ptid;
    t.sid = i.sid;
    t.vpgid = i.vpgid;
    t.pgid = i.pgid;
    t.comm = i.comm;
    t.exe = i.exe;
    t.exepath = i.exepath;
    t.args = i.args;
    t.env = i.env;
    t.cwd = i.cwd;
    t.root = i.root;
    t.fdlimit = i.fdlimit;
    t.flags = i.flags;
    t.uid = i.uid;
    t.gid = i.gid;
    t.loginuid = i.loginuid;
    t.vtid = i.vtid;
    t.vpid = i.vpid;
    t.tty = i.tty;
    t.pidnsInitStartTs = i.pidnsInitStartTs;
    t.cgroups = normalizeCgroups(i.cgroups);
    t.vmsizeKb = i.vmsizeKb;
    t.vmrssKb = i.vmrssKb;
    t.vmswapKb = i.vmswapKb;
    t.pfMajor = i.pfMajor;
    t.pfMinor = i.pfMinor;
    t.capPermitted = i.capPermitted;
    t.capEffective = i.capEffective;
    t.capInheritable = i.capInheritable;
    t.exeWritable = i.exeWritable;
    t.exeUpperLayer = i.exeUpperLayer;
    t.exeLowerLayer = i.exeLowerLayer;
    t.exeFromMemfd = i.exeFromMemfd;
    t.exeIno = i.exeIno;
    t.exeInoCtime = i.exeInoCtime;
    t.exeInoMtime = i.exeInoMtime;
    if (i.nchilds !== undefined) t.restoreEngineState(i);
    return t;
  }

  /** The part of a snapshot entry only a state engine writes (see toInfo). */
  private restoreEngineState(i: ThreadInfo): void {
    this.nchilds = i.nchilds ?? 0;
    this.containerId = i.containerId ?? '';
    this.lastEventFd = i.lastEventFd ?? 0;
    const enter = i.lastEnterEvent;
    if (enter !== undefined && enter.length >= FRAME_SIZE + EVENT_HEADER_SIZE) {
      const v = new EventView().atOffset(enter, FRAME_SIZE);
      if (v.len === enter.length - FRAME_SIZE)
        this.storeEnter(
          new DataView(enter.buffer, enter.byteOffset, enter.byteLength),
          FRAME_SIZE,
          v.len,
          v.type,
          v.tsHi,
          v.tsLo,
        );
    }
    this.latency = i.latency ?? 0;
    const clone = BigInt(i.cloneTs ?? 0);
    this.cloneTsHi = Number(clone >> 32n);
    this.cloneTsLo = Number(clone & 0xffffffffn);
    this.exited = i.exited ?? false;
  }
}

const EMPTY = new Uint8Array(0);
const EMPTY_VIEW = new DataView(EMPTY.buffer);

/**
 * What a process inherits from its parent at clone and keeps until its next execve (sinsp copies these
 * from the parent thread): credentials' capabilities and the facts about its executable.
 */
export function inheritExecFacts(child: Thread, parent: Thread): void {
  child.capPermitted = parent.capPermitted;
  child.capEffective = parent.capEffective;
  child.capInheritable = parent.capInheritable;
  child.exeWritable = parent.exeWritable;
  child.exeUpperLayer = parent.exeUpperLayer;
  child.exeLowerLayer = parent.exeLowerLayer;
  child.exeFromMemfd = parent.exeFromMemfd;
  child.exeIno = parent.exeIno;
  child.exeInoCtime = parent.exeInoCtime;
  child.exeInoMtime = parent.exeInoMtime;
}

function tsFromWords(hi: number, lo: number): bigint | number {
  return hi === 0 && lo === 0 ? 0 : (BigInt(hi) << 32n) | BigInt(lo);
}

/** sinsp shows the cgroup v2 `io` controller under its v1 name `blkio`. */
export function normalizeCgroups(list: readonly string[]): string[] {
  return list.map((c) => (c.startsWith('io=') ? `blkio${c.slice(2)}` : c));
}

/**
 * The thread table: a Map by tid that remembers the last thread looked up, since consecutive events
 * mostly come from the same thread. Any change to the table forgets it.
 */
export class ThreadTable extends Map<number, Thread> {
  private lastTid = Number.NaN;
  private last: Thread | undefined;

  /** get(tid), answered from the last lookup when it was the same tid. */
  lookup(tid: number): Thread | undefined {
    if (tid === this.lastTid) return this.last;
    const t = this.get(tid);
    this.lastTid = tid;
    this.last = t;
    return t;
  }

  override set(tid: number, t: Thread): this {
    if (tid === this.lastTid) this.lastTid = Number.NaN;
    return super.set(tid, t);
  }

  override delete(tid: number): boolean {
    if (tid === this.lastTid) this.lastTid = Number.NaN;
    return super.delete(tid);
  }

  override clear(): void {
    this.lastTid = Number.NaN;
    this.last = undefined;
    super.clear();
  }
}
