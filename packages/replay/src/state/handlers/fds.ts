// Handlers of the events that open, duplicate and close fds that are not sockets: open and its family,
// close, dup and fcntl(F_DUPFD*), pipes, and the unnamed fds (eventfd, signalfd, timerfd, inotify, epoll,
// userfaultfd, io_uring, bpf, pidfd, memfd), as sinsp's parser keeps them.
import {
  EPOLL_CREATE1_FLAGS,
  type EventView,
  FCNTL_COMMANDS,
  FdType,
  FILE_FLAGS,
  flagValue,
  MEMFD_CREATE_FLAGS,
  paramInt,
} from '@scapkit/scap-format';
import type { StateEngine } from '../engine.js';
import type { FdEntry } from '../fd.js';
import { paramSlot, slotIndex } from '../param-slots.js';
import { AT_FDCWD } from '../paths.js';
import type { Thread } from '../thread.js';

/** PPM_O_DIRECTORY: an open of a directory makes a directory fd. */
const O_DIRECTORY = flagValue(FILE_FLAGS, 'O_DIRECTORY');
/** PPM_O_CLOEXEC: such fds are closed by a successful execve. */
const O_CLOEXEC = flagValue(FILE_FLAGS, 'O_CLOEXEC');
/** An epoll fd and a memfd keep their own creation flags, where close-on-exec has its own bit. */
const EPOLL_CLOEXEC = flagValue(EPOLL_CREATE1_FLAGS, 'EPOLL_CLOEXEC');
const MFD_CLOEXEC = flagValue(MEMFD_CREATE_FLAGS, 'MFD_CLOEXEC');
/** fcntl commands that make a new fd (the driver's PPM_FCNTL_* codes, not the kernel's). */
const F_DUPFD = flagValue(FCNTL_COMMANDS, 'F_DUPFD');
const F_DUPFD_CLOEXEC = flagValue(FCNTL_COMMANDS, 'F_DUPFD_CLOEXEC');
const F_SETFD = flagValue(FCNTL_COMMANDS, 'F_SETFD');
/** The kernel's FD_CLOEXEC bit of fcntl(F_SETFD)'s argument (the driver passes the argument as it is). */
const FD_CLOEXEC = 1;

const RES = paramSlot('res');
const FD = paramSlot('fd');
const NAME = paramSlot('name');
const PATH = paramSlot('path');
const FLAGS = paramSlot('flags');
const DIRFD = paramSlot('dirfd');
const DEV = paramSlot('dev');
const INO = paramSlot('ino');
const CMD = paramSlot('cmd');
const ARG = paramSlot('arg');
const OLDFD = paramSlot('oldfd');
const FD1 = paramSlot('fd1');
const FD2 = paramSlot('fd2');

/** open, openat, openat2, creat, open_by_handle_at: a file or directory fd named by its full path. */
export function onOpen(s: StateEngine, v: EventView, t: Thread): void {
  const fd = s.int(v, FD, -1);
  if (fd < 0) return;
  // Five more parameters (the path's locates them all): each read by its index.
  const flags = s.locatedUint(v, FLAGS, 0);
  const dir = s.atDirectory(t, s.locatedInt(v, DIRFD, AT_FDCWD));
  const e = s.newFd(fd, flags & O_DIRECTORY ? FdType.DIRECTORY : FdType.FILE);
  // concatenatePaths(dir, '') is '' (no parameter, or both empty): a new entry's name.
  if (!s.setPathName(e, v, NAME, dir)) s.setPathName(e, v, PATH, dir);
  e.openFlags = flags;
  e.dev = s.locatedUint(v, DEV, 0);
  e.ino = s.locatedUint(v, INO, 0);
  s.addFd(t, e);
  s.nameChanged = true;
}

/** close: the fd goes once the close has been shown. */
export function onClose(s: StateEngine, v: EventView, t: Thread): void {
  if (s.int(v, RES, -1) >= 0 && s.fd) s.removeFdAfterEvent(t, t.lastEventFd);
}

/** dup, dup2, dup3, pidfd_getfd: the new fd is a copy of the old one. */
export function onDup(s: StateEngine, v: EventView, t: Thread): void {
  dup(s, v, t, (s.uint(v, FLAGS, 0) & O_CLOEXEC) !== 0);
}

