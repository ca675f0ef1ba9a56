// The capture filter of `scapkit record -w FILE FILTER` and `scapkit export FILTER`: a filtered trace keeps what the events
// that match need, and nothing of the rest of the box. Every event goes through a state engine (the same
// Pipeline as replay: the filter sees proc.*, fd.*, user.* of every event). Kept:
//
//  - every event that matches;
//  - from the first match of a process on (a process: all threads of one pid), its events that change
//    thread or fd state (open, close, dup, socket, clone, execve, exit, …), so a reader's tables stay right
//    for the events that match later;
//  - the execve and exit events of the processes those processes descend from (their ancestry:
//    proc.pname, proc.aname, proc.apid);
//  - before a process's first matching event, a state record: a metadata record holding the threads of
//    every process kept so far, with their fd tables (the fds a process inherited or opened before it
//    matched: a `grep -r` that matches inside a directory it opened earlier still gets full paths), and
//    the threads in their line of parents (names, arguments, ids; no environment, no fds). A reader replaces its
//    tables with it, as at a new file.
//
// Not kept: any other process's events, fds, arguments or environment. A filtered trace starts with the
// machine, users, groups, interfaces and containers, and no thread; the first state record brings them.
import {
  type CaptureMetadata,
  type CaptureRecord,
  type CaptureStream,
  EF,
  EVENT_MAX,
  EVENTS,
  type EventBatch,
  EventBatchBuilder,
  type EventInfo,
  eventTypeTable,
  type FdInfo,
  FRAME_SIZE,
  FRAME_STATE_ONLY,
  type ThreadInfo,
} from '@scapkit/scap-format';
import { createFieldRegistry } from './fields/registry.js';
import type { FieldResolver } from './fields/types.js';
import { compileFilter } from './filter/index.js';
import { Pipeline } from './pipeline.js';
import type { StateEngine } from './state/engine.js';
import type { Thread } from './state/thread.js';

interface KeptTypes {
  /** Events that create, change or destroy thread or fd state: kept for the processes that matched. */
  stateful: Uint8Array;
  /** Events that make a process tree: kept for the ancestors of the processes that matched too. */
  tree: Uint8Array;
}

/** Built by the first CaptureFilter, not at import. */
const keptTypes = eventTypeTable((): KeptTypes => {
  const stateful = new Uint8Array(EVENT_MAX);
  const tree = new Uint8Array(EVENT_MAX);
  const treeNames = new Set(['execve', 'execveat', 'procexit']);
  for (let t = 0; t < EVENT_MAX; t++) {
    const e = EVENTS[t] as EventInfo;
    stateful[t] = e.flags & (EF.CREATES_FD | EF.DESTROYS_FD | EF.MODIFIES_STATE) ? 1 : 0;
    tree[t] = treeNames.has(e.name) ? 1 : 0;
  }
  return { stateful, tree };
});

/** What a filtered trace gets for a batch of input: events to keep and state records, in order. */
export type FilteredRecord =
  | { kind: 'events'; batch: EventBatch }
  | { kind: 'metadata'; metadata: CaptureMetadata };

export class CaptureFilter {
  readonly text: string;
  private readonly pipeline: Pipeline;
  private readonly engine: StateEngine;
  private readonly stateful: Uint8Array = keptTypes().stateful;
  private readonly tree: Uint8Array = keptTypes().tree;
  /** Processes (pids) that matched: their state events are kept. */
  private readonly matched = new Set<number>();
  /** Processes that matched ones descend from: their execve and exit events are kept. */
  private readonly ancestors = new Set<number>();
  /** The threads of those processes that are in a matched process's line of parents: in the tables. */
  private readonly ancestorThreads = new Set<number>();
  /** The current batch's output, built as its events are decided. */
  private out: FilteredRecord[] = [];
  private kept = new EventBatchBuilder(64 << 10);
  /** Events kept so far (for statistics). */
  keptEvents = 0;

