// open/openat/openat2/creat (enter and exit), read/write/pread/pwrite/readv/writev with data cut at the
// snaplen, dup family, close, pipe, chdir/fchdir, and the generic event, checked parameter by parameter.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { SYSCALL_NAMES } from '@scapkit/scap-format';
import { describe, expect, it } from 'vitest';
import { CAN_LOAD_PROBE } from '../../../test/support/machine.mjs';
import { capture, type DecodedEvent, devIno, only, scratchDir } from './support/capture.js';
import {
  PPM_O_CLOEXEC,
  PPM_O_CREAT,
  PPM_O_DIRECTORY,
  PPM_O_F_CREATED,
  PPM_O_RDONLY,
  PPM_O_TRUNC,
  PPM_O_WRONLY,
} from './support/ppm-flags.js';

const ENOENT = 2;
const EBADF = 9;

const pattern = (n: number, from = 0) => Uint8Array.from({ length: n }, (_, i) => 65 + ((from + i) % 26));
const concat = (...parts: Uint8Array[]) => Uint8Array.from(parts.flatMap((p) => [...p]));

describe.runIf(CAN_LOAD_PROBE)('file syscalls', () => {
  it('records open/openat/openat2/creat with path, flags, mode, fd, dev and ino', async () => {
    const dir = scratchDir();
    const existing = join(dir, 'existing.txt');
    writeFileSync(existing, 'hello');
    const c = await capture('open', dir);
    const { events, out, pid } = c;
    expect(events.every((e) => e.tid === pid)).toBe(true);

    const opens = only(events, 'open');
    expect(opens).toHaveLength(2);
    const [ok, bad] = opens as [DecodedEvent, DecodedEvent];
    const st = devIno(existing);
    expect(ok.params).toEqual({
      fd: out.ok,
      name: existing,
      flags: PPM_O_RDONLY | PPM_O_CLOEXEC,
      mode: 0,
      dev: st.dev,
      ino: st.ino,
    });
    expect(bad.params).toEqual({
      fd: -ENOENT,
      name: '/nonexistent/scapkit',
      flags: PPM_O_RDONLY,
      mode: 0,
      dev: 0,
      ino: 0n,
    });
    const openEnters = only(events, 'open', '>');
    expect(openEnters.map((e) => e.params)).toEqual([
      { name: existing, flags: PPM_O_RDONLY | PPM_O_CLOEXEC, mode: 0 },
      { name: '/nonexistent/scapkit', flags: PPM_O_RDONLY, mode: 0 },
    ]);

    const created = join(dir, 'created.txt');
    const cst = devIno(created);
    const [openat] = only(events, 'openat');
    expect(openat!.params).toEqual({
      fd: out.at,
      dirfd: -100,
      name: created,
      flags: PPM_O_WRONLY | PPM_O_CREAT | PPM_O_TRUNC | PPM_O_F_CREATED,
      mode: 0o640,
      dev: cst.dev,
      ino: cst.ino,
    });
    expect(only(events, 'openat', '>')[0]!.params).toEqual({
      dirfd: -100,
      name: created,
      flags: PPM_O_WRONLY | PPM_O_CREAT | PPM_O_TRUNC,
      mode: 0o640,
    });
    const dst = devIno(dir);
    const [openat2] = only(events, 'openat2');
    expect(openat2!.params).toEqual({
      fd: out.at2,
      dirfd: -100,
      name: dir,
      flags: PPM_O_RDONLY | PPM_O_DIRECTORY,
      mode: 0,
      resolve: 0x04 /* RESOLVE_NO_SYMLINKS */,
      dev: dst.dev,
      ino: dst.ino,
    });
    expect(only(events, 'openat2', '>')[0]!.params).toEqual({
      dirfd: -100,
      name: dir,
      flags: PPM_O_RDONLY | PPM_O_DIRECTORY,
      mode: 0,
      resolve: 0x04,
    });
    const [creat] = only(events, 'creat');
    expect(creat!.params).toEqual({
      fd: out.creat,
      name: created,
      mode: 0o600,
      dev: cst.dev,
      ino: cst.ino,
      creat_flags: 0,
    });
    expect(only(events, 'creat', '>')[0]!.params).toEqual({ name: created, mode: 0o600 });
    // Every enter precedes its exit in the merged stream.
    const order = events.filter((e) => e.name === 'openat').map((e) => e.dir);
    expect(order).toEqual(['>', '<']);
  });

  it('records read/write/pread/pwrite/readv/writev with data cut at the snaplen', async () => {
    const dir = scratchDir();
    const c = await capture('rw', dir, { snaplen: 64 });
    const { events, out } = c;
    const [write] = only(events, 'write');
    expect(write!.params).toEqual({ res: 200, data: pattern(64), fd: out.wfd, size: 200 });
    const reads = only(events, 'read').filter((e) => e.params.fd === out.rfd || e.params.fd === 9999);
    expect(reads.map((e) => e.params)).toEqual([
      { res: 200, data: pattern(64), fd: out.rfd, size: 300 },
      { res: -EBADF, fd: 9999, size: 10 }, // failed read: no data
    ]);
    expect(only(events, 'pwrite')[0]!.params).toEqual({
      res: 100,
      data: pattern(64),
      fd: out.fd,
      size: 100,
      pos: 7n,
    });
    // The file holds pattern(100) at offset 7: bytes 10.. are pattern(50) starting at index 3.
    expect(only(events, 'pread')[0]!.params).toEqual({
      res: 50,
      data: pattern(50, 3),
      fd: out.fd,
      size: 50,
      pos: 10n,
    });
    expect(only(events, 'writev')[0]!.params).toEqual({
      res: 7,
      data: concat(pattern(3), pattern(4, 10)),
      fd: out.wfd,
      size: 7,
    });
    expect(only(events, 'readv')[0]!.params).toEqual({
      res: 7,
      size: 12,
      data: concat(pattern(3), pattern(4, 10)),
      fd: out.rfd,
    });
    expect(only(events, 'pipe2')[0]!.params).toMatchObject({
      res: 0,
      fd1: out.rfd,
      fd2: out.wfd,
      flags: PPM_O_CLOEXEC,
    });
  });

  it('captures up to a large snaplen', async () => {
    const c = await capture('rw', scratchDir(), { snaplen: 65000 });
    expect(only(c.events, 'write')[0]!.params.data).toEqual(pattern(200));
  });

  it('records dup/dup2/dup3, close, pipe, chdir/fchdir and the generic event', async () => {
    const dir = scratchDir();
    const { events, out } = await capture('fds', dir);
    expect(only(events, 'dup')[0]!.params).toEqual({ res: out.dup, oldfd: 1 });
    expect(only(events, 'dup2')[0]!.params).toEqual({ res: 40, oldfd: 1, newfd: 40 });
    expect(only(events, 'dup3')[0]!.params).toEqual({ res: 41, oldfd: 1, newfd: 41, flags: PPM_O_CLOEXEC });
    const closes = only(events, 'close').filter((e) => e.params.fd === out.dup || e.params.fd === 4242);
    expect(closes.map((e) => e.params)).toEqual([
      { res: 0, fd: out.dup },
      { res: -EBADF, fd: 4242 },
    ]);
    const [pipe] = only(events, 'pipe');
    expect(pipe!.params).toMatchObject({ res: 0, fd1: out.p0, fd2: out.p1 });
    expect(pipe!.params.ino).toBeGreaterThan(0n);
    expect(only(events, 'chdir')[0]!.params).toEqual({ res: 0, path: dir });
    expect(only(events, 'fchdir')[0]!.params).toEqual({ res: 0, fd: out.dfd });
    const getppid = events.filter(
      (e) => e.name === 'syscall' && e.params.ID === SYSCALL_NAMES.indexOf('getppid'),
    );
    expect(getppid).toHaveLength(1);
    expect(getppid[0]!.params).toEqual({ ID: SYSCALL_NAMES.indexOf('getppid'), nativeID: 110 });
  });

  it('records mkdir/mkdirat/rmdir, rename/renameat/renameat2, link/symlink/symlinkat, unlink/unlinkat and shutdown', async () => {
    const dir = scratchDir();
    const { events, out } = await capture('paths', dir);
    const p = (name: string) => only(events, name).map((e) => e.params);
    expect(p('mkdir')).toEqual([{ res: 0, path: join(dir, 'd'), mode: 0o750 }]);
    expect(p('mkdirat')).toEqual([
      { res: 0, dirfd: out.dfd, path: 'd2', mode: 0o700 },
      { res: 0, dirfd: out.dfd, path: 'd3', mode: 0o700 },
    ]);
    expect(p('rmdir')).toEqual([{ res: 0, path: join(dir, 'd2') }]);
    expect(p('rename')).toEqual([{ res: 0, oldpath: join(dir, 'f'), newpath: join(dir, 'f2') }]);
    expect(p('renameat')).toEqual([
      { res: 0, olddirfd: out.dfd, oldpath: 'f2', newdirfd: out.dfd, newpath: 'f' },
    ]);
    expect(p('link')).toEqual([{ res: 0, oldpath: join(dir, 'f'), newpath: join(dir, 'l') }]);
    expect(p('symlink')).toEqual([{ res: 0, target: 'f', linkpath: join(dir, 's') }]);
    expect(p('symlinkat')).toEqual([{ res: 0, target: 'nowhere', linkdirfd: out.dfd, linkpath: 's2' }]);
    expect(p('unlink')).toEqual([
      { res: 0, path: join(dir, 'l') },
      { res: -ENOENT, path: join(dir, 'l') },
    ]);
    expect(out.unlinkat).toBe(0);
    expect(p('unlinkat')).toEqual([
      { res: 0, dirfd: out.dfd, name: 'd3', flags: 0x200 /* PPM_AT_REMOVEDIR */ },
      { res: -ENOENT, dirfd: out.dfd, name: 'nothing', flags: 0 },
    ]);
    expect(out.renameat2).toBe(0);
    expect(p('renameat2')).toEqual([
      {
        res: 0,
        olddirfd: out.dfd,
        oldpath: 'f',
        newdirfd: out.dfd,
        newpath: 'f3',
        flags: 1 /* RENAME_NOREPLACE */,
      },
    ]);
    expect(p('shutdown')).toEqual([{ res: 0, fd: out.sock, how: 1 /* SHUT_WR */ }]);
    const [pair] = p('socketpair');
    expect(pair).toMatchObject({
      res: 0,
      fd1: out.sock,
      fd2: (out.sock as number) + 1,
      domain: 1,
      type: 1,
      proto: 0,
    });
    expect(pair!.source).not.toBe(0n);
    expect(pair!.peer).not.toBe(0n);
    expect(pair!.source).not.toBe(pair!.peer);
  });

  it('records credentials, sessions, lseek and permission changes', async () => {
    const dir = scratchDir();
    const { events, out, pid } = await capture('ids', dir);
    const p = (name: string) => only(events, name).map((e) => e.params);
    const EPERM = 1;
    const f = join(dir, 'ids');
    expect(p('getuid')).toEqual([{ uid: 0 }]);
    expect(p('geteuid')).toEqual([{ euid: 0 }]);
    expect(p('getgid')).toEqual([{ gid: 0 }]);
    expect(p('getegid')).toEqual([{ egid: 0 }]);
    expect(p('setuid')).toEqual([{ res: 0, uid: 0 }]);
    expect(p('setgid')).toEqual([{ res: 0, gid: 0 }]);
    // An id left as it is (-1) is recorded as the kernel got it: 0xffffffff.
    const KEEP = 0xffffffff;
    expect(p('setresuid')).toEqual([{ res: 0, ruid: 0, euid: KEEP, suid: 0 }]);
    expect(p('setresgid')).toEqual([{ res: 0, rgid: KEEP, egid: 0, sgid: 0 }]);
    expect(p('setreuid')).toEqual([{ res: 0, ruid: KEEP, euid: 0 }]);
    expect(p('setregid')).toEqual([{ res: 0, rgid: 0, egid: KEEP }]);
    expect(p('setpgid')).toEqual([{ res: 0, pid: 0, pgid: 0 }]);
    expect(out.setsid).toBe(-1);
    expect(p('setsid')).toEqual([{ res: -EPERM }]);
    expect(p('lseek')).toEqual([{ res: 5, fd: out.fd, offset: 5n, whence: 0 }]);
    expect(p('chmod')).toEqual([{ res: 0, filename: f, mode: 0o644 }]);
    expect(p('fchmod')).toEqual([{ res: 0, fd: out.fd, mode: 0o600 }]);
    expect(p('fchmodat')).toEqual([{ res: 0, dirfd: out.dfd, filename: 'ids', mode: 0o640 }]);
    expect(p('chown')).toEqual([{ res: 0, path: f, uid: 0, gid: 0 }]);
    expect(p('fchown')).toEqual([{ res: 0, fd: out.fd, uid: 1, gid: 1 }]);
    expect(events.every((e) => e.tid === pid)).toBe(true);
  });
});
