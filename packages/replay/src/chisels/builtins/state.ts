// The "System State" chisels. Like sysdig's, they end the capture at the first event they see
// (sysdig.end_capture) and print the tables as they are then: containers (lscontainers), threads (ps),
// open fds (lsof), IP connections (netstat); proctree (scapkit's own) prints the process hierarchy.
// The tables are read once, at that first event, so nothing is done per event.
import { EVENTS, EventBatchBuilder, type EventView, encodeEvent, FdType } from '@scapkit/scap-format';
import { ReplayContext } from '../../fields/context.js';
import type { CompiledFilter } from '../../filter/index.js';
import type { StateEngine } from '../../state/engine.js';
import { type FdEntry, fdTypeString } from '../../state/fd.js';
import { NO_ID, type Thread } from '../../state/thread.js';
import { extendString, formatBytes, luaNumber } from '../text.js';
import type { ChiselDefinition, ChiselEnv, ChiselHandlers, ChiselOut } from '../types.js';

const u32 = (n: number) => n >>> 0;

/** sinsp's username for a thread: `<NA>` for an unknown uid. */
function userName(state: StateEngine, t: Thread): string {
  if (t.uid === NO_ID) return '<NA>';
  return state.users.get(t.uid)?.name ?? '<NA>';
}

/** sinsp_fdinfo::tostring_clean: the name without its non-printable characters. */
function cleanName(s: string): string {
  return /[^\x20-\x7e]/.test(s) ? s.replace(/[^\x20-\x7e]/g, '') : s;
}

/** Threads by ascending tid (the Lua chisels sort the table's keys, uint32 tids). */
function sortedThreads(state: StateEngine): Thread[] {
  return [...state.threads.values()].sort((a, b) => u32(a.tid) - u32(b.tid));
}

/** Fds of a thread's table (its process's when shared) by ascending number. */
function sortedFds(state: StateEngine, t: Thread): FdEntry[] {
  return state
    .fdTable(t)
    .values()
    .sort((a, b) => u32(a.fd) - u32(b.fd));
}

/**
 * Evaluates a filter against one thread and fd, as sysdig's get_thread_table does: a made-up read event of
 * that thread on that fd, so fd.* and proc.* fields answer for them.
 */
class FdFilter {
  private readonly filter: CompiledFilter;
  private readonly ctx: ReplayContext;
  private readonly view: EventView;

  constructor(filter: CompiledFilter, state: StateEngine) {
    this.filter = filter;
    this.ctx = new ReplayContext(state);
    this.view = this.ctx.view;
    const b = new EventBatchBuilder(256);
    const readEnter = EVENTS.findIndex((e) => e.name === 'read' && e.dir === '>');
    encodeEvent(b, { ts: 0n, tid: 0, type: readEnter, params: [0, 0] });
    this.view.at(b.take(), 0);
  }

  match(t: Thread, e: FdEntry): boolean {
    const s = this.ctx.state;
    const saved = [s.thread, s.fd, t.lastEventFd] as const;
    s.thread = t;
    s.fd = e;
    t.lastEventFd = e.fd;
    try {
      return this.filter.match(this.ctx);
    } finally {
      s.thread = saved[0];
      s.fd = saved[1];
      t.lastEventFd = saved[2];
    }
  }
}

/** One thread of get_thread_table: the thread and the fds that passed the filter (all without one). */
interface ThreadRow {
  t: Thread;
  fds: FdEntry[];
}

/** sysdig's get_thread_table(filter): threads with at least one matching fd (all threads without a filter). */
function threadTable(state: StateEngine, filter: CompiledFilter | undefined): ThreadRow[] {
  const f = filter ? new FdFilter(filter, state) : undefined;
  const out: ThreadRow[] = [];
  for (const t of sortedThreads(state)) {
    const fds = sortedFds(state, t);
    if (!f) {
      out.push({ t, fds });
      continue;
    }
    const kept = fds.filter((e) => f.match(t, e));
    if (kept.length > 0) out.push({ t, fds: kept });
  }
  return out;
}

/**
 * The shared shape of ps, lsof and netstat: on the first event, stop the capture and render the table into
 * lines; at the end print them, or sysdig's message when no event came.
 */
function snapshotChisel(render: (ctx: ReplayContext) => string[], header: string): ChiselHandlers {
  let lines: string[] | undefined;
  return {
    onEvent(ctx, ctl) {
      lines = render(ctx);
      ctl.stop();
    },
    onEnd(out: ChiselOut) {
      if (lines === undefined) {
        out('empty capture or no event matching the filter');
        return;
      }
      out(header);
      for (const l of lines) out(l);
    },
  };
}

