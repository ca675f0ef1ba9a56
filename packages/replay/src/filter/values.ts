// Parsing of filter values (done once, at compile time) and the allocation-free helpers the compiled
// comparisons call per event: IP addresses and networks read from the field's printed form into scratch
// arrays, case-insensitive substring search, byte-string search, and component-wise path prefixes.
import { GlobMatcher } from './glob.js';

// ---------------------------------------------------------------------------------------------------
// Numbers

const RE_INT = /^[+-]?[0-9]+$/;
const RE_HEX = /^0[xX][0-9a-fA-F]+$/;
const RE_FLOAT = /^[+-]?[0-9]+\.?[0-9]*(?:[eE][+-]?[0-9]+)?$/;

/** An integer filter value (decimal, or hex as the grammar allows); undefined when it is not one. */
export function parseIntValue(s: string): number | undefined {
  if (RE_INT.test(s)) return Number(s);
  if (RE_HEX.test(s)) return Number.parseInt(s.slice(2), 16);
  return undefined;
}

/** A uint64/abstime value as a bigint; negative values are refused (the field is unsigned). */
export function parseBigValue(s: string): bigint | undefined {
  if (/^\+?[0-9]+$/.test(s)) return BigInt(s.startsWith('+') ? s.slice(1) : s);
  if (RE_HEX.test(s)) return BigInt(s);
  return undefined;
}

export function parseDoubleValue(s: string): number | undefined {
  if (RE_FLOAT.test(s)) return Number(s);
  if (RE_HEX.test(s)) return Number.parseInt(s.slice(2), 16);
  return undefined;
}

/** `true`/`false` as sysdig prints them, and 1/0 (the field contract allows both). */
export function parseBoolValue(s: string): boolean | undefined {
  if (s === 'true' || s === '1') return true;
  if (s === 'false' || s === '0') return false;
  return undefined;
}

// ---------------------------------------------------------------------------------------------------
// IP addresses: 8 16-bit words; an IPv4 address uses words 6 and 7 and the `v4` flag.

export interface IpAddr {
  v4: boolean;
  words: Uint16Array;
}

export interface IpNet {
  v4: boolean;
  words: Uint16Array;
  /** Prefix length in bits (≤ 32 for IPv4, ≤ 128 for IPv6). */
  bits: number;
}

/**
 * Reads an address from s[from, to) into `out` (8 words) without allocating. Returns 4, 6, or 0 when the
 * text is not an address. Accepts dotted IPv4, IPv6 with `::` compression and a dotted IPv4 tail.
 */
export function readIp(s: string, from: number, to: number, out: Uint16Array): 0 | 4 | 6 {
  if (readIpv4(s, from, to, out, 6, true)) return 4;
  return readIpv6(s, from, to, out) ? 6 : 0;
}

/** Dotted quad into out[at], out[at+1]; `zeroFront` clears the words before (a plain IPv4 address). */
function readIpv4(
  s: string,
  from: number,
  to: number,
  out: Uint16Array,
  at: number,
  zeroFront: boolean,
): boolean {
  let part = 0;
  let digits = 0;
  let val = 0;
  let hi = 0;
  for (let i = from; i <= to; i++) {
    const c = i < to ? s.charCodeAt(i) : 46; // a virtual '.' ends the last part
    if (c >= 48 && c <= 57) {
      val = val * 10 + (c - 48);
      if (++digits > 3 || val > 255) return false;
    } else if (c === 46) {
      if (digits === 0 || part > 3) return false;
      if (part === 0) hi = val << 8;
      else if (part === 1) out[at] = hi | val;
      else if (part === 2) hi = val << 8;
      else out[at + 1] = hi | val;
      part++;
      digits = 0;
      val = 0;
    } else {
      return false;
    }
  }
  if (part !== 4) return false;
  if (zeroFront) for (let i = 0; i < at; i++) out[i] = 0;
  return true;
}

function readIpv6(s: string, from: number, to: number, out: Uint16Array): boolean {
  // Words before `::` go to the front; words after it are collected at the front too and then moved to
  // the back once their count is known.
  let n = 0; // words written
  let gap = -1; // index in out where `::` stands
  let i = from;
  if (to - from >= 2 && s.charCodeAt(i) === 58 && s.charCodeAt(i + 1) === 58) {
    gap = 0;
    i += 2;
    if (i === to) {
      out.fill(0);
      return true;
    }
  }
  for (;;) {
    if (n >= 8) return false;
    // A dotted IPv4 tail (::ffff:1.2.3.4) fills two words.
    let end = i;
    let dotted = false;
    while (end < to && s.charCodeAt(end) !== 58) {
      if (s.charCodeAt(end) === 46) dotted = true;
      end++;
    }
    if (dotted) {
      if (end !== to || n > 6) return false;
      if (!readIpv4(s, i, to, out, n, false)) return false;
      n += 2;
      i = to;
      break;
    }
    if (end === i || end - i > 4) return false;
    let w = 0;
    for (let k = i; k < end; k++) {
      const c = s.charCodeAt(k);
      let d: number;
      if (c >= 48 && c <= 57) d = c - 48;
      else if (c >= 97 && c <= 102) d = c - 87;
      else if (c >= 65 && c <= 70) d = c - 55;
      else return false;
      w = (w << 4) | d;
    }
    out[n++] = w;
    i = end;
    if (i === to) break;
    // i is at ':'
    if (i + 1 < to && s.charCodeAt(i + 1) === 58) {
      if (gap >= 0) return false;
      gap = n;
      i += 2;
      if (i === to) break;
    } else {
      i++;
      if (i === to) return false;
    }
  }
  if (gap < 0) return n === 8;
  if (n === 8) return false;
  // Move the words after the gap to the end and zero the gap.
  const tail = n - gap;
  out.copyWithin(8 - tail, n - tail, n);
  for (let k = gap; k < 8 - tail; k++) out[k] = 0;
  return true;
}

