// fcntl (PPM_FCNTL_* command, the new fd of F_DUPFD_CLOEXEC), ioctl, and the calls that create special
// fds: eventfd/eventfd2, signalfd/signalfd4, timerfd_create, inotify_init/inotify_init1,
// epoll_create/epoll_create1, memfd_create.
import { EPOLL_CREATE1_FLAGS, FCNTL_COMMANDS, FILE_FLAGS, MEMFD_CREATE_FLAGS } from '@scapkit/scap-format';
import { describe, expect, it } from 'vitest';
import { CAN_LOAD_PROBE } from '../../../test/support/machine.mjs';
import { bits, capture, only } from './support/capture.js';

const EBADF = 9;

describe.runIf(CAN_LOAD_PROBE)('fd control and special fds', () => {
  it('records fcntl, ioctl and the fd-creating calls with every parameter', async () => {
    const { events, out } = await capture('fdx');
    const fcntls = only(events, 'fcntl').filter((e) =>
      [out.p0, out.p1, 9999].includes(e.params.fd as number),
    );
    expect(fcntls.map((e) => e.params)).toEqual([
      { res: out.dupfd, fd: out.p0, cmd: bits(FCNTL_COMMANDS, 'F_DUPFD_CLOEXEC'), arg: 50n },
      { res: out.getfl, fd: out.p1, cmd: bits(FCNTL_COMMANDS, 'F_GETFL'), arg: 0n },
      { res: -EBADF, fd: 9999, cmd: bits(FCNTL_COMMANDS, 'F_GETFD'), arg: 0n },
    ]);
    expect(out.dupfd).toBe(50);
    const ioctls = only(events, 'ioctl').filter((e) => e.params.fd === out.p0 || e.params.fd === 9999);
    const argp = BigInt(out.argp as string); // the int * the helper passed
    expect(ioctls.map((e) => e.params)).toEqual([
      { res: 0, fd: out.p0, request: BigInt(out.fionread as number), argument: argp },
      { res: -EBADF, fd: 9999, request: BigInt(out.fionread as number), argument: argp },
    ]);
    expect(only(events, 'eventfd')[0]!.params).toEqual({ res: out.efd, initval: 7n, flags: 0 });
    // SIGUSR1 (10) and SIGTERM (15): bits 9 and 14 of the first mask word.
    expect(only(events, 'signalfd')[0]!.params).toEqual({
      res: out.sfd,
      fd: -1,
      mask: (1 << 9) | (1 << 14),
      flags: 0,
    });
    expect(only(events, 'timerfd_create')[0]!.params).toEqual({ res: out.tfd, clockid: 1, flags: 0 });
    expect(only(events, 'inotify_init')[0]!.params).toEqual({ res: out.ifd, flags: 0 });
    expect(only(events, 'epoll_create')[0]!.params).toEqual({ res: out.ep, size: 5 });
    expect(only(events, 'epoll_create1')[0]!.params).toEqual({
      res: out.ep1,
      flags: bits(EPOLL_CREATE1_FLAGS, 'EPOLL_CLOEXEC'),
    });
    // eventfd2/inotify_init1/signalfd4 flags in PPM_O_* bits (libs renders them with file_flags).
    expect(only(events, 'eventfd2')[0]!.params).toEqual({
      res: out.efd2,
      flags: bits(FILE_FLAGS, 'O_CLOEXEC', 'O_NONBLOCK'),
      initval: 3n,
    });
    expect(only(events, 'inotify_init1')[0]!.params).toEqual({
      res: out.ifd1,
      flags: bits(FILE_FLAGS, 'O_CLOEXEC'),
    });
    expect(only(events, 'signalfd4')[0]!.params).toEqual({
      res: out.sfd4,
      flags: bits(FILE_FLAGS, 'O_NONBLOCK'),
      fd: -1,
      mask: (1 << 9) | (1 << 14),
    });
    expect(only(events, 'memfd_create')[0]!.params).toEqual({
      fd: out.mfd,
      name: 'scapkit-memfd',
      flags: bits(MEMFD_CREATE_FLAGS, 'MFD_CLOEXEC', 'MFD_ALLOW_SEALING'),
    });
  });
});
