// Path arithmetic the way libsinsp does it (sinsp_utils::concatenate_paths and copy_and_sanitize_path of
// current libs, whose unit tests test/paths.test.ts repeats): a relative path is appended to the directory
// it is relative to (which ends with '/', or is sinsp's "<UNKNOWN>"), `.` and `..` components are resolved
// (never above the start), repeated slashes are collapsed, a trailing slash is removed "as the OS does",
// and characters that are not printable (controls, C1 controls, Unicode non-characters; invalid UTF-8 was
// already decoded to U+FFFD) become U+FFFD. An absolute path ignores the directory. Most paths need none
// of this: they are checked in one pass and returned as they are; PathNames keeps the names of the paths
// events give again and again.
import { cString, type EventView } from '@scapkit/scap-format';

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

const EMPTY = new Uint8Array(0);
/** The size of each buffer PathNames.keep() copies path bytes into. */
const KEEP_BYTES = 1 << 16;

/** The path-name table: hash slots (a power of two), names it keeps before starting over, bytes of keys. */
const NAME_SLOTS = 1 << 15;
const NAME_MAX = (NAME_SLOTS >> 2) * 3;
const NAME_BYTES = 1 << 20;
/** The longest parameter (bytes) the table keeps. */
const NAME_KEY_MAX = 512;
/** A slot's third word: the key's length (≤ NAME_KEY_MAX) + its directory's number × DIR_UNIT. */
const DIR_UNIT = 1024;
/** Directories the table numbers before starting over (their numbers × DIR_UNIT stay below 2^31). */
const DIR_MAX = (1 << 21) - 1;

/**
 * Full paths of path parameters (concatenatePaths of the directory and the parameter's string), kept by
 * the parameter's bytes and, for a relative path, the directory: a trace opens the same few thousand files
 * again and again, and a name found here is neither decoded, nor checked, nor concatenated again, and all
 * opens of a file share one string. A hash table with open addressing over the keys' bytes, copied into
 * one buffer; when the buffer or the table fills up, it starts over empty (the names it gave stay valid).
 * A hit reads one slot (its cache line holds all the key but the bytes): the directory is a number there.
 */
export class PathNames {
  /**
   * Four words per hash slot, in one cache line: the entry's index + 1 (0: a free slot), the key's hash,
   * its length plus its directory's number times DIR_UNIT, and its offset in keyBytes.
   */
  private readonly slots = new Int32Array(NAME_SLOTS * 4);
  /** The number of each directory relative paths were joined to ('' for an absolute path: 0). */
  private readonly dirIds = new Map<string, number>([['', 0]]);
  /** The directory join() saw last and its number: most opens are relative to the one before's. */
  private lastDir = '';
  private lastDirId = 0;
  private readonly names: string[] = [];
  private readonly keyBytes = new Uint8Array(NAME_BYTES);
  private readonly keyView = new DataView(this.keyBytes.buffer);
  private used = 0;
  private data: Uint8Array = EMPTY;
  private view: DataView = new DataView(EMPTY.buffer);
  /** keep()'s buffer, how much of it is used, and the event bytes it copied from last. */
  private kept: Uint8Array = EMPTY;
  private keptView: DataView = new DataView(EMPTY.buffer);
  private keptUsed = 0;
  private keepSrc: Uint8Array = EMPTY;
  private keepSrcView: DataView = new DataView(EMPTY.buffer);

  /**
   * concatenatePaths(dir, v.paramString(i)) for a parameter that is present (paramLength(i) > 0).
   * The parameter's bytes (its NUL included) are the key: equal bytes decode to the same string.
   */
  join(dir: string, v: EventView, i: number): string {
    return this.joinBytes(dir, v.data, v.paramOffset(i), v.paramLength(i));
  }

