// splice/sendfile/poll/ppoll, and the process-wide controls: ptrace (DYN addr and data), prctl, capset,
// unshare/setns, seccomp, bpf, init_module/finit_module, mount/umount2, chroot. Every parameter.
import {
  BPF_COMMANDS,
  CLONE_FLAGS,
  FINIT_MODULE_FLAGS,
  MOUNT_FLAGS,
  POLL_FLAGS,
  PRCTL_OPTIONS,
  PTRACE_REQUESTS,
  SPLICE_FLAGS,
  UMOUNT_FLAGS,
} from '@scapkit/scap-format';
import { describe, expect, it } from 'vitest';
import { CAN_LOAD_PROBE } from '../../../test/support/machine.mjs';
import { bits, capture, only, scratchDir } from './support/capture.js';

const le64 = (v: bigint, signed = false) => {
  const b = Buffer.alloc(8);
  if (signed) b.writeBigInt64LE(v);
  else b.writeBigUInt64LE(v);
  return [...b];
};

// Kernel poll bits -> names, to express the helper's revents in PPM_POLL* through the libs table.
const KERNEL_POLL: [number, string][] = [
  [0x1, 'POLLIN'],
  [0x2, 'POLLPRI'],
  [0x4, 'POLLOUT'],
  [0x8, 'POLLERR'],
  [0x10, 'POLLHUP'],
  [0x20, 'POLLNVAL'],
  [0x40, 'POLLRDNORM'],
  [0x80, 'POLLRDBAND'],
  [0x100, 'POLLWRNORM'],
  [0x200, 'POLLWRBAND'],
  [0x2000, 'POLLRDHUP'],
];
const pollPpm = (rev: number) => bits(POLL_FLAGS, ...KERNEL_POLL.filter(([k]) => rev & k).map(([, n]) => n));
function fdlist(entries: [number, number][]): Uint8Array {
  const b = Buffer.alloc(2 + entries.length * 10);
  b.writeUInt16LE(entries.length, 0);
  entries.forEach(([fd, flags], i) => {
    b.writeBigInt64LE(BigInt(fd), 2 + i * 10);
    b.writeUInt16LE(flags, 10 + i * 10);
  });
  return Uint8Array.from(b);
}

