// Sockets by inode, from the /proc/PID/net tables of each network namespace, so an fd whose link reads
// `socket:[12345]` gets its type and tuple. Same tables and rules as libscap's scap_fd_read_sockets: a
// TCP/UDP/raw socket with no remote address is a server socket (ip and port of the local end), unix
// sockets keep their path, netlink sockets only their type. Ping sockets (icmp, icmp6), which libscap
// does not read, are added with l4proto ICMP.
import { endianness } from 'node:os';
import { type FdInfo, FdType, formatIpv4, formatIpv6Ntop } from '@scapkit/scap-format';
import type { ProcFs } from './procfs.js';

/** scap_l4_proto. */
export const L4 = { UNKNOWN: 0, NA: 1, TCP: 2, UDP: 3, ICMP: 4, RAW: 5 } as const;

/** A socket as the tables describe it: an FdInfo without the fd number. */
export type SocketInfo = Omit<FdInfo, 'fd'>;

export type SocketTable = Map<number, SocketInfo>;

const INET_TABLES: [file: string, l4proto: number, v6: boolean][] = [
  ['tcp', L4.TCP, false],
  ['udp', L4.UDP, false],
  ['raw', L4.RAW, false],
  ['icmp', L4.ICMP, false],
  ['tcp6', L4.TCP, true],
  ['udp6', L4.UDP, true],
  ['raw6', L4.RAW, true],
  ['icmp6', L4.ICMP, true],
];

// /proc/net prints each 32-bit word of an address with %08X of its value in host order.
const LITTLE_ENDIAN = endianness() === 'LE';

/** All sockets of one network namespace, read through a process that lives in it. */
export function readSocketTable(fs: ProcFs, netDir: string): SocketTable {
  const table: SocketTable = new Map();
  for (const [file, l4proto, v6] of INET_TABLES) {
    const text = fs.read(`${netDir}/${file}`, 64 << 20, true);
    if (text !== undefined) parseInetTable(text, l4proto, v6, table);
  }
  const unix = fs.read(`${netDir}/unix`, 64 << 20, true);
  if (unix !== undefined) parseUnixTable(unix, table);
  const netlink = fs.read(`${netDir}/netlink`, 64 << 20, true);
  if (netlink !== undefined) parseNetlinkTable(netlink, table);
  return table;
}

/** Lines of /proc/net/{tcp,udp,raw,icmp}[6]: `sl local rem st tx:rx tr:when retrnsmt uid timeout inode …`. */
export function parseInetTable(text: string, l4proto: number, v6: boolean, into: SocketTable): void {
  const addrLen = v6 ? 32 : 8;
  for (const line of text.split('\n')) {
    const f = line.trim().split(/\s+/);
    const [sl = '', local = '', remote = ''] = f;
    if (f.length < 10 || !sl.endsWith(':')) continue; // the header, or a blank line
    const ino = Number(f[9]);
    if (!(ino > 0)) continue; // TIME_WAIT and other orphaned sockets have no inode
    if (local.length !== addrLen + 5 || remote.length !== addrLen + 5) continue;
    const sport = Number.parseInt(local.slice(addrLen + 1), 16);
    const dport = Number.parseInt(remote.slice(addrLen + 1), 16);
    const sip = addressBytes(local, addrLen);
    const dip = addressBytes(remote, addrLen);
    const toText = v6 ? formatIpv6Ntop : formatIpv4;
    // Without a peer it is a server socket (listening TCP, bound UDP): libscap's rule, on the ip only.
    const info: SocketInfo = dip.every((b) => b === 0)
      ? {
          ino,
          type: v6 ? FdType.IPV6_SERVSOCK : FdType.IPV4_SERVSOCK,
          name: '',
          sip: toText(sip, 0),
          sport,
          l4proto,
        }
      : {
          ino,
          type: v6 ? FdType.IPV6_SOCK : FdType.IPV4_SOCK,
          name: '',
          sip: toText(sip, 0),
          sport,
          dip: toText(dip, 0),
          dport,
          l4proto,
        };
    into.set(ino, info);
  }
}

// The address bytes in network order (as s_addr / s6_addr hold them) from the hex words of the table.
function addressBytes(field: string, hexLen: number): Uint8Array {
  const out = new Uint8Array(hexLen / 2);
  for (let w = 0; w < hexLen / 8; w++) {
    const v = Number.parseInt(field.slice(w * 8, w * 8 + 8), 16);
    const o = w * 4;
    if (LITTLE_ENDIAN) {
      out[o] = v & 0xff;
      out[o + 1] = (v >>> 8) & 0xff;
      out[o + 2] = (v >>> 16) & 0xff;
      out[o + 3] = v >>> 24;
    } else {
      out[o] = v >>> 24;
      out[o + 1] = (v >>> 16) & 0xff;
      out[o + 2] = (v >>> 8) & 0xff;
      out[o + 3] = v & 0xff;
    }
  }
  return out;
}

/** /proc/net/unix: `Num: RefCount Protocol Flags Type St Inode [Path]`; Num is the kernel address. */
const UNIX_LINE = /^([0-9a-fA-F]+): \S+ \S+ \S+ \S+ \S+ +(\d+)(?: (.*))?$/;

export function parseUnixTable(text: string, into: SocketTable): void {
  for (const line of text.split('\n')) {
    const m = UNIX_LINE.exec(line);
    if (!m) continue; // the header
    const ino = Number(m[2]);
    if (!(ino > 0)) continue;
    // The path is the rest of the line, spaces included; abstract names start with '@'.
    into.set(ino, { ino, type: FdType.UNIX_SOCK, name: m[3] ?? '', source: BigInt(`0x${m[1]}`), dest: 0n });
  }
}

/** /proc/net/netlink: `sk Eth Pid Groups Rmem Wmem Dump Locks Drops Inode`. */
export function parseNetlinkTable(text: string, into: SocketTable): void {
  for (const line of text.split('\n')) {
    const f = line.trim().split(/\s+/);
    if (f.length < 10 || f[0] === 'sk') continue;
    const ino = Number(f[9]);
    if (ino > 0) into.set(ino, { ino, type: FdType.NETLINK, name: '' });
  }
}

/**
 * Puts the client end first in connected IP sockets, as libsinsp does after importing /proc
 * (`fix_sockets_coming_from_proc`): /proc lists local then remote, so an accepted connection on a server
 * reads server→client. A socket whose local port is a port some server socket listens on is turned
 * around, so `sip:sport` is the client and `dip:dport` the server on both ends of a connection.
 */
export function orientSockets(fdLists: Iterable<FdInfo[]>): void {
  const lists = [...fdLists];
  const serverPorts = new Set<number>();
  for (const list of lists) {
    for (const f of list) {
      if (f.type === FdType.IPV4_SERVSOCK || f.type === FdType.IPV6_SERVSOCK) serverPorts.add(f.sport ?? -1);
    }
  }
  for (const list of lists) {
    for (const f of list) {
      if (f.type !== FdType.IPV4_SOCK && f.type !== FdType.IPV6_SOCK) continue;
      if (!serverPorts.has(f.sport ?? -1)) continue;
      [f.sip, f.dip] = [f.dip, f.sip];
      [f.sport, f.dport] = [f.dport, f.sport];
    }
  }
}
