// Handlers of the socket events: socket, bind, connect, accept, socketpair, and the send/receive calls
// that carry a tuple. They keep each socket's type, ends (client → server), layer-4 protocol and role the
// way sinsp's parser does, including its guesses (a UDP server's reply swaps the ends, unknown ends come
// from the network interfaces).
import {
  AF,
  EVENT_MAX,
  EVENTS,
  type EventView,
  eventTypeTable,
  FdType,
  formatIpv4,
  formatIpv6Ntop,
  isIpv4MappedIpv6,
  paramInt,
  parseIpv6Text,
  SocketTuple,
  socketAddressText,
  socketTupleText,
} from '@scapkit/scap-format';
import type { StateEngine } from '../engine.js';
import { type FdEntry, L4, Role } from '../fd.js';
import { paramSlot, slotIndex } from '../param-slots.js';
import type { Thread } from '../thread.js';

const IPPROTO_IP = 0;
const IPPROTO_ICMP = 1;
const IPPROTO_TCP = 6;
const IPPROTO_UDP = 17;
const IPPROTO_RAW = 255;
const SOCK_STREAM = 1;
const SOCK_DGRAM = 2;
const SOCK_RAW = 3;
/** -EINPROGRESS: a non-blocking connect under way counts as connected. */
const EINPROGRESS = -115;

const RES = paramSlot('res');
const FD = paramSlot('fd');
const DOMAIN = paramSlot('domain');
const TYPE = paramSlot('type');
const PROTO = paramSlot('proto');
const ADDR = paramSlot('addr');
const TUPLE = paramSlot('tuple');
const FD1 = paramSlot('fd1');
const FD2 = paramSlot('fd2');
const SOURCE = paramSlot('source');
const PEER = paramSlot('peer');

/** socket: a new socket of a family sinsp tracks, without ends yet. */
export function onSocket(s: StateEngine, v: EventView, t: Thread): void {
  const fd = s.int(v, FD, -1);
  if (fd < 0) return;
  if (!s.enterValid && slotIndex(v, DOMAIN) < 0) return;
  const domain = s.uint(v, DOMAIN, 0);
  const type = s.uint(v, TYPE, 0);
  const proto = s.uint(v, PROTO, 0);
  let ft: number;
  if (domain === AF.UNIX) ft = FdType.UNIX_SOCK;
  else if (domain === AF.INET) ft = FdType.IPV4_SOCK;
  else if (domain === AF.INET6) ft = FdType.IPV6_SOCK;
  else if (domain === AF.NETLINK) ft = FdType.NETLINK;
  else return; // sinsp does not track sockets of other families
  const e = s.newFd(fd, ft);
  if (ft === FdType.IPV4_SOCK || ft === FdType.IPV6_SOCK) {
    e.l4proto = l4FromSocket(type, proto);
    // Not connected yet: both ends are the zero address (which fd.ip / fd.net do compare).
    const zero = ft === FdType.IPV4_SOCK ? '0.0.0.0' : '::';
    e.sip = zero;
    e.dip = zero;
  }
  s.addFd(t, e);
}

/** bind: a socket bound to a port becomes a listening (server) socket named by its address. */
export function onBind(s: StateEngine, v: EventView): void {
  const e = s.fd;
  if (!e || s.int(v, RES, -1) < 0) return;
  const addr = s.bytes(v, ADDR);
  if (!addr || addr.length === 0) return;
  const fam = addr[0];
  if (fam === AF.INET && addr.length >= 7) {
    const port = u16le(addr, 5);
    if (port > 0) listenOn(e, FdType.IPV4_SERVSOCK, formatIpv4(addr, 1), port);
  } else if (fam === AF.INET6 && addr.length >= 19) {
    const port = u16le(addr, 17);
    // sinsp counts an IPv4-mapped or all-zero (`::`) address as IPv4.
    if (port > 0 && isIpv4MappedIpv6(addr, 1)) listenOn(e, FdType.IPV4_SERVSOCK, formatIpv4(addr, 13), port);
    else if (port > 0) listenOn(e, FdType.IPV6_SERVSOCK, formatIpv6Ntop(addr, 1), port);
  }
  e.name = socketAddressText(addr, 0, addr.length);
  s.nameChanged = true;
}

function listenOn(e: FdEntry, type: number, ip: string, port: number): void {
  e.type = type;
  e.dip = ip;
  e.dport = port;
  e.role = Role.SERVER;
}

/**
 * connect enter: the socket is on its way to the address (sinsp's parse_connect_enter): an IP socket takes
 * the destination (the connect exit then makes it a client), any other takes the address as its name.
 */
