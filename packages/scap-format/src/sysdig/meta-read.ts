// Parsers of the sysdig metadata blocks (machine info, process list V1..V9, fd list V1/V2, interface list
// V1/V2, user list V1/V2) into the plain metadata model. Layouts: reference/SCAP_FORMAT.md §6–§10.
import {
  blankThread,
  type FdInfo,
  FdType,
  type GroupInfo,
  type InterfaceInfo,
  type MachineInfo,
  type ThreadInfo,
  type UserInfo,
} from '../metadata.js';
import { formatIpv4 as ipv4ToString, formatIpv6Ntop as ipv6ToString } from '../params/ip.js';
import type { Cursor } from './cursor.js';

const utf8 = new TextDecoder('utf-8', { fatal: false });

/** MI: the packed 180-byte scap_machine_info. */
export function readMachineInfo(c: Cursor): MachineInfo {
  const numCpus = c.u32('num_cpus');
  const memoryBytes = c.u64('memory_size_bytes');
  const maxPid = c.u64('max_pid');
  const h = c.raw(128, 'hostname');
  let e = h.indexOf(0);
  if (e < 0) e = h.length;
  const hostname = utf8.decode(h.subarray(0, e));
  const bootTs = c.big64('boot_ts_epoch');
  c.raw(24, 'flags/reserved');
  return { hostname, numCpus, memoryBytes, bootTs, maxPid };
}

/** Size of loginuid..cap_effective: libs 0.10 inserted pidns_init_start_ts and tty before them. */
const PRE_010_TAIL = 4 + 1 + 8 + 8 + 8;

/** PL V1..V9: one entry per thread. */
export function readProcList(c: Cursor, version: number, out: ThreadInfo[]): void {
  while (c.remaining >= 4) {
    const entryStart = c.pos;
    let entryEnd = c.end;
    if (version >= 9) {
      const subLen = c.u32('entry length');
      if (subLen < 4 || entryStart + subLen > c.end) c.fail(`bad thread entry length ${subLen}`, entryStart);
      entryEnd = entryStart + subLen;
    }
    const blockEnd = c.end;
    c.end = entryEnd; // fields of a V9 entry may not run into the next one
    const t = blankThread(c.i64('tid'));
    // 64-bit masks and times are bigints whatever the block version, so consumers see one type.
    t.capInheritable = 0n;
    t.capPermitted = 0n;
    t.capEffective = 0n;
    t.exeInoCtime = 0n;
    t.exeInoMtime = 0n;
    t.pid = c.i64('pid');
    t.ptid = c.i64('ptid');
    if (version >= 6) t.sid = c.i64('sid');
    if (version >= 8) t.vpgid = c.i64('vpgid');
    t.comm = c.str('comm');
    t.exe = c.str('exe');
    if (version >= 7) t.exepath = c.str('exepath');
    t.args = c.strList('args');
    t.cwd = c.str('cwd');
    t.fdlimit = c.i64('fdlimit');
    t.flags = c.u32('flags');
    t.uid = c.u32('uid');
    t.gid = c.u32('gid');
    if (version >= 2) {
      t.vmsizeKb = c.u32('vmsize_kb');
      t.vmrssKb = c.u32('vmrss_kb');
      t.vmswapKb = c.u32('vmswap_kb');
      t.pfMajor = c.u64('pfmajor');
      t.pfMinor = c.u64('pfminor');
    }
    if (version >= 3) t.env = c.strList('env');
    if (version >= 4) {
      t.vtid = c.i64('vtid');
      t.vpid = c.i64('vpid');
      t.cgroups = c.strList('cgroups');
    }
    if (version >= 5) t.root = c.str('root');
    if (version >= 9) {
      // Appended fields, each present only if the entry is long enough (libs' heuristic for the 0.10 insert).
      if (entryEnd - c.pos > PRE_010_TAIL) {
        if (c.remaining >= 8) t.pidnsInitStartTs = c.u64('pidns_init_start_ts');
        if (c.remaining >= 4) t.tty = c.u32('tty');
      }
      if (c.remaining >= 4) t.loginuid = c.u32('loginuid');
      if (c.remaining >= 1) t.exeWritable = c.u8('exe_writable') !== 0;
      if (c.remaining >= 8) t.capInheritable = c.big64('cap_inheritable');
      if (c.remaining >= 8) t.capPermitted = c.big64('cap_permitted');
      if (c.remaining >= 8) t.capEffective = c.big64('cap_effective');
      if (c.remaining >= 1) t.exeUpperLayer = c.u8('exe_upper_layer') !== 0;
      if (c.remaining >= 8) t.exeIno = c.u64('exe_ino');
      if (c.remaining >= 8) t.exeInoCtime = c.big64('exe_ino_ctime');
      if (c.remaining >= 8) t.exeInoMtime = c.big64('exe_ino_mtime');
      if (c.remaining >= 1) t.exeFromMemfd = c.u8('exe_from_memfd') !== 0;
      if (c.remaining >= 1) t.exeLowerLayer = c.u8('exe_lower_layer') !== 0;
      if (c.remaining >= 8) t.pgid = c.i64('pgid');
      c.pos = entryEnd; // fields of newer writers are skipped
    }
    c.end = blockEnd;
    out.push(t);
  }
}