/** The fd copy of dup and fcntl(F_DUPFD*); `cloexec`: the copy is closed by an execve. */
function dup(s: StateEngine, v: EventView, t: Thread, cloexec: boolean): void {
  const res = s.int(v, RES, -1);
  if (res < 0) return;
  const i = slotIndex(v, OLDFD);
  const old = i >= 0 ? paramInt(v, i) : s.int(v, FD, t.lastEventFd);
  const src = s.getFd(t, old);
  if (!src) return;
  // dup2/dup3 onto an open fd replace it; the copy is close-on-exec only when asked (dup3's O_CLOEXEC,
  // F_DUPFD_CLOEXEC), whatever the original is.
  const copy = s.newFd(res, src.type);
  copy.copyOf(src);
  setCloseOnExec(copy, cloexec);
  s.addFd(t, copy);
}

/**
 * fcntl: F_DUPFD and F_DUPFD_CLOEXEC duplicate; F_SETFD sets or clears close-on-exec (a process that
 * clears it before an execve, as libuv does for a child's stdio, keeps the fd).
 */
export function onFcntl(s: StateEngine, v: EventView, t: Thread): void {
  const cmd = s.int(v, CMD, -1);
  if (cmd === F_DUPFD || cmd === F_DUPFD_CLOEXEC) dup(s, v, t, cmd === F_DUPFD_CLOEXEC);
  else if (cmd === F_SETFD && s.int(v, RES, -1) >= 0 && s.fd) {
    setCloseOnExec(s.fd, (s.uint(v, ARG, 0) & FD_CLOEXEC) !== 0);
  }
}

/** pipe, pipe2: two fifo fds on one inode. */
export function onPipe(s: StateEngine, v: EventView, t: Thread): void {
  if (s.int(v, RES, -1) < 0) return;
  const ino = s.uint(v, INO, 0);
  const flags = s.uint(v, FLAGS, 0);
  addPipeEnd(s, t, s.int(v, FD1, -1), ino, flags);
  addPipeEnd(s, t, s.int(v, FD2, -1), ino, flags);
}

function addPipeEnd(s: StateEngine, t: Thread, fd: number, ino: number, flags: number): void {
  if (fd < 0) return;
  const e = s.newFd(fd, FdType.FIFO);
  e.ino = ino;
  e.openFlags = flags;
  s.addFd(t, e);
}

/** A handler for an event whose only effect is a new unnamed fd of `type`, found in parameter `param`. */
export function unnamedFd(param: string, type: number): (s: StateEngine, v: EventView, t: Thread) => void {
  const slot = paramSlot(param);
  return (s, v, t) => {
    const fd = s.int(v, slot, -1);
    if (fd >= 0) s.addFd(t, s.newFd(fd, type));
  };
}

/** memfd_create: an fd named `memfd:NAME`. */
export function onMemfd(s: StateEngine, v: EventView, t: Thread): void {
  const fd = s.int(v, FD, -1);
  if (fd < 0) return;
  const e = s.newFd(fd, FdType.MEMFD);
  e.name = `memfd:${s.str(v, NAME) ?? ''}`;
  e.openFlags = s.uint(v, FLAGS, 0);
  s.addFd(t, e);
}

/** epoll_create1: an epoll fd that keeps its flags (EPOLL_CLOEXEC). */
export function onEpollCreate1(s: StateEngine, v: EventView, t: Thread): void {
  const fd = s.int(v, RES, -1);
  if (fd < 0) return;
  const e = s.newFd(fd, FdType.EVENTPOLL);
  e.openFlags = s.uint(v, FLAGS, 0);
  s.addFd(t, e);
}

/**
 * Whether `e` is closed by a successful execve, as current libs' is_close_on_exec: O_CLOEXEC, or the
 * close-on-exec bit of an epoll fd's or a memfd's own flags.
 */
export function isCloseOnExec(e: FdEntry): boolean {
  if (e.openFlags & O_CLOEXEC) return true;
  if (e.type === FdType.EVENTPOLL) return (e.openFlags & EPOLL_CLOEXEC) !== 0;
  if (e.type === FdType.MEMFD) return (e.openFlags & MFD_CLOEXEC) !== 0;
  return false;
}

/** Sets or clears close-on-exec as the kernel keeps it per fd (fcntl F_SETFD, a dup's copy). */
function setCloseOnExec(e: FdEntry, on: boolean): void {
  if (on) e.openFlags |= O_CLOEXEC;
  else {
    e.openFlags &= ~O_CLOEXEC;
    if (e.type === FdType.EVENTPOLL) e.openFlags &= ~EPOLL_CLOEXEC;
    else if (e.type === FdType.MEMFD) e.openFlags &= ~MFD_CLOEXEC;
  }
}