export function onConnectEnter(s: StateEngine, v: EventView): void {
  const e = s.fd;
  if (!e) return;
  const i = slotIndex(v, ADDR);
  if (i < 0) return;
  const addr = v.paramBytes(i);
  if (addr.length === 0) return;
  const fam = addr[0];
  if (fam === AF.INET && addr.length >= 7) {
    e.type = FdType.IPV4_SOCK;
    e.dip = formatIpv4(addr, 1);
    e.dport = u16le(addr, 5);
  } else if (fam === AF.INET6 && addr.length >= 19) {
    const mapped = isIpv4MappedIpv6(addr, 1);
    e.type = mapped ? FdType.IPV4_SOCK : FdType.IPV6_SOCK;
    e.dip = mapped ? formatIpv4(addr, 13) : formatIpv6Ntop(addr, 1);
    e.dport = u16le(addr, 17);
  } else if (fam !== AF.INET && fam !== AF.INET6) {
    e.name = socketAddressText(addr, 0, addr.length);
  }
}

/** connect exit: the socket is a client of the tuple's destination (a failed connect changes nothing). */
export function onConnect(s: StateEngine, v: EventView, t: Thread): void {
  let e = s.fd;
  if (!e) {
    const i = slotIndex(v, FD);
    if (i < 0) return;
    const fd = paramInt(v, i);
    if (fd < 0) return;
    t.lastEventFd = fd;
    e = s.ownFd(t, fd);
    if (!e) return;
    s.fd = e;
  }
  const res = s.int(v, RES, 0);
  if (res < 0 && res !== EINPROGRESS) return;
  e.connected = true;
  const tb = s.bytes(v, TUPLE);
  if (!tb || tb.length === 0) return;
  fillClient(e, tb);
  s.nameChanged = true;
}

/**
 * sinsp's fill_client_socket_info: a connect makes this fd a client of the tuple's destination; a UDP
 * server that connects to its peer keeps itself as the destination (the ends swap).
 */
function fillClient(e: FdEntry, tb: Uint8Array): void {
  const tu = readTuple(tb);
  if (!tu) return;
  if (tu.family === AF.INET || tu.family === AF.INET6) {
    if (setAddresses(e, tu) && e.role === Role.SERVER && isUdp(e)) swapEnds(e);
    e.name = `${e.sip}:${e.sport}->${e.dip}:${e.dport}`;
  } else {
    e.name = socketTupleText(tb, 0, tb.length);
    e.usrc = tu.usrc;
    e.udst = tu.udst;
  }
  if (e.role === Role.NONE) e.role = Role.CLIENT;
}

/** accept, accept4: a new connected socket, the server end of the tuple. */
export function onAccept(s: StateEngine, v: EventView, t: Thread): void {
  const fd = s.int(v, FD, -1);
  if (fd < 0) return;
  t.lastEventFd = fd;
  const tb = s.bytes(v, TUPLE);
  if (!tb || tb.length === 0) return;
  const tu = readTuple(tb);
  if (!tu) return;
  let e: FdEntry;
  if (tu.family === AF.UNIX) {
    e = s.newFd(fd, FdType.UNIX_SOCK);
    e.usrc = tu.usrc;
    e.udst = tu.udst;
  } else {
    e = s.newFd(fd, tu.v4 ? FdType.IPV4_SOCK : FdType.IPV6_SOCK);
    e.sip = tu.sip;
    e.sport = tu.sport;
    e.dip = tu.dip;
    e.dport = tu.dport;
    e.l4proto = L4.TCP;
  }
  e.name = socketTupleText(tb, 0, tb.length);
  e.role = Role.SERVER;
  e.connected = true;
  s.addFd(t, e);
  s.nameChanged = true;
}

/** socketpair: two connected unix sockets; the event's fd is the first. */
export function onSocketpair(s: StateEngine, v: EventView, t: Thread): void {
  if (s.int(v, RES, -1) < 0) return;
  const fd1 = s.int(v, FD1, -1);
  const fd2 = s.int(v, FD2, -1);
  const usrc = (s.u64(v, SOURCE) ?? 0n).toString(16);
  const udst = (s.u64(v, PEER) ?? 0n).toString(16);
  let first: FdEntry | undefined;
  for (const fd of [fd1, fd2]) {
    if (fd < 0) continue;
    const e = s.newFd(fd, FdType.UNIX_SOCK);
    e.usrc = usrc;
    e.udst = udst;
    const added = s.addFd(t, e);
    if (fd === fd1) first = added;
  }
  s.fd = first;
}

/**
 * sendto/sendmsg/recvfrom/recvmsg carry a tuple (sinsp's parse_rw_exit and update_fd): a socket still
 * without a name, or any but a TCP one, takes its ends from it; unknown ends are filled in from the network
 * interfaces; a socket without a role gets one guessed; the ends are then ordered client → server (a
 * client that receives, or a server that sends, sees them the other way round). A unix socket takes the
 * tuple's endpoints and prints as the tuple.
 */
