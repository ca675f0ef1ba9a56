// proc.* and thread.* fields: the current thread and its process as the state engine knows them. Like
// sinsp, process-wide facts (cwd, parent, limits) are read from the process's main thread, and a thread
// whose main thread is unknown reports a parent pid of -1 (sinsp creates a blank main thread there).

import { capabilityNames } from '@scapkit/scap-format';
import type { Thread } from '../state/thread.js';
import { type ReplayContext, rc } from './context.js';
import { type Accessor, type FieldDef, fromExec, simple } from './def.js';
import type { EvalContext, FieldValue } from './types.js';

function thread(c: EvalContext): Thread | undefined {
  return rc(c).state.thread;
}

function main(ctx: ReplayContext, t: Thread): Thread | undefined {
  return ctx.state.mainThread(t);
}

/** proc.ppid: the parent of the process (its main thread's ptid); -1 when the main thread is unknown. */
function ppid(ctx: ReplayContext, t: Thread): number {
  const m = main(ctx, t);
  return m ? m.ptid : -1;
}

/**
 * The n-th ancestor (0: the process's main thread), as sinsp walks it: from the main thread, each step
 * goes to the thread's own parent (m_ptid), main thread or not.
 */
function ancestor(ctx: ReplayContext, t: Thread, n: number): Thread | undefined {
  let cur: Thread | undefined = main(ctx, t);
  for (let i = 0; i < n && cur; i++) cur = parentOf(ctx, cur);
  return cur;
}

function parentOf(ctx: ReplayContext, t: Thread): Thread | undefined {
  return t.ptid === t.tid ? undefined : ctx.state.threads.get(t.ptid);
}

/** Every ancestor of the process (its parents, not the process itself), nearest first. */
function ancestors(ctx: ReplayContext, t: Thread): Thread[] {
  const out: Thread[] = [];
  const seen = new Set<number>();
  let cur = ancestor(ctx, t, 1);
  while (cur && !seen.has(cur.tid) && out.length < 256) {
    seen.add(cur.tid);
    out.push(cur);
    cur = parentOf(ctx, cur);
  }
  return out;
}

/** sinsp's populate_cmdline: the name, then each argument after a space. */
function cmdline(t: Thread): string {
  let s = t.comm;
  for (const a of t.args) s += ` ${a}`;
  return s;
}

function proc(
  name: string,
  type: 'string' | 'int' | 'bool',
  description: string,
  get: (ctx: ReplayContext, t: Thread) => FieldValue,
): FieldDef {
  return simple(name, type, description, (c) => {
    const ctx = rc(c);
    const t = ctx.state.thread;
    return t ? get(ctx, t) : undefined;
  });
}

/** A field with an optional ancestor index: `proc.aname[2]`; without an index it yields every ancestor. */
function ancestorField(name: string, description: string, pick: (t: Thread) => FieldValue): FieldDef {
  return {
    name,
    type: name === 'proc.apid' ? 'int' : 'string',
    description,
    arg: 'optional',
    multi: true,
    make(arg): Accessor {
      if (arg !== undefined) {
        if (!/^[0-9]+$/.test(arg)) throw new Error(`${name} takes a numeric index: ${name}[N]`);
        const n = Number(arg);
        return {
          get(c) {
            const ctx = rc(c);
            const t = ctx.state.thread;
            if (!t) return undefined;
            const a = ancestor(ctx, t, n);
            return a ? pick(a) : undefined;
          },
        };
      }
      return {
        get(c) {
          const ctx = rc(c);
          const t = ctx.state.thread;
          if (!t) return undefined;
          const a = ancestor(ctx, t, 1);
          return a ? pick(a) : undefined;
        },
        values(c) {
          const ctx = rc(c);
          const t = ctx.state.thread;
          if (!t) return undefined;
          const list = ancestors(ctx, t).map(pick);
          return list.length > 0 ? list : undefined;
        },
      };
    },
  };
}

/**
 * thread.exectime / thread.totexectime, as sinsp computes them: each compiled field keeps the time of the
 * last switch it saw per CPU (and, for the total, the sum per thread), so like sysdig they measure over
 * the switch events the field is evaluated on.
 */
function execTime(total: boolean): Accessor {
  // Timestamps as hi/lo 32-bit words: a double of ns since 1970 would round to 256 ns.
  const lastHi = new Map<number, number>();
  const lastLo = new Map<number, number>();
  const totals = new Map<number, number>();
  return {
    get(c) {
      const ctx = rc(c);
      const v = ctx.view;
      let delta = 0;
      if (v.info?.name === 'switch') {
        const cpu = v.cpu;
        const hi = lastHi.get(cpu);
        if (hi !== undefined) delta = (v.tsHi - hi) * 4294967296 + (v.tsLo - lastLo.get(cpu)!);
        lastHi.set(cpu, v.tsHi);
        lastLo.set(cpu, v.tsLo);
      }
      if (!total) return delta;
      const t = ctx.state.thread;
      if (!t) return undefined;
      const sum = (totals.get(t.tid) ?? 0) + delta;
      totals.set(t.tid, sum);
      return sum;
    },
  };
}

