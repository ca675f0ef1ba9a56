// IP address text as sysdig prints it, and back. IPv4 addresses are stored as raw s_addr (network-order
// bytes), IPv6 as 16 network-order bytes. IPv6 text follows glibc's inet_ntop (which libsinsp calls), except
// that addresses libsinsp treats as IPv4 (IPv4-mapped ::ffff:a.b.c.d and the all-zero address) print as
// plain IPv4, as sysdig does.

/** Dotted quad of the 4 bytes at `off`. */
export function formatIpv4(d: Uint8Array, off: number): string {
  return `${d[off]}.${d[off + 1]}.${d[off + 2]}.${d[off + 3]}`;
}

/** libsinsp's is_ipv4_mapped_ipv6: ::ffff:0:0/96, or all zeros ("assume IPv4 as well"). */
export function isIpv4MappedIpv6(d: Uint8Array, off: number): boolean {
  for (let k = 0; k < 10; k++) if (d[off + k] !== 0) return false;
  if (d[off + 10] === 0xff && d[off + 11] === 0xff) return true;
  for (let k = 10; k < 16; k++) if (d[off + k] !== 0) return false;
  return true;
}

/** The big-endian 16-bit word at `off` (0 past the end of `d`). */
function u16be(d: Uint8Array, off: number): number {
  return ((d[off] ?? 0) << 8) | (d[off + 1] ?? 0);
}

/** glibc inet_ntop(AF_INET6): lower-case hex, the longest run (≥ 2) of zero groups as `::`, first run on a tie. */
export function formatIpv6Ntop(d: Uint8Array, off: number): string {
  let bestBase = -1;
  let bestLen = 0;
  let curBase = -1;
  let curLen = 0;
  for (let g = 0; g < 8; g++) {
    const w = u16be(d, off + 2 * g);
    if (w === 0) {
      if (curBase < 0) {
        curBase = g;
        curLen = 1;
      } else curLen++;
    } else if (curBase >= 0) {
      if (curLen > bestLen) {
        bestBase = curBase;
        bestLen = curLen;
      }
      curBase = -1;
    }
  }
  if (curBase >= 0 && curLen > bestLen) {
    bestBase = curBase;
    bestLen = curLen;
  }
  if (bestLen < 2) bestBase = -1;
  let out = '';
  for (let g = 0; g < 8; g++) {
    if (bestBase >= 0 && g >= bestBase && g < bestBase + bestLen) {
      if (g === bestBase) out += ':';
      continue;
    }
    if (g !== 0) out += ':';
    // glibc writes an embedded IPv4 tail for ::a.b.c.d (not ::1), ::X (X > 1) and ::ffff:a.b.c.d.
    const w5 = u16be(d, off + 10);
    const w7 = u16be(d, off + 14);
    if (
      g === 6 &&
      bestBase === 0 &&
      (bestLen === 6 || (bestLen === 7 && w7 !== 1) || (bestLen === 5 && w5 === 0xffff))
    ) {
      return out + formatIpv4(d, off + 12);
    }
    out += u16be(d, off + 2 * g).toString(16);
  }
  if (bestBase >= 0 && bestBase + bestLen === 8) out += ':';
  return out;
}

/** An IPv6 address as sysdig prints it: IPv4-mapped and all-zero addresses as IPv4, the rest via inet_ntop. */
export function formatIpv6Sysdig(d: Uint8Array, off: number): string {
  return isIpv4MappedIpv6(d, off) ? formatIpv4(d, off + 12) : formatIpv6Ntop(d, off);
}

/** Parses a dotted quad into 4 bytes at `off`; false if `s` is not one. */
export function parseIpv4Text(s: string, out: Uint8Array, off: number): boolean {
  const parts = s.split('.');
  if (parts.length !== 4) return false;
  for (const [k, p] of parts.entries()) {
    if (!/^\d{1,3}$/.test(p)) return false;
    const v = Number(p);
    if (v > 255) return false;
    out[off + k] = v;
  }
  return true;
}

/**
 * Parses IPv6 text (any valid form, with an optional IPv4 tail) into 16 bytes at `off`. A bare dotted quad
 * is the inverse of formatIpv6Sysdig: `0.0.0.0` gives the all-zero address, any other gives ::ffff:a.b.c.d.
 * Returns false if `s` is not an address.
 */
export function parseIpv6Text(s: string, out: Uint8Array, off: number): boolean {
  out.fill(0, off, off + 16);
  if (s.indexOf(':') < 0) {
    if (!parseIpv4Text(s, out, off + 12)) return false;
    if (s !== '0.0.0.0') out[off + 10] = out[off + 11] = 0xff;
    return true;
  }
  const groups: number[] = [];
  const halves = s.split('::');
  if (halves.length > 2) return false;
  const parseHalf = (h: string, last: boolean): number[] | undefined => {
    if (h === '') return [];
    const res: number[] = [];
    const items = h.split(':');
    for (const [k, it] of items.entries()) {
      if (last && k === items.length - 1 && it.includes('.')) {
        const b = new Uint8Array(4);
        if (!parseIpv4Text(it, b, 0)) return undefined;
        res.push(u16be(b, 0), u16be(b, 2));
      } else {
        if (!/^[0-9a-fA-F]{1,4}$/.test(it)) return undefined;
        res.push(Number.parseInt(it, 16));
      }
    }
    return res;
  };
  const [first = '', second = ''] = halves;
  const head = parseHalf(first, halves.length === 1);
  if (!head) return false;
  if (halves.length === 1) {
    if (head.length !== 8) return false;
    groups.push(...head);
  } else {
    const tail = parseHalf(second, true);
    if (!tail || head.length + tail.length > 7) return false;
    groups.push(...head, ...new Array<number>(8 - head.length - tail.length).fill(0), ...tail);
  }
  for (const [g, w] of groups.entries()) {
    out[off + 2 * g] = w >>> 8;
    out[off + 2 * g + 1] = w & 0xff;
  }
  return true;
}
