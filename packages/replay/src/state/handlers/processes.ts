// Handlers of the events that make, change and end processes and threads: the clone family, execve,
// procexit, the working directory and root (chdir, fchdir, chroot), the session (setsid), the name
// (prctl PR_SET_NAME) and capabilities (capset).
import { type EventView, EXECVE_FLAGS, splitNulList } from '@scapkit/scap-format';
import type { StateEngine } from '../engine.js';
import { paramSlot } from '../param-slots.js';
import { CL, inheritExecFacts, NO_ID, normalizeCgroups, Thread } from '../thread.js';
import { isCloseOnExec } from './fds.js';

/** PPM_PR_SET_NAME. */
const PR_SET_NAME = 15;

/** PPM_EXE_* bits of execve's `flags`, from the driver's name table. */
function exeFlag(name: string): number {
  const value = EXECVE_FLAGS.values[EXECVE_FLAGS.names.indexOf(name)];
  if (value === undefined) throw new Error(`the execve flag table has no ${name}`);
  return value;
}
const EXE_FLAG = {
  WRITABLE: exeFlag('EXE_WRITABLE'),
  UPPER_LAYER: exeFlag('EXE_UPPER_LAYER'),
  FROM_MEMFD: exeFlag('EXE_FROM_MEMFD'),
  LOWER_LAYER: exeFlag('EXE_LOWER_LAYER'),
} as const;

const RES = paramSlot('res');
const FLAGS = paramSlot('flags');
const TID = paramSlot('tid');
const VTID = paramSlot('vtid');
const PID = paramSlot('pid');
const VPID = paramSlot('vpid');
const PTID = paramSlot('ptid');
const COMM = paramSlot('comm');
const EXE = paramSlot('exe');
const ARGS = paramSlot('args');
const CWD = paramSlot('cwd');
const FDLIMIT = paramSlot('fdlimit');
const UID = paramSlot('uid');
const GID = paramSlot('gid');
const CGROUPS = paramSlot('cgroups');
const PGFT_MAJ = paramSlot('pgft_maj');
const PGFT_MIN = paramSlot('pgft_min');
const VM_SIZE = paramSlot('vm_size');
const VM_RSS = paramSlot('vm_rss');
const VM_SWAP = paramSlot('vm_swap');
const ENV = paramSlot('env');
const TTY = paramSlot('tty');
const LOGINUID = paramSlot('loginuid');
const VPGID = paramSlot('vpgid');
const PGID = paramSlot('pgid');
const TRUSTED_EXEPATH = paramSlot('trusted_exepath');
const FILENAME = paramSlot('filename');
const PATH = paramSlot('path');
const OPTION = paramSlot('option');
const ARG2_STR = paramSlot('arg2_str');
const CAP_PERMITTED = paramSlot('cap_permitted');
const CAP_EFFECTIVE = paramSlot('cap_effective');
const CAP_INHERITABLE = paramSlot('cap_inheritable');
const EXE_INO = paramSlot('exe_ino');
const EXE_INO_CTIME = paramSlot('exe_ino_ctime');
const EXE_INO_MTIME = paramSlot('exe_ino_mtime');
const PIDNS_INIT_START_TS = paramSlot('pidns_init_start_ts');

/**
 * A clone exit's pidns_init_start_ts, ns since the epoch; undefined when the layout lacks it or it is 0.
 * scapkit's probe records it since the epoch, libs' drivers since boot (sinsp adds the boot time): a
 * value below the boot time can only be the latter.
 */
function pidnsInitStart(s: StateEngine, v: EventView): bigint | undefined {
  const ts = s.u64(v, PIDNS_INIT_START_TS);
  if (!ts) return undefined;
  const boot = BigInt(s.machine?.bootTs ?? 0);
  return ts < boot ? ts + boot : ts;
}

/**
 * clone, clone3, fork, vfork exits: a new thread or process, from the parent's exit (res = the child) or
 * the child's own (res = 0), whichever comes first; what it inherits comes from its process (a thread)
 * or its parent process.
 */
