// Socket addresses and tuples as sysdig prints them in evt.args (the parts that need no fd or thread
// state). Checked against sysdig 0.29.3's output in test/params.test.ts.
import type { ParamValue, SockAddr, SockTuple } from './types.js';

/**
 * A PT_SOCKADDR: `addr:port` for IPv4/IPv6 (no brackets: `2001:db8::3:1234`), the path for AF_UNIX (an
 * empty path prints empty), `NULL` for an empty parameter, '' for a family sysdig does not decode.
 */
export function renderSockaddr(v: SockAddr | null): string {
  if (v === null) return 'NULL';
  switch (v.family) {
    case 'ipv4':
    case 'ipv6':
      return `${v.addr}:${v.port}`;
    case 'unix':
      return v.path;
    default:
      return '';
  }
}

/**
 * A PT_SOCKTUPLE: `sip:sport->dip:dport`, or for AF_UNIX the two kernel socket addresses in lower-case hex
 * and the path (`0->ffff94dc817b9400 /var/run/nscd/socket`); `NULL` for an empty parameter.
 */
export function renderSocktuple(v: SockTuple | null): string {
  if (v === null) return 'NULL';
  switch (v.family) {
    case 'ipv4':
    case 'ipv6':
      return `${v.sip}:${v.sport}->${v.dip}:${v.dport}`;
    case 'unix':
      return `${v.source.toString(16)}->${v.dest.toString(16)} ${v.path}`;
    default:
      return '';
  }
}

/** Narrowing helpers for callers holding a ParamValue. */
export function isSockAddrOrTuple(v: ParamValue): v is SockAddr | SockTuple {
  return typeof v === 'object' && v !== null && !(v instanceof Uint8Array) && 'family' in v;
}
