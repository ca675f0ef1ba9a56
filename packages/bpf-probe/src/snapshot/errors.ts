// What can go wrong while reading /proc: one fatal error (the process list itself is unreadable) and the
// per-process problems that are recorded and skipped, because a busy box changes under a scan.

/** The snapshot cannot be taken at all: /proc (or the given procRoot) cannot be listed. */
export class ProcSnapshotError extends Error {
  override readonly name: string = 'ProcSnapshotError';
  constructor(
    message: string,
    /** The path that failed. */
    readonly path: string,
    /** The errno name (`ENOENT`, `EACCES`, …), or '' when the failure was not a system error. */
    readonly code: string,
  ) {
    super(`${message}: ${path}${code ? ` (${code})` : ''}`);
  }
}

/**
 * Something the snapshot could not read about one process, recorded instead of failing the snapshot.
 * Vanished processes and fds (ENOENT, ESRCH) are normal and not recorded; permission problems (EACCES,
 * EPERM: an unprivileged recorder, a hardened /proc) and unexpected errors are.
 */
export interface SnapshotIssue {
  /** The process the path belongs to; 0 for files of no process (meminfo, /etc/passwd, …). */
  pid: number;
  /** The path under procRoot that failed, e.g. `/proc/123/environ`. */
  path: string;
  code: string;
  message: string;
}
