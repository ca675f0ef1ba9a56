// Socket addresses as the driver packs them (PT_SOCKADDR, PT_SOCKTUPLE) and their printable forms, the
// way libsinsp prints them: dotted IPv4, RFC 5952 IPv6 (IPv4-mapped pairs shown as IPv4), unix endpoints
// as kernel pointers in hex followed by the path.
import { ipv4ToString as ipv4At, ipv6ToString as ipv6At } from '@scapkit/scap-format';

/** PPM_AF_* socket families. */
export const AF = { UNIX: 1, INET: 2, INET6: 10, NETLINK: 16 } as const;

// The one inet_ntop of the project lives beside the sysdig reader, which needs it for fd lists.
export { ipv4ToString as ipv4At, ipv6ToString as ipv6At } from '@scapkit/scap-format';

/**
 * Whether the 16 bytes at `off` are an IPv4-mapped IPv6 address (::ffff:a.b.c.d) or the unspecified
 * address `::`, which sinsp also treats as IPv4 (0.0.0.0) when both ends of a tuple qualify.
 */
export function isV4Mapped(b: Uint8Array, off: number): boolean {
  for (let i = 0; i < 10; i++) if (b[off + i] !== 0) return false;
  if (b[off + 10] === 0xff && b[off + 11] === 0xff) return true;
  return isZero(b, off + 10, 6);
}

function isZero(b: Uint8Array, off: number, n: number): boolean {
  for (let i = 0; i < n; i++) if (b[off + i] !== 0) return false;
  return true;
}

function u16(b: Uint8Array, off: number): number {
  return b[off]! | (b[off + 1]! << 8);
}

function hex64(b: Uint8Array, off: number): string {
  let s = '';
  let started = false;
  for (let i = 7; i >= 0; i--) {
    const x = b[off + i]!;
    if (!started && x === 0) continue;
    s += started ? x.toString(16).padStart(2, '0') : x.toString(16);
    started = true;
  }
  return started ? s : '0';
}

const utf8 = new TextDecoder('utf-8', { fatal: false });

function cstr(b: Uint8Array, off: number, end: number): string {
  let e = off;
  while (e < end && b[e] !== 0) e++;
  return utf8.decode(b.subarray(off, e));
}

/** A decoded SOCKTUPLE: family plus either IP endpoints or unix endpoints and path. */
export interface Tuple {
  family: number;
  /** IPv4 after mapping (both ends IPv4-mapped), for the fd type. */
  v4: boolean;
  sip: string;
  sport: number;
  dip: string;
  dport: number;
  usrc: string;
  udst: string;
  path: string;
}

/** Decodes a SOCKTUPLE parameter; undefined for an empty or unknown one. */
export function decodeTuple(b: Uint8Array): Tuple | undefined {
  if (b.length === 0) return undefined;
  const fam = b[0]!;
  if (fam === AF.INET && b.length >= 13) {
    return {
      family: fam,
      v4: true,
      sip: ipv4At(b, 1),
      sport: u16(b, 5),
      dip: ipv4At(b, 7),
      dport: u16(b, 11),
      usrc: '',
      udst: '',
      path: '',
    };
  }
  if (fam === AF.INET6 && b.length >= 37) {
    if (isV4Mapped(b, 1) && isV4Mapped(b, 19)) {
      return {
        family: fam,
        v4: true,
        sip: ipv4At(b, 13),
        sport: u16(b, 17),
        dip: ipv4At(b, 31),
        dport: u16(b, 35),
        usrc: '',
        udst: '',
        path: '',
      };
    }
    return {
      family: fam,
      v4: false,
      sip: ipv6At(b, 1),
      sport: u16(b, 17),
      dip: ipv6At(b, 19),
      dport: u16(b, 35),
      usrc: '',
      udst: '',
      path: '',
    };
  }
  if (fam === AF.UNIX && b.length >= 17) {
    return {
      family: fam,
      v4: false,
      sip: '',
      sport: 0,
      dip: '',
      dport: 0,
      usrc: hex64(b, 1),
      udst: hex64(b, 9),
      path: cstr(b, 17, b.length),
    };
  }
  return undefined;
}

/** sysdig's rendering of a SOCKTUPLE (`sip:sport->dip:dport`, unix `src->dst path`); NULL when empty. */
export function renderTuple(b: Uint8Array): string {
  const t = decodeTuple(b);
  if (!t) return b.length === 0 ? 'NULL' : '';
  if (t.family === AF.UNIX) return `${t.usrc}->${t.udst} ${t.path}`;
  return `${t.sip}:${t.sport}->${t.dip}:${t.dport}`;
}

/** A decoded SOCKADDR: family, IP and port, or unix path. */
export function renderSockaddr(b: Uint8Array): string {
  if (b.length === 0) return 'NULL';
  const fam = b[0]!;
  if (fam === AF.INET && b.length >= 7) return `${ipv4At(b, 1)}:${u16(b, 5)}`;
  if (fam === AF.INET6 && b.length >= 19) {
    if (isV4Mapped(b, 1)) return `${ipv4At(b, 13)}:${u16(b, 17)}`;
    return `${ipv6At(b, 1)}:${u16(b, 17)}`;
  }
  if (fam === AF.UNIX) return cstr(b, 1, b.length);
  return '';
}