export function onClone(s: StateEngine, v: EventView, caller: Thread | undefined): void {
  const res = s.int(v, RES, -1);
  if (res < 0) return;
  const tid = v.tid;
  const flags = s.uint(v, FLAGS, 0);
  const childTid = res === 0 ? tid : res;
  if (res === 0) {
    // The child's own clone exit: create it only when the parent's exit did not already.
    const existing = s.threads.get(tid);
    if (existing && existing.comm !== '<NA>') {
      // The child's own event names its own pid namespace, which the parent's cannot know for a
      // CLONE_NEWPID child.
      existing.pidnsInitStartTs = pidnsInitStart(s, v) ?? existing.pidnsInitStartTs;
      s.thread = existing;
      return;
    }
  } else {
    if (!caller && tid > 0) {
      // The caller's side names the caller: it gets an entry like any thread met for the first time.
      caller = new Thread(tid);
      caller.comm = '<NA>';
      caller.exe = '<NA>';
      s.threads.set(tid, caller);
      s.thread = caller;
    }
    if (caller && caller.comm === '<NA>' && caller.uid === NO_ID) identifyCaller(s, v, caller);
    const existing = s.threads.get(childTid);
    if (existing && existing.comm !== '<NA>') return; // the child's event came first
    // In a pid namespace clone returns the child's namespaced tid: the child is created by its own clone
    // exit instead (sinsp does the same).
    const ptid = s.int(v, TID, tid);
    const pvtid = s.int(v, VTID, ptid);
    if (pvtid !== ptid) return;
  }
  const pid = s.int(v, PID, childTid);
  const ptidParam = s.int(v, PTID, -1);
  const parentTid = res === 0 ? ptidParam : tid;
  const parent = res !== 0 ? caller : flags & CL.CLONE_THREAD ? s.threads.get(pid) : s.threads.get(parentTid);
  const c = new Thread(childTid, flags & CL.CLONE_THREAD ? pid : childTid);
  if (res === 0) c.pid = pid;
  c.flags = flags;
  // A thread's parent is the thread that created it (its process's parent is the main thread's ptid);
  // seen from the child's side the creator is unknown and sinsp links the thread to its process.
  c.ptid = flags & CL.CLONE_THREAD ? (res === 0 ? c.pid : tid) : parentTid;
  c.comm = s.str(v, COMM) ?? parent?.comm ?? s.str(v, EXE) ?? '';
  // The exe is the event's, even empty (the probe could not read the child's argument area), as sinsp.
  const ei = s.idx(v, EXE);
  c.exe = ei >= 0 ? s.src(v).paramString(ei) : (parent?.exe ?? '');
  c.exepath = parent?.exepath ?? '';
  if (parent) c.inheritCommandLine(parent);
  const args = s.bytes(v, ARGS);
  if (args) c.setArgsBytes(args);
  c.cwd = parent ? s.cwd(parent) : (s.str(v, CWD) ?? '');
  c.fdlimit = s.int(v, FDLIMIT, parent?.fdlimit ?? -1);
  c.uid = s.uint(v, UID, parent?.uid ?? NO_ID);
  c.gid = s.uint(v, GID, parent?.gid ?? NO_ID);
  // sinsp leaves the audit uid of a thread created without a known parent at 0.
  c.loginuid = parent?.loginuid ?? 0;
  // On the parent's side the event's vtid/vpid are the caller's: the child's own are its ids.
  c.vtid = res === 0 ? s.int(v, VTID, childTid) : childTid;
  c.vpid = res === 0 || flags & CL.CLONE_THREAD ? s.int(v, VPID, c.pid) : childTid;
  c.sid = parent?.sid ?? -1;
  c.vpgid = parent?.vpgid ?? -1;
  c.pgid = parent?.pgid ?? -1;
  c.tty = parent?.tty ?? 0;
  c.root = parent?.root ?? '';
  const cg = s.bytes(v, CGROUPS);
  c.cgroups = cg ? normalizeCgroups(splitNulList(cg)) : (parent?.cgroups ?? []);
  c.containerId = cg ? s.containerIdOf(c.cgroups) : (parent?.containerId ?? '');
  c.pfMajor = s.uint(v, PGFT_MAJ, 0);
  c.pfMinor = s.uint(v, PGFT_MIN, 0);
  c.vmsizeKb = s.uint(v, VM_SIZE, 0);
  c.vmrssKb = s.uint(v, VM_RSS, 0);
  c.vmswapKb = s.uint(v, VM_SWAP, 0);
  // fds: threads share their process's table; processes get a copy of the parent's.
  if (!(flags & CL.CLONE_FILES) && parent) c.ownFds = s.fdTable(parent).copy();
  if (flags & CL.CLONE_FILES && !(flags & CL.CLONE_THREAD) && parent) c.ownFds = s.fdTable(parent);
  if (parent) inheritExecFacts(c, parent);
  // The parent's event carries the parent's namespace: for a CLONE_NEWPID child it is unknown until the
  // child's own event.
  if (res === 0 || !(flags & CL.CLONE_NEWPID))
    c.pidnsInitStartTs = pidnsInitStart(s, v) ?? parent?.pidnsInitStartTs ?? 0;
  c.cloneTsHi = v.tsHi;
  c.cloneTsLo = v.tsLo;
  s.threads.set(childTid, c);
  if (res === 0) s.thread = c;
  if (flags & CL.CLONE_THREAD && !s.threads.has(c.pid)) {
    // A thread whose process is unknown gets a main thread made from what the thread knows (sinsp's
    // create_thread_dependencies), so that pid=… resolves and the process has an fd table.
    const m = new Thread(c.pid, c.pid);
    m.comm = c.comm;
    m.exe = c.exe;
    m.exepath = c.exepath;
    m.inheritCommandLine(c);
    m.cwd = c.cwd;
    m.uid = c.uid;
    m.gid = c.gid;
    m.loginuid = c.loginuid;
    m.vtid = c.vpid;
    m.vpid = c.vpid;
    m.cgroups = c.cgroups;
    m.containerId = c.containerId;
    m.pidnsInitStartTs = c.pidnsInitStartTs;
    m.nchilds = 1;
    s.threads.set(m.tid, m);
  } else if (flags & CL.CLONE_THREAD) {
    // nchilds counts the threads a thread created (proc.nthreads is the main thread's + 1).
    const creator = s.threads.get(c.ptid);
    if (creator) creator.nchilds++;
  }
}

