// The open fds of one process from /proc/PID/fd, typed the way libscap's scap_fd_scan_fd_dir types them:
// the link text says what most fds are (socket:[ino], pipe:[ino], anon_inode:[eventfd], …), stat() tells
// files from directories and named pipes, fdinfo gives a file's open flags and mount, and the per-netns
// socket tables give a socket's type and tuple.
import { type FdInfo, FdType } from '@scapkit/scap-format';
import { openFlagsToPpm } from './open-flags.js';
import type { ProcFs } from './procfs.js';
import { readSocketTable, type SocketInfo, type SocketTable } from './sockets.js';

const S_IFMT = 0o170000;
const S_IFIFO = 0o010000;
const S_IFDIR = 0o040000;
const S_IFCHR = 0o020000;
const S_IFBLK = 0o060000;
const S_IFREG = 0o100000;
const S_IFLNK = 0o120000;

/**
 * A socket table older than this is read again when an inode is missing from it: the socket was likely
 * created after the table was read, during the scan. Families without a table (packet, vsock) miss every
 * time, so re-reads are rate-limited rather than done per miss.
 */
const SOCKET_TABLE_REFRESH_MS = 50;

/** Caches shared by every process of one snapshot. */
export class FdScanContext {
  /** Socket tables by network namespace (`net:[4026531840]`). */
  private readonly socketTables = new Map<string, { table: SocketTable; readAt: number }>();
  /** Device numbers by mount id: mount ids are unique system-wide, across mount namespaces. */
  private readonly mountDevs = new Map<number, number>();
  private nsPid = -1;
  private ns = '';

  constructor(
    readonly fs: ProcFs,
    readonly procRoot: string,
  ) {}

  /** The socket with inode `ino` in the network namespace of process `pid`. */
  socket(pid: number, ino: number): SocketInfo | undefined {
    const dir = `${this.procRoot}/${pid}`;
    if (pid !== this.nsPid) {
      // Without access to the ns link (another user's process), key by the process itself: its
      // /proc/PID/net still shows its own namespace.
      this.ns = this.fs.link(`${dir}/ns/net`) ?? `pid:${pid}`;
      this.nsPid = pid;
    }
    let cached = this.socketTables.get(this.ns);
    if (!cached) {
      cached = { table: readSocketTable(this.fs, `${dir}/net`), readAt: performance.now() };
      this.socketTables.set(this.ns, cached);
    }
    let info = cached.table.get(ino);
    if (!info && performance.now() - cached.readAt > SOCKET_TABLE_REFRESH_MS) {
      cached.table = readSocketTable(this.fs, `${dir}/net`);
      cached.readAt = performance.now();
      info = cached.table.get(ino);
    }
    return info;
  }

  /** The device (kernel new_encode_dev, as the driver reports it) of a mount, via the process's mountinfo. */
  mountDev(pid: number, mountId: number): number {
    let dev = this.mountDevs.get(mountId);
    if (dev !== undefined) return dev;
    const text = this.fs.read(`${this.procRoot}/${pid}/mountinfo`, 64 << 20, true) ?? '';
    for (const line of text.split('\n')) {
      // `36 35 98:0 /mnt1 /mnt/parent rw,noatime master:1 - ext3 /dev/root rw` (proc(5))
      const sp1 = line.indexOf(' ');
      const sp2 = line.indexOf(' ', sp1 + 1);
      const sp3 = line.indexOf(' ', sp2 + 1);
      if (sp3 < 0) continue;
      const colon = line.indexOf(':', sp2 + 1);
      if (colon < 0 || colon > sp3) continue;
      const major = Number(line.slice(sp2 + 1, colon));
      const minor = Number(line.slice(colon + 1, sp3));
      this.mountDevs.set(Number(line.slice(0, sp1)), encodeDev(major, minor));
    }
    dev = this.mountDevs.get(mountId) ?? 0;
    this.mountDevs.set(mountId, dev); // remember misses too: one mountinfo read per unknown mount
    return dev;
  }
}

/** The kernel's new_encode_dev, truncated to 32 bits as libscap's and the driver's `dev` are. */
export function encodeDev(major: number, minor: number): number {
  return ((minor & 0xff) | ((major & 0xfff) << 8) | ((minor & ~0xff) << 12)) >>> 0;
}

