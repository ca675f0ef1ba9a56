// Printable IP addresses for the metadata model and back: IPv4 from the raw s_addr bytes (network order as
// stored), IPv6 in inet_ntop's RFC 5952 form, which is what libsinsp prints. The IPv4 halves are params/ip.ts's.

import { formatIpv4, parseIpv4Text } from '../params/ip.js';

/** Dotted quad of 4 bytes at `off` (the in-memory s_addr order, first byte first). */
export const ipv4ToString: (b: Uint8Array, off: number) => string = formatIpv4;

/** RFC 5952 text of 16 bytes at `off`, like glibc's inet_ntop (IPv4-mapped and -compatible forms kept). */
export function ipv6ToString(b: Uint8Array, off: number): string {
  const w: number[] = [];
  for (let i = 0; i < 8; i++) w.push((b[off + 2 * i]! << 8) | b[off + 2 * i + 1]!);
  // inet_ntop prints ::ffff:a.b.c.d and ::a.b.c.d (the latter only when the first 6 words are 0 and word 6 ≠ 0).
  if (w[0] === 0 && w[1] === 0 && w[2] === 0 && w[3] === 0 && w[4] === 0) {
    if (w[5] === 0xffff) return `::ffff:${ipv4ToString(b, off + 12)}`;
    if (w[5] === 0 && w[6] !== 0) return `::${ipv4ToString(b, off + 12)}`;
  }
  // Longest run of ≥ 2 zero words, first one on ties.
  let bestAt = -1;
  let bestLen = 0;
  for (let i = 0; i < 8; ) {
    if (w[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && w[j] === 0) j++;
    if (j - i > bestLen && j - i >= 2) {
      bestAt = i;
      bestLen = j - i;
    }
    i = j;
  }
  const hex = (i: number) => w[i]!.toString(16);
  if (bestAt < 0) return w.map((_, i) => hex(i)).join(':');
  const head = w.slice(0, bestAt).map((_, i) => hex(i));
  const tail = w.slice(bestAt + bestLen).map((_, i) => hex(bestAt + bestLen + i));
  return `${head.join(':')}::${tail.join(':')}`;
}

/** Writes a dotted quad into 4 bytes at `off`; throws on anything else. */
export function parseIpv4(s: string, out: Uint8Array, off: number): void {
  if (!parseIpv4Text(s, out, off)) throw new Error(`not an IPv4 address: ${s}`);
}

/** Writes an IPv6 text address (with optional embedded IPv4 tail) into 16 bytes at `off`. */
export function parseIpv6(s: string, out: Uint8Array, off: number): void {
  const bad = () => new Error(`not an IPv6 address: ${s}`);
  let text = s;
  const words: number[] = [];
  let v4: Uint8Array | undefined;
  const lastColon = text.lastIndexOf(':');
  if (lastColon >= 0 && text.indexOf('.', lastColon) > 0) {
    v4 = new Uint8Array(4);
    parseIpv4(text.slice(lastColon + 1), v4, 0);
    text = `${text.slice(0, lastColon + 1)}0:0`;
  }
  const dbl = text.indexOf('::');
  const parse = (p: string): number[] =>
    p === ''
      ? []
      : p.split(':').map((h) => {
          if (!/^[0-9a-fA-F]{1,4}$/.test(h)) throw bad();
          return Number.parseInt(h, 16);
        });
  if (dbl >= 0) {
    const head = parse(text.slice(0, dbl));
    const tail = parse(text.slice(dbl + 2));
    if (head.length + tail.length > 7) throw bad();
    words.push(...head, ...new Array<number>(8 - head.length - tail.length).fill(0), ...tail);
  } else {
    words.push(...parse(text));
  }
  if (words.length !== 8) throw bad();
  for (let i = 0; i < 8; i++) {
    out[off + 2 * i] = words[i]! >> 8;
    out[off + 2 * i + 1] = words[i]! & 0xff;
  }
  if (v4) out.set(v4, off + 12);
}
