// Fd tables after clone: a process created without CLONE_FILES gets a copy of its parent's table, which
// FdTable shares with the parent until either changes it (copy-on-write, the lists first, an entry only
// when one of them changes that entry); with CLONE_FILES both use the one table. Each case here fails on a
// table that shares what it should have copied, or copies what it should share: closes, opens, changes
// to an inherited entry (close-on-exec) and the reuse of closed entries, on either side, in either order.
import {
  blankThread,
  type EncodableEvent,
  EventBatchBuilder,
  emptyMetadata,
  encodeEvent,
} from '@scapkit/scap-format';
import { describe, expect, it } from 'vitest';
import {
  compileFormat,
  createFieldRegistry,
  FdEntry,
  FdTable,
  Pipeline,
  type ReplayContext,
} from '../src/index.js';
import { currentEvent } from './support/current-events.js';

describe('FdTable copy-on-write', () => {
  const table = (...fds: [number, string][]) => {
    const t = new FdTable();
    for (const [fd, name] of fds) {
      const e = new FdEntry(fd, 1);
      e.name = name;
      t.set(e);
    }
    return t;
  };
  const names = (t: FdTable) => t.values().map((e) => `${e.fd}:${e.name}`);

  it('keeps a copy and its original apart whichever side adds or removes an fd', () => {
    const parent = table([0, 'tty'], [3, 'a'], [5000, 'high']);
    const child = parent.copy();
    expect(names(child)).toEqual(['0:tty', '3:a', '5000:high']);
    child.delete(3);
    child.set(new FdEntry(4, 1));
    parent.delete(5000);
    expect(names(parent)).toEqual(['0:tty', '3:a']);
    expect(names(child)).toEqual(['0:tty', '5000:high', '4:']);
    expect(parent.size).toBe(2);
    expect(child.size).toBe(3);
  });

  it('gives the side that changes a shared entry its own copy (own), in insertion order', () => {
    const parent = table([7, 'seven'], [3, 'a']);
    const child = parent.copy();
    const grandchild = child.copy();
    const mine = child.own(3);
    expect(mine).not.toBe(parent.get(3));
    (mine as FdEntry).name = 'changed';
    expect(parent.get(3)?.name).toBe('a');
    expect(grandchild.get(3)?.name).toBe('a');
    expect(names(child)).toEqual(['7:seven', '3:changed']);
    // The child's copy is its alone now: owning it again gives the same entry.
    expect(child.own(3)).toBe(mine);
    // Parent and grandchild still share theirs: the parent gets a copy too, the grandchild keeps it.
    const original = grandchild.get(3);
    expect(parent.own(3)).not.toBe(original);
    expect(grandchild.own(3)).toBe(original);
  });

  it('counts the tables an entry is in, so that a closed entry still held elsewhere is not reused', () => {
    const parent = table([3, 'a']);
    const e = parent.get(3) as FdEntry;
    expect(e.tables).toBe(1);
    const child = parent.copy();
    expect(child.delete(3)).toBe(e);
    expect(e.tables).toBe(1);
    expect(parent.delete(3)).toBe(e);
    expect(e.tables).toBe(0);
    expect(child.own(3)).toBeUndefined();
  });

  it('shares nothing between new tables', () => {
    const a = new FdTable();
    const b = new FdTable();
    const c = a.copy();
    a.set(new FdEntry(1, 1));
    expect(b.size).toBe(0);
    expect(c.size).toBe(0);
    expect(a.size).toBe(1);
  });
});

// Through the state engine and the fields, in the current event layout (as the probe records it).
const FORMAT = '%evt.num %evt.type %thread.tid %fd.num %fd.name';
const AT_FDCWD = -100;
const O_RDWR = 2;
const F_SETFD = 3;
const FD_CLOEXEC = 1;
/** PPM_CL_* clone flags (what the probe reports). */
const CLONE_FILES = 1 << 0;
const CLONE_THREAD = 1 << 13;
const CLONE_VM = 1 << 15;

const ev = currentEvent;
const open = (tid: number, fd: number, path: string) =>
  ev(tid, 'openat', '<', [fd, AT_FDCWD, path, O_RDWR, 0o644, 0, 0]);
