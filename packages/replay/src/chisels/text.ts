// Text helpers that reproduce sysdig's chisel output byte for byte: common.lua's extend_string,
// format_bytes and format_time_interval, and LuaJIT's tostring and "%.2f" for numbers.

const SPACES = ' '.repeat(256);
const utf8Enc = new TextEncoder();
const utf8Dec = new TextDecoder();

/** UTF-8 length: Lua measures strings in bytes, so padding must too. */
function byteLength(s: string): number {
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) >= 0x80) return utf8Enc.encode(s).length;
  return s.length;
}

/** The first `n` bytes of `s` in UTF-8 (a character cut in two decodes as U+FFFD). */
function bytePrefix(s: string, n: number): string {
  return byteLength(s) === s.length ? s.slice(0, n) : utf8Dec.decode(utf8Enc.encode(s).subarray(0, n));
}

/** common.lua extend_string: pads `s` with spaces to `len` bytes, or cuts it to `len - 1` bytes plus a space. */
export function extendString(s: string, len: number): string {
  const n = byteLength(s);
  if (n < len) return s + SPACES.slice(0, len - n);
  if (len <= 0) return '';
  return `${bytePrefix(s, len - 1)} `;
}

/** Lua's string.sub(s, 0, n): the first n bytes. */
export function luaPrefix(s: string, n: number): string {
  return byteLength(s) <= n ? s : bytePrefix(s, n);
}

/** Bytes as a string of the same code units (a Lua string holding a byte buffer). */
export function latin1(b: Uint8Array): string {
  let s = '';
  for (const c of b) s += String.fromCharCode(c);
  return s;
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
 * string.format("%.<digits>f", x) as sysdig's LuaJIT prints it: correctly rounded, an exact tie rounded
 * away from zero (LuaJIT formats numbers itself; glibc's printf would round 10.625 to 10.62, sysdig prints
 * 10.63M in ps). That is exactly what toFixed does.
 */
export function luaFixed(x: number, digits: number): string {
  return x.toFixed(digits);
}

const KB = 1024;
const MB = KB * 1024;
const GB = MB * 1024;
const TB = GB * 1024;
const PB = TB * 1024;

/** common.lua format_bytes: 832B, 30.06KB, 1.50M, … (note the units: KB but M, G, T, P). */
export function formatBytes(val: number): string {
  if (val > PB) return `${luaFixed(val / PB, 2)}P`;
  if (val > TB) return `${luaFixed(val / TB, 2)}T`;
  if (val > GB) return `${luaFixed(val / GB, 2)}G`;
  if (val > MB) return `${luaFixed(val / MB, 2)}M`;
  if (val > KB) return `${luaFixed(val / KB, 2)}KB`;
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