function optionalFilter(env: ChiselEnv, text: string | undefined): CompiledFilter | undefined {
  return text !== undefined && text !== '' ? env.compileFilter(text) : undefined;
}

const FILTER_ARG = {
  name: 'filter',
  type: 'filter' as const,
  optional: true,
};

export const ps: ChiselDefinition = {
  name: 'ps',
  category: 'System State',
  description: 'List (and optionally filter) the machine processes.',
  details:
    'This chisel prints the process list, with an output similar to the one of ps. Output is at a point in time: the first event of the capture (adjust it with a filter).',
  args: [
    {
      ...FILTER_ARG,
      description:
        "A sysdig-like filter expression that allows restricting the FD list. E.g. 'proc.name=foo'.",
    },
  ],
  create(args, env) {
    const filter = optionalFilter(env, args.filter);
    const header =
      extendString('TID', 8) +
      extendString('PID', 8) +
      extendString('USER', 12) +
      extendString('VIRT', 11) +
      extendString('RES', 11) +
      extendString('FDLIMIT', 10) +
      extendString('CMD', 20);
    return snapshotChisel(
      (ctx) =>
        threadTable(ctx.state, filter).map(
          ({ t }) =>
            extendString(luaNumber(u32(t.tid)), 8) +
            extendString(luaNumber(u32(t.pid)), 8) +
            extendString(userName(ctx.state, t), 12) +
            extendString(formatBytes(u32(t.vmsizeKb) * 1024), 11) +
            extendString(formatBytes(u32(t.vmrssKb) * 1024), 11) +
            extendString(luaNumber(u32(t.fdlimit)), 10) +
            t.comm,
        ),
      header,
    );
  },
};

export const lsof: ChiselDefinition = {
  name: 'lsof',
  category: 'System State',
  description: 'List (and optionally filter) the open file descriptors.',
  details:
    'This chisel prints the open file descriptors for every process in the system, with an output that is similar to the one of lsof. Output is at a point in time: the first event of the capture (adjust it with a filter).',
  args: [
    {
      ...FILTER_ARG,
      description:
        "A sysdig-like filter expression that allows restricting the FD list. E.g. 'proc.name=foo and fd.name contains /etc'.",
    },
  ],
  create(args, env) {
    const filter = optionalFilter(env, args.filter);
    const header =
      extendString('COMMAND', 20) +
      extendString('PID', 8) +
      extendString('TID', 8) +
      extendString('USER', 8) +
      extendString('FD', 8) +
      extendString('TYPE', 12) +
      'NAME';
    return snapshotChisel((ctx) => {
      const lines: string[] = [];
      for (const { t, fds } of threadTable(ctx.state, filter)) {
        const prefix =
          extendString(t.comm, 20) +
          extendString(luaNumber(u32(t.pid)), 8) +
          extendString(luaNumber(u32(t.tid)), 8) +
          extendString(userName(ctx.state, t), 8);
        for (const e of fds) {
          lines.push(
            prefix +
              extendString(luaNumber(u32(e.fd)), 8) +
              extendString(fdTypeString(e.type), 12) +
              cleanName(e.name),
          );
        }
      }
      return lines;
    }, header);
  },
};

const L4_NAMES = ['<NA>', '<NA>', 'tcp', 'udp', 'icmp', 'raw'];

export const netstat: ChiselDefinition = {
  name: 'netstat',
  category: 'System State',
  description: 'List (and optionally filter) network connections.',
  details:
    'This chisel prints the active network connections, with an output similar to the one of netstat. Output is at a point in time: the first event of the capture (adjust it with a filter).',
  args: [
    {
      ...FILTER_ARG,
      description:
        "A sysdig-like filter expression that allows restricting the FD list. E.g. 'proc.name=foo and fd.port=80'.",
    },
  ],
  create(args, env) {
    const base = '(fd.type=ipv4 or fd.type=ipv6)';
    const filter = env.compileFilter(args.filter ? `${base} and (${args.filter})` : base);
    const header =
      extendString('Proto', 6) +
      extendString('Server Address', 25) +
      extendString('Client Address', 25) +
      extendString('State', 15) +
      'TID/PID/Program Name';
    return snapshotChisel((ctx) => {
      const lines: string[] = [];
      for (const { t, fds } of threadTable(ctx.state, filter)) {
        for (const e of fds) {
          const serv = e.type === FdType.IPV4_SERVSOCK || e.type === FdType.IPV6_SERVSOCK;
          // sinsp: a connected socket's server end is the tuple's destination, its client end the source.
          const sip = e.dip;
          const sport = e.dport;
          const client = serv ? '0.0.0.0:*' : `${e.sip}:${e.sport}`;
          lines.push(
            extendString(L4_NAMES[e.l4proto] ?? '<NA>', 6) +
              extendString(`${sip}:${sport}`, 25) +
              extendString(client, 25) +
              extendString(serv ? 'LISTEN' : 'ESTABLISHED', 15) +
              `${u32(t.tid)}/${u32(t.pid)}/${t.comm}`,
          );
        }
      }
      return lines;
    }, header);
  },
};