const close = (tid: number, fd: number) => ev(tid, 'close', '<', [0, fd]);
const read = (tid: number, fd: number) => ev(tid, 'read', '<', [0, new Uint8Array(0), fd, 1]);
const setCloexec = (tid: number, fd: number) => ev(tid, 'fcntl', '<', [0, fd, F_SETFD, FD_CLOEXEC]);
const execve = (tid: number) =>
  ev(tid, 'execve', '<', [
    0,
    '/bin/true',
    new Uint8Array(0),
    tid,
    tid,
    100,
    '/',
    1024,
    0,
    0,
    0,
    0,
    0,
    'true',
  ]);
/** The parent's clone3 exit (res = the child; ids and vids the caller's) in process 100. */
const clone = (child: number, flags: number) =>
  ev(100, 'clone3', '<', [
    child,
    'sh',
    new Uint8Array(0),
    100,
    100,
    1,
    '/',
    1024,
    0,
    0,
    0,
    0,
    0,
    'sh',
    null,
    flags,
    0,
    0,
    100,
    100,
    0,
  ]);

/** Runs events after a snapshot holding process 100 (`sh`); the lines of the reads. */
function reads(events: EncodableEvent[]): string[] {
  const md = emptyMetadata();
  const sh = blankThread(100);
  Object.assign(sh, { pid: 100, ptid: 1, comm: 'sh', exe: 'sh', cwd: '/' });
  md.threads.push(sh);
  const fmt = compileFormat(FORMAT, createFieldRegistry());
  const out: string[] = [];
  const p = new Pipeline({
    filter: 'evt.type=read',
    sink: { event: (ctx: ReplayContext) => out.push(fmt.line(ctx) ?? '') },
  });
  p.push({ kind: 'metadata', metadata: md });
  const b = new EventBatchBuilder();
  for (const e of events) encodeEvent(b, e);
  p.push({ kind: 'events', batch: b.take() });
  return out.map((l) => l.replace(/^\d+ read /, ''));
}

describe('state engine, fd tables across clone', () => {
  it('a fork child that closes an inherited fd leaves the parent its fd, and the reverse', () => {
    expect(
      reads([
        open(100, 3, '/tmp/a'),
        open(100, 4, '/tmp/b'),
        clone(101, 0),
        close(101, 3),
        close(100, 4),
        read(101, 3),
        read(100, 3),
        read(101, 4),
        read(100, 4),
      ]),
    ).toEqual(['101 3 ', '100 3 /tmp/a', '101 4 /tmp/b', '100 4 ']);
  });

  it('an fd closed by the child and opened again there does not rename the parent fd', () => {
    // A closed entry serves the next open: the child's closed entry is still the parent's.
    expect(
      reads([
        open(100, 3, '/tmp/a'),
        clone(101, 0),
        close(101, 3),
        open(101, 3, '/tmp/child'),
        open(100, 5, '/tmp/parent'),
        read(100, 3),
        read(101, 3),
        read(101, 5),
      ]),
    ).toEqual(['100 3 /tmp/a', '101 3 /tmp/child', '101 5 ']);
  });

  it('close-on-exec set on an inherited fd by one side is not the other side’s', () => {
    expect(
      reads([
        open(100, 3, '/tmp/a'),
        open(100, 4, '/tmp/b'),
        clone(101, 0),
        setCloexec(101, 3),
        setCloexec(100, 4),
        execve(101),
        execve(100),
        read(101, 3),
        read(101, 4),
        read(100, 3),
        read(100, 4),
      ]),
    ).toEqual(['101 3 ', '101 4 /tmp/b', '100 3 /tmp/a', '100 4 ']);
  });

  it('a child made with CLONE_FILES shares the table both ways, a thread its process’s', () => {
    expect(
      reads([
        open(100, 3, '/tmp/a'),
        clone(101, CLONE_FILES | CLONE_VM),
        clone(102, CLONE_FILES | CLONE_VM | CLONE_THREAD),
        close(101, 3),
        open(100, 4, '/tmp/b'),
        open(102, 5, '/tmp/c'),
        read(100, 3),
        read(101, 4),
        read(101, 5),
        read(100, 5),
        read(102, 4),
      ]),
    ).toEqual(['100 3 ', '101 4 /tmp/b', '101 5 /tmp/c', '100 5 /tmp/c', '102 4 /tmp/b']);
  });
});