/**
 * A V2 list entry led by a u32 length that counts its own 4 bytes: checks it against the block, narrows `c.end`
 * to the entry and returns the entry's end. The caller restores `c.end` and moves `c.pos` there afterwards.
 */
function enterSizedEntry(c: Cursor, what: string): number {
  const entryStart = c.pos;
  const len = c.u32(`${what} entry length`);
  if (len < 4 || entryStart + len > c.end) c.fail(`bad ${what} entry length ${len}`, entryStart);
  c.end = entryStart + len;
  return c.end;
}

/** FDL / FDL_V2: the open fds of one thread, appended to `fds` under its tid. */
export function readFdList(c: Cursor, v2: boolean, fds: Map<number, FdInfo[]>): void {
  const tid = c.i64('tid');
  let list = fds.get(tid);
  if (!list) {
    list = [];
    fds.set(tid, list);
  }
  while (c.remaining >= 4) {
    const blockEnd = c.end;
    const entryEnd = v2 ? enterSizedEntry(c, 'fd') : blockEnd;
    const fd = c.i64('fd');
    const ino = c.u64('ino');
    const typeAt = c.pos;
    const type = c.u8('fd type');
    const f: FdInfo = { fd, ino, type, name: '' };
    switch (type) {
      case FdType.IPV4_SOCK:
        f.sip = ipv4ToString(c.raw(4, 'sip'), 0);
        f.dip = ipv4ToString(c.raw(4, 'dip'), 0);
        f.sport = c.u16('sport');
        f.dport = c.u16('dport');
        f.l4proto = c.u8('l4proto');
        break;
      case FdType.IPV6_SOCK:
        f.sip = ipv6ToString(c.raw(16, 'sip'), 0);
        f.dip = ipv6ToString(c.raw(16, 'dip'), 0);
        f.sport = c.u16('sport');
        f.dport = c.u16('dport');
        f.l4proto = c.u8('l4proto');
        break;
      case FdType.IPV4_SERVSOCK:
        f.sip = ipv4ToString(c.raw(4, 'ip'), 0);
        f.sport = c.u16('port');
        f.l4proto = c.u8('l4proto');
        break;
      case FdType.IPV6_SERVSOCK:
        f.sip = ipv6ToString(c.raw(16, 'ip'), 0);
        f.sport = c.u16('port');
        f.l4proto = c.u8('l4proto');
        break;
      case FdType.UNIX_SOCK:
        f.source = c.big64('source');
        f.dest = c.big64('destination');
        f.name = c.str('name');
        break;
      case FdType.FILE_V2:
        f.openFlags = c.u32('open_flags');
        f.name = c.str('name');
        // dev was appended later: present only when the entry leaves room for it.
        if (v2 && c.remaining >= 4) f.dev = c.u32('dev');
        break;
      case FdType.UNKNOWN:
        break;
      case FdType.FILE:
      case FdType.DIRECTORY:
      case FdType.FIFO:
      case FdType.EVENT:
      case FdType.UNSUPPORTED:
      case FdType.SIGNALFD:
      case FdType.EVENTPOLL:
      case FdType.INOTIFY:
      case FdType.TIMERFD:
      case FdType.NETLINK:
      case FdType.BPF:
      case FdType.USERFAULTFD:
      case FdType.IOURING:
      case FdType.MEMFD:
      case FdType.PIDFD:
        f.name = c.str('name');
        break;
      default:
        // A type from a newer writer: skippable only when the entry carries its length (as libs does).
        if (!v2) c.fail(`unknown fd type ${type}`, typeAt);
        f.type = FdType.UNSUPPORTED;
        f.name = `unknown-type:[${type}]`;
    }
    if (v2) {
      c.pos = entryEnd;
      c.end = blockEnd;
    }
    list.push(f);
  }
}

