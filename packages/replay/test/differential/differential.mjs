// The differential check of the state engine on traces scapkit records (issue #17), shared by the test
// (test/differential.integration.test.ts) and the bench (`npm run bench differential`):
//
//   1. record a workload with the real probe (`scapkit record -w trace.scap -- bash workload.sh`, or the
//      whole box for N seconds);
//   2. export it for sysdig (`scapkit export --format scap`);
//   3. print the per-event state (the fields of ../shared/captures/README.md's state.txt) of the export
//      with `scapkit replay -p` and with Debian's `sysdig -r -p`, and compare them line by line (same file,
//      same evt.num);
//   4. print it for the native trace too, and compare scapkit's replay of the native trace with its replay
//      of the export event by event (the export renumbers events and renames a few types; every state
//      column must be the same).
//
// Differences that are sysdig 0.29.3 defects are allowed only through ALLOWED below, each documented in
// packages/replay/docs/differences-from-sysdig.md with its evidence. Everything runs through the commands
// users type (the built CLI, the sysdig binary), with outputs streamed through files: a 60-second recording
// of a busy box prints millions of lines.
import { spawnSync } from 'node:child_process';
import { closeSync, openSync, readSync } from 'node:fs';

/** The state fields of the shared captures' state.txt (../shared/captures/README.md), in its order. */
export const STATE_FIELDS = [
  'evt.num', 'evt.type', 'evt.dir', 'thread.tid', 'proc.pid', 'proc.ppid', 'proc.name', 'proc.exe', 'proc.args',
  'proc.cwd', 'user.uid', 'user.name', 'group.gid', 'fd.num', 'fd.typechar', 'fd.name', 'fd.cip', 'fd.cport',
  'fd.sip', 'fd.sport', 'fd.l4proto', 'evt.res', 'evt.failed', 'container.id', 'container.name',
  'container.image',
]; // biome-ignore format: a table

/** Column separator: the unit separator, which no path or argument list in the workload contains. */
export const SEP = '\x1f';
/** The -p format both tools print. */
export const STATE_FORMAT = `*${STATE_FIELDS.map((f) => `%${f}`).join(SEP)}`;

const col = (name) => STATE_FIELDS.indexOf(name);
const NUM = col('evt.num');
const TYPE = col('evt.type');
const PROC = col('proc.name');
const GID = col('group.gid');
const ARGS = col('proc.args');
const EXE = col('proc.exe');
const TID = col('thread.tid');
const PID = col('proc.pid');
const PPID = col('proc.ppid');
const FDNUM = col('fd.num');
const FD_COLUMNS = [
  'fd.num',
  'fd.typechar',
  'fd.name',
  'fd.cip',
  'fd.cport',
  'fd.sip',
  'fd.sport',
  'fd.l4proto',
].map(col);
const DIR = col('evt.dir');
const FDTYPE = col('fd.typechar');
const FDNAME = col('fd.name');
const UID = col('user.uid');
const UNAME = col('user.name');
const RESULT = col('evt.res');
const FAILED = col('evt.failed');
const TWO32 = 2n ** 32n;
const CLONES = new Set(['clone', 'clone3', 'fork', 'vfork']);
const EXECS = new Set(['execve', 'execveat']);
const DUPS = new Set(['dup', 'dup2', 'dup3', 'fcntl']);
/** fd types whose creating call has flags 0.29.3's event lacks (pipe2, eventfd2, inotify_init1, signalfd4). */
const FLAGLESS = new Set(['p', 'e', 'i', 's']);

/** An fd column pair that names no fd (the fd is not in the table). */
const unknownFd = (c) =>
  (c[FDTYPE] === 'o' || c[FDTYPE] === '<NA>') && (c[FDNAME] === '' || c[FDNAME] === '<NA>');

/**
 * What the allow-list needs to know of the lines before: scapkit's view, kept line by line
 * (observeScapkitLine, called before each line is compared).
 * - `lastName`: each thread's proc.name on its line before;
 * - `startedAgain`: processes whose clone caller sysdig 0.29.3 started again empty (section 13);
 * - `knownFds`: each process's fds as its last lines showed them (type and name);
 * - `droppedByExec`: those a successful execve of the process then closed in scapkit's view.
 */
