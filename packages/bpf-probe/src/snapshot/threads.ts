// One ThreadInfo per task, read from /proc/PID (main thread) and /proc/PID/task/TID (other threads) the
// way libscap's scan fills scap_threadinfo: same sources, units (kB, ns since the epoch) and defaults.
//
// Per-process data (cmdline, environ, exe, cwd, root, limits, loginuid, cgroups) is read once, from the
// main thread, and shared by its other threads: threads created by pthread_create share the mm, the fs
// struct (CLONE_FS) and the rlimits, so re-reading them per thread would only cost time. Per-thread data
// (stat, status: comm, page faults, credentials, ids) is read for every thread.
import { blankThread, type ThreadInfo } from '@scapkit/scap-format';
import type { ProcFs } from './procfs.js';

/** libscap's bounds on what it keeps of a thread's strings (SCAP_MAX_ARGS_SIZE, SCAP_MAX_ENV_SIZE, …). */
export const MAX_ARGS_BYTES = 4096;
export const MAX_ENV_BYTES = 4096;
export const MAX_CGROUPS_BYTES = 4096;

/** PPM_CL_* clone flags (driver/ppm_events_public.h). */
const PPM_CL_CLONE_FILES = 1 << 0;
const PPM_CL_CLONE_THREAD = 1 << 13;
/** PF_KTHREAD in the flags field of /proc/PID/stat (include/linux/sched.h). */
const PF_KTHREAD = 0x00200000;
/** An unknown uid/gid/loginuid, as the kernel writes (uid_t)-1. */
const NO_ID = 0xffffffff;

/** What all threads of one process share, read from the main thread's directory. */
export interface ProcessShared {
  exe: string;
  exepath: string;
  args: string[];
  env: string[];
  cwd: string;
  root: string;
  fdlimit: number;
  loginuid: number;
  cgroups: string[];
  /** The cgroup v2 path (`0::/path`), for the pid namespace start time of containerised processes. */
  unifiedCgroup: string | undefined;
  exeIno: number;
  exeInoCtime: bigint;
  exeInoMtime: bigint;
  exeMode: number;
  exeUid: number;
  exeGid: number;
  isKernelThread: boolean;
  /**
   * environ, exe, cwd, root and the fd directory all need ptrace read access to the process: once
   * environ is refused, the others are not tried (one issue per process, not five).
   */
  accessDenied: boolean;
  /** Computed for the first thread, shared by the others. */
  pidnsInitStartTs?: number;
}

/** Fields of /proc/PID/stat after the comm. */
export interface StatFields {
  comm: string;
  ppid: number;
  pgid: number;
  sid: number;
  tty: number;
  flags: number;
  pfMinor: number;
  pfMajor: number;
}

export function parseStat(text: string): StatFields | undefined {
  // comm may itself contain ')' or spaces: it runs from the first '(' to the last ')'.
  const open = text.indexOf('(');
  const close = text.lastIndexOf(')');
  if (open < 0 || close < open) return undefined;
  const f = text.slice(close + 2).split(' ');
  // f[0] state, f[1] ppid, f[2] pgrp, f[3] session, f[4] tty_nr, f[5] tpgid, f[6] flags, f[7] minflt,
  // f[8] cminflt, f[9] majflt (proc(5), fields 3–12).
  if (f.length < 10) return undefined;
  return {
    comm: text.slice(open + 1, close),
    ppid: Number(f[1]),
    pgid: Number(f[2]),
    sid: Number(f[3]),
    tty: Number(f[4]),
    flags: Number(f[6]),
    pfMinor: Number(f[7]),
    pfMajor: Number(f[9]),
  };
}