  /** join() of a path parameter's `len` bytes at `off` of `data` (what paramString decodes, NUL and all). */
  joinBytes(dir: string, data: Uint8Array, off: number, len: number): string {
    if (len > NAME_KEY_MAX) return concatenatePaths(dir, cString(data, off, len));
    if (data !== this.data) {
      this.data = data;
      this.view = new DataView(data.buffer, data.byteOffset, data.byteLength);
    }
    const dv = this.view;
    const first = dv.getUint8(off);
    // Only a relative path depends on the directory ("" and absolute paths ignore it).
    const relative = first !== 0 && first !== SLASH;
    const dirKey = (relative ? this.dirId(dir) : 0) * DIR_UNIT + len;
    let h = 0x811c9dc5 ^ dirKey;
    let k = 0;
    for (; k + 4 <= len; k += 4) h = Math.imul(h ^ dv.getUint32(off + k, true), 0x01000193);
    for (; k < len; k++) h = Math.imul(h ^ dv.getUint8(off + k), 0x01000193);
    h ^= h >>> 15;
    const kv = this.keyView;
    const slots = this.slots;
    let slot = h & (NAME_SLOTS - 1);
    for (;;) {
      const w = slot << 2;
      const e = (slots[w] ?? 0) - 1;
      if (e < 0) break;
      if (slots[w + 1] === h && slots[w + 2] === dirKey) {
        const at = slots[w + 3] ?? 0;
        let same = true;
        k = 0;
        for (; k + 4 <= len; k += 4) {
          if (kv.getUint32(at + k, true) !== dv.getUint32(off + k, true)) {
            same = false;
            break;
          }
        }
        for (; same && k < len; k++) same = kv.getUint8(at + k) === dv.getUint8(off + k);
        const name = this.names[e];
        if (same && name !== undefined) return name;
      }
      slot = (slot + 1) & (NAME_SLOTS - 1);
    }
    const name = concatenatePaths(dir, cString(data, off, len));
    const e = this.names.length;
    if (e >= NAME_MAX || this.used + len > NAME_BYTES || this.dirIds.size > DIR_MAX) {
      this.clear();
      return name;
    }
    this.keyBytes.set(data.subarray(off, off + len), this.used);
    const w = slot << 2;
    slots[w] = e + 1;
    slots[w + 1] = h;
    slots[w + 2] = dirKey;
    slots[w + 3] = this.used;
    this.names.push(name);
    this.used += len;
    return name;
  }

  /**
   * A copy of parameter `i`'s bytes (present: paramLength(i) > 0) that stays as it is, for a name made
   * later (FdEntry.setPathName): its offset in `kept`, which the next keep() may replace with a new
   * buffer. The copies go one after the other into buffers of KEEP_BYTES, dropped by the GC once no entry
   * points into them.
   */
  keep(v: EventView, i: number): number {
    const off = v.paramOffset(i);
    const len = v.paramLength(i);
    if (this.keptUsed + len > this.kept.length) {
      this.kept = new Uint8Array(Math.max(KEEP_BYTES, len));
      this.keptView = new DataView(this.kept.buffer);
      this.keptUsed = 0;
    }
    const at = this.keptUsed;
    const src = this.viewOf(v.data);
    const dst = this.keptView;
    let k = 0;
    for (; k + 4 <= len; k += 4) dst.setUint32(at + k, src.getUint32(off + k, true), true);
    for (; k < len; k++) dst.setUint8(at + k, src.getUint8(off + k));
    this.keptUsed = at + len;
    return at;
  }

  /** The buffer keep() copied into last. */
  get keptBytes(): Uint8Array {
    return this.kept;
  }

  /** A DataView on event bytes for keep() (the last one while the batch is the same). */
  private viewOf(data: Uint8Array): DataView {
    if (data !== this.keepSrc) {
      this.keepSrc = data;
      this.keepSrcView = new DataView(data.buffer, data.byteOffset, data.byteLength);
    }
    return this.keepSrcView;
  }

  /** The number of directory `dir` in the keys (given once seen; 0 is ''). */
  private dirId(dir: string): number {
    if (dir === this.lastDir) return this.lastDirId;
    let id = this.dirIds.get(dir);
    if (id === undefined) {
      id = this.dirIds.size;
      this.dirIds.set(dir, id);
    }
    this.lastDir = dir;
    this.lastDirId = id;
    return id;
  }

  private clear(): void {
    this.slots.fill(0);
    this.dirIds.clear();
    this.dirIds.set('', 0);
    this.lastDir = '';
    this.lastDirId = 0;
    this.names.length = 0;
    this.used = 0;
  }
}
