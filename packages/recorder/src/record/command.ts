// `scapkit record -- CMD`: running CMD, its exit status (what the recorder exits with, as `time` and
// strace do), and ending CMD together with everything it started when the recording stops first (-M, -n,
// a signal, an error). CMD runs in the recorder's own session and process group, in the
// foreground of the terminal like any command a shell runs (an interactive shell or a password prompt
// under `record --` keeps its terminal; Ctrl-C reaches both). So the recorder cannot signal a process group
// of CMD's: it ends CMD's process tree as read from /proc instead, SIGTERM first and SIGKILL after a grace
// period, as `timeout -k` would.
import { type ChildProcess, spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { constants } from 'node:os';

/** `-- CMD` could not be started (not found, not executable). */
export class CommandStartError extends Error {
  override readonly name = 'CommandStartError';
}

/** How CMD ended. */
export interface CommandExit {
  /** The command as typed (its first word). */
  name: string;
  /** Its exit code, when it exited. */
  code: number | null;
  /** The signal that killed it, when one did. */
  signal: NodeJS.Signals | null;
  /** The status a shell reports: the exit code, or 128 + the signal's number. */
  status: number;
}

/** `sh exited with status 42`, `sh was killed by SIGSEGV (status 139)`. */
export function describeExit(e: CommandExit): string {
  return e.signal
    ? `${e.name} was killed by ${e.signal} (status ${e.status})`
    : `${e.name} exited with status ${e.status}`;
}

/**
 * CMD, started in the recorder's process group and the terminal's foreground with the recorder's stdio.
 * `exited` resolves when it exits or fails to start (then with a CommandStartError).
 */
export class TracedCommand {
  readonly exited: Promise<CommandExit>;
  private readonly child: ChildProcess;

  constructor(argv: readonly string[]) {
    const [cmd, ...args] = argv;
    const name = cmd ?? '';
    this.child = spawn(name, args, { stdio: 'inherit' });
    this.exited = new Promise((resolve, reject) => {
      this.child.on('error', (e) => reject(new CommandStartError(`cannot run ${name}: ${e.message}`)));
      this.child.on('exit', (code, signal) => {
        const signo = signal ? (constants.signals[signal] ?? 0) : 0;
        resolve({ name, code, signal, status: code ?? 128 + signo });
      });
    });
    this.exited.catch(() => undefined); // observed by the session; never an unhandled rejection
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  /** Whether CMD is still running. */
  get running(): boolean {
    return this.child.pid !== undefined && this.child.exitCode === null && this.child.signalCode === null;
  }

  /** Ends CMD and its process tree if it still runs (see endCommandTree); resolves once they are gone. */
  async end(): Promise<void> {
    if (this.running) await endCommandTree(this.child.pid!);
  }
}

/** How long CMD's processes have after the SIGTERM before the recorder sends SIGKILL. */
export const COMMAND_KILL_GRACE_MS = 3000;
/** After the SIGKILL: how long to wait for them to be gone before the recorder exits anyway. */
const KILL_WAIT_MS = 2000;
const POLL_MS = 50;

interface Proc {
  ppid: number;
  /** Start time in clock ticks since boot (field 22): with the pid, names one process even if the pid
   *  is reused meanwhile. */
  start: string;
  /** A zombie (or dead) process is as good as gone: one reparented to a PID 1 that does not reap (some
   *  containers) stays a zombie. */
  dead: boolean;
}

function readProcs(): Map<number, Proc> {
  const out = new Map<number, Proc>();
  let names: string[];
  try {
    names = readdirSync('/proc');
  } catch {
    return out;
  }
  for (const name of names) {
    const pid = Number(name);
    if (!Number.isInteger(pid) || pid <= 0) continue;
    let stat: string;
    try {
      stat = readFileSync(`/proc/${pid}/stat`, 'latin1');
    } catch {
      continue; // gone meanwhile
    }
    // pid (comm) state ppid …: comm may hold spaces and parentheses, so split after the last ')'.
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    out.set(pid, { ppid: Number(f[1]), start: f[19] ?? '', dead: f[0] === 'Z' || f[0] === 'X' });
  }
  return out;
}

/**
 * The processes of `root`'s tree: `root` and its descendants, added to `known` (pid → start time).
 * Processes stay known after their parent has died and they were reparented, so a second look still
 * finds the jobs of a shell that the SIGTERM ended.
 */
function collectTree(root: number, procs: Map<number, Proc>, known: Map<number, string>): void {
  const r = procs.get(root);
  if (r && !known.has(root)) known.set(root, r.start);
  for (let grew = true; grew; ) {
    grew = false;
    for (const [pid, p] of procs) {
      if (known.has(pid)) continue;
      const parentStart = known.get(p.ppid);
      if (parentStart !== undefined && procs.get(p.ppid)?.start === parentStart) {
        known.set(pid, p.start);
        grew = true;
      }
    }
  }
}

/** The known processes that are still alive (same pid and start time, not a zombie). */
function alive(procs: Map<number, Proc>, known: Map<number, string>): number[] {
  const out: number[] = [];
  for (const [pid, start] of known) {
    const p = procs.get(pid);
    if (p && p.start === start && !p.dead) out.push(pid);
  }
  return out;
}

function signalAll(pids: number[], sig: NodeJS.Signals): void {
  for (const pid of pids) {
    try {
      process.kill(pid, sig);
    } catch {
      // ESRCH: gone meanwhile
    }
  }
}

/**
 * Ends CMD (`rootPid`) and every process it started that is still in its tree: SIGTERM (and SIGCONT, for
 * a stopped one), then SIGKILL to whatever is left after `graceMs`. Resolves once they are all gone, or
 * KILL_WAIT_MS after the SIGKILL (a process in uninterruptible sleep dies when the kernel lets it). A
 * process that left the tree before the stop (a daemon that double-forked) is not CMD's to end.
 */
export async function endCommandTree(rootPid: number, graceMs = COMMAND_KILL_GRACE_MS): Promise<void> {
  const known = new Map<number, string>();
  const end = Date.now() + graceMs;
  let killed = false;
  for (;;) {
    const procs = readProcs();
    collectTree(rootPid, procs, known);
    const live = alive(procs, known);
    if (live.length === 0) return;
    if (!killed && Date.now() >= end) {
      signalAll(live, 'SIGKILL');
      killed = true;
    } else if (killed && Date.now() >= end + KILL_WAIT_MS) {
      return;
    } else if (!killed) {
      // Every round: a process forked since the last one gets its SIGTERM too.
      signalAll(live, 'SIGTERM');
      signalAll(live, 'SIGCONT');
    }
    await new Promise((r) => setTimeout(r, POLL_MS));
  }
}