export function newAllowContext() {
  return {
    lastName: new Map(),
    startedAgain: new Set(),
    knownFds: new Map(),
    droppedByExec: new Map(),
    lastUser: new Map(),
    userByExec: new Map(),
  };
}

/** A thread's user and group as a line shows them. */
const userOf = (c) => `${c[UID]}${SEP}${c[UNAME]}${SEP}${c[GID]}`;

export function observeScapkitLine(ctx, x) {
  const tid = x[TID];
  const pid = x[PID];
  const type = x[TYPE];
  if (x[DIR] === '<' && CLONES.has(type) && ctx.lastName.get(tid) === '<NA>' && x[PROC] !== '<NA>') {
    ctx.startedAgain.add(pid);
  }
  ctx.lastName.set(tid, x[PROC]);
  const user = userOf(x);
  if (x[DIR] === '<' && EXECS.has(type) && x[RESULT] === 'SUCCESS') {
    const before = ctx.lastUser.get(tid);
    if (before !== undefined && before !== user) ctx.userByExec.set(tid, { before, after: user });
  } else if (ctx.userByExec.get(tid)?.after !== user) ctx.userByExec.delete(tid);
  ctx.lastUser.set(tid, user);
  if (x[DIR] === '<' && EXECS.has(type) && x[RESULT] === 'SUCCESS') {
    const fds = ctx.knownFds.get(pid);
    if (fds) {
      const dropped = ctx.droppedByExec.get(pid) ?? new Map();
      for (const [fd, what] of fds) dropped.set(fd, what);
      ctx.droppedByExec.set(pid, dropped);
      ctx.knownFds.delete(pid);
    }
  }
  const fd = x[FDNUM];
  if (fd !== undefined && /^\d+$/.test(fd) && !unknownFd(x)) {
    let fds = ctx.knownFds.get(pid);
    if (!fds) {
      fds = new Map();
      ctx.knownFds.set(pid, fds);
    }
    fds.set(fd, `${x[FDTYPE]}${SEP}${x[FDNAME]}`);
  }
}

/** Whether `tail` is the little-endian bytes, up to the first zero, of the line's tid, pid or ppid. */
function endsWithTidBytes(cols, tail) {
  for (const id of [cols[TID], cols[PID], cols[PPID]]) {
    if (id === undefined || !/^\d+$/.test(id)) continue;
    const le = [];
    for (let v = BigInt(id); v > 0n; v >>= 8n) le.push(Number(v & 0xffn));
    if (tail === new TextDecoder().decode(new Uint8Array(le))) return true;
  }
  return false;
}

/** Whether `tail` is the little-endian bytes of some tid (1 to 3 non-zero bytes, below 2^22). */
function isTidBytes(tail) {
  const b = new TextEncoder().encode(tail);
  if (b.length === 0 || b.length > 3 || b.includes(0)) return false;
  let v = 0;
  for (let i = b.length - 1; i >= 0; i--) v = v * 256 + b[i];
  return v < 1 << 22;
}

/**
 * sysdig 0.29.3 defects the check allows, each a rewrite of sysdig's columns into what scapkit prints
 * (docs/differences-from-sysdig.md, the section named by `doc`), given scapkit's columns for the same
 * event. A line counts as allowed when it equals scapkit's once rewritten.
 */