/** The lines of /proc/PID/status the snapshot uses. */
export interface StatusFields {
  tgid: number;
  ppid: number;
  /** Effective uid and gid (the second column), as libscap takes them. */
  uid: number;
  gid: number;
  /** Innermost-namespace ids (the last column of NStgid/NSpid/NSpgid), -1 when the line is absent. */
  vpid: number;
  vtid: number;
  vpgid: number;
  /** Whether NSpgid has more than one column, i.e. the process is in a child pid namespace. */
  nestedPgid: boolean;
  vmsizeKb: number;
  vmrssKb: number;
  vmswapKb: number;
  capInheritable: bigint;
  capPermitted: bigint;
  capEffective: bigint;
}

export function parseStatus(text: string): StatusFields {
  const s: StatusFields = {
    tgid: -1,
    ppid: -1,
    uid: NO_ID,
    gid: NO_ID,
    vpid: -1,
    vtid: -1,
    vpgid: -1,
    nestedPgid: false,
    vmsizeKb: 0,
    vmrssKb: 0,
    vmswapKb: 0,
    capInheritable: 0n,
    capPermitted: 0n,
    capEffective: 0n,
  };
  let at = 0;
  while (at < text.length) {
    let end = text.indexOf('\n', at);
    if (end < 0) end = text.length;
    const colon = text.indexOf(':', at);
    if (colon > 0 && colon < end) {
      const key = text.slice(at, colon);
      const value = text.slice(colon + 1, end).trim();
      switch (key) {
        case 'Tgid':
          s.tgid = Number(value);
          break;
        case 'PPid':
          s.ppid = Number(value);
          break;
        case 'Uid':
          s.uid = Number(column(value, 1));
          break;
        case 'Gid':
          s.gid = Number(column(value, 1));
          break;
        case 'NStgid':
          s.vpid = Number(lastColumn(value));
          break;
        case 'NSpid':
          s.vtid = Number(lastColumn(value));
          break;
        case 'NSpgid':
          s.vpgid = Number(lastColumn(value));
          s.nestedPgid = /\s/.test(value);
          break;
        case 'VmSize':
          s.vmsizeKb = Number.parseInt(value, 10);
          break;
        case 'VmRSS':
          s.vmrssKb = Number.parseInt(value, 10);
          break;
        case 'VmSwap':
          s.vmswapKb = Number.parseInt(value, 10);
          break;
        case 'CapInh':
          s.capInheritable = BigInt(`0x${value}`);
          break;
        case 'CapPrm':
          s.capPermitted = BigInt(`0x${value}`);
          break;
        case 'CapEff':
          s.capEffective = BigInt(`0x${value}`);
          break;
      }
    }
    at = end + 1;
  }
  return s;
}

function column(value: string, i: number): string {
  return value.split(/\s+/)[i] ?? '';
}

function lastColumn(value: string): string {
  return value.split(/\s+/).at(-1) ?? '';
}

/** `Max open files` soft limit from /proc/PID/limits; -1 for unlimited or unknown, as libscap stores it. */
export function parseFdLimit(text: string): number {
  const line = /^Max open files\s+(\S+)/m.exec(text);
  if (!line || line[1] === 'unlimited') return -1;
  return Number(line[1]);
}

/** A NUL-separated list (cmdline, environ) without the empty piece after the final NUL. */
export function splitNul(text: string): string[] {
  if (text === '') return [];
  const parts = text.split('\0');
  if (parts[parts.length - 1] === '') parts.pop();
  return parts;
}

/**
 * /proc/PID/cgroup as libscap stores it: one `subsys=path` per controller of each v1 hierarchy
 * (`4:cpu,cpuacct:/x` gives `cpu=/x` and `cpuacct=/x`). The cgroup v2 line (`0::/x`) counts only on a
 * pure v2 host, where it stands for the `cpu`, `memory` and `cpuset` controllers libsinsp's container
 * engines look at; on a v1 or hybrid host it is skipped. Capped at libscap's 4096 bytes.
 */