function nonZeroTime(v: bigint | number | undefined): bigint | undefined {
  if (v === undefined || v === 0 || v === 0n) return undefined;
  return BigInt(v);
}

function joinArgs(args: readonly string[]): string {
  return args.join(' ');
}

export const PROCESS_FIELDS: readonly FieldDef[] = [
  proc('proc.pid', 'int', 'the id of the process generating the event', (_c, t) => t.pid),
  proc(
    'proc.exe',
    'string',
    'the first command line argument (usually the executable name or a custom one)',
    (_c, t) => t.exe,
  ),
  proc(
    'proc.name',
    'string',
    'the name (excluding the path) of the executable generating the event',
    (_c, t) => t.comm,
  ),
  proc('proc.args', 'string', 'the arguments passed on the command line when starting the process', (_c, t) =>
    joinArgs(t.args),
  ),
  proc('proc.env', 'string', 'the environment variables of the process', (ctx, t) =>
    joinArgs((main(ctx, t) ?? t).env),
  ),
  proc('proc.cmdline', 'string', 'full process command line, i.e. proc.name + proc.args', (_c, t) =>
    cmdline(t),
  ),
  // sinsp writes the exe and a space, then the arguments: a process without arguments ends in a space.
  proc(
    'proc.exeline',
    'string',
    'full process command line, with exe as first argument',
    (_c, t) => `${t.exe} ${joinArgs(t.args)}`,
  ),
  proc('proc.cmdnargs', 'int', 'the number of command line args (proc.args)', (_c, t) => t.args.length),
  proc('proc.cmdlenargs', 'int', 'the total count of characters in the command line args', (_c, t) => {
    let n = 0;
    for (const a of t.args) n += a.length;
    return n;
  }),
  proc('proc.exepath', 'string', 'the full executable path of the process', (_c, t) => t.exepath),
  proc('proc.cwd', 'string', 'the current working directory of the event', (ctx, t) => ctx.state.cwd(t)),
  proc('proc.ppid', 'int', 'the pid of the parent of the process generating the event', (ctx, t) =>
    ppid(ctx, t),
  ),
  // sinsp reads proc.pname from the thread's own parent: for a thread, the thread that created it.
  proc(
    'proc.pname',
    'string',
    'the name (excluding the path) of the parent of the process',
    (ctx, t) => ctx.state.threads.get(t.ptid)?.comm,
  ),
  proc('proc.pcmdline', 'string', 'the full command line (proc.name + proc.args) of the parent', (ctx, t) => {
    const p = ctx.state.threads.get(t.ptid);
    return p ? cmdline(p) : undefined;
  }),
  proc(
    'proc.pexe',
    'string',
    'the first command line argument of the parent process',
    (ctx, t) => ctx.state.threads.get(t.ptid)?.exe,
  ),
  proc(
    'proc.pexepath',
    'string',
    'the full executable path of the parent process',
    (ctx, t) => ctx.state.threads.get(t.ptid)?.exepath,
  ),
  ancestorField(
    'proc.apid',
    'the pid of one of the process ancestors: proc.apid[1] is the parent',
    (a) => a.pid,
  ),
  ancestorField(
    'proc.aname',
    'the name of one of the process ancestors: proc.aname[1] is the parent',
    (a) => a.comm,
  ),
  ancestorField('proc.aexe', 'the first command line argument of one of the process ancestors', (a) => a.exe),
  ancestorField(
    'proc.aexepath',
    'the full executable path of one of the process ancestors',
    (a) => a.exepath,
  ),
  proc(
    'proc.loginshellid',
    'int',
    'the pid of the oldest shell among the ancestors of the process',
    (ctx, t) => {
      // sinsp: the main thread, then its parents; the last one whose name ends in "sh" wins.
      const m = main(ctx, t);
      if (!m) return undefined;
      let res: number | undefined;
      for (const p of [m, ...ancestors(ctx, t)]) if (p.comm.length >= 2 && p.comm.endsWith('sh')) res = p.pid;
      return res;
    },
  ),
  proc(
    'proc.nthreads',
    'int',
    'the number of threads that the process generating the event has',
    (ctx, t) => {
      const m = main(ctx, t);
      return m ? m.nchilds + 1 : undefined;
    },
  ),
  proc(
    'proc.nchilds',
    'int',
    'the number of child threads that the process generating the event has',
    (_c, t) => t.nchilds,
  ),
  proc(
    'proc.fdopencount',
    'int',
    'number of open FDs for the process',
    (ctx, t) => ctx.state.fdTable(t).size,
  ),
  proc(
    'proc.fdlimit',
    'int',
    'maximum number of FDs the process can open',
    (ctx, t) => main(ctx, t)?.fdlimit,
  ),
  proc(
    'proc.fdusage',
    'int',
    'the ratio between open FDs and maximum available FDs for the process',
    (ctx, t) => {
      const lim = (main(ctx, t) ?? t).fdlimit;
      return lim > 0 ? Math.floor((ctx.state.fdTable(t).size * 100) / lim) : undefined;
    },
  ),
  proc('proc.vmsize', 'int', 'total virtual memory for the process (as kb)', (_c, t) => t.vmsizeKb),
  proc('proc.vmrss', 'int', 'resident non-swapped memory for the process (as kb)', (_c, t) => t.vmrssKb),
  proc('proc.vmswap', 'int', 'swapped memory for the process (as kb)', (_c, t) => t.vmswapKb),
  proc('proc.pfmajor', 'int', 'number of major page faults since thread start', (_c, t) => t.pfMajor),
  proc('proc.pfminor', 'int', 'number of minor page faults since thread start', (_c, t) => t.pfMinor),
  proc('proc.sid', 'int', 'the session id of the process generating the event', (_c, t) => t.sid),
  proc('proc.sname', 'string', 'the name of the current process session leader', (ctx, t) => {
    const leader = ctx.state.threads.get(t.sid);
    if (leader) return leader.comm;
    // The leader is gone: the highest ancestor in the same session stands for it (sinsp).
    const m = main(ctx, t);
    if (!m) return undefined;
    let found = m;
    for (const p of ancestors(ctx, t)) {
      if (p.sid !== m.sid) break;
      found = p;
    }
    return found.comm;
  }),
  fromExec(
    proc(
      'proc.vpgid',
      'int',
      'the process group id of the process, as seen from its pid namespace',
      (_c, t) => t.vpgid,
    ),
    'vpgid',
  ),
  proc('proc.pgid', 'int', 'the process group id of the process, as seen from the host', (_c, t) =>
    t.pgid >= 0 ? t.pgid : undefined,
  ),
  fromExec(
    proc(
      'proc.tty',
      'int',
      'the controlling terminal of the process; 0 for processes without a terminal',
      (_c, t) => t.tty,
    ),
    'tty',
  ),
  proc(
    'proc.vpid',
    'int',
    'the id of the process generating the event as seen from its current PID namespace',
    (_c, t) => (t.vpid === -1 ? undefined : t.vpid),
  ),
  proc(
    'proc.is_session_leader',
    'bool',
    "'true' if this process is the leader of its session",
    (_c, t) => t.sid === t.pid,
  ),
  fromExec(
    proc(
      'proc.is_vpgid_leader',
      'bool',
      "'true' if this process is the leader of its process group",
      (_c, t) => t.vpgid === t.vpid,
    ),
    'vpgid',
  ),
  proc(
    'proc.is_container_healthcheck',
    'bool',
    "'true' if this process is a container healthcheck",
    () => false,
  ),
  proc('proc.is_container_liveness_probe', 'bool', "'true' if this process is a liveness probe", () => false),
  proc(
    'proc.is_container_readiness_probe',
    'bool',
    "'true' if this process is a readiness probe",
    () => false,
  ),
  simple('thread.tid', 'int', 'the id of the thread generating the event', (c) => rc(c).view.tid),
  proc(
    'thread.ismain',
    'bool',
    "'true' if the thread generating the event is the main one in the process",
    (_c, t) => t.isMainThread,
  ),
  proc(
    'thread.vtid',
    'int',
    'the id of the thread generating the event as seen from its current PID namespace',
    (_c, t) => (t.vtid === -1 ? undefined : t.vtid),
  ),
  proc(
    'thread.nametid',
    'string',
    'this field chains the process name and tid of a thread',
    (_c, t) => `${t.comm}${t.tid}`,
  ),
  proc(
    'thread.cgroups',
    'string',
    'all the cgroups the thread belongs to, aggregated into a single string',
    (_c, t) => (t.cgroups.length > 0 ? t.cgroups.join(' ') : undefined),
  ),
  {
    name: 'thread.cgroup',
    type: 'string',
    description: 'the cgroup the thread belongs to, for a specific subsystem: thread.cgroup.cpuacct',
    arg: 'required',
    make(arg): Accessor {
      if (!arg) throw new Error('thread.cgroup needs a subsystem: thread.cgroup.SUBSYS');
      const prefix = `${arg}=`;
      return {
        get(c) {
          const t = thread(c);
          if (!t) return undefined;
          for (const cg of t.cgroups) if (cg.startsWith(prefix)) return cg.slice(prefix.length);
          return undefined;
        },
      };
    },
  },
  {
    name: 'thread.exectime',
    type: 'reltime',
    description:
      'on a context switch, the time the thread leaving the CPU ran (ns since the previous switch on that CPU)',
    arg: 'none',
    make: () => execTime(false),
  },
  {
    name: 'thread.totexectime',
    type: 'reltime',
    description: 'on a context switch, the total time the thread has run so far (sum of its thread.exectime)',
    arg: 'none',
    make: () => execTime(true),
  },
  proc('thread.pfmajor', 'int', 'number of major page faults since thread start', (_c, t) => t.pfMajor),
  proc('thread.pfminor', 'int', 'number of minor page faults since thread start', (_c, t) => t.pfMinor),
  fromExec(
    proc(
      'proc.is_exe_writable',
      'bool',
      "'true' if the executable file is writable by the process's user",
      (_c, t) => t.exeWritable,
    ),
    'flags',
  ),
  proc(
    'proc.duration',
    'int',
    'ns since the process started, for processes created during the capture',
    // sinsp measures from the clone that created this thread (m_clone_ts), main thread or not.
    (ctx, t) => {
      if (t.cloneTsHi === 0 && t.cloneTsLo === 0) return undefined;
      return (ctx.view.tsHi - t.cloneTsHi) * 4294967296 + (ctx.view.tsLo - t.cloneTsLo);
    },
  ),
  simple(
    'proc.pidns_init_start_ts',
    'abstime',
    "the start of the thread's pid namespace (its init process; container or host), ns since the epoch",
    (c) => nonZeroTime(rc(c).state.thread?.pidnsInitStartTs),
  ),
  proc(
    'thread.vmsize',
    'int',
    'for the process main thread, the total virtual memory (as kb)',
    (_c, t) => t.vmsizeKb,
  ),
  proc(
    'thread.vmrss',
    'int',
    'for the process main thread, the resident non-swapped memory (as kb)',
    (_c, t) => t.vmrssKb,
  ),
  // libs' caps_to_string: the capability names, separated by blanks (rules test `contains CAP_SYS_ADMIN`).
  fromExec(
    proc('thread.cap_permitted', 'string', 'the permitted capabilities set', (_c, t) =>
      capabilityNames(t.capPermitted).join(' '),
    ),
    'cap_permitted',
  ),
  fromExec(
    proc('thread.cap_effective', 'string', 'the effective capabilities set', (_c, t) =>
      capabilityNames(t.capEffective).join(' '),
    ),
    'cap_effective',
  ),
  fromExec(
    proc('thread.cap_inheritable', 'string', 'the inheritable capabilities set', (_c, t) =>
      capabilityNames(t.capInheritable).join(' '),
    ),
    'cap_inheritable',
  ),
  fromExec(
    proc(
      'proc.is_exe_upper_layer',
      'bool',
      "'true' if the executable file is in the upper layer of an overlayfs (written in the container)",
      (_c, t) => t.exeUpperLayer,
    ),
    'flags',
  ),
  fromExec(
    proc(
      'proc.is_exe_lower_layer',
      'bool',
      "'true' if the executable file is in a lower layer of an overlayfs (from the image)",
      (_c, t) => t.exeLowerLayer,
    ),
    'flags',
  ),
  fromExec(
    proc(
      'proc.is_exe_from_memfd',
      'bool',
      "'true' if the executable file is a memfd (fileless execution)",
      (_c, t) => t.exeFromMemfd,
    ),
    'flags',
  ),
  // libs: inode 0 and times 0 mean unknown.
  fromExec(
    proc('proc.exe_ino', 'int', 'the inode number of the executable file', (_c, t) =>
      t.exeIno === 0 ? undefined : t.exeIno,
    ),
    'exe_ino',
  ),
  fromExec(
    simple('proc.exe_ino.ctime', 'abstime', 'the last status change time of the executable file', (c) =>
      nonZeroTime(rc(c).state.thread?.exeInoCtime),
    ),
    'exe_ino_ctime',
  ),
  fromExec(
    simple('proc.exe_ino.mtime', 'abstime', 'the last modification time of the executable file', (c) =>
      nonZeroTime(rc(c).state.thread?.exeInoMtime),
    ),
    'exe_ino_mtime',
  ),
  fromExec(
    simple(
      'proc.exe_ino.ctime_duration_proc_start',
      'reltime',
      'ns between the last status change of the executable file and the start of the process',
      (c) => {
        const t = rc(c).state.thread;
        if (!t || (t.cloneTsHi === 0 && t.cloneTsLo === 0)) return undefined;
        const ctime = nonZeroTime(t.exeInoCtime);
        if (ctime === undefined) return undefined;
        const d = Number((BigInt(t.cloneTsHi) << 32n) + BigInt(t.cloneTsLo) - ctime);
        return d === 0 ? undefined : d;
      },
    ),
    'exe_ino_ctime',
  ),
];