export const ALLOWED = [
  {
    id: 'gid-reads-nchilds',
    doc: '1. `group.gid` of a thread that has children',
    rewrite(cols) {
      const g = cols[GID];
      if (g === undefined || !/^\d+$/.test(g) || BigInt(g) < TWO32) return false;
      cols[GID] = String(BigInt(g) % TWO32);
      return true;
    },
  },
  {
    id: 'string-read-past-the-parameter',
    doc: '10. A string parameter without its final NUL',
    rewrite(cols, ours) {
      // An argument list the driver cut (4096 bytes) or a process rewrote, or an exe the probe could not
      // read (an empty parameter), has no NUL: sysdig 0.29.3 reads on into the next parameters of the
      // clone or execve exit that set it, up to the tid and its first zero byte. Which thread's exit that
      // was: this one, its process, or its parent.
      let changed = false;
      for (const c of [ARGS, EXE]) {
        const theirs = cols[c];
        const mine = ours?.[c];
        if (theirs === undefined || mine === undefined || theirs === mine || !theirs.startsWith(mine))
          continue;
        const tail = theirs.slice(mine.length);
        // A thread's arguments come from the clone exit of the thread that created it, whose tid the
        // line does not show: then any tid's bytes (below pid_max, 2^22) will do.
        if (!endsWithTidBytes(cols, tail) && !(cols[TID] !== cols[PID] && isTidBytes(tail))) return false;
        cols[c] = mine;
        changed = true;
      }
      return changed;
    },
  },
  {
    id: 'failed-open-shows-its-dirfd',
    doc: '9. Fields current libs answers differently (a failed open relative to a directory fd)',
    rewrite(cols, ours) {
      // sysdig 0.29.3's parse_dirfd makes the directory fd the event's fd as a side effect: a failed
      // openat below a directory fd shows that directory; current libs (and scapkit) the path it tried.
      const dir = cols[FDNAME];
      if (!ours || cols[FAILED] !== 'true' || !ours[TYPE]?.startsWith('openat') || !dir || dir === '<NA>')
        return false;
      if (!ours[FDNAME]?.startsWith(dir.endsWith('/') ? dir : `${dir}/`)) return false;
      cols[FDTYPE] = ours[FDTYPE];
      cols[FDNAME] = ours[FDNAME];
      return true;
    },
  },
  {
    id: 'cloexec-fd-kept-after-execve',
    doc: '6. Close-on-exec fds after execve',
    rewrite(cols, ours, ctx) {
      // sysdig 0.29.3 keeps the fds an execve closed (O_CLOEXEC, F_SETFD, F_DUPFD_CLOEXEC): a later event
      // on that number shows the old file where scapkit, like current libs, knows no fd.
      if (!ours || !ctx || !unknownFd(ours) || unknownFd(cols)) return false;
      const was = ctx.droppedByExec.get(ours[PID])?.get(ours[FDNUM]);
      if (was !== `${cols[FDTYPE]}${SEP}${cols[FDNAME]}`) return false;
      for (const i of FD_COLUMNS) cols[i] = ours[i];
      return true;
    },
  },
  {
    id: 'clone-caller-started-again',
    doc: '13. A clone caller met without identity',
    rewrite(cols, ours, ctx) {
      // A thread that was running before the capture, absent from its tables, calls clone: sysdig 0.29.3
      // drops its entry and starts it again (pid = tid, no parent, no fds) before naming it from the event;
      // its children made from then on inherit the empty fd table. scapkit keeps the fds and, as current
      // libs, takes the pid and parent from the event.
      if (!ours || !ctx) return false;
      const own = ctx.startedAgain.has(ours[PID]);
      if (!own && !ctx.startedAgain.has(ours[PPID])) return false;
      let changed = false;
      if (own && cols[PPID] === '-1' && cols[PPID] !== ours[PPID]) {
        cols[PPID] = ours[PPID];
        changed = true;
      }
      if (own && cols[PID] === cols[TID] && cols[PID] !== ours[PID]) {
        cols[PID] = ours[PID];
        changed = true;
      }
      // (A dup of an fd sysdig no longer knows shows the old fd: its parse_dup_exit stops before it.)
      if (unknownFd(cols) && !unknownFd(ours) && (cols[FDNUM] === ours[FDNUM] || DUPS.has(ours[TYPE]))) {
        for (const i of FD_COLUMNS) cols[i] = ours[i];
        changed = true;
      }
      return changed;
    },
  },
  {
    id: 'export-cannot-carry-exec-uid',
    doc: '14. A set-user-ID or set-group-ID execve',
    rewrite(cols, ours, ctx) {
      // The execve exit of 0.29.3's layout has no uid or gid: a set-user-ID program's new credentials
      // reach scapkit's replay of the export but not sysdig, which keeps the ones before the execve
      // until the thread changes them by a call of its own.
      const changed = ours && ctx?.userByExec.get(ours[TID]);
      if (!changed || userOf(cols) !== changed.before || userOf(ours) !== changed.after) return false;
      cols[UID] = ours[UID];
      cols[UNAME] = ours[UNAME];
      cols[GID] = ours[GID];
      return true;
    },
  },
  {
    id: 'mmsg-exit-without-parameters',
    doc: '9. Fields current libs answers differently (sendmmsg and recvmmsg exits)',
    rewrite(cols, ours) {
      // 0.29.3's sendmmsg and recvmmsg exits have no parameters in its table: it reads no res from the
      // export's (which carries the current ones) and prints evt.res <NA>.
      if (!ours || (ours[TYPE] !== 'sendmmsg' && ours[TYPE] !== 'recvmmsg') || cols[RESULT] !== '<NA>')
        return false;
      cols[RESULT] = ours[RESULT];
      return true;
    },
  },
  {
    id: 'sockopt-fd-from-the-last-enter',
    doc: '11. The fd of setsockopt and getsockopt',
    rewrite(cols, ours) {
      // sysdig 0.29.3 takes the fd of these exits from the thread's last enter event, even though the exit
      // carries its own (and the export writes no enter event for them: 0.29.3's have no parameter).
      if (
        !ours ||
        (cols[TYPE] !== 'setsockopt' && cols[TYPE] !== 'getsockopt') ||
        cols[FDNUM] === ours[FDNUM]
      ) {
        return false;
      }
      for (const i of FD_COLUMNS) cols[i] = ours[i];
      return true;
    },
  },
];