export function parseCgroups(text: string, cgroupVersion: 1 | 2): { cgroups: string[]; unified?: string } {
  const cgroups: string[] = [];
  let unified: string | undefined;
  let bytes = 0;
  for (const line of text.split('\n')) {
    const c1 = line.indexOf(':');
    const c2 = c1 < 0 ? -1 : line.indexOf(':', c1 + 1);
    if (c2 < 0) continue;
    const id = line.slice(0, c1);
    const subsys = line.slice(c1 + 1, c2);
    const path = line.slice(c2 + 1);
    let controllers: string[];
    if (subsys === '') {
      if (id !== '0') continue;
      unified = path;
      if (cgroupVersion !== 2) continue;
      controllers = ['cpu', 'memory', 'cpuset'];
    } else {
      controllers = subsys.split(',');
    }
    for (const c of controllers) {
      const entry = `${c}=${path}`;
      bytes += entry.length + 1;
      if (bytes > MAX_CGROUPS_BYTES) return { cgroups, unified };
      cgroups.push(entry);
    }
  }
  return { cgroups, unified };
}

export function isKernelThread(stat: StatFields): boolean {
  return (stat.flags & PF_KTHREAD) !== 0;
}

/** Context the thread readers need from the snapshot. */
export interface ThreadScanContext {
  fs: ProcFs;
  procRoot: string;
  /** hostRoot without its trailing slash ('' for /), to prefix absolute host paths. */
  hostPrefix: string;
  cgroupVersion: 1 | 2;
  /** ctime of /proc/1, ns: the start of the initial pid namespace (libscap's pidns_init_start_ts). */
  initPidnsStartTs: bigint;
}

/** Everything per-process, read from /proc/PID; what cannot be read keeps libscap's default. */
export function readProcessShared(ctx: ThreadScanContext, pid: number, stat: StatFields): ProcessShared {
  const { fs } = ctx;
  const dir = `${ctx.procRoot}/${pid}`;
  const shared: ProcessShared = {
    exe: '',
    exepath: '',
    args: [],
    env: [],
    cwd: '',
    root: '',
    fdlimit: -1,
    loginuid: NO_ID,
    cgroups: [],
    unifiedCgroup: undefined,
    exeIno: 0,
    exeInoCtime: 0n,
    exeInoMtime: 0n,
    exeMode: 0,
    exeUid: NO_ID,
    exeGid: NO_ID,
    isKernelThread: isKernelThread(stat),
    accessDenied: false,
  };
  const cg = fs.read(`${dir}/cgroup`);
  if (cg !== undefined) {
    const parsed = parseCgroups(cg, ctx.cgroupVersion);
    shared.cgroups = parsed.cgroups;
    shared.unifiedCgroup = parsed.unified;
  }
  // Kernel threads have no mm, exe, cwd or fds worth a syscall each.
  if (shared.isKernelThread) return shared;

  // argv[0] is the exe; the rest are the args (libscap splits at the first NUL the same way).
  const cmdline = splitNul(fs.read(`${dir}/cmdline`, MAX_ARGS_BYTES) ?? '');
  shared.exe = cmdline[0] ?? '';
  shared.args = cmdline.slice(1);
  const limits = fs.read(`${dir}/limits`);
  if (limits !== undefined) shared.fdlimit = parseFdLimit(limits);
  const loginuid = fs.read(`${dir}/loginuid`);
  if (loginuid !== undefined) shared.loginuid = Number(loginuid.trim()) >>> 0;
  const environ = fs.read(`${dir}/environ`, MAX_ENV_BYTES);
  if (environ === undefined && fs.denied) {
    shared.accessDenied = true;
    return shared;
  }
  shared.env = splitNul(environ ?? '');
  shared.exepath = fs.link(`${dir}/exe`) ?? '';
  shared.cwd = fs.link(`${dir}/cwd`) ?? '';
  shared.root = fs.link(`${dir}/root`) ?? '';
  // Through the exe link rather than the path: it reaches the file in the process's own mount
  // namespace (a container's image), and still works after the binary was deleted or replaced.
  if (shared.exepath !== '') {
    const st = ctx.fs.stat(`${dir}/exe`);
    if (st) {
      shared.exeIno = Number(st.ino);
      shared.exeInoCtime = st.ctimeNs;
      shared.exeInoMtime = st.mtimeNs;
      shared.exeMode = Number(st.mode);
      shared.exeUid = Number(st.uid);
      shared.exeGid = Number(st.gid);
    }
  }
  return shared;
}

