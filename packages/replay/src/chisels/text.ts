// Text helpers that reproduce sysdig's chisel output byte for byte: common.lua's extend_string,
// format_bytes and format_time_interval, Lua's tostring for numbers, and C printf's "%.Nf" (which rounds an
// exact tie to even, where JavaScript's toFixed rounds it up: 1152/1024 prints 1.12KB in sysdig).

const SPACES = ' '.repeat(256);

/** UTF-8 length: Lua measures strings in bytes, so padding must too. */
function byteLength(s: string): number {
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) >= 0x80) return Buffer.byteLength(s, 'utf8');
  return s.length;
}

/** common.lua extend_string: pads `s` with spaces to `len` bytes, or cuts it to `len - 1` bytes plus a space. */
export function extendString(s: string, len: number): string {
  const n = byteLength(s);
  if (n < len) return s + SPACES.slice(0, len - n);
  if (len <= 0) return '';
  const cut = n === s.length ? s.slice(0, len - 1) : Buffer.from(s, 'utf8').subarray(0, len - 1).toString('latin1');
  return `${cut} `;
}

/** Lua's string.sub(s, 0, n): the first n bytes. */
export function luaPrefix(s: string, n: number): string {
  if (byteLength(s) <= n) return s;
  return byteLength(s) === s.length ? s.slice(0, n) : Buffer.from(s, 'utf8').subarray(0, n).toString('latin1');
}

/** LuaJIT's tostring of a number ("%.14g"; integers without a decimal point). */
export function luaNumber(v: number): string {
  if (Number.isInteger(v) && Math.abs(v) < 1e15) return String(v);
  if (!Number.isFinite(v)) return Number.isNaN(v) ? 'nan' : v > 0 ? 'inf' : '-inf';
  // %.14g: 14 significant digits, trailing zeros dropped, exponent with at least two digits.
  let s = v.toPrecision(14);
  if (s.includes('e')) {
    let [m, e] = s.split('e') as [string, string];
    if (m.includes('.')) m = m.replace(/0+$/, '').replace(/\.$/, '');
    const sign = e[0] === '-' ? '-' : '+';
    const digits = e.replace(/^[+-]/, '').padStart(2, '0');
    return `${m}e${sign}${digits}`;
  }
  if (s.includes('.')) s = s.replace(/0+$/, '').replace(/\.$/, '');
  return s;
}

/** A value as Lua's tostring / string concatenation would print it. */
export function luaString(v: string | number | bigint | boolean): string {
  if (typeof v === 'number') return luaNumber(v);
  if (typeof v === 'bigint') return luaNumber(Number(v));
  return String(v);
}

/**
 * C printf("%.<digits>f", x): correctly rounded from the exact binary value, an exact tie going to the
 * even digit (glibc, round-to-nearest). toFixed is right except on exact ties, which are detected exactly.
 */
export function cFixed(x: number, digits: number): string {
  const s = x.toFixed(digits);
  if (!Number.isFinite(x) || Math.abs(x) >= 1e21) return s;
  // x = m * 2^e exactly; a tie means x * 10^digits has a fractional part of exactly one half.
  const buf = new DataView(new ArrayBuffer(8));
  buf.setFloat64(0, Math.abs(x));
  const hi = buf.getUint32(0);
  const lo = buf.getUint32(4);
  const bexp = (hi >>> 20) & 0x7ff;
  let m = (BigInt(hi & 0xfffff) << 32n) | BigInt(lo);
  let e: number;
  if (bexp === 0) e = -1074;
  else {
    m |= 1n << 52n;
    e = bexp - 1075;
  }
  if (e >= 0 || m === 0n) return s;
  const scaled = m * 10n ** BigInt(digits);
  const denom = 1n << BigInt(-e);
  const rem = scaled % denom;
  if (rem * 2n !== denom) return s;
  // Exact tie: toFixed rounded away from zero; C wants the even neighbour.
  const q = scaled / denom; // truncated magnitude
  const rounded = q % 2n === 0n ? q : q + 1n;
  let t = rounded.toString().padStart(digits + 1, '0');
  if (digits > 0) t = `${t.slice(0, t.length - digits)}.${t.slice(t.length - digits)}`;
  return x < 0 ? `-${t}` : t;
}

const KB = 1024;
const MB = KB * 1024;
const GB = MB * 1024;
const TB = GB * 1024;
const PB = TB * 1024;

/** common.lua format_bytes: 832B, 30.06KB, 1.50M, … (note the units: KB but M, G, T, P). */
export function formatBytes(val: number): string {
  if (val > PB) return `${cFixed(val / PB, 2)}P`;
  if (val > TB) return `${cFixed(val / TB, 2)}T`;
  if (val > GB) return `${cFixed(val / GB, 2)}G`;
  if (val > MB) return `${cFixed(val / MB, 2)}M`;
  if (val > KB) return `${cFixed(val / KB, 2)}KB`;
  return `${Math.trunc(val)}B`;
}

const S = 1e9;

/** "%02u" of a Lua number: truncated (LuaJIT casts), zero-padded to two digits. */
function u2(v: number): string {
  return String(Math.trunc(v)).padStart(2, '0');
}

/** common.lua format_time_interval: 1.10s, 380us, 2.37ms, 532ns, … */
export function formatTimeInterval(val: number): string {
  if (val >= S) return `${Math.floor(val / S)}.${u2((val % S) / 10000000)}s`;
  if (val >= S / 100) return `${Math.floor(val / (S / 1000))}ms`;
  if (val >= S / 1000) return `${Math.floor(val / (S / 1000))}.${u2((val % 1000000) / 10000)}ms`;
  if (val >= S / 100000) return `${Math.floor(val / (S / 1000000))}us`;
  if (val >= S / 1000000) return `${Math.floor(val / (S / 1000000))}.${u2((val % 1000) / 10)}us`;
  return `${Math.trunc(val)}ns`;
}