/** Reads a printed output one record at a time (a record starts with its evt.num and a separator). */
export class RecordReader {
  constructor(path) {
    this.fd = openSync(path, 'r');
    this.buf = Buffer.alloc(1 << 20);
    this.text = '';
    this.pos = 0;
    this.eof = false;
    this.pending = undefined;
  }

  line() {
    for (;;) {
      const nl = this.text.indexOf('\n', this.pos);
      if (nl >= 0) {
        const l = this.text.slice(this.pos, nl);
        this.pos = nl + 1;
        return l;
      }
      if (this.eof) {
        if (this.pos < this.text.length) {
          const l = this.text.slice(this.pos);
          this.pos = this.text.length;
          return l;
        }
        return undefined;
      }
      const n = readSync(this.fd, this.buf, 0, this.buf.length, null);
      if (n === 0) this.eof = true;
      this.text = this.text.slice(this.pos) + this.buf.toString('utf8', 0, n);
      this.pos = 0;
    }
  }

  /** The next record's columns, or undefined at the end. */
  next() {
    let rec = this.pending ?? this.line();
    this.pending = undefined;
    if (rec === undefined) return undefined;
    for (;;) {
      const l = this.line();
      if (l === undefined) break;
      if (/^\d+\x1f/.test(l)) {
        this.pending = l;
        break;
      }
      rec += `\n${l}`; // a value with a newline in it
    }
    const cols = rec.split(SEP);
    // An argument list may hold the separator itself (a `replay -p` of this very check running on the box
    // that is recorded): the surplus columns are proc.args'.
    const extra = cols.length - STATE_FIELDS.length;
    if (extra > 0) cols.splice(ARGS, extra + 1, cols.slice(ARGS, ARGS + extra + 1).join(SEP));
    return cols;
  }

  close() {
    closeSync(this.fd);
  }
}

function newReport(what) {
  return {
    what,
    total: 0,
    identical: 0,
    allowed: 0,
    byProcess: new Map(),
    byColumn: new Map(),
    allowedBy: new Map(),
    examples: [],
  };
}

function count(map, key, field) {
  let e = map.get(key);
  if (!e) {
    e = { lines: 0, differing: 0 };
    map.set(key, e);
  }
  e[field]++;
}

function recordDifference(report, want, got, skip) {
  const cols = [];
  const n = Math.max(want?.length ?? 0, got?.length ?? 0);
  for (let i = 0; i < n; i++) {
    if (skip.includes(i)) continue;
    if (want?.[i] !== got?.[i]) cols.push(i);
  }
  for (const i of cols) {
    const name = STATE_FIELDS[i] ?? `column ${i}`;
    report.byColumn.set(name, (report.byColumn.get(name) ?? 0) + 1);
  }
  const proc = (want ?? got)?.[PROC] ?? '?';
  count(report.byProcess, proc, 'differing');
  // A few examples per process, so that one noisy process does not hide the others.
  const shown = report.examples.filter((e) => e.proc === proc).length;
  if (shown < 8 && report.examples.length < 400) {
    const show = (c) => (c ? cols.map((i) => `${STATE_FIELDS[i]}=${c[i]}`).join(' ') : '(missing)');
    const e = want ?? got;
    report.examples.push({
      proc,
      text: `evt ${e[NUM]} ${proc} ${e[TYPE]}: want ${show(want)} | got ${show(got)}`,
    });
  }
}

