// Socket addresses as the driver packs them: PT_SOCKADDR (family byte, then an IPv4 address and port, an
// IPv6 address and port, or a unix path) and PT_SOCKTUPLE (family byte, then both ends, or for AF_UNIX the
// two kernel socket addresses and the path). One place reads them and prints them the way libsinsp does
// (sinsp_evt::get_param_as_str, PF_SIMPLE): the state engine names sockets with these texts, evt.args shows
// them. Reading goes into one reusable SocketTuple; nothing but the result strings is allocated.
import { formatIpv4, formatIpv6Ntop, isIpv4MappedIpv6 } from './ip.js';
import { sanitizeString } from './sanitize.js';

/** PPM_AF_* socket families (the family byte of SOCKADDR and SOCKTUPLE, socket()'s domain). */
export const AF = { UNIX: 1, INET: 2, INET6: 10, NETLINK: 16 } as const;

const utf8 = new TextDecoder('utf-8', { fatal: false });

/** The little-endian 16-bit word at `off` (0 past the end of `d`). */
function u16(d: Uint8Array, off: number): number {
  return (d[off] ?? 0) | ((d[off + 1] ?? 0) << 8);
}

/** A kernel address (little-endian u64) in lower-case hex without leading zeros, as sysdig prints it. */
function hex64(d: Uint8Array, off: number): string {
  let s = '';
  for (let i = 7; i >= 0; i--) {
    const x = d[off + i] ?? 0;
    if (s === '') {
      if (x !== 0) s = x.toString(16);
    } else s += x < 16 ? `0${x.toString(16)}` : x.toString(16);
  }
  return s === '' ? '0' : s;
}

/** The C string at `off` (up to its NUL or `len` bytes), control characters dropped (sinsp's sanitize_string). */
function path(d: Uint8Array, off: number, len: number): string {
  let end = off;
  const stop = off + Math.max(0, len);
  while (end < stop && d[end] !== 0) end++;
  return sanitizeString(utf8.decode(d.subarray(off, end)));
}

/**
 * A PT_SOCKADDR as sysdig prints it: `addr:port` (IPv6 by inet_ntop, no brackets), the unix path, `NULL`
 * for an empty parameter, `INVALID IPv4`/`INVALID IPv6` for a wrong length, `family N` for others.
 */
export function socketAddressText(d: Uint8Array, off: number, len: number): string {
  if (len <= 0) return 'NULL';
  const fam = d[off] ?? 0;
  if (fam === AF.UNIX) return path(d, off + 1, len - 1);
  if (fam === AF.INET) return len === 7 ? `${formatIpv4(d, off + 1)}:${u16(d, off + 5)}` : 'INVALID IPv4';
  if (fam === AF.INET6) {
    return len === 19 ? `${formatIpv6Ntop(d, off + 1)}:${u16(d, off + 17)}` : 'INVALID IPv6';
  }
  return `family ${fam}`;
}

/**
 * A PT_SOCKTUPLE as sysdig prints it: `sip:sport->dip:dport` (an IPv6 tuple whose ends are both IPv4-mapped
 * or zero prints as IPv4), for AF_UNIX `src->dst path` with the kernel addresses in hex; `NULL` when empty.
 */
export function socketTupleText(d: Uint8Array, off: number, len: number): string {
  if (len <= 0) return 'NULL';
  const fam = d[off] ?? 0;
  if (fam === AF.INET) {
    if (len !== 13) return 'INVALID IPv4';
    return `${formatIpv4(d, off + 1)}:${u16(d, off + 5)}->${formatIpv4(d, off + 7)}:${u16(d, off + 11)}`;
  }
  if (fam === AF.INET6) {
    if (len !== 37) return 'INVALID IPv6';
    if (isIpv4MappedIpv6(d, off + 1) && isIpv4MappedIpv6(d, off + 19)) {
      return `${formatIpv4(d, off + 13)}:${u16(d, off + 17)}->${formatIpv4(d, off + 31)}:${u16(d, off + 35)}`;
    }
    return `${formatIpv6Ntop(d, off + 1)}:${u16(d, off + 17)}->${formatIpv6Ntop(d, off + 19)}:${u16(d, off + 35)}`;
  }
  if (fam === AF.UNIX) {
    if (len < 17) return '';
    return `${hex64(d, off + 1)}->${hex64(d, off + 9)} ${path(d, off + 17, len - 17)}`;
  }
  return `family ${fam}`;
}

/**
 * A PT_SOCKTUPLE read into reusable fields (one instance serves every event): the family, then either the
 * IP ends (IPv4, or IPv4 as libsinsp reads an IPv6 tuple whose ends are both mapped or zero: `v4`) or the
 * unix endpoints and path.
 */
export class SocketTuple {
  family = 0;
  /** The ends are IPv4 (an AF_INET tuple, or an AF_INET6 one whose ends are both mapped or zero). */
  v4 = false;
  sip = '';
  sport = 0;
  dip = '';
  dport = 0;
  /** AF_UNIX: the kernel addresses of the two sockets, in hex. */
  usrc = '';
  udst = '';
  path = '';

  /** Reads the tuple at `off`; false (and nothing read) for an empty, short or unknown one. */
  read(d: Uint8Array, off: number, len: number): boolean {
    if (len <= 0) return false;
    const fam = d[off] ?? 0;
    if (fam === AF.INET && len >= 13) {
      this.setIp(
        fam,
        true,
        formatIpv4(d, off + 1),
        u16(d, off + 5),
        formatIpv4(d, off + 7),
        u16(d, off + 11),
      );
      return true;
    }
    if (fam === AF.INET6 && len >= 37) {
      // Both ends IPv4-mapped: the IPv4 addresses are their last four bytes.
      const v4 = isIpv4MappedIpv6(d, off + 1) && isIpv4MappedIpv6(d, off + 19);
      const sip = v4 ? formatIpv4(d, off + 13) : formatIpv6Ntop(d, off + 1);
      const dip = v4 ? formatIpv4(d, off + 31) : formatIpv6Ntop(d, off + 19);
      this.setIp(fam, v4, sip, u16(d, off + 17), dip, u16(d, off + 35));
      return true;
    }
    if (fam === AF.UNIX && len >= 17) {
      this.setIp(fam, false, '', 0, '', 0);
      this.usrc = hex64(d, off + 1);
      this.udst = hex64(d, off + 9);
      this.path = path(d, off + 17, len - 17);
      return true;
    }
    return false;
  }

  private setIp(family: number, v4: boolean, sip: string, sport: number, dip: string, dport: number): void {
    this.family = family;
    this.v4 = v4;
    this.sip = sip;
    this.sport = sport;
    this.dip = dip;
    this.dport = dport;
    this.usrc = '';
    this.udst = '';
    this.path = '';
  }
}
