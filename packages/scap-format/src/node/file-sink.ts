// createFileSink: the ByteSink a recorder writes a trace file through. It never follows a symlink at the
// target path (O_NOFOLLOW with O_EXCL: the file it writes is one it created), replaces an existing path
// only when that is a regular file, and turns ENOSPC/EIO and friends into an error naming the file.
import { constants } from 'node:fs';
import { type FileHandle, lstat, open, unlink } from 'node:fs/promises';
import type { ByteSink } from '../scapkit/sink.js';

const REASONS: Record<string, string> = {
  ENOSPC: 'no space left on device',
  EDQUOT: 'disk quota exceeded',
  EIO: 'I/O error',
  EFBIG: 'file too large',
  EROFS: 'read-only file system',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  ELOOP: 'the path is a symbolic link',
  ENOENT: 'no such directory',
  EISDIR: 'is a directory',
};

/** A trace file could not be created or written; `code` is the errno name (ENOSPC, EIO, …). */
export class FileWriteError extends Error {
  override readonly name = 'FileWriteError';
  constructor(
    readonly path: string,
    readonly code: string,
    readonly op: string,
    detail?: string,
  ) {
    super(`cannot ${op} trace file ${path}: ${detail ?? REASONS[code] ?? code} (${code})`);
  }
}

export interface FileSinkOptions {
  /** Permission bits of the new file (default 0o600: traces hold arguments, paths and environment). */
  mode?: number;
  /** Replace an existing regular file at the path (default true); never anything else. */
  overwrite?: boolean;
}

export interface FileSink extends ByteSink {
  readonly path: string;
  /** Bytes written so far. */
  readonly bytesWritten: number;
}

const codeOf = (e: unknown): string => (e as NodeJS.ErrnoException).code ?? 'EUNKNOWN';

/** Creates the file at `path` (mode 0o600 by default) and returns a sink that writes it in order. */
export async function createFileSink(path: string, opts: FileSinkOptions = {}): Promise<FileSink> {
  const mode = opts.mode ?? 0o600;
  const flags = constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW;
  let fh: FileHandle | undefined;
  for (let attempt = 0; !fh; attempt++) {
    try {
      fh = await open(path, flags, mode);
    } catch (e) {
      const code = codeOf(e);
      if (code !== 'EEXIST' || opts.overwrite === false || attempt >= 3)
        throw new FileWriteError(path, code, 'create');
      // Something is there. Remove it only if it is a regular file; a symlink, directory, fifo or device
      // is left alone. O_EXCL on the retry fails again if someone puts a symlink back in between.
      try {
        const st = await lstat(path);
        if (!st.isFile()) {
          const kind = st.isSymbolicLink()
            ? 'a symbolic link'
            : st.isDirectory()
              ? 'a directory'
              : 'not a regular file';
          throw new FileWriteError(
            path,
            'EEXIST',
            'create',
            `the path exists and is ${kind}; refusing to replace it`,
          );
        }
        await unlink(path);
      } catch (e2) {
        if (e2 instanceof FileWriteError) throw e2;
        if (codeOf(e2) !== 'ENOENT') throw new FileWriteError(path, codeOf(e2), 'replace');
      }
    }
  }
  const handle = fh;
  let written = 0;
  let closed = false;
  return {
    path,
    get bytesWritten() {
      return written;
    },
    async write(bytes: Uint8Array): Promise<void> {
      if (closed) throw new FileWriteError(path, 'EBADF', 'write', 'the sink is closed');
      let p = 0;
      try {
        // At an explicit position: after a truncate() the file position would still be past the cut.
        while (p < bytes.length) {
          const { bytesWritten } = await handle.write(bytes, p, bytes.length - p, written + p);
          p += bytesWritten;
        }
      } catch (e) {
        throw new FileWriteError(path, codeOf(e), 'write');
      } finally {
        written += p;
      }
      // A file deleted while it is written (a clean-up job, a mistaken rm) takes everything with it when
      // the writer closes it: say so at the next write (about once a second), not after hours of writing
      // into a file nobody can open. A rename keeps the data and is not an error.
      let links: number;
      try {
        links = (await handle.stat()).nlink;
      } catch (e) {
        throw new FileWriteError(path, codeOf(e), 'write');
      }
      if (links === 0)
        throw new FileWriteError(
          path,
          'ENOENT',
          'write',
          'the file was deleted while it was being written, and what was written went with it',
        );
    },
    async truncate(length: number): Promise<void> {
      try {
        await handle.truncate(length);
      } catch (e) {
        throw new FileWriteError(path, codeOf(e), 'truncate');
      }
      written = length;
    },
    async close(): Promise<void> {
      if (closed) return;
      closed = true;
      try {
        // Delayed write errors (ENOSPC, EIO on writeback) surface here, not at write().
        await handle.datasync();
      } catch (e) {
        await handle.close().catch(() => undefined);
        throw new FileWriteError(path, codeOf(e), 'flush');
      }
      try {
        await handle.close();
      } catch (e) {
        throw new FileWriteError(path, codeOf(e), 'close');
      }
    },
  };
}
