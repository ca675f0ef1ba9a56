// Path arithmetic the way libsinsp does it (sinsp_utils::concatenate_paths and copy_and_sanitize_path of
// current libs, whose unit tests test/paths.test.ts repeats): a relative path is appended to the directory
// it is relative to (which ends with '/', or is sinsp's "<UNKNOWN>"), `.` and `..` components are resolved
// (never above the start), repeated slashes are collapsed, a trailing slash is removed "as the OS does",
// and characters that are not printable (controls, C1 controls, Unicode non-characters; invalid UTF-8 was
// already decoded to U+FFFD) become U+FFFD. An absolute path ignores the directory. Most paths need none
// of this: they are checked in one pass and returned as they are.

/** The dirfd of the *at() calls that names the working directory (Linux's AT_FDCWD). */
export const AT_FDCWD = -100;

const SLASH = 47;
const DOT = 46;
const REPLACEMENT = 0xfffd;

/** Whether the character at `i` (≥ U+0080) is a C1 control or a Unicode non-character. */
function isUnprintable(s: string, i: number): boolean {
  const c = s.charCodeAt(i);
  if (c <= 0x9f) return true;
  if (c >= 0xfdd0 && c <= 0xfdef) return true;
  if (c >= 0xd800 && c <= 0xdbff) {
    // The code point of a surrogate pair: U+xFFFE and U+xFFFF are non-characters in every plane.
    const lo = s.charCodeAt(i + 1);
    return (lo & 0x3fe) === 0x3fe && (c & 0x3f) === 0x3f;
  }
  return (c & 0xfffe) === 0xfffe;
}

let scratch = new Uint16Array(1024);

/** `path` relative to `dir` (a directory with its trailing '/', ignored when `path` is absolute). */
export function concatenatePaths(dir: string, path: string): string {
  const relative = path.length !== 0 && path.charCodeAt(0) !== SLASH;
  const base = relative ? dir : '';
  if (isClean(path, base.length === 0 || base.charCodeAt(base.length - 1) === SLASH)) {
    return base.length === 0 ? path : base + path;
  }
  return sanitized(base, path);
}

/**
 * Whether copy_and_sanitize_path would copy `path` unchanged: printable (ASCII, or a printable character
 * beyond it), no empty, `.` or `..` component, no trailing slash (a lone "/" aside). `atComponentStart`: the
 * text before it ends with '/'.
 */
function isClean(path: string, atComponentStart: boolean): boolean {
  const n = path.length;
  let start = atComponentStart;
  for (let i = 0; i < n; i++) {
    const c = path.charCodeAt(i);
    if (c < 0x20 || c > 0x7e) {
      if (c < 0x80 || isUnprintable(path, i)) return false;
      start = false;
      continue;
    }
    if (c === SLASH) {
      if (start && i > 0) return false; // "//"
      start = true;
      continue;
    }
    if (c === DOT && start) {
      // Only ".", "..", "./" and "../" are special: a hidden name (".pyenv", "..x") is copied as it is.
      const c1 = i + 1 < n ? path.charCodeAt(i + 1) : SLASH;
      if (c1 === SLASH) return false;
      if (c1 === DOT && (i + 2 >= n || path.charCodeAt(i + 2) === SLASH)) return false;
    }
    start = false;
  }
  return !(n > 1 && path.charCodeAt(n - 1) === SLASH);
}

/** copy_and_sanitize_path with `base` already in the target (sinsp's path1, not sanitized itself). */
function sanitized(base: string, path: string): string {
  const need = base.length + path.length + 1;
  if (scratch.length < need) scratch = new Uint16Array(need);
  const t = scratch;
  let tc = 0;
  for (; tc < base.length; tc++) t[tc] = base.charCodeAt(tc);
  const emptyBase = base.length === 0;
  const n = path.length;
  const at = (k: number) => (k < n ? path.charCodeAt(k) : 0);
  let pc = 0;
  while (pc < n) {
    const c = path.charCodeAt(pc);
    if ((c < 0x20 || c > 0x7e) && (c < 0x80 || isUnprintable(path, pc))) {
      t[tc++] = REPLACEMENT;
      // A non-character beyond the BMP is a surrogate pair: one replacement for both halves.
      pc += c >= 0xd800 && c <= 0xdbff && pc + 1 < n ? 2 : 1;
    } else if (c === DOT && (tc === 0 || t[tc - 1] === SLASH)) {
      const c1 = at(pc + 1);
      if (c1 === DOT && at(pc + 2) === SLASH) {
        tc = rewindToParent(t, tc);
        pc += 3;
      } else if (c1 === DOT && pc + 2 >= n) {
        tc = rewindToParent(t, tc);
        pc += 2;
      } else if (c1 === SLASH) {
        pc += 2;
      } else if (pc + 1 >= n) {
        pc++;
      } else {
        t[tc++] = c;
        pc++;
      }
    } else if (c === SLASH) {
      // A separator after one, or at the start of a base a rewind emptied ("foo/../a" gives "a").
      if (!((tc > 0 && t[tc - 1] === SLASH) || (tc === 0 && !emptyBase))) t[tc++] = c;
      pc++;
    } else {
      t[tc++] = c;
      pc++;
    }
  }
  if (tc > 1 && t[tc - 1] === SLASH) tc--;
  let out = '';
  for (let k = 0; k < tc; k += 4096)
    out += String.fromCharCode.apply(null, t.subarray(k, Math.min(tc, k + 4096)) as unknown as number[]);
  return out;
}

/** Back to the start of the previous component (never before the first character). */
function rewindToParent(t: Uint16Array, tc: number): number {
  if (tc <= 1) return tc;
  let k = tc - 1;
  while (k >= 1 && t[k - 1] !== SLASH) k--;
  return k;
}