export function onIoTuple(s: StateEngine, v: EventView, t: Thread): void {
  const e = s.fd;
  if (!e || s.int(v, RES, -1) < 0) return;
  // sinsp's is_tcp_socket reads the IPv4 view of the socket union: only IPv4 sockets can say TCP.
  if (e.name !== '' && e.type === FdType.IPV4_SOCK && e.l4proto === L4.TCP) return;
  // sendto/sendmsg exits of old captures lack the tuple: their enter event has it.
  const tb = s.bytes(v, TUPLE);
  if (!tb || tb.length === 0) return;
  const tu = readTuple(tb);
  if (!tu) return;
  if (tu.family === AF.UNIX) {
    e.type = FdType.UNIX_SOCK;
    e.usrc = tu.usrc;
    e.udst = tu.udst;
    e.name = socketTupleText(tb, 0, tb.length);
    s.nameChanged = true;
    return;
  }
  if (!setAddresses(e, tu)) return;
  if ((e.type === FdType.IPV4_SOCK || e.type === FdType.IPV6_SOCK) && e.l4proto === L4.UNKNOWN) {
    e.l4proto = L4.UDP;
  }
  inferAddresses(s, e);
  const incoming = receivingTypes()[v.type] === 1;
  if (e.type === FdType.IPV4_SOCK || e.type === FdType.IPV6_SOCK) {
    if (e.role === Role.NONE) e.role = guessRole(s, t, e, incoming);
    if (incoming ? e.role === Role.CLIENT : e.role === Role.SERVER) swapEnds(e);
    e.name = `${e.sip}:${e.sport}->${e.dip}:${e.dport}`;
  } else {
    e.name = socketTupleText(tb, 0, tb.length);
  }
  s.nameChanged = true;
}

/**
 * sinsp_fdinfo::set_net_role_by_guessing: a process that owns the destination port is the server unless
 * it also uses the source port as a client; then "a server usually starts with a read and a client with
 * a write". Both tests read the IPv4 view of the socket (an IPv6 socket's address bytes), as sinsp does.
 */
function guessRole(s: StateEngine, t: Thread, e: FdEntry, incoming: boolean): number {
  const [sport, dport] = ipv4ViewPorts(e);
  let bound = false;
  let client = false;
  for (const f of s.fdTable(t).values()) {
    if (f.type === FdType.IPV4_SOCK) {
      if (f.dport === dport) bound = true;
      if (f.sport === sport) client = true;
    } else if (f.type === FdType.IPV4_SERVSOCK && f.dport === dport) {
      bound = true;
    }
  }
  if (!bound) return Role.CLIENT;
  if (!client) return Role.SERVER;
  return incoming ? Role.SERVER : Role.CLIENT;
}

/** The ports sinsp's IPv4 view of the socket union holds: an IPv6 socket's source address bytes 8-11. */
function ipv4ViewPorts(e: FdEntry): [sport: number, dport: number] {
  if (e.type !== FdType.IPV6_SOCK) return [e.sport, e.dport];
  const b = new Uint8Array(16);
  if (!parseIpv6Text(e.sip, b, 0)) return [0, 0];
  return [u16le(b, 8), u16le(b, 10)];
}

function swapEnds(e: FdEntry): void {
  const ip = e.sip;
  const port = e.sport;
  e.sip = e.dip;
  e.sport = e.dport;
  e.dip = ip;
  e.dport = port;
}

/** sinsp's is_udp_socket (the IPv4 view again). */
function isUdp(e: FdEntry): boolean {
  return e.type === FdType.IPV4_SOCK && e.l4proto === L4.UDP;
}

/** 1 for the receiving calls among the events that carry a tuple. */
const receivingTypes = eventTypeTable(() => {
  const receives = new Uint8Array(EVENT_MAX);
  for (let id = 0; id < EVENT_MAX; id++) {
    const name = EVENTS[id]?.name;
    if (name === 'recvfrom' || name === 'recvmsg') receives[id] = 1;
  }
  return receives;
});

/**
 * sinsp's set_*_addresses_and_ports: the source is taken from the tuple, the destination only while
 * unknown; the same connection seen from either end changes nothing. Returns whether anything changed.
 */