/**
 * A caller of clone met without identity (it was running before the capture and is not in its tables): its
 * own exit of the call says who it is. Its process and parent as current libs' parse_clone_exit_caller
 * takes them for an invalid caller; its name, exe and arguments as sysdig 0.29.3 takes them (libs leave
 * that as a to-do). Its fds stay: 0.29.3 drops the whole entry and starts it again empty, current libs
 * do not (differences-from-sysdig.md, section 13).
 */
function identifyCaller(s: StateEngine, v: EventView, t: Thread): void {
  t.pid = s.int(v, PID, t.pid);
  t.ptid = s.int(v, PTID, t.ptid);
  const vpid = s.int(v, VPID, -1);
  if (vpid >= 0) {
    t.vtid = s.int(v, VTID, t.tid);
    t.vpid = vpid;
  }
  t.comm = s.str(v, COMM) ?? t.comm;
  const ei = s.idx(v, EXE);
  if (ei >= 0) t.exe = s.src(v).paramString(ei);
  if (t.comm === '<NA>' && t.exe !== '<NA>') t.comm = t.exe;
  const args = s.bytes(v, ARGS);
  if (args) t.setArgsBytes(args);
}

/** execve, execveat: the thread runs a new program; its close-on-exec fds are gone. */
export function onExecve(s: StateEngine, v: EventView, t: Thread): void {
  if (s.int(v, RES, -1) < 0) return;
  const exe = s.str(v, EXE);
  if (exe !== undefined) t.exe = exe;
  const args = s.bytes(v, ARGS);
  if (args) t.setArgsBytes(args);
  const comm = s.str(v, COMM);
  t.comm = comm ?? (exe !== undefined ? basename(exe) : t.comm);
  t.pid = s.int(v, PID, t.pid);
  // The parent is the one the clone named: sinsp takes the event's only for a thread it met without one
  // (the probe's value follows the kernel's reparenting and CLONE_PARENT, sinsp's tables do not).
  if (t.ptid === -1) t.ptid = s.int(v, PTID, -1);
  t.fdlimit = s.int(v, FDLIMIT, t.fdlimit);
  const env = s.bytes(v, ENV);
  if (env) t.setEnvBytes(env);
  const cg = s.bytes(v, CGROUPS);
  if (cg) {
    t.cgroups = normalizeCgroups(splitNulList(cg));
    t.containerId = s.containerIdOf(t.cgroups);
  }
  t.tty = s.int(v, TTY, t.tty);
  t.loginuid = s.uint(v, LOGINUID, t.loginuid);
  t.uid = s.uint(v, UID, t.uid);
  t.gid = s.uint(v, GID, t.gid);
  t.vpgid = s.int(v, VPGID, t.vpgid);
  t.pgid = s.int(v, PGID, t.pgid);
  t.exepath = s.str(v, TRUSTED_EXEPATH) ?? s.str(v, FILENAME) ?? t.exepath;
  // Its memory (vm_size …) is the engine's, as for every exit that reports it (REPORTS_VM).
  execFacts(s, v, t);
  const table = s.fdTable(t);
  for (const e of table.values()) if (isCloseOnExec(e)) table.delete(e.fd);
}