  /** The pipeline replaced its tables (a new file or section, or a checkpoint it started from). */
  private reset = false;

  /** Compiles the filter (FilterSyntaxError, UnknownFieldError before anything runs). */
  constructor(text: string, registry?: FieldResolver) {
    this.text = text;
    const filter = compileFilter(text, registry ?? createFieldRegistry());
    this.pipeline = new Pipeline({
      showInternal: true,
      // A predicate the pipeline cannot see into: it asks about every event, once the engine has processed
      // it. That is where each event is decided (nothing goes to the sink).
      filter: (ctx) => {
        this.decide(filter.match(ctx));
        return false;
      },
      sink: {
        event: () => {},
        metadata: () => {
          this.reset = true;
        },
      },
    });
    this.engine = this.pipeline.state;
  }

  /**
   * The input's tables (its start, a new file or section of it): the engine starts from them. Returns the
   * tables the filtered trace starts with: the processes kept so far (none at the start), no other.
   */
  tables(meta: CaptureMetadata): CaptureMetadata {
    this.pipeline.push({ kind: 'metadata', metadata: meta });
    return this.keptTablesAfterReset();
  }

  /** After new tables: processes kept before keep their state as the tables tell it; gone ones are forgotten. */
  private keptTablesAfterReset(): CaptureMetadata {
    for (const set of [this.matched, this.ancestors, this.ancestorThreads])
      for (const id of set) if (!this.engine.threads.has(id)) set.delete(id);
    return this.keptTables();
  }

  /** The filtered output for a batch: the events kept, with state records before first matches. */
  select(batch: EventBatch): FilteredRecord[] {
    this.out = [];
    // The pipeline does not ask about the container records a capture starts with (state for sinsp, never
    // shown): they are left out, the tables carry the containers they describe. (Kept, they made a section
    // of their own in a sysdig export, after which sysdig 0.29.3 could not read the next one.)
    this.pipeline.processBatch(batch);
    if (this.kept.count) this.out.push({ kind: 'events', batch: this.kept.take() });
    return this.out;
  }

  /** Decides the event the pipeline is on (its view), whether it matched the filter. */
  private decide(match: boolean): void {
    const v = this.pipeline.ctx.view;
    const t = this.engine.thread;
    const type = v.type;
    if (match) {
      if (t && !this.matched.has(t.pid)) this.firstMatch(t);
      this.keep(v.bytes(), v.cpu, v.frameFlags);
    } else if (
      t &&
      type < EVENT_MAX &&
      ((this.stateful[type] === 1 && this.matched.has(t.pid)) ||
        (this.tree[type] === 1 && this.ancestors.has(t.pid)))
    ) {
      this.keep(v.bytes(), v.cpu, v.frameFlags);
    }
    // A process whose main thread exits is forgotten (its pid may be reused).
    if (t?.exited) {
      this.ancestorThreads.delete(t.tid);
      if (t.isMainThread) {
        this.matched.delete(t.pid);
        this.ancestors.delete(t.pid);
      }
    }
  }

  private keep(bytes: Uint8Array, cpu: number, flags: number): void {
    this.kept.append(bytes, cpu, flags);
    this.keptEvents++;
  }

