// What the browser page knows about a capture, computed in one pass over the records of
// @scapkit/scap-format's core entry (pure TypeScript: it runs in a browser and in Node alike). No DOM here:
// app.ts renders the result.
import {
  type CaptureHeader,
  EVENT_MAX,
  EVENTS,
  EventView,
  openCapture,
  ScapTruncatedError,
  syscallName,
} from '@scapkit/scap-format';

export interface ProcessNode {
  pid: number;
  /** The parent thread id (sysdig's proc.ppid); -1 when unknown. */
  ppid: number;
  comm: string;
  args: string[];
}

export interface Analysis {
  header: CaptureHeader | undefined;
  events: number;
  /** Events by type name, enter and exit together (what sysdig's topscalls counts), most first. */
  byType: [name: string, count: number][];
  /** Every process of the metadata or created by an event, by pid. */
  processes: Map<number, ProcessNode>;
  /** The pid of each thread seen: a child's ptid may name any thread of its parent process. */
  threadPid: Map<number, number>;
  /** Set when the file is cut: everything before the cut was read. */
  truncated?: string;
}

/** Ids 0 and 1: the generic `syscall` enter and exit events. */
const GENERIC_IDS = 2;

// Per event type id: whether it is the exit of a call that starts a process or a program.
const PROCESS_EXIT = new Uint8Array(EVENT_MAX);
const PROCESS_CALLS = new Set(['clone', 'clone3', 'fork', 'vfork', 'execve', 'execveat']);
for (const e of EVENTS) if (e.dir === '<' && PROCESS_CALLS.has(e.name)) PROCESS_EXIT[e.id] = 1;

export async function analyze(input: AsyncIterable<Uint8Array>): Promise<Analysis> {
  const result: Analysis = {
    header: undefined,
    events: 0,
    byType: [],
    processes: new Map(),
    threadPid: new Map(),
  };
  // Counting by type id into a typed array keeps the loop free of allocations and string keys.
  const counts = new Float64Array(65536);
  const view = new EventView();
  const generic = new Map<string, number>();
  try {
    for await (const rec of openCapture(input)) {
      switch (rec.kind) {
        case 'header':
          result.header = rec.header;
          break;
        case 'metadata':
          // A metadata record replaces the tables (a new sysdig section); for a list of every process the
          // capture knew, adding to what earlier ones said is what is wanted.
          for (const t of rec.metadata.threads) {
            result.threadPid.set(t.tid, t.pid);
            if (t.tid === t.pid)
              result.processes.set(t.pid, { pid: t.pid, ppid: t.ptid, comm: t.comm, args: t.args });
          }
          break;
        case 'events': {
          const batch = rec.batch;
          for (let i = 0; i < batch.count; i++) {
            view.at(batch, i);
            const type = view.type;
            counts[type]!++; // a u16 type in a 65536-slot table
            if (type < GENERIC_IDS) countGeneric(view, generic);
            else if (type < EVENT_MAX && PROCESS_EXIT[type]) learnProcess(view, result);
          }
          result.events += batch.count;
          break;
        }
        case 'stats':
          break;
      }
    }
  } catch (e) {
    // A cut file still yields every complete event; anything else (not a capture, corrupt) is the caller's.
    if (!(e instanceof ScapTruncatedError)) throw e;
    result.truncated = e.message;
  }
  // Old captures keep old event ids: several ids share a name (open has four), so sum by name.
  const byName = new Map<string, number>();
  for (let t = 0; t < counts.length; t++) {
    if (counts[t] === 0 || t < GENERIC_IDS) continue;
    const name = t < EVENT_MAX ? EVENTS[t]!.name : `unknown(${t})`;
    byName.set(name, (byName.get(name) ?? 0) + counts[t]!);
  }
  for (const [name, n] of generic) byName.set(name, (byName.get(name) ?? 0) + n);
  result.byType = [...byName].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
  return result;
}

/**
 * A generic event stands for a system call the driver has no event of its own for; its `ID` parameter
 * says which. Counted under that call's name, as sysdig shows it (`<unknown>` for a code it cannot name).
 */
function countGeneric(v: EventView, generic: Map<string, number>): void {
  const id = v.paramIndex('ID');
  const found = id >= 0 ? syscallName(v.paramU16(id)) : undefined;
  const name = found === undefined || found === 'unknown' ? '<unknown>' : found;
  generic.set(name, (generic.get(name) ?? 0) + 1);
}

/**
 * A successful clone/fork (the child's side: res 0) or execve exit describes the calling thread after the
 * call: its pid, parent, name and arguments. Parameters are read by name, since their positions changed
 * from one event version to the next and old captures keep their old layouts.
 */
function learnProcess(v: EventView, result: Analysis): void {
  const res = v.paramIndex('res');
  if (res < 0 || v.paramI64(res) !== 0) return; // the parent's side of a clone, or a failed call
  const tid = v.tid;
  const pidAt = v.paramIndex('pid');
  const pid = pidAt >= 0 ? v.paramI64(pidAt) : tid;
  result.threadPid.set(tid, pid);
  if (pid !== tid) return; // a new thread, not a new process
  const ptidAt = v.paramIndex('ptid');
  const exeAt = v.paramIndex('exe');
  const commAt = v.paramIndex('comm');
  const argsAt = v.paramIndex('args');
  const exe = exeAt >= 0 ? v.paramString(exeAt) : '';
  const known = result.processes.get(pid);
  result.processes.set(pid, {
    pid,
    ppid: ptidAt >= 0 ? v.paramI64(ptidAt) : (known?.ppid ?? -1),
    // Events older than `comm` have only the exe: its last path component is what the kernel calls comm.
    comm: commAt >= 0 ? v.paramString(commAt) : exe.slice(exe.lastIndexOf('/') + 1),
    args: argsAt >= 0 ? splitNul(v.paramBytes(argsAt)) : [],
  });
}

const utf8 = new TextDecoder();

/** args is a list of NUL-terminated strings (an empty argument is an empty string, and is kept). */
function splitNul(b: Uint8Array): string[] {
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
