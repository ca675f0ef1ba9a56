// The downgrade for sysdig 0.29.3 (src/sysdig/downgrade.ts): synthetic events in current libs layouts,
// as scapkit's probe records them, exported and read by the real Debian sysdig 0.29.3. Each case also
// exports with target 'as-is' to show what 0.29.3 makes of the unconverted file (crash, refusal, event
// skipped, fd unknown), so the assertions could fail.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { SYSDIG } from '../../../test/support/machine.mjs';
import { EventBatchBuilder } from '../src/batch.js';
import { blankThread, type CaptureMetadata, emptyMetadata, type FdInfo, FdType } from '../src/metadata.js';
import { EventEncoder } from '../src/params/encode.js';
import type { ParamValue } from '../src/params/types.js';
import { EVENTS, SYSCALL_NAMES } from '../src/schema/index.js';
import type { CaptureRecord } from '../src/source.js';
import { readSysdigCapture, type SysdigTarget, writeSysdigCapture } from '../src/sysdig/index.js';
import { chunks, collect } from './sysdig-helpers.js';

const haveSysdig = existsSync(SYSDIG);
const tmp = mkdtempSync(join(tmpdir(), 'scapkit-sysdig-export-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const TID = 4242;
const T0 = 1_700_000_000_000_000_000n;

/** Event id by name and direction in the current table (the non-old version). */
function id(name: string, dir: '>' | '<'): number {
  const e = EVENTS.filter((x) => x.name === name && x.dir === dir && !(x.flags & 512));
  if (e.length !== 1) throw new Error(`${name} ${dir}: ${e.length} current ids`);
  return e[0]!.id;
}

function metadata(fds: FdInfo[] = [], patch: Partial<ReturnType<typeof blankThread>> = {}): CaptureMetadata {
  const md = emptyMetadata();
  md.threads.push({
    ...blankThread(TID),
    pid: TID, ptid: 1, comm: 'probe-test', exe: '/usr/bin/probe-test', exepath: '/usr/bin/probe-test',
    args: ['a1'], cwd: '/tmp/', fdlimit: 1024, uid: 0, gid: 0, vtid: TID, vpid: TID, ...patch,
  }); // biome-ignore format: a record
  if (fds.length) md.fds.set(TID, fds);
  return md;
}

type Ev = [name: string, dir: '>' | '<', params: ParamValue[]];

async function exportFile(
  name: string,
  md: CaptureMetadata,
  evs: Ev[],
  target: SysdigTarget,
): Promise<string> {
  const b = new EventBatchBuilder();
  const enc = new EventEncoder();
  evs.forEach(([n, dir, params], i) => {
    const type = n === 'syscall' ? (dir === '>' ? 0 : 1) : id(n, dir);
    enc.encode(b, { ts: T0 + BigInt(i * 1000), tid: TID, type, params });
  });
  const batch = b.take();
  const stream = async function* (): AsyncGenerator<CaptureRecord> {
    yield { kind: 'header', header: { format: 'live', version: '1.0' } };
    yield { kind: 'metadata', metadata: md };
    yield { kind: 'events', batch };
  };
  const parts: Uint8Array[] = [];
  await writeSysdigCapture(
    { [Symbol.asyncIterator]: stream },
    { write: (x) => void parts.push(x), close: () => {} },
    { target },
  );
  const file = join(tmp, `${name}.${target}.scap`);
  writeFileSync(file, Buffer.concat(parts));
  return file;
}

function sysdig(file: string, fmt: string): { status: number | null; out: string[]; err: string } {
  const r = spawnSync(SYSDIG, ['-r', file, '-p', fmt], {
    env: { ...process.env, TZ: 'UTC' },
    encoding: 'utf8',
    maxBuffer: 1 << 26,
  });
  return { status: r.status, out: r.stdout.split('\n').filter(Boolean), err: r.stderr };
}

/** Both exports printed by sysdig 0.29.3. */
async function both(name: string, md: CaptureMetadata, evs: Ev[], fmt: string) {
  return {
    down: sysdig(await exportFile(name, md, evs, 'sysdig-0.29'), fmt),
    asIs: sysdig(await exportFile(name, md, evs, 'as-is'), fmt),
  };
}

/**
 * Exports both ways, expects 0.29.3 to read the converted file without error and print `lines`;
 * returns what it made of the unconverted one.
 */
async function readsConverted(name: string, md: CaptureMetadata, evs: Ev[], fmt: string, lines: string[]) {
  const { down, asIs } = await both(name, md, evs, fmt);
  expect(down.status, down.err).toBe(0);
  expect(down.out).toEqual(lines);
  return asIs;
}

const LO = '127.0.0.1';
const tuple = (sport: number, dport: number) => ({ family: 'ipv4', sip: LO, sport, dip: LO, dport }) as const;
const FMT = '*%evt.dir %evt.type %fd.num %fd.typechar %fd.name %fd.sip %fd.sport %fd.cip %fd.cport';

describe.skipIf(!haveSysdig)('export for sysdig 0.29.3', () => {
  it('generic events with ppm_sc codes 0.29.3 lacks become code 0 (it crashes on them otherwise)', async () => {
    const rseq = SYSCALL_NAMES.indexOf('rseq');
    const mprotect = SYSCALL_NAMES.indexOf('mprotect');
    expect(rseq).toBe(380);
    const evs: Ev[] = [
      ['syscall', '<', [rseq, 334]],
      ['syscall', '<', [mprotect, 10]],
      ['syscall', '<', [328, 435]], // clone3: the last code 0.29.3 knows
    ];
    const { down, asIs } = await both('generic', metadata(), evs, '%evt.type %proc.name');
    expect(asIs.out.some((l) => l.startsWith('bpf'))).toBe(false); // bpf_2 (id 369) is unknown to 0.29.3
    expect(down.status, down.err).toBe(0);
    expect(down.out).toEqual(['<unknown> probe-test', 'mprotect probe-test', 'clone3 probe-test']);
  });

  it('fd types 0.29.3 lacks are written as ones it reads (it refuses the file otherwise)', async () => {
    const fds: FdInfo[] = [
      { fd: 5, ino: 1, type: FdType.BPF, name: 'anon_inode:bpf-map' },
      { fd: 6, ino: 2, type: FdType.MEMFD, name: '/memfd:jit (deleted)' },
      { fd: 7, ino: 3, type: FdType.PIDFD, name: 'anon_inode:[pidfd]' },
    ];
    const evs: Ev[] = [5, 6, 7].map((fd) => ['read', '<', [1, new Uint8Array([65]), fd, 1]]);
    const { down, asIs } = await both(
      'fdtypes',
      metadata(fds),
      evs,
      '%evt.type %fd.num %fd.typechar %fd.name',
    );
    expect(asIs.out.some((l) => l.startsWith('bpf'))).toBe(false); // bpf_2 (id 369) is unknown to 0.29.3
    expect(asIs.err).toMatch(/fd type/);
    expect(down.status, down.err).toBe(0);
    expect(down.out).toEqual([
      'read 5 X anon_inode:bpf-map',
      'read 6 f /memfd:jit (deleted)',
      'read 7 X anon_inode:[pidfd]',
    ]);
  });

  it('strings over libscap limits are cut (0.29.3 refuses the file otherwise)', async () => {
    const long = `/${'x'.repeat(1500)}`;
    const md = metadata(
      [{ fd: 3, ino: 1, type: FdType.FILE_V2, name: `/tmp/${'y'.repeat(1500)}`, openFlags: 0 }],
      {
        exe: long,
        exepath: long,
        cwd: `${long}/`,
        args: ['a'.repeat(3000), 'b'.repeat(3000)],
      },
    );
    const evs: Ev[] = [['read', '<', [1, new Uint8Array([65]), 3, 1]]];
    const { down, asIs } = await both('long', md, evs, '%proc.name|%proc.exe|%proc.args|%fd.name');
    expect(asIs.out.some((l) => l.startsWith('bpf'))).toBe(false); // bpf_2 (id 369) is unknown to 0.29.3
    expect(down.status, down.err).toBe(0);
    expect(down.out).toHaveLength(1);
    const [name, exe, args, fd] = down.out[0]!.split('|');
    expect(name).toBe('probe-test');
    expect(exe).toBe(long.slice(0, 1024));
    // args: 4096 bytes on disk with the NULs, the second argument cut.
    expect(args).toBe(`${'a'.repeat(3000)} ${'b'.repeat(4096 - 3001 - 1)}`);
    expect(fd!.length).toBe(1023);
    expect(fd!.startsWith('/tmp/yyy')).toBe(true);
  });

  it('socket, bind, listen, accept4, connect, sendto/recvfrom, read/write, close: fds as replay shows them', async () => {
    const evs: Ev[] = [
      ['socket', '<', [3, 2, 1, 6, 0]], // server socket: AF_INET, SOCK_STREAM, TCP
      ['bind', '<', [0, { family: 'ipv4', addr: LO, port: 8080 }, 3]],
      ['listen', '<', [0, 3, 5]],
      ['socket', '<', [4, 2, 1, 6, 0]], // client socket
      ['connect', '>', [4, { family: 'ipv4', addr: LO, port: 8080 }]],
      ['connect', '<', [0, tuple(40000, 8080), 4, { family: 'ipv4', addr: LO, port: 8080 }]],
      ['accept4', '<', [5, tuple(40000, 8080), 0, 0, 5, 0]],
      ['sendto', '<', [2, new Uint8Array([104, 105]), 4, 2, null]],
      ['recvfrom', '<', [2, new Uint8Array([104, 105]), null, 5, 100]],
      ['write', '<', [2, new Uint8Array([104, 105]), 5, 2]],
      ['read', '<', [2, new Uint8Array([104, 105]), 4, 100]],
      ['close', '<', [0, 5]],
      ['close', '<', [0, 4]],
    ];
    const asIs = await readsConverted('tcp', metadata(), evs, FMT, [
      '< socket 3 4  <NA> <NA> <NA> <NA>',
      '< bind 3 4 127.0.0.1:8080 127.0.0.1 8080 <NA> 0',
      '< listen 3 4 127.0.0.1:8080 127.0.0.1 8080 <NA> 0',
      '< socket 4 4  <NA> <NA> <NA> <NA>',
      '> connect 4 4  <NA> <NA> <NA> <NA>',
      '< connect 4 4 127.0.0.1:40000->127.0.0.1:8080 127.0.0.1 8080 127.0.0.1 40000',
      '< accept 5 4 127.0.0.1:40000->127.0.0.1:8080 127.0.0.1 8080 127.0.0.1 40000',
      '< sendto 4 4 127.0.0.1:40000->127.0.0.1:8080 127.0.0.1 8080 127.0.0.1 40000',
      '< recvfrom 5 4 127.0.0.1:40000->127.0.0.1:8080 127.0.0.1 8080 127.0.0.1 40000',
      '< write 5 4 127.0.0.1:40000->127.0.0.1:8080 127.0.0.1 8080 127.0.0.1 40000',
      '< read 4 4 127.0.0.1:40000->127.0.0.1:8080 127.0.0.1 8080 127.0.0.1 40000',
      '< close 5 4 127.0.0.1:40000->127.0.0.1:8080 127.0.0.1 8080 127.0.0.1 40000',
      '< close 4 4 127.0.0.1:40000->127.0.0.1:8080 127.0.0.1 8080 127.0.0.1 40000',
    ]);
    // Without the conversion 0.29.3 skips accept4 and knows none of the fds the exits name.
    expect(asIs.out.some((l) => l.includes('accept'))).toBe(false);
    expect(asIs.out.filter((l) => l.includes('127.0.0.1:40000->')).length).toBeLessThan(4);
  });

  it('dup2, dup3, pipe2 become dup and pipe with their fds', async () => {
    const fds: FdInfo[] = [{ fd: 3, ino: 1, type: FdType.FILE_V2, name: '/etc/passwd', openFlags: 1 }];
    const evs: Ev[] = [
      ['dup2', '<', [9, 3, 9]],
      ['read', '<', [1, new Uint8Array([65]), 9, 1]],
      ['dup3', '<', [10, 3, 10, 0]],
      ['write', '<', [1, new Uint8Array([65]), 10, 1]],
      ['pipe2', '<', [0, 11, 12, 777, 0]],
      ['write', '<', [1, new Uint8Array([65]), 12, 1]],
      ['read', '<', [1, new Uint8Array([65]), 11, 1]],
    ];
    const asIs = await readsConverted('dup', metadata(fds), evs, '%evt.type %fd.num %fd.typechar %fd.name', [
      'dup 9 f /etc/passwd',
      'read 9 f /etc/passwd',
      'dup 10 f /etc/passwd',
      'write 10 f /etc/passwd',
      'pipe 12 p ',
      'write 12 p ',
      'read 11 p ',
    ]);
    expect(asIs.out.some((l) => /^(dup|pipe) /.test(l))).toBe(false);
  });

  it('bpf events become generic syscall events (0.29.3 crashes on evt.res of its own bpf exit)', async () => {
    const evs: Ev[] = [
      ['bpf', '<', [7, 0]], // BPF_MAP_CREATE: a new fd
      ['read', '<', [1, new Uint8Array([65]), 7, 8]],
      ['bpf', '<', [-1, 5]], // an error
    ];
    const { down, asIs } = await both('bpf', metadata(), evs, '*%evt.type %evt.res %fd.num %fd.typechar');
    expect(down.status, down.err).toBe(0);
    expect(down.out).toEqual(['bpf <NA> <NA> <NA>', 'read SUCCESS 7 o', 'bpf <NA> <NA> <NA>']);
    expect(asIs.out.some((l) => l.startsWith('bpf'))).toBe(false); // bpf_2 (id 369) is unknown to 0.29.3
  });

  it('eventfd2, inotify_init1, signalfd4 become eventfd, inotify_init, signalfd with typed fds', async () => {
    const evs: Ev[] = [
      ['eventfd2', '<', [20, 0, 5]],
      ['read', '<', [8, new Uint8Array(8), 20, 8]],
      ['inotify_init1', '<', [21, 0]],
      ['read', '<', [1, new Uint8Array([65]), 21, 64]],
      ['signalfd4', '<', [22, 0, -1, 0]],
      ['read', '<', [1, new Uint8Array([65]), 22, 128]],
    ];
    const asIs = await readsConverted('specialfds', metadata(), evs, '%evt.type %fd.num %fd.typechar', [
      'eventfd 20 e',
      'read 20 e',
      'inotify_init 21 i',
      'read 21 i',
      'signalfd 22 s',
      'read 22 s',
    ]);
    expect(asIs.out.some((l) => /^(eventfd|inotify_init|signalfd) /.test(l))).toBe(false);
  });

  it('execve exits carry the process as replay shows it', async () => {
    const execve: ParamValue[] = new Array(EVENTS[id('execve', '<')]!.params.length).fill(null);
    const set = (n: string, v: ParamValue) => {
      execve[EVENTS[id('execve', '<')]!.paramIndex.get(n)!] = v;
    };
    const zero = [
      'fdlimit',
      'pgft_maj',
      'pgft_min',
      'vm_size',
      'vm_rss',
      'vm_swap',
      'tty',
      'flags',
      'cap_inheritable',
      'cap_permitted',
      'cap_effective',
      'exe_ino',
      'exe_ino_ctime',
      'exe_ino_mtime',
      'uid',
      'gid',
      'loginuid',
    ];
    for (const n of zero) set(n, 0);
    set('res', 0);
    set('exe', '/bin/echo');
    set('args', new TextEncoder().encode('marker-1\0marker-2\0'));
    set('tid', TID);
    set('pid', TID);
    set('ptid', 1);
    set('cwd', '/tmp');
    set('comm', 'echo');
    set('cgroups', new Uint8Array(0));
    set('env', new TextEncoder().encode('A=1\0'));
    set('vpgid', TID);
    set('pgid', TID);
    set('trusted_exepath', '/usr/bin/echo');
    set('filename', '/bin/echo');
    const evs: Ev[] = [
      ['execve', '<', execve],
      ['write', '<', [3, new Uint8Array([65, 66, 67]), 1, 3]],
    ];
    await readsConverted('execve', metadata(), evs, '%evt.type %proc.name %proc.exe %proc.args %proc.cwd', [
      'execve echo /bin/echo marker-1 marker-2 /tmp/',
      'write echo /bin/echo marker-1 marker-2 /tmp/',
    ]);
  });
});

describe('export for sysdig 0.29.3: what stays as it is', () => {
  it('events 0.29.3 reads are written byte for byte; as-is writes everything unchanged', async () => {
    const evs: Ev[] = [
      ['syscall', '<', [SYSCALL_NAMES.indexOf('mprotect'), 10]],
      ['useradded', '>', [1, 1, 'u', '/h', '/bin/sh', '']],
    ];
    const bytes = async (target: SysdigTarget) =>
      readFileSync(await exportFile(`keep-${target}`, metadata(), evs, target));
    const down = await bytes('sysdig-0.29');
    expect(down.equals(await bytes('as-is'))).toBe(true);
    const back = await collect(readSysdigCapture(chunks(down)));
    expect(back.err).toBeUndefined();
    expect(back.events).toBe(2);
    // A new-layout read exit with its fd does get an enter before it with 'sysdig-0.29', not with 'as-is'.
    const rw: Ev[] = [['read', '<', [1, new Uint8Array([65]), 3, 1]]];
    const count = async (target: SysdigTarget) =>
      (
        await collect(
          readSysdigCapture(chunks(readFileSync(await exportFile(`rw-${target}`, metadata(), rw, target)))),
        )
      ).events;
    expect(await count('sysdig-0.29')).toBe(2);
    expect(await count('as-is')).toBe(1);
  });
});