/**
 * Compares scapkit's and sysdig's prints of the same file by evt.num; `sysdig` is the reference. Lines
 * only one tool printed count as differing.
 */
export function compareWithSysdig(scapkitFile, sysdigFile) {
  const report = newReport('scapkit replay vs sysdig -r, same export');
  const a = new RecordReader(scapkitFile);
  const b = new RecordReader(sysdigFile);
  const ctx = newAllowContext();
  let x = a.next();
  let y = b.next();
  while (x || y) {
    const nx = x ? Number(x[NUM]) : Number.POSITIVE_INFINITY;
    const ny = y ? Number(y[NUM]) : Number.POSITIVE_INFINITY;
    report.total++;
    if (nx !== ny) {
      // One tool printed an event the other did not.
      const only = nx < ny ? x : y;
      if (nx < ny) observeScapkitLine(ctx, x);
      count(report.byProcess, only[PROC], 'lines');
      recordDifference(report, nx < ny ? undefined : y, nx < ny ? x : undefined, []);
      if (nx < ny) x = a.next();
      else y = b.next();
      continue;
    }
    count(report.byProcess, y[PROC], 'lines');
    observeScapkitLine(ctx, x);
    if (x.join(SEP) === y.join(SEP)) report.identical++;
    else {
      const want = y.slice();
      const used = ALLOWED.filter((d) => d.rewrite(want, x, ctx));
      if (used.length > 0 && want.join(SEP) === x.join(SEP)) {
        report.allowed++;
        for (const d of used) report.allowedBy.set(d.id, (report.allowedBy.get(d.id) ?? 0) + 1);
      } else recordDifference(report, y, x, []);
    }
    x = a.next();
    y = b.next();
  }
  a.close();
  b.close();
  return report;
}

/**
 * What the export for sysdig 0.29.3 cannot carry, and so may differ between scapkit's replay of the
 * native trace and of the export (each documented in differences-from-sysdig.md, "The export for sysdig
 * 0.29.3"):
 * - strings over libscap's limits are cut (exe, cwd, fd names 1023 bytes, argument lists 4096);
 * - calls 0.29.3 has no event for (epoll_create1, memfd_create, prctl, fchown …) are written as generic
 *   syscall events, which carry no fd and no result: their own line, and what they did to the state
 *   (a new fd, a new name by prctl), differ until that fd or name is replaced;
 * - fd types 0.29.3 lacks (bpf, userfaultfd, io_uring, memfd, pidfd) of the fds open when the capture
 *   started are written as types it has: their fd.typechar differs (DOWNGRADED_TYPECHAR).
 */
export const EXPORT_LIMITS = [
  { id: 'export-cuts-long-strings', doc: "The export for sysdig 0.29.3: strings over libscap's limits" },
  {
    id: 'export-writes-unknown-calls-as-generic',
    doc: 'The export for sysdig 0.29.3: calls 0.29.3 has no event for',
  },
  {
    id: 'export-drops-creation-flags',
    doc: 'The export for sysdig 0.29.3: the creation flags of pipe2, eventfd2, inotify_init1, signalfd4',
  },
  { id: 'export-downgrades-fd-types', doc: 'The export for sysdig 0.29.3: fd types newer than 0.29.3' },
];

/**
 * fd types 0.29.3's fd list cannot hold (above FILE_V2), by the character scapkit prints for them, and
 * the one the export's type prints instead (sysdig/downgrade.ts, downgradeFd): a memfd becomes a file,
 * the others (bpf, userfaultfd, io_uring, pidfd) unsupported. Only fds the capture found open (its /proc
 * scan) reach the export this way; those made during it come from generic events (above). A unix socket
 * also prints `u`, but keeps its type in the export: a `u` printed as `X` is a userfaultfd.
 */