export const lscontainers: ChiselDefinition = {
  name: 'lscontainers',
  category: 'System State',
  description: 'List the running containers',
  details: 'List the running containers and the metadata',
  args: [{ name: 'desc', description: "'desc' prints the result set as a data structure", optional: true }],
  create(args) {
    const desc = args.desc === 'desc';
    type Row = { type: string; image: string; name: string; id: string };
    const table = (state: StateEngine): Row[] =>
      [...state.containers.values()].map((c) => ({ type: c.type, image: c.image, name: c.name, id: c.id }));
    let snapshot: Row[] | undefined;
    return {
      onEvent(ctx, ctl) {
        snapshot = table(ctx.state);
        ctl.stop();
      },
      onEnd(out, info) {
        // Without any event sysdig still prints the table, as it is at the end.
        const rows = snapshot ?? table(info.state);
        if (desc) {
          for (const l of JSON.stringify(rows, null, 1).split('\n')) out(l);
          return;
        }
        out(
          extendString('container.type', 15) +
            extendString('container.image', 16) +
            extendString('container.name', 20) +
            extendString('container.id', 13),
        );
        out(
          extendString('-'.repeat(15), 15) +
            extendString('-'.repeat(16), 16) +
            extendString('-'.repeat(20), 20) +
            extendString('-'.repeat(13), 13),
        );
        for (const c of rows) {
          out(
            extendString(c.type, 15) +
              extendString(c.image, 16) +
              extendString(c.name, 20) +
              extendString(c.id, 13),
          );
        }
      },
    };
  },
};

export const proctree: ChiselDefinition = {
  name: 'proctree',
  category: 'System State',
  description: 'Show the process tree (pid, name, arguments)',
  details:
    "Prints the processes as a tree, each under its parent: pid, name and arguments, threads counted. 'start' shows the tree as the capture begins (after its first event), 'end' (the default) as it ends. Not a sysdig chisel.",
  args: [{ name: 'at', description: "'start' or 'end' (default): when to take the tree", optional: true }],
  create(args) {
    if (args.at !== undefined && args.at !== 'start' && args.at !== 'end') {
      throw new Error(`proctree: 'at' must be 'start' or 'end', not '${args.at}'`);
    }
    const atStart = args.at === 'start';
    let lines: string[] | undefined;
    return {
      onEvent(ctx, ctl) {
        if (!atStart) return;
        lines = processTree(ctx.state);
        ctl.stop();
      },
      onEnd(out, info) {
        for (const l of lines ?? processTree(info.state)) out(l);
      },
    };
  },
};

/** The tree of main threads, children under parents by pid; orphans (parent unknown) at the top. */
export function processTree(state: StateEngine): string[] {
  const procs = new Map<number, Thread>();
  const nthreads = new Map<number, number>();
  for (const t of state.threads.values()) {
    nthreads.set(t.pid, (nthreads.get(t.pid) ?? 0) + 1);
    if (t.isMainThread) procs.set(t.pid, t);
  }
  const children = new Map<number, Thread[]>();
  const roots: Thread[] = [];
  for (const p of procs.values()) {
    // The parent process: the pid of the thread that created this one.
    const parent = state.threads.get(p.ptid);
    const ppid = parent?.pid;
    if (ppid === undefined || ppid === p.pid || !procs.has(ppid)) roots.push(p);
    else {
      const list = children.get(ppid);
      if (list) list.push(p);
      else children.set(ppid, [p]);
    }
  }
  const byPid = (a: Thread, b: Thread) => u32(a.pid) - u32(b.pid);
  const out: string[] = [];
  const walk = (p: Thread, prefix: string, last: boolean, top: boolean): void => {
    const n = nthreads.get(p.pid) ?? 1;
    const a = p.args.join(' ').trimEnd();
    const args = a !== '' ? ` ${a}` : '';
    const threads = n > 1 ? ` {${n} threads}` : '';
    out.push(`${top ? '' : `${prefix}${last ? '└─ ' : '├─ '}`}${p.pid} ${p.comm}${args}${threads}`);
    const kids = (children.get(p.pid) ?? []).sort(byPid);
    const next = top ? '' : `${prefix}${last ? '   ' : '│  '}`;
    for (const [i, kid] of kids.entries()) walk(kid, next, i === kids.length - 1, false);
  };
  for (const r of roots.sort(byPid)) walk(r, '', true, true);
  return out;
}