function setAddresses(e: FdEntry, tu: SocketTuple): boolean {
  const type = tu.v4 ? FdType.IPV4_SOCK : FdType.IPV6_SOCK;
  if (e.type !== type) {
    if (type === FdType.IPV4_SOCK && (e.type === FdType.IPV6_SOCK || e.type === FdType.IPV6_SERVSOCK)) {
      // sinsp keeps the ends in a union: read as IPv4, an IPv6 socket's ends are its first address's bytes.
      readIpv4View(e, e.type === FdType.IPV6_SOCK ? e.sip : e.dip);
    } else if (e.isServSock) {
      // The server socket's own address is not a peer: the connected socket starts without ends.
      e.dip = '';
      e.dport = 0;
    }
  }
  if (
    e.type === type &&
    ((tu.sip === e.sip && tu.sport === e.sport && tu.dip === e.dip && tu.dport === e.dport) ||
      (tu.dip === e.sip && tu.dport === e.sport && tu.sip === e.dip && tu.sport === e.dport))
  ) {
    return false;
  }
  e.type = type;
  let changed = false;
  if (e.sip !== tu.sip) {
    e.sip = tu.sip;
    changed = true;
  }
  if (e.sport !== tu.sport) {
    e.sport = tu.sport;
    changed = true;
  }
  if (isZeroAddr(e.dip) && e.dip !== tu.dip) {
    e.dip = tu.dip;
    changed = true;
  }
  if (e.dport === 0 && tu.dport !== 0) {
    e.dport = tu.dport;
    changed = true;
  }
  return changed;
}

const TUPLE_READER = new SocketTuple();

/** The tuple parameter read into the one reusable SocketTuple; undefined for an empty or unknown one. */
function readTuple(tb: Uint8Array): SocketTuple | undefined {
  return TUPLE_READER.read(tb, 0, tb.length) ? TUPLE_READER : undefined;
}

/** The IPv4 view of sinsp's socket union over an IPv6 address `ip`: its bytes 0-3, 4-7, 8-9, 10-11, 12. */
function readIpv4View(e: FdEntry, ip: string): void {
  const b = new Uint8Array(16);
  parseIpv6Text(ip, b, 0);
  e.sip = formatIpv4(b, 0);
  e.dip = formatIpv4(b, 4);
  e.sport = u16le(b, 8);
  e.dport = u16le(b, 10);
  e.l4proto = b[12] ?? 0;
}

/** sinsp_network_interfaces::update_fd: an unknown (zero) end is the interface facing the other one. */
function inferAddresses(s: StateEngine, e: FdEntry): void {
  const v6 = e.type === FdType.IPV6_SOCK;
  if (!isZeroAddr(e.sip) && !isZeroAddr(e.dip)) return;
  if (isZeroAddr(e.sip)) {
    const a = inferAddress(s, v6, e.dip);
    if (a === undefined || (a === e.dip && e.sport === e.dport)) return;
    e.sip = a;
  } else {
    const a = inferAddress(s, v6, e.sip);
    if (a === undefined || (a === e.sip && e.sport === e.dport)) return;
    e.dip = a;
  }
}

/** The interface address for talking to `peer`: itself, one on its subnet, else the first non-loopback. */
function inferAddress(s: StateEngine, v6: boolean, peer: string): string | undefined {
  const family = v6 ? 'ipv6' : 'ipv4';
  for (const i of s.interfaces) if (i.family === family && i.addr === peer) return i.addr;
  if (!v6) {
    const p = ipv4Num(peer);
    for (const i of s.interfaces) {
      if (i.family !== 'ipv4') continue;
      const m = ipv4Num(i.netmask);
      if (p !== undefined && m !== undefined && (ipv4Num(i.addr)! & m) === (p & m)) return i.addr;
    }
  }
  for (const i of s.interfaces) {
    if (i.family !== family) continue;
    if (v6 ? i.addr === '::1' : i.addr.startsWith('127.')) continue;
    return i.addr;
  }
  return undefined;
}

function isZeroAddr(ip: string): boolean {
  return ip === '' || ip === '0.0.0.0' || ip === '::';
}

function ipv4Num(ip: string): number | undefined {
  const p = ip.split('.');
  if (p.length !== 4) return undefined;
  return ((Number(p[0]) << 24) | (Number(p[1]) << 16) | (Number(p[2]) << 8) | Number(p[3])) >>> 0;
}

/** The layer-4 protocol of socket(domain, type, proto), as sinsp derives it. */
function l4FromSocket(type: number, proto: number): number {
  const raw = (type & 0xff) === SOCK_RAW;
  switch (proto) {
    case IPPROTO_TCP:
      return raw ? L4.RAW : L4.TCP;
    case IPPROTO_UDP:
      return raw ? L4.RAW : L4.UDP;
    case IPPROTO_IP:
      if ((type & 0xff) === SOCK_STREAM) return L4.TCP;
      if ((type & 0xff) === SOCK_DGRAM) return L4.UDP;
      return L4.UNKNOWN;
    case IPPROTO_ICMP:
      return raw ? L4.RAW : L4.ICMP;
    case IPPROTO_RAW:
      return L4.RAW;
    default:
      return L4.UNKNOWN;
  }
}

/** The little-endian 16-bit number at `o` of `b` (a port of a sockaddr), 0 past the end. */
function u16le(b: Uint8Array, o: number): number {
  return (b[o] ?? 0) | ((b[o + 1] ?? 0) << 8);
}
