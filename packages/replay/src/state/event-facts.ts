// Per-event-type facts the state engine and the fields look up by id on every event, computed once from
// the event tables: the handler for each event name, and the fd-related flags.
//
// The fd flags (EF_USES_FD, EF_CREATES_FD, …) decide which events have an fd for the fd.* fields. They
// come from the table sysdig 0.29.3 was built with where it knows the event (the two tables differ only
// for mmap/mmap2, *mmsg and a few *at calls), so that fd.* answers exactly as sysdig does; events it does
// not know use the current table.
import { EVENT_MAX, EVENTS, EVENTS_SYSDIG_0_29 } from '@scapkit/scap-format';

/** Handler codes, one per family of state-changing events. */
export const H = {
  NONE: 0,
  OPEN_X: 1,
  CLOSE_X: 3,
  SOCKET_X: 4,
  BIND_X: 5,
  CONNECT_X: 7,
  ACCEPT_X: 8,
  DUP_X: 9,
  FCNTL_X: 10,
  PIPE_X: 11,
  SOCKETPAIR_X: 12,
  EVENTFD_X: 13,
  SIGNALFD_X: 14,
  TIMERFD_X: 15,
  INOTIFY_X: 16,
  EPOLL_X: 17,
  CLONE_X: 18,
  EXECVE_X: 19,
  PROCEXIT: 20,
  CHDIR_X: 21,
  FCHDIR_X: 22,
  SETUID_X: 23,
  SETGID_X: 24,
  SETRESUID_X: 25,
  SETRESGID_X: 26,
  SETREUID_X: 27,
  SETREGID_X: 28,
  PRCTL_X: 29,
  CONTAINER_JSON: 30,
  CONTAINER_OLD: 31,
  USER_ADDED: 32,
  USER_DELETED: 33,
  GROUP_ADDED: 34,
  GROUP_DELETED: 35,
  IO_TUPLE_X: 37,
  MEMFD_X: 38,
  USERFAULTFD_X: 39,
  IOURING_X: 40,
  BPF_X: 41,
  PIDFD_X: 42,
  SETSID_X: 43,
  CHROOT_X: 45,
  CAPSET_X: 48,
  SWITCH: 49,
} as const;