/** The new image's executable (flags, inode, times) and capabilities, from layouts that carry them. */
function execFacts(s: StateEngine, v: EventView, t: Thread): void {
  const flags = s.uint(v, FLAGS, -1);
  if (flags >= 0) {
    t.exeWritable = (flags & EXE_FLAG.WRITABLE) !== 0;
    t.exeUpperLayer = (flags & EXE_FLAG.UPPER_LAYER) !== 0;
    t.exeLowerLayer = (flags & EXE_FLAG.LOWER_LAYER) !== 0;
    t.exeFromMemfd = (flags & EXE_FLAG.FROM_MEMFD) !== 0;
  }
  capabilities(s, v, t);
  const ino = s.u64(v, EXE_INO);
  if (ino !== undefined) t.exeIno = Number(ino);
  t.exeInoCtime = s.u64(v, EXE_INO_CTIME) ?? t.exeInoCtime;
  t.exeInoMtime = s.u64(v, EXE_INO_MTIME) ?? t.exeInoMtime;
}

/** The capability sets the event carries (execve's exit, capset's). */
function capabilities(s: StateEngine, v: EventView, t: Thread): void {
  t.capInheritable = s.u64(v, CAP_INHERITABLE) ?? t.capInheritable;
  t.capPermitted = s.u64(v, CAP_PERMITTED) ?? t.capPermitted;
  t.capEffective = s.u64(v, CAP_EFFECTIVE) ?? t.capEffective;
}

/** procexit: the thread goes once the event has been shown. */
export function onProcexit(s: StateEngine, _v: EventView, t: Thread): void {
  s.removeThreadAfterEvent(t);
}

export function onChdir(s: StateEngine, v: EventView, t: Thread): void {
  if (s.int(v, RES, -1) < 0) return;
  const p = s.str(v, PATH);
  if (p !== undefined) s.setCwd(t, p);
}

export function onFchdir(s: StateEngine, v: EventView, t: Thread): void {
  if (s.int(v, RES, -1) >= 0 && s.fd) s.setCwd(t, s.fd.name);
}

export function onChroot(s: StateEngine, v: EventView, t: Thread): void {
  if (s.int(v, RES, -1) < 0) return;
  const p = s.str(v, PATH);
  if (p !== undefined) t.root = p;
}

/** setsid: the thread leads a new session (its id is the result). */
export function onSetsid(s: StateEngine, v: EventView, t: Thread): void {
  const r = s.int(v, RES, -1);
  if (r >= 0) t.sid = r;
}

/** prctl(PR_SET_NAME): the thread's name. */
export function onPrctl(s: StateEngine, v: EventView, t: Thread): void {
  if (s.int(v, RES, -1) < 0 || s.int(v, OPTION, -1) !== PR_SET_NAME) return;
  const name = s.str(v, ARG2_STR);
  if (name !== undefined) t.comm = name;
}

export function onCapset(s: StateEngine, v: EventView, t: Thread): void {
  if (s.int(v, RES, -1) >= 0) capabilities(s, v, t);
}

function basename(p: string): string {
  const i = p.lastIndexOf('/');
  return i >= 0 ? p.slice(i + 1) : p;
}
