// The state engine on events in the current layout (what the probe records: exit events carry every
// parameter, ids from the libs HEAD table), where the shared captures only have old layouts. Each case is
// a short syscall sequence whose outcome Linux defines (a relative openat resolves against its dirfd,
// dup2 duplicates, fork copies the fd table, close and exit remove after the event), checked through
// the same fields and output the CLI uses.
import {
  blankThread,
  currentEventIds,
  type EncodableEvent,
  EventBatchBuilder,
  emptyMetadata,
  encodeEvent,
  FRAME_STATE_ONLY,
  type ParamValue,
} from '@scapkit/scap-format';
import { describe, expect, it } from 'vitest';
import { compileFormat, createFieldRegistry, Pipeline, type ReplayContext } from '../src/index.js';

const FORMAT =
  '*%evt.num %evt.type %evt.dir %thread.tid %proc.pid %proc.name %proc.pname %fd.num %fd.typechar %fd.name %fd.sip %fd.sport %fd.l4proto %user.uid';

function id(name: string, dir: '>' | '<'): number {
  const ids = currentEventIds(name);
  if (!ids) throw new Error(`no event ${name}`);
  return dir === '>' ? ids[0] : ids[1];
}

let ts = 1_700_000_000_000_000_000n;
function ev(tid: number, name: string, dir: '>' | '<', params: ParamValue[], flags = 0): EncodableEvent {
  ts += 1000n;
  return { ts, tid, type: id(name, dir), params, flags };
}

/** Runs events after a snapshot holding one process (pid 100, `sh`, cwd /home/u, uid 1000). */
function run(events: EncodableEvent[]): string[] {
  const md = emptyMetadata();
  const sh = blankThread(100);
  Object.assign(sh, { pid: 100, ptid: 1, comm: 'sh', exe: 'sh', cwd: '/home/u/', uid: 1000, gid: 1000 });
  const init = blankThread(1);
  Object.assign(init, { pid: 1, ptid: 0, comm: 'init', exe: '/sbin/init', cwd: '/', uid: 0, gid: 0 });
  md.threads.push(init, sh);
  const registry = createFieldRegistry();
  const fmt = compileFormat(FORMAT, registry);
  const out: string[] = [];
  const p = new Pipeline({ sink: { event: (ctx: ReplayContext) => out.push(fmt.line(ctx) ?? '') } });
  p.push({ kind: 'header', header: { format: 'live', version: '1.0' } });
  p.push({ kind: 'metadata', metadata: md });
  const b = new EventBatchBuilder();
  for (const e of events) encodeEvent(b, e);
  p.push({ kind: 'events', batch: b.take() });
  return out;
}

const O_RDONLY = 1;
const O_DIRECTORY = 1 << 10;
const AT_FDCWD = -100;