/** The fds of process `pid`, in fd order; an empty list when it has none or they cannot be read. */
export function scanFds(ctx: FdScanContext, pid: number): FdInfo[] {
  const { fs } = ctx;
  const dir = `${ctx.procRoot}/${pid}/fd`;
  const names = fs.list(dir);
  if (!names) return [];
  const fds: FdInfo[] = [];
  for (const name of names) {
    const fd = Number(name);
    const path = `${dir}/${name}`;
    const link = fs.link(path);
    if (link === undefined) {
      if (fs.denied) break; // one issue per process, not one per fd
      continue; // closed since the listing
    }
    const socketIno = bracketedIno(link, 'socket:[');
    if (socketIno !== undefined) {
      const known = ctx.socket(pid, socketIno);
      // A copy per fd: dup'ed fds share a socket, and orientSockets later edits each entry once.
      // Families with no /proc/net table (packet, vsock, …) stay unsupported, under their link name.
      fds.push(known ? { ...known, fd } : { fd, ino: socketIno, type: FdType.UNSUPPORTED, name: link });
      continue;
    }
    const pipeIno = bracketedIno(link, 'pipe:[');
    if (pipeIno !== undefined) {
      fds.push({ fd, ino: pipeIno, type: FdType.FIFO, name: link });
      continue;
    }
    const st = fs.stat(path);
    if (!st) continue;
    const ino = Number(st.ino);
    if (link.startsWith('anon_inode:') || link.startsWith('pidfd:')) {
      const type = anonInodeType(link);
      // libscap names the anon inode kinds it knows by type only; an unknown kind keeps its link text,
      // the one clue to what it is (perf_event, fanotify, dmabuf, …).
      fds.push({ fd, ino, type, name: type === FdType.UNSUPPORTED ? link : '' });
      continue;
    }
    switch (Number(st.mode) & S_IFMT) {
      case S_IFDIR:
        fds.push({ fd, ino, type: FdType.DIRECTORY, name: link });
        break;
      case S_IFIFO:
        fds.push({ fd, ino, type: FdType.FIFO, name: link }); // a named pipe, under its path
        break;
      case S_IFREG:
      case S_IFCHR:
      case S_IFBLK:
      case S_IFLNK:
        if (link.startsWith('/memfd:')) fds.push({ fd, ino, type: FdType.MEMFD, name: link });
        else fds.push(fileFd(ctx, pid, fd, ino, link));
        break;
      default:
        fds.push({ fd, ino, type: FdType.UNSUPPORTED, name: link });
    }
  }
  return fds.sort((a, b) => a.fd - b.fd);
}

function fileFd(ctx: FdScanContext, pid: number, fd: number, ino: number, name: string): FdInfo {
  const info: FdInfo = { fd, ino, type: FdType.FILE_V2, name, openFlags: 0, dev: 0 };
  // fdinfo: `pos:\t0\nflags:\t02100002\nmnt_id:\t25\n…`; flags are octal.
  const text = ctx.fs.read(`${ctx.procRoot}/${pid}/fdinfo/${fd}`, 512);
  if (text === undefined) return info;
  const flags = /^flags:\s*([0-7]+)/m.exec(text)?.[1];
  if (flags) info.openFlags = openFlagsToPpm(Number.parseInt(flags, 8));
  const mnt = /^mnt_id:\s*(\d+)/m.exec(text)?.[1];
  if (mnt) info.dev = ctx.mountDev(pid, Number(mnt));
  return info;
}

function anonInodeType(link: string): number {
  switch (link) {
    case 'anon_inode:[eventfd]':
      return FdType.EVENT;
    case 'anon_inode:[signalfd]':
      return FdType.SIGNALFD;
    case 'anon_inode:[eventpoll]':
      return FdType.EVENTPOLL;
    case 'anon_inode:inotify':
      return FdType.INOTIFY;
    case 'anon_inode:[timerfd]':
      return FdType.TIMERFD;
    case 'anon_inode:[io_uring]':
      return FdType.IOURING;
    case 'anon_inode:[userfaultfd]':
      return FdType.USERFAULTFD;
    case 'anon_inode:[pidfd]':
      return FdType.PIDFD;
  }
  // bpf objects are named without brackets (`anon_inode:bpf-map`, `bpf-prog`, `bpf_link`, `bpf_iter`);
  // libscap matches `anon_inode:[bpf`, which the kernel never writes, so both spellings are accepted.
  if (link.startsWith('anon_inode:bpf') || link.startsWith('anon_inode:[bpf')) return FdType.BPF;
  // pidfs (Linux 6.9+) may show pidfds as `pidfd:[ino]` rather than as an anon inode.
  if (link.startsWith('pidfd:')) return FdType.PIDFD;
  return FdType.UNSUPPORTED;
}

/** N from `prefix N]` (socket:[N], pipe:[N]), or undefined when the link is not of that kind. */
function bracketedIno(link: string, prefix: string): number | undefined {
  if (!link.startsWith(prefix) || !link.endsWith(']')) return undefined;
  const ino = Number(link.slice(prefix.length, -1));
  return Number.isInteger(ino) ? ino : undefined;
}