/** Parses an address filter value (compile time). */
export function parseIpValue(s: string): IpAddr | undefined {
  const words = new Uint16Array(8);
  const kind = readIp(s, 0, s.length, words);
  if (kind === 0) return undefined;
  return { v4: kind === 4, words };
}

/** Parses `addr/bits` (compile time). A bare address is refused, as in sysdig ("unrecognized IP network"). */
export function parseNetValue(s: string): IpNet | undefined {
  const slash = s.indexOf('/');
  if (slash < 0) return undefined;
  const ip = parseIpValue(s.slice(0, slash));
  const bitsText = s.slice(slash + 1);
  if (!ip || !/^[0-9]{1,3}$/.test(bitsText)) return undefined;
  const bits = Number(bitsText);
  if (bits > (ip.v4 ? 32 : 128)) return undefined;
  return { v4: ip.v4, words: ip.words, bits: ip.v4 ? bits + 96 : bits };
}

/** Whether words a and b agree on their first `bits` bits. */
export function prefixEqual(a: Uint16Array, b: Uint16Array, bits: number): boolean {
  let w = 0;
  while (bits >= 16) {
    if (a[w] !== b[w]) return false;
    w++;
    bits -= 16;
  }
  if (bits === 0) return true;
  const mask = (0xffff << (16 - bits)) & 0xffff;
  return ((a[w] ?? 0) & mask) === ((b[w] ?? 0) & mask); // bits <= 128: w is a word of the 8
}

export function wordsEqual(a: Uint16Array, b: Uint16Array): boolean {
  for (let i = 0; i < 8; i++) if (a[i] !== b[i]) return false;
  return true;
}

// ---------------------------------------------------------------------------------------------------
// Strings and bytes

/** strcasestr: ASCII case-insensitive substring search; `needleLower` is already lower-cased. */
export function includesAsciiCI(hay: string, needleLower: string): boolean {
  const n = needleLower.length;
  const last = hay.length - n;
  outer: for (let i = 0; i <= last; i++) {
    for (let j = 0; j < n; j++) {
      let c = hay.charCodeAt(i + j);
      if (c >= 65 && c <= 90) c += 32;
      if (c !== needleLower.charCodeAt(j)) continue outer;
    }
    return true;
  }
  return false;
}

export function lowerAsciiString(s: string): string {
  return s.replace(/[A-Z]/g, (c) => c.toLowerCase());
}

/** Hex bytes for bcontains/bstartswith (`0a0b`, case-insensitive, even length). */
export function parseHexBytes(s: string): Uint8Array | undefined {
  if (s.length === 0 || s.length % 2 !== 0 || !/^[0-9a-fA-F]+$/.test(s)) return undefined;
  const out = new Uint8Array(s.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = Number.parseInt(s.slice(i * 2, i * 2 + 2), 16);
  return out;
}

const encoder = new TextEncoder();
export function utf8Bytes(s: string): Uint8Array {
  return encoder.encode(s);
}

export function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

export function bytesStartWith(a: Uint8Array, p: Uint8Array): boolean {
  if (p.length > a.length) return false;
  for (let i = 0; i < p.length; i++) if (a[i] !== p[i]) return false;
  return true;
}

export function bytesEndWith(a: Uint8Array, p: Uint8Array): boolean {
  const off = a.length - p.length;
  if (off < 0) return false;
  for (let i = 0; i < p.length; i++) if (a[off + i] !== p[i]) return false;
  return true;
}

/** memmem. */
export function bytesInclude(a: Uint8Array, p: Uint8Array): boolean {
  const last = a.length - p.length;
  outer: for (let i = 0; i <= last; i++) {
    for (let j = 0; j < p.length; j++) if (a[i + j] !== p[j]) continue outer;
    return true;
  }
  return false;
}

/** Bytes as a string of char codes 0–255, to compare a bytes value against a field given as a string. */
export function latin1(b: Uint8Array): string {
  let s = '';
  for (const c of b) s += String.fromCharCode(c);
  return s;
}

// ---------------------------------------------------------------------------------------------------
// pmatch: libs' path_prefix_search. A search path matches a path when its components ('/'-separated,
// empty ones skipped) are a prefix of the path's components; a component with * ? [ is an fnmatch
// pattern. `/` has no components and so matches every path; `/var/run` does not match `/var`.

type Component = string | GlobMatcher;

export class PathPrefixSet {
  private readonly paths: Component[][];

  constructor(searchPaths: readonly string[]) {
    this.paths = searchPaths.map((p) =>
      p
        .split('/')
        .filter((c) => c.length > 0)
        .map((c) => (/[*?[]/.test(c) ? new GlobMatcher(c) : c)),
    );
  }

  match(path: string): boolean {
    for (const comps of this.paths) if (matchComponents(path, comps)) return true;
    return false;
  }
}

function matchComponents(path: string, comps: Component[]): boolean {
  const len = path.length;
  let i = 0;
  for (const comp of comps) {
    while (i < len && path.charCodeAt(i) === 47) i++;
    if (i >= len) return false; // the path ran out first
    let j = path.indexOf('/', i);
    if (j < 0) j = len;
    if (typeof comp === 'string') {
      if (j - i !== comp.length || !path.startsWith(comp, i)) return false;
    } else if (!comp.matchRange(path, i, j)) {
      return false;
    }
    i = j;
  }
  return true;
}