  /** A process matches for the first time: its state (and its ancestors') goes out before the event. */
  private firstMatch(t: Thread): void {
    this.matched.add(t.pid);
    for (let p = this.engine.threads.get(t.ptid), hops = 0; p && hops < 4096; hops++) {
      if (this.matched.has(p.pid) || this.ancestorThreads.has(p.tid)) break;
      this.ancestors.add(p.pid);
      this.ancestorThreads.add(p.tid);
      p = this.engine.threads.get(p.ptid);
    }
    if (this.kept.count) this.out.push({ kind: 'events', batch: this.kept.take() });
    this.out.push({ kind: 'metadata', metadata: this.keptTables() });
    // The tables are taken after the engine processed this event, and a reader processes it again on
    // them: an exit that needs its enter event (an old socket exit: the domain and type are on the enter)
    // gets it too, as recorded, or the reader would undo what the tables say of its fd.
    // It is flagged state-only: it was recorded before the process matched, and is not shown.
    if (this.engine.enterValid && t.enterLen > 0) {
      // The enter's frame (u16 cpu, u16 flags) and its event.
      const b = t.enterBuf;
      const at = t.enterAt;
      const frame = new DataView(b.buffer, b.byteOffset + at, FRAME_SIZE);
      const cpu = frame.getUint16(0, true);
      const flags = frame.getUint16(2, true) | FRAME_STATE_ONLY;
      this.keep(b.subarray(at + FRAME_SIZE, at + FRAME_SIZE + t.enterLen), cpu, flags);
    }
  }

  /**
   * The tables of the processes kept: every thread of a matched process with its fd table, the threads
   * in their line of parents without environment or fds; the machine, users, groups, interfaces and
   * containers. Taken while the engine is on an event (after it, before the removals it scheduled), so a
   * close or an exit that is a first match still finds its fd or thread.
   */
  private keptTables(): CaptureMetadata {
    const e = this.engine;
    const threads: ThreadInfo[] = [];
    const fds = new Map<number, FdInfo[]>();
    const listedUnder = new Map<unknown, number>();
    for (const t of e.threads.values()) {
      if (this.matched.has(t.pid)) {
        const info = t.toInfo();
        const owner = listedUnder.get(t.ownFds);
        if (owner !== undefined) info.fdsOf = owner;
        else {
          listedUnder.set(t.ownFds, t.tid);
          if (t.ownFds.size > 0)
            fds.set(
              t.tid,
              t.ownFds.values().map((f) => f.toInfo()),
            );
        }
        threads.push(info);
      } else if (this.ancestorThreads.has(t.tid)) {
        const info = t.toInfo();
        info.env = [];
        threads.push(info);
      }
    }
    const md: CaptureMetadata = {
      threads,
      fds,
      users: [...e.users.values()],
      groups: [...e.groups.values()],
      interfaces: e.interfaces,
      containers: [...e.containers.values()],
    };
    if (e.machine) md.machine = e.machine;
    return md;
  }

  /**
   * A whole capture, filtered: the tables and events it keeps; its header names the filter (after the one
   * it was recorded with, if any) and its statistics count the events left out. Checkpoints of the input
   * hold its whole tables: they are left out (one a time range starts from gives the tables kept of it).
   */
  async *apply(stream: CaptureStream): AsyncGenerator<CaptureRecord> {
    let read = 0;
    const keptBefore = this.keptEvents;
    for await (const rec of stream) {
      if (rec.kind === 'metadata') yield { kind: 'metadata', metadata: this.tables(rec.metadata) };
      else if (rec.kind === 'checkpoint') {
        // Its tables are the input's, not what the output keeps: only one a read starts from (a time
        // range) replaces the tables, and then the output gets those it keeps of them.
        this.reset = false;
        this.pipeline.push(rec);
        if (this.reset) yield { kind: 'metadata', metadata: this.keptTablesAfterReset() };
      } else if (rec.kind === 'events') {
        read += rec.batch.count;
        yield* this.select(rec.batch);
      } else if (rec.kind === 'header') {
        const before = typeof rec.header.filter === 'string' ? rec.header.filter : '';
        const filter = before ? `(${before}) and (${this.text})` : this.text;
        yield { kind: 'header', header: { ...rec.header, filter } };
      } else if (rec.kind === 'stats') {
        const s = rec.stats;
        const kept = this.keptEvents - keptBefore;
        const filtered = (typeof s.eventsFiltered === 'number' ? s.eventsFiltered : 0) + read - kept;
        yield { kind: 'stats', stats: { ...s, eventsWritten: kept, eventsFiltered: filtered } };
      }
    }
  }
}