const DOWNGRADED_TYPECHAR = new Map([
  ['b', 'X'],
  ['u', 'X'],
  ['r', 'X'],
  ['P', 'X'],
  ['m', 'f'],
]);

const CUT_COLUMNS = ['proc.exe', 'proc.args', 'proc.cwd', 'fd.name'].map(col);
const NAME = col('proc.name');

/** Whether export value `b` is native value `a` cut to one of libscap's limits. */
function cutByExport(a, b) {
  return a !== b && a.startsWith(b) && Buffer.byteLength(a) > 1000;
}

/**
 * Compares scapkit's print of the native trace with its print of the export, event by event in order:
 * every column but evt.num (the export adds state-only enter events, which take numbers) and evt.type
 * (it renames the events 0.29.3 knows under another name: dup2 → dup, accept4 → accept, …). Differences
 * the export cannot avoid (EXPORT_LIMITS) count as allowed.
 */
export async function compareNativeWithExport(nativeFile, exportFile) {
  const { sysdigEventName } = await import('@scapkit/scap-format');
  const report = newReport('scapkit replay: native trace vs its export');
  const a = new RecordReader(nativeFile);
  const b = new RecordReader(exportFile);
  const skip = [NUM, TYPE];
  // What generic events left different: fds (pid/fd) and thread names (tid), until they agree again.
  const taintedFds = new Set();
  const taintedNames = new Set();
  const allow = (id) => {
    report.allowed++;
    report.allowedBy.set(id, (report.allowedBy.get(id) ?? 0) + 1);
  };
  for (;;) {
    const x = a.next();
    const y = b.next();
    if (!x && !y) break;
    report.total++;
    count(report.byProcess, (x ?? y)[PROC], 'lines');
    if (x && y && same(x, y, skip)) {
      report.identical++;
      taintedFds.delete(`${x[PID]}/${x[FDNUM]}`);
      taintedNames.delete(x[TID]);
      continue;
    }
    if (!x || !y) {
      recordDifference(report, x, y, skip);
      continue;
    }
    const differing = [];
    for (let i = 0; i < Math.max(x.length, y.length); i++)
      if (!skip.includes(i) && x[i] !== y[i]) differing.push(i);
    const fdKey = `${x[PID]}/${x[FDNUM]}`;
    if (differing.every((i) => CUT_COLUMNS.includes(i) && cutByExport(x[i], y[i]))) {
      allow('export-cuts-long-strings');
    } else if (
      differing.length === 1 &&
      differing[0] === FDTYPE &&
      DOWNGRADED_TYPECHAR.get(x[FDTYPE]) === y[FDTYPE]
    ) {
      // An fd of a type 0.29.3 lacks, open before the capture: a recorder's or a test worker's bpf fds,
      // which it closes while the box is recorded.
      allow('export-downgrades-fd-types');
    } else if (differing.every((i) => FD_COLUMNS.includes(i)) && unknownFd(x) && FLAGLESS.has(y[FDTYPE])) {
      // A pipe2/eventfd2/inotify_init1/signalfd4 fd made with its CLOEXEC flag, which an execve closed:
      // 0.29.3's events of those calls have no flags, so the replay of the export keeps it.
      allow('export-drops-creation-flags');
    } else if (
      DUPS.has(x[TYPE]) &&
      taintedFds.has(`${y[PID]}/${y[FDNUM]}`) &&
      differing.every((i) => FD_COLUMNS.includes(i) || (i === NAME && taintedNames.has(x[TID])))
    ) {
      // A dup of an fd the export could not make (a generic event's): the copy is unknown too.
      taintedFds.add(fdKey);
      allow('export-writes-unknown-calls-as-generic');
    } else if (sysdigEventName(x[TYPE], x[DIR]) === undefined) {
      // A generic event in the export: no fd, no result; what it did is remembered.
      if (differing.some((i) => FD_COLUMNS.includes(i))) taintedFds.add(fdKey);
      if (differing.includes(NAME) || x[TYPE] === 'prctl') taintedNames.add(x[TID]);
      allow('export-writes-unknown-calls-as-generic');
    } else if (
      differing.every(
        (i) =>
          (FD_COLUMNS.includes(i) && taintedFds.has(fdKey)) ||
          (i === NAME && taintedNames.has(x[TID])) ||
          (CUT_COLUMNS.includes(i) && cutByExport(x[i], y[i])),
      )
    ) {
      allow('export-writes-unknown-calls-as-generic');
    } else {
      recordDifference(report, x, y, skip);
    }
  }
  a.close();
  b.close();
  return report;
}

