// process-tree: every process a capture knows, as a tree of parents and children, with its command line:
//
//   node examples/dist/process-tree.js CAPTURE
//   1 systemd
//     1077 sshd: mstemm@pts/0
//       11310 bash --noediting -i
//         20072 cat /dev/null
//
// "Every process" is those of the capture's metadata (the thread table taken when the capture started)
// plus those the events create (clone, fork, execve). A process that exited during the capture is still
// shown, with the command line it last ran. The state engine of @scapkit/replay's Pipeline maintains the
// table; this program only remembers each process it meets, because the engine forgets exited ones.

import { Pipeline, type StateEngine, type Thread } from '@scapkit/replay';
import { openCaptureFile } from '@scapkit/scap-format/node';
import { type Output, printable, runIfMain, UsageError } from './cli.js';

export async function main(args: string[], out: Output): Promise<void> {
  const [path] = args;
  if (!path) throw new UsageError('usage: process-tree CAPTURE');

  // By pid: the main thread of each process (it carries the process's name, args and parent). Keeping the
  // engine's Thread object, not a copy, costs nothing per event, and an exec seen later updates it.
  const processes = new Map<number, Thread>();
  const remember = (state: StateEngine, t: Thread) => {
    const main = state.mainThread(t);
    if (main) processes.set(main.pid, main);
  };

  const pipeline = new Pipeline({
    // Internal events (procinfo, …) change no process, but they are the only events of some threads:
    // showing them lets the sink see those threads too.
    showInternal: true,
    sink: {
      metadata() {
        // The engine has just loaded the capture's thread table: every process in it is a node.
        for (const t of pipeline.state.threads.values()) remember(pipeline.state, t);
      },
      event(ctx) {
        const t = ctx.state.thread;
        if (t) remember(ctx.state, t);
      },
    },
  });
  await pipeline.run(openCaptureFile(path));

  // Children by parent pid. A process's parent is its main thread's ptid (sysdig's proc.ppid), which is
  // the parent's main thread in practice; a parent the capture does not know makes a root.
  const children = new Map<number, Thread[]>();
  const roots: Thread[] = [];
  for (const p of processes.values()) {
    const parent = p.ptid !== p.pid ? processes.get(p.ptid) : undefined;
    if (parent) {
      const list = children.get(parent.pid);
      if (list) list.push(p);
      else children.set(parent.pid, [p]);
    } else roots.push(p);
  }

  // Depth-first, children by pid. A parent cycle (a reused pid in a long capture) cannot loop: a process is
  // printed once.
  const printed = new Set<number>();
  const print = (p: Thread, depth: number) => {
    if (printed.has(p.pid)) return;
    printed.add(p.pid);
    // proc.cmdline: the name and the arguments. Control characters in trace strings are escaped so an
    // argument cannot rewrite the user's terminal.
    const cmdline = [p.comm, ...p.args].map(printable).join(' ');
    out.write(`${'  '.repeat(depth)}${p.pid} ${cmdline}\n`);
    for (const c of (children.get(p.pid) ?? []).sort((a, b) => a.pid - b.pid)) print(c, depth + 1);
  };
  for (const r of roots.sort((a, b) => a.pid - b.pid)) print(r, 0);
}

runIfMain(import.meta.url, main);