/** One thread's ThreadInfo from its stat and status texts and its process's shared data. */
export function buildThread(
  ctx: ThreadScanContext,
  tid: number,
  stat: StatFields,
  status: StatusFields,
  shared: ProcessShared,
): ThreadInfo {
  const t = blankThread(tid);
  const pid = status.tgid >= 0 ? status.tgid : tid;
  t.pid = pid;
  t.ptid = status.ppid;
  t.sid = stat.sid;
  t.pgid = stat.pgid;
  t.vpgid = status.nestedPgid ? status.vpgid : stat.pgid;
  t.comm = stat.comm;
  t.exe = shared.exe;
  t.exepath = shared.exepath;
  t.args = shared.args;
  t.env = shared.env;
  t.cwd = shared.cwd;
  t.root = shared.root;
  t.fdlimit = shared.fdlimit;
  // Other threads share the main thread's fd table: the state engine looks their fds up under the pid.
  t.flags = tid === pid ? 0 : PPM_CL_CLONE_THREAD | PPM_CL_CLONE_FILES;
  t.uid = status.uid;
  t.gid = status.gid;
  t.loginuid = shared.loginuid;
  t.vmsizeKb = status.vmsizeKb;
  t.vmrssKb = status.vmrssKb;
  t.vmswapKb = status.vmswapKb;
  t.pfMajor = stat.pfMajor;
  t.pfMinor = stat.pfMinor;
  t.vtid = status.vtid >= 0 ? status.vtid : tid;
  t.vpid = status.vpid >= 0 ? status.vpid : pid;
  t.cgroups = shared.cgroups;
  t.tty = stat.tty;
  t.capInheritable = status.capInheritable;
  t.capPermitted = status.capPermitted;
  t.capEffective = status.capEffective;
  shared.pidnsInitStartTs ??= pidnsStart(ctx, t.vpid !== pid, shared);
  t.pidnsInitStartTs = shared.pidnsInitStartTs;
  t.exeIno = shared.exeIno;
  t.exeInoCtime = shared.exeInoCtime;
  t.exeInoMtime = shared.exeInoMtime;
  t.exeWritable = exeWritable(shared, status.uid, status.gid);
  t.exeFromMemfd = shared.exepath.startsWith('/memfd:');
  return t;
}

// libscap dates a child pid namespace by the ctime of the process's cgroup directory (created with the
// container), and the initial namespace by that of /proc/1.
function pidnsStart(ctx: ThreadScanContext, inChildNs: boolean, shared: ProcessShared): number {
  if (!inChildNs) return Number(ctx.initPidnsStartTs);
  if (shared.unifiedCgroup === undefined) return 0;
  const base = `${ctx.hostPrefix}/sys/fs/cgroup`;
  const dir =
    ctx.cgroupVersion === 2 ? `${base}${shared.unifiedCgroup}` : `${base}/unified${shared.unifiedCgroup}`;
  const st = ctx.fs.stat(dir);
  return st ? Number(st.ctimeNs) : 0;
}

// libscap asks faccessat(W_OK) as the thread's user; without switching credentials, the owner and mode
// bits give the same answer except for ACLs, supplementary groups and read-only mounts.
function exeWritable(shared: ProcessShared, uid: number, gid: number): boolean {
  if (shared.exepath === '' || shared.exeUid === NO_ID) return false;
  if (uid === 0 || shared.exeUid === uid) return true;
  if (shared.exeGid === gid) return (shared.exeMode & 0o020) !== 0;
  return (shared.exeMode & 0o002) !== 0;
}