/** IL / IL_V2: network interfaces. IL_V2 entry lengths do not count their own 4 bytes. */
export function readInterfaceList(c: Cursor, v2: boolean, out: InterfaceInfo[]): void {
  while (c.remaining >= 4) {
    const blockEnd = c.end;
    let entryEnd = blockEnd;
    if (v2) {
      const at = c.pos;
      const len = c.u32('interface entry length');
      if (c.pos + len > blockEnd) c.fail(`bad interface entry length ${len}`, at);
      entryEnd = c.pos + len;
      c.end = entryEnd;
    }
    const typeAt = c.pos;
    const type = c.u16('interface type');
    const nameLen = c.u16('ifname length');
    if (type === 1 || type === 3) {
      const addr = ipv4ToString(c.raw(4, 'addr'), 0);
      const netmask = ipv4ToString(c.raw(4, 'netmask'), 0);
      const bcast = ipv4ToString(c.raw(4, 'bcast'), 0);
      const linkspeed = type === 1 ? c.u64('linkspeed') : undefined;
      const name = utf8.decode(c.raw(nameLen, 'ifname'));
      out.push({
        name,
        family: 'ipv4',
        addr,
        netmask,
        bcast,
        ...(linkspeed !== undefined ? { linkspeed } : {}),
      });
    } else if (type === 2 || type === 4) {
      const addr = ipv6ToString(c.raw(16, 'addr'), 0);
      const netmask = ipv6ToString(c.raw(16, 'netmask'), 0);
      const bcast = ipv6ToString(c.raw(16, 'bcast'), 0);
      const linkspeed = type === 2 ? c.u64('linkspeed') : undefined;
      const name = utf8.decode(c.raw(nameLen, 'ifname'));
      out.push({
        name,
        family: 'ipv6',
        addr,
        netmask,
        bcast,
        ...(linkspeed !== undefined ? { linkspeed } : {}),
      });
    } else if (!v2) {
      c.fail(`unknown interface type ${type}`, typeAt);
    }
    if (v2) {
      c.pos = entryEnd;
      c.end = blockEnd;
    }
  }
}

/** UL / UL_V2: users and groups. UL_V2 entry lengths include their own 4 bytes. */
export function readUserList(c: Cursor, v2: boolean, users: UserInfo[], groups: GroupInfo[]): void {
  while (c.remaining >= 4) {
    const blockEnd = c.end;
    const entryEnd = v2 ? enterSizedEntry(c, 'user') : blockEnd;
    const typeAt = c.pos;
    const type = c.u8('user entry type');
    if (type === 0) {
      const uid = c.u32('uid');
      const gid = c.u32('gid');
      const name = c.str('name');
      const homedir = c.str('homedir');
      const shell = c.str('shell');
      users.push({ uid, gid, name, homedir, shell });
    } else if (type === 1) {
      const gid = c.u32('gid');
      const name = c.str('name');
      groups.push({ gid, name });
    } else if (!v2) {
      c.fail(`unknown user entry type ${type}`, typeAt);
    }
    if (v2) {
      c.pos = entryEnd;
      c.end = blockEnd;
    }
  }
}