function same(x, y, skip) {
  if (x.length !== y.length) return false;
  for (let i = 0; i < x.length; i++) if (!skip.includes(i) && x[i] !== y[i]) return false;
  return true;
}

/** Identical (and allowed) lines, in percent. */
export function identicalPercent(r) {
  return r.total === 0 ? 100 : (100 * (r.identical + r.allowed)) / r.total;
}

/** The report as text: totals, then the processes and columns with differences, worst first. */
export function formatReport(r, top = 15) {
  const out = [];
  const pct = identicalPercent(r);
  out.push(
    `${r.what}: ${pct.toFixed(3)}% identical (${r.identical + r.allowed} of ${r.total} lines; ${r.allowed} allowed)`,
  );
  for (const [id, n] of r.allowedBy) out.push(`  allowed ${id}: ${n} lines`);
  const procs = [...r.byProcess]
    .filter(([, e]) => e.differing > 0)
    .sort((p, q) => q[1].differing - p[1].differing);
  if (procs.length) {
    out.push('  by process (differing of lines, identical %):');
    for (const [name, e] of procs.slice(0, top)) {
      out.push(
        `    ${name.padEnd(20)} ${String(e.differing).padStart(8)} of ${String(e.lines).padStart(8)}  ${(100 - (100 * e.differing) / Math.max(1, e.lines)).toFixed(2)}%`,
      );
    }
  }
  const cols = [...r.byColumn].sort((p, q) => q[1] - p[1]);
  if (cols.length) {
    out.push('  by column (differing lines):');
    for (const [name, n] of cols.slice(0, top)) out.push(`    ${name.padEnd(20)} ${String(n).padStart(8)}`);
  }
  return out.join('\n');
}

/** Runs FILE ARGS with stdout into `outPath`; throws with its stderr when it fails. */
export function runToFile(file, args, outPath, opts = {}) {
  const fd = openSync(outPath, 'w');
  try {
    const r = spawnSync(file, args, {
      stdio: ['ignore', fd, 'pipe'],
      env: { ...process.env, TZ: 'UTC' },
      maxBuffer: 1 << 26,
      ...opts,
    });
    if (r.error) throw r.error;
    if (r.status !== 0 && !(opts.okCodes ?? []).includes(r.status)) {
      throw new Error(
        `${file} ${args.join(' ')} exited ${r.status ?? r.signal}: ${String(r.stderr).slice(0, 2000)}`,
      );
    }
    return r;
  } finally {
    closeSync(fd);
  }
}

/**
 * The whole check on a recorded trace: export, print with both tools, compare. `bin` is scapkit's CLI
 * script, `dir` a scratch directory. Resolves both reports.
 */
export async function checkTrace({ bin, trace, dir, sysdig = '/usr/bin/sysdig' }) {
  const exported = `${dir}/export.scap`;
  runToFile(process.execPath, [bin, 'export', '-r', trace, '-w', exported, '--format', 'scap'], '/dev/null', {
    okCodes: [3],
  });
  const files = {
    native: `${dir}/native.txt`,
    scapkit: `${dir}/scapkit.txt`,
    sysdig: `${dir}/sysdig.txt`,
  };
  runToFile(process.execPath, [bin, 'replay', '-r', trace, '-p', STATE_FORMAT], files.native, {
    okCodes: [3],
  });
  runToFile(process.execPath, [bin, 'replay', '-r', exported, '-p', STATE_FORMAT], files.scapkit, {
    okCodes: [3],
  });
  runToFile(sysdig, ['-r', exported, '-p', STATE_FORMAT], files.sysdig);
  return {
    sysdig: compareWithSysdig(files.scapkit, files.sysdig),
    native: await compareNativeWithExport(files.native, files.scapkit),
  };
}