const BY_NAME: Record<string, [enter: number, exit: number]> = {
  open: [H.NONE, H.OPEN_X],
  openat: [H.NONE, H.OPEN_X],
  openat2: [H.NONE, H.OPEN_X],
  creat: [H.NONE, H.OPEN_X],
  open_by_handle_at: [H.NONE, H.OPEN_X],
  close: [H.NONE, H.CLOSE_X],
  socket: [H.NONE, H.SOCKET_X],
  bind: [H.NONE, H.BIND_X],
  connect: [H.NONE, H.CONNECT_X],
  accept: [H.NONE, H.ACCEPT_X],
  accept4: [H.NONE, H.ACCEPT_X],
  dup: [H.NONE, H.DUP_X],
  dup2: [H.NONE, H.DUP_X],
  dup3: [H.NONE, H.DUP_X],
  fcntl: [H.NONE, H.FCNTL_X],
  pipe: [H.NONE, H.PIPE_X],
  pipe2: [H.NONE, H.PIPE_X],
  socketpair: [H.NONE, H.SOCKETPAIR_X],
  eventfd: [H.NONE, H.EVENTFD_X],
  eventfd2: [H.NONE, H.EVENTFD_X],
  signalfd: [H.NONE, H.SIGNALFD_X],
  signalfd4: [H.NONE, H.SIGNALFD_X],
  timerfd_create: [H.NONE, H.TIMERFD_X],
  inotify_init: [H.NONE, H.INOTIFY_X],
  inotify_init1: [H.NONE, H.INOTIFY_X],
  epoll_create: [H.NONE, H.EPOLL_X],
  epoll_create1: [H.NONE, H.EPOLL_X],
  clone: [H.NONE, H.CLONE_X],
  clone3: [H.NONE, H.CLONE_X],
  fork: [H.NONE, H.CLONE_X],
  vfork: [H.NONE, H.CLONE_X],
  execve: [H.NONE, H.EXECVE_X],
  execveat: [H.NONE, H.EXECVE_X],
  procexit: [H.PROCEXIT, H.NONE],
  chdir: [H.NONE, H.CHDIR_X],
  fchdir: [H.NONE, H.FCHDIR_X],
  setuid: [H.NONE, H.SETUID_X],
  setgid: [H.NONE, H.SETGID_X],
  setresuid: [H.NONE, H.SETRESUID_X],
  setresgid: [H.NONE, H.SETRESGID_X],
  setreuid: [H.NONE, H.SETREUID_X],
  setregid: [H.NONE, H.SETREGID_X],
  prctl: [H.NONE, H.PRCTL_X],
  container: [H.CONTAINER_JSON, H.NONE],
  useradded: [H.USER_ADDED, H.NONE],
  userdeleted: [H.USER_DELETED, H.NONE],
  groupadded: [H.GROUP_ADDED, H.NONE],
  groupdeleted: [H.GROUP_DELETED, H.NONE],
  sendto: [H.NONE, H.IO_TUPLE_X],
  sendmsg: [H.NONE, H.IO_TUPLE_X],
  recvfrom: [H.NONE, H.IO_TUPLE_X],
  recvmsg: [H.NONE, H.IO_TUPLE_X],
  memfd_create: [H.NONE, H.MEMFD_X],
  userfaultfd: [H.NONE, H.USERFAULTFD_X],
  io_uring_setup: [H.NONE, H.IOURING_X],
  bpf: [H.NONE, H.BPF_X],
  pidfd_open: [H.NONE, H.PIDFD_X],
  pidfd_getfd: [H.NONE, H.DUP_X],
  setsid: [H.NONE, H.SETSID_X],
  chroot: [H.NONE, H.CHROOT_X],
  capset: [H.NONE, H.CAPSET_X],
  switch: [H.SWITCH, H.SWITCH],
};

/** Handler code by event id. */
export const HANDLER = new Uint8Array(EVENT_MAX);
/** EF_* flags by event id, as sysdig 0.29.3 knew them where it knew the event. */
export const FLAGS = new Uint32Array(EVENT_MAX);
/** 1 for event ids whose layout reports the process's memory (vm_size …): brk, mmap, munmap, … */
export const REPORTS_VM = new Uint8Array(EVENT_MAX);
/**
 * The number of parameters sysdig 0.29.3's table lists for an event id, -1 where it did not know the
 * event. An event with more parameters is in a current layout (the probe's: exits carry every parameter).
 */
export const OLD_NPARAMS = new Int16Array(EVENT_MAX).fill(-1);

/** Whether `nparams` parameters of event `type` make the layout sysdig 0.29.3 knew (see OLD_NPARAMS). */
export function isOldLayoutOf(type: number, nparams: number): boolean {
  return type < EVENT_MAX && nparams <= OLD_NPARAMS[type]!;
}

for (let id = 0; id < EVENT_MAX; id++) {
  const e = EVENTS[id]!;
  const pair = BY_NAME[e.name];
  if (pair) HANDLER[id] = e.dir === '>' ? pair[0] : pair[1];
  const old = EVENTS_SYSDIG_0_29[id];
  FLAGS[id] = old && old.name === e.name ? (old.flags & 0x1bf) | (e.flags & ~0x1bf) : e.flags;
  if (old && old.name === e.name) OLD_NPARAMS[id] = old.params.length;
  REPORTS_VM[id] = e.paramIndex.has('vm_size') ? 1 : 0;
}
// The old container event (id 228: id, type, name, image) differs from the JSON one by its parameters.
for (let id = 0; id < EVENT_MAX; id++) {
  const e = EVENTS[id]!;
  if (e.name === 'container' && e.paramIndex.has('id')) HANDLER[id] = H.CONTAINER_OLD;
}
