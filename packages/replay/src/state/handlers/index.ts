// The one table of what each event does to the state: per event name, the handler of its enter and of
// its exit event. Event ids come from the event table by name, so every version of an event (old
// captures keep their old ids) gets the same handler. Adding an event the state follows is one line here
// and a function in the module of its concern.
import { EVENT_MAX, EVENTS, type EventView, eventTypeTable, FdType } from '@scapkit/scap-format';
import type { StateEngine } from '../engine.js';
import type { Thread } from '../thread.js';
import { onClose, onDup, onEpollCreate1, onFcntl, onMemfd, onOpen, onPipe, unnamedFd } from './fds.js';
import {
  groupEvent,
  onContainerJson,
  onContainerOld,
  onSetgid,
  onSetresgid,
  onSetresuid,
  onSetuid,
  userEvent,
} from './identity.js';
import {
  onCapset,
  onChdir,
  onChroot,
  onClone,
  onExecve,
  onFchdir,
  onPrctl,
  onProcexit,
  onSetsid,
} from './processes.js';
import { onAccept, onBind, onConnect, onConnectEnter, onIoTuple, onSocket, onSocketpair } from './sockets.js';

/** What an event does to the tables; `t` is the event's thread (always there unless `threadless`). */
export type EventHandler = (s: StateEngine, v: EventView, t: Thread) => void;

interface Registration {
  enter?: EventHandler;
  exit?: EventHandler;
  /** Runs without a thread too (the event has none: container and user records, a child's clone). */
  threadless?: true;
  /**
   * Only reads the event's fd entry (StateEngine.fd): a table that shares it with a fork's keeps sharing
   * it (FdTable.own is for the handlers that change it).
   */
  readsFd?: true;
}

// Handlers that accept a missing thread are typed with `Thread | undefined` and registered threadless.
const threadless = (h: (s: StateEngine, v: EventView, t: Thread | undefined) => void) => h as EventHandler;

const BY_NAME: Record<string, Registration> = {
  // processes and threads
  clone: { exit: threadless(onClone), threadless: true },
  clone3: { exit: threadless(onClone), threadless: true },
  fork: { exit: threadless(onClone), threadless: true },
  vfork: { exit: threadless(onClone), threadless: true },
  execve: { exit: onExecve },
  execveat: { exit: onExecve },
  procexit: { enter: onProcexit },
  chdir: { exit: onChdir },
  fchdir: { exit: onFchdir, readsFd: true },
  chroot: { exit: onChroot },
  setsid: { exit: onSetsid },
  prctl: { exit: onPrctl },
  capset: { exit: onCapset },
  // fds
  open: { exit: onOpen },
  openat: { exit: onOpen },
  openat2: { exit: onOpen },
  creat: { exit: onOpen },
  open_by_handle_at: { exit: onOpen },
  close: { exit: onClose, readsFd: true },
  dup: { exit: onDup, readsFd: true },
  dup2: { exit: onDup, readsFd: true },
  dup3: { exit: onDup, readsFd: true },
  pidfd_getfd: { exit: onDup, readsFd: true },
  fcntl: { exit: onFcntl },
  pipe: { exit: onPipe },
  pipe2: { exit: onPipe },
  eventfd: { exit: unnamedFd('res', FdType.EVENT) },
  eventfd2: { exit: unnamedFd('res', FdType.EVENT) },
  signalfd: { exit: unnamedFd('res', FdType.SIGNALFD) },
  signalfd4: { exit: unnamedFd('res', FdType.SIGNALFD) },
  timerfd_create: { exit: unnamedFd('res', FdType.TIMERFD) },
  inotify_init: { exit: unnamedFd('res', FdType.INOTIFY) },
  inotify_init1: { exit: unnamedFd('res', FdType.INOTIFY) },
  epoll_create: { exit: unnamedFd('res', FdType.EVENTPOLL) },
  epoll_create1: { exit: onEpollCreate1 },
  userfaultfd: { exit: unnamedFd('res', FdType.USERFAULTFD) },
  io_uring_setup: { exit: unnamedFd('res', FdType.IOURING) },
  bpf: { exit: unnamedFd('fd', FdType.BPF) },
  pidfd_open: { exit: unnamedFd('fd', FdType.PIDFD) },
  memfd_create: { exit: onMemfd },
  // sockets
  socket: { exit: onSocket },
  bind: { exit: onBind },
  connect: { enter: onConnectEnter, exit: onConnect },
  accept: { exit: onAccept },
  accept4: { exit: onAccept },
  socketpair: { exit: onSocketpair },
  sendto: { exit: onIoTuple },
  sendmsg: { exit: onIoTuple },
  recvfrom: { exit: onIoTuple },
  recvmsg: { exit: onIoTuple },
  // identity
  setuid: { exit: onSetuid },
  setgid: { exit: onSetgid },
  setresuid: { exit: onSetresuid },
  setreuid: { exit: onSetresuid },
  setresgid: { exit: onSetresgid },
  setregid: { exit: onSetresgid },
  useradded: { enter: userEvent(true), threadless: true },
  userdeleted: { enter: userEvent(false), threadless: true },
  groupadded: { enter: groupEvent(true), threadless: true },
  groupdeleted: { enter: groupEvent(false), threadless: true },
  container: { enter: onContainerJson, threadless: true },
};

/**
 * By event id: the handler (`handlers`, undefined: the event changes no table), whether it needs the
 * event's thread (`needsThread`, 1) and whether it may change the event's fd entry (`changesFd`, 1). Made
 * by the first StateEngine, not at import.
 */
export const handlerTables = eventTypeTable(() => {
  const handlers: (EventHandler | undefined)[] = new Array(EVENT_MAX).fill(undefined);
  const needsThread = new Uint8Array(EVENT_MAX);
  const changesFd = new Uint8Array(EVENT_MAX);
  for (let id = 0; id < EVENT_MAX; id++) {
    const e = EVENTS[id];
    if (!e) continue;
    const r = BY_NAME[e.name];
    if (!r) continue;
    let h = e.dir === '>' ? r.enter : r.exit;
    // The old container event (id, type, name, image) differs from the JSON one by its parameters.
    if (e.name === 'container' && e.paramIndex.has('id')) h = onContainerOld;
    handlers[id] = h;
    needsThread[id] = r.threadless ? 0 : 1;
    changesFd[id] = r.readsFd ? 0 : 1;
  }
  return { handlers, needsThread, changesFd };
});