describe.runIf(CAN_LOAD_PROBE)('splice, sendfile, poll and process controls', () => {
  it('records splice, sendfile, poll and ppoll', async () => {
    const { events, out } = await capture('poll', scratchDir());
    expect(only(events, 'splice')[0]!.params).toEqual({
      res: 10,
      fd_in: out.p0,
      fd_out: out.f,
      size: 10n,
      flags: bits(SPLICE_FLAGS, 'SPLICE_F_MOVE', 'SPLICE_F_MORE'),
    });
    expect(out.off).toBe(7);
    expect(only(events, 'sendfile')[0]!.params).toEqual({
      res: 5,
      offset: 7n, // as the call left it
      out_fd: out.q1,
      in_fd: out.f,
      size: 5n,
    });
    expect(only(events, 'poll')[0]!.params).toEqual({
      res: 2,
      fds: fdlist([
        [out.q0 as number, pollPpm(out.rev0 as number)],
        [out.p1 as number, pollPpm(out.rev1 as number)],
      ]),
      timeout: 0,
    });
    expect(pollPpm(out.rev0 as number)).not.toBe(0);
    expect(out.rem as number).toBeLessThanOrEqual(1e9);
    expect(out.rem as number).toBeGreaterThan(9e8);
    expect(only(events, 'ppoll')[0]!.params).toEqual({
      res: 2,
      fds: fdlist([
        [out.q0 as number, pollPpm(out.prev0 as number)],
        [out.p1 as number, pollPpm(out.prev1 as number)],
      ]),
      timeout: BigInt(out.rem as number), // the kernel writes the time left of the 1 s back
      sigmask: 1 << 9, // SIGUSR1
    });
  });

  it('records ptrace, prctl, capset, unshare, setns, seccomp, bpf, modules, mounts and chroot', async () => {
    const dir = scratchDir();
    const { events, out } = await capture('sys', dir);
    const req = (n: string) => bits(PTRACE_REQUESTS, n);
    const addr = BigInt(out.addr as string);
    expect(only(events, 'ptrace').map((e) => e.params)).toEqual([
      {
        res: 0,
        addr: Uint8Array.from([0, ...le64(0n)]),
        data: Uint8Array.from([0, ...le64(0n)]),
        request: req('PTRACE_ATTACH'),
        pid: out.child,
      },
      // PEEKDATA: the word read from the tracee (its copy of the helper's global)
      {
        res: 0,
        addr: Uint8Array.from([0, ...le64(addr)]),
        data: Uint8Array.from([0, ...le64(BigInt(out.word as string))]),
        request: req('PTRACE_PEEKDATA'),
        pid: out.child,
      },
      // DETACH passes a signal on: DYN index 1 (SIGTYPE)
      {
        res: 0,
        addr: Uint8Array.from([0, ...le64(0n)]),
        data: Uint8Array.from([1, 18 /* SIGCONT */]),
        request: req('PTRACE_DETACH'),
        pid: out.child,
      },
      {
        res: out.atbad,
        addr: Uint8Array.from([0, ...le64(0n)]),
        data: Uint8Array.from([0, ...le64(0n)]),
        request: req('PTRACE_ATTACH'),
        pid: 999999999,
      },
    ]);
    expect(out.word).toBe(String(0x1122334455667788n));

    const opt = (n: string) => bits(PRCTL_OPTIONS, n);
    expect(only(events, 'prctl').map((e) => e.params)).toEqual([
      { res: 0, option: opt('PR_SET_NAME'), arg2_str: 'scapkit-sys', arg2_int: 0 },
      { res: 0, option: opt('PR_GET_NAME'), arg2_str: 'scapkit-sys', arg2_int: 0 },
      { res: 0, option: opt('PR_SET_CHILD_SUBREAPER'), arg2_int: 1 },
      { res: 0, option: opt('PR_GET_CHILD_SUBREAPER'), arg2_int: out.sub },
    ]);
    expect(out.sub).toBe(1);
    expect(only(events, 'capset')[0]!.params).toEqual({
      res: 0,
      cap_inheritable: BigInt(out.inh as string),
      cap_permitted: BigInt(out.prm as string),
      cap_effective: BigInt(out.eff as string),
    });
    expect(only(events, 'unshare')[0]!.params).toEqual({
      res: 0,
      flags: bits(CLONE_FLAGS, 'CLONE_NEWNS', 'CLONE_NEWUTS'),
    });
    expect(only(events, 'setns').map((e) => e.params)).toEqual([
      { res: 0, fd: out.nsfd, nstype: bits(CLONE_FLAGS, 'CLONE_NEWUTS') },
      { res: out.snbad, fd: 9999, nstype: 0 },
    ]);
    expect(only(events, 'seccomp').map((e) => e.params)).toEqual([
      { res: 0, op: 2n /* SECCOMP_GET_ACTION_AVAIL */, flags: 0n },
      { res: out.scbad, op: 99n, flags: 0n },
    ]);
    expect(only(events, 'bpf').map((e) => e.params)).toEqual([
      { fd: out.bpf, cmd: bits(BPF_COMMANDS, 'BPF_MAP_CREATE') },
      { fd: out.bfbad, cmd: 999 },
    ]);
    // The image is the helper's fill() pattern (whether or not the kernel takes modules).
    expect(only(events, 'init_module')[0]!.params).toEqual({
      res: out.im,
      img: Uint8Array.from({ length: 32 }, (_, i) => 65 + (i % 26)),
      length: 32n,
      uargs: 'scapkit=1',
    });
    expect(only(events, 'finit_module')[0]!.params).toEqual({
      res: out.fm,
      fd: 9999,
      uargs: 'x=2',
      flags: bits(FINIT_MODULE_FLAGS, 'MODULE_INIT_IGNORE_MODVERSIONS'),
    });
    expect(only(events, 'mount').map((e) => e.params)).toEqual([
      { res: 0, dir: '/', flags: bits(MOUNT_FLAGS, 'REC', 'PRIVATE') }, // NULL dev and type: empty
      { res: 0, dev: 'scapkit', dir, type: 'tmpfs', flags: bits(MOUNT_FLAGS, 'NOSUID', 'NODEV') },
    ]);
    expect(only(events, 'umount2')[0]!.params).toEqual({
      res: 0,
      name: dir,
      flags: bits(UMOUNT_FLAGS, 'DETACH'),
    });
    expect(only(events, 'chroot').map((e) => e.params)).toEqual([
      { res: 0, path: '/' },
      { res: out.crbad, path: '/nonexistent/scapkit' },
    ]);
  });
});