describe('state engine, current event layout', () => {
  it('resolves openat against its dirfd and the cwd, and removes a closed fd after the close', () => {
    const out = run([
      ev(100, 'openat', '>', [AT_FDCWD, 'etc', O_RDONLY | O_DIRECTORY, 0]),
      ev(100, 'openat', '<', [3, AT_FDCWD, 'etc', O_RDONLY | O_DIRECTORY, 0, 0, 0]),
      ev(100, 'openat', '>', [3, 'passwd', O_RDONLY, 0]),
      ev(100, 'openat', '<', [4, 3, 'passwd', O_RDONLY, 0, 0, 0]),
      ev(100, 'close', '<', [0, 4]),
      ev(100, 'read', '<', [-9, new Uint8Array(0), 4, 10]),
    ]);
    expect(out).toEqual([
      '1 openat > 100 100 sh init -1 f <NA> <NA> <NA> <NA> 1000',
      '2 openat < 100 100 sh init 3 d /home/u/etc <NA> <NA> <NA> 1000',
      '3 openat > 100 100 sh init -1 f <NA> <NA> <NA> <NA> 1000',
      '4 openat < 100 100 sh init 4 f /home/u/etc/passwd <NA> <NA> <NA> 1000',
      '5 close < 100 100 sh init 4 f /home/u/etc/passwd <NA> <NA> <NA> 1000',
      // The fd is gone once the close has been shown: the read that follows fails with EBADF, and an
      // unknown fd reads as type 'o' with an empty name (as sysdig shows them in the shared captures).
      '6 read < 100 100 sh init 4 o  <NA> <NA> <NA> 1000',
    ]);
  });

  it('copies the fd table on fork, duplicates with dup2, and execve renames the process', () => {
    const out = run([
      ev(100, 'openat', '>', [AT_FDCWD, '/tmp/log', 2, 0o644]),
      ev(100, 'openat', '<', [3, AT_FDCWD, '/tmp/log', 2, 0o644, 0, 0]),
      // clone3 exit on the parent's side: res = child tid; the other parameters describe the caller.
      ev(100, 'clone3', '<', [
        101,
        'sh',
        new Uint8Array(0),
        100,
        100,
        1,
        '/home/u',
        1024,
        0,
        0,
        0,
        0,
        0,
        'sh',
        null,
        0,
        1000,
        1000,
        100,
        100,
        0,
      ]),
      ev(101, 'dup2', '<', [1, 3, 1]),
      ev(101, 'write', '<', [5, new Uint8Array(0), 1, 5]),
      ev(101, 'execve', '<', [
        0,
        '/bin/ls',
        new TextEncoder().encode('-l\0'),
        101,
        101,
        100,
        '/home/u',
        1024,
        0,
        0,
        0,
        0,
        0,
        'ls',
      ]),
      ev(101, 'write', '<', [5, new Uint8Array(0), 1, 5]),
      ev(101, 'procexit', '>', [0, 0, 0, 0, 0]),
      ev(101, 'write', '<', [5, new Uint8Array(0), 1, 5]),
    ]);
    expect(out.slice(2)).toEqual([
      '3 clone3 < 100 100 sh init <NA> <NA> <NA> <NA> <NA> <NA> 1000',
      '4 dup2 < 101 101 sh sh 1 f /tmp/log <NA> <NA> <NA> 1000',
      '5 write < 101 101 sh sh 1 f /tmp/log <NA> <NA> <NA> 1000',
      '6 execve < 101 101 ls sh <NA> <NA> <NA> <NA> <NA> <NA> 1000',
      '7 write < 101 101 ls sh 1 f /tmp/log <NA> <NA> <NA> 1000',
      '8 procexit > 101 101 ls sh <NA> <NA> <NA> <NA> <NA> <NA> 1000',
      // The thread left: a later event on its tid starts a thread of unknown identity, without its fds.
      '9 write < 101 101 <NA> <NA> 1 o  <NA> <NA> <NA> 4294967295',
    ]);
  });

  it('names a TCP client socket from its connect tuple, and state-only events update without showing', () => {
    const tuple = {
      family: 'ipv4',
      sip: '10.0.0.5',
      sport: 40000,
      dip: '93.184.216.34',
      dport: 443,
    } as const;
    const out = run([
      ev(100, 'socket', '<', [5, 2, 1, 0, 0], FRAME_STATE_ONLY),
      ev(100, 'connect', '>', [5, { family: 'ipv4', addr: '93.184.216.34', port: 443 }]),
      ev(100, 'connect', '<', [0, tuple, 5, { family: 'ipv4', addr: '93.184.216.34', port: 443 }]),
      ev(100, 'write', '<', [10, new Uint8Array(0), 5, 10]),
    ]);
    expect(out).toEqual([
      '2 connect > 100 100 sh init 5 4  <NA> <NA> <NA> 1000',
      '3 connect < 100 100 sh init 5 4 10.0.0.5:40000->93.184.216.34:443 93.184.216.34 443 tcp 1000',
      '4 write < 100 100 sh init 5 4 10.0.0.5:40000->93.184.216.34:443 93.184.216.34 443 tcp 1000',
    ]);
  });
});
