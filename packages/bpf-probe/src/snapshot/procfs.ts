// Synchronous /proc access for the snapshot. procfs files are generated on read and never block on disk,
// so a direct read in the calling thread is several times cheaper than an async read that hops through the
// libuv pool; the snapshot yields to the event loop between processes instead (see snapshot.ts).
// Every accessor returns undefined when the object is gone (ENOENT/ESRCH: the process exited during the
// scan, which is normal) and records an issue for anything else.
import {
  type BigIntStats,
  closeSync,
  openSync,
  readdirSync,
  readlinkSync,
  readSync,
  statSync,
} from 'node:fs';
import type { SnapshotIssue } from './errors.js';

/** errno names that mean "it went away while we looked". */
const GONE = new Set(['ENOENT', 'ESRCH', 'ENOTDIR']);

/** One reusable read buffer: the scan is single-threaded and every read copies out into a string. */
const CHUNK = 64 * 1024;
const scratch = Buffer.allocUnsafe(CHUNK);

export class ProcFs {
  /** Problems met so far, in scan order. */
  readonly issues: SnapshotIssue[] = [];
  /** The pid the current reads are about, for issue records. */
  pid = 0;

  /** The errno name of the last failed access; only meaningful right after a call returned undefined. */
  lastError = '';

  constructor(private readonly onIssue?: (issue: SnapshotIssue) => void) {}

  /** Whether the last failure was a permission problem: the rest of that process will be denied too. */
  get denied(): boolean {
    return this.lastError === 'EACCES' || this.lastError === 'EPERM';
  }

  /**
   * The text of a file, at most `max` bytes of it (procfs files like cmdline and environ can be large;
   * libscap keeps only a bounded prefix too). A short first read is taken as the end for the one-record
   * files (stat, status, limits: generated whole on the first read), which saves a syscall per file;
   * `multiRecord` files (net tables, mountinfo, passwd) are read until EOF because seq_file may return
   * them a page at a time.
   */
  read(path: string, max = 1 << 20, multiRecord = false): string | undefined {
    let fd: number;
    try {
      fd = openSync(path, 'r');
    } catch (e) {
      return this.fail(path, e);
    }
    try {
      let n = readSync(fd, scratch, 0, Math.min(CHUNK, max), null);
      if ((n < CHUNK && !multiRecord) || n === 0 || n >= max) return scratch.toString('utf8', 0, n);
      // Longer than one chunk: collect the rest (net tables, mountinfo, big environments).
      const parts: Buffer[] = [Buffer.from(scratch.subarray(0, n))];
      let total = n;
      while (total < max) {
        n = readSync(fd, scratch, 0, Math.min(CHUNK, max - total), null);
        if (n === 0) break;
        parts.push(Buffer.from(scratch.subarray(0, n)));
        total += n;
      }
      return Buffer.concat(parts, total).toString('utf8');
    } catch (e) {
      return this.fail(path, e);
    } finally {
      closeSync(fd);
    }
  }

  /** The target of a symlink (exe, cwd, root, fd/N, ns/net). */
  link(path: string): string | undefined {
    try {
      return readlinkSync(path);
    } catch (e) {
      return this.fail(path, e);
    }
  }

  /** Entry names of a directory. */
  list(path: string): string[] | undefined {
    try {
      return readdirSync(path);
    } catch (e) {
      return this.fail(path, e);
    }
  }

  /** stat() following links, with 64-bit inode numbers and nanosecond times. */
  stat(path: string): BigIntStats | undefined {
    try {
      return statSync(path, { bigint: true });
    } catch (e) {
      return this.fail(path, e);
    }
  }

  private fail(path: string, e: unknown): undefined {
    const code = errorCode(e);
    this.lastError = code;
    if (!GONE.has(code)) {
      const issue = { pid: this.pid, path, code, message: e instanceof Error ? e.message : String(e) };
      this.issues.push(issue);
      this.onIssue?.(issue);
    }
    return undefined;
  }
}

/** The errno name Node puts on a failed fs call (`ENOENT`, …), '' for anything else. */
export function errorCode(e: unknown): string {
  if (typeof e === 'object' && e !== null && 'code' in e && typeof e.code === 'string') return e.code;
  return '';
}
