// Node's zlib as the sysdig reader's gunzip: it inflates on libuv's threadpool, off the main thread, for
// half the main thread's CPU of DecompressionStream (whose web-stream adapter costs as much as the
// inflating). openCaptureFile hands it to the reader. zlib is loaded on the first gunzip, not when
// @scapkit/scap-format/node is imported (most traces a tool opens are scapkit's, which never need it).
import type { Gunzip } from '../sysdig/gunzip.js';

/**
 * Output buffer of Node's zlib: one threadpool round trip per 256 KiB inflated instead of per 16 KiB (its
 * default); each round trip costs the main thread far more than the inflating of 16 KiB. The output of the
 * call that fails on a corrupt (not cut) stream is lost, so such a stream loses up to this much of what
 * precedes the damage; a cut stream loses nothing (its error comes after every piece was inflated).
 */
const NODE_GUNZIP_CHUNK = 256 << 10;

/** Node's zlib as a Gunzip for readSysdigCapture. */
export const nodeGunzip: Gunzip = () => {
  const z = process.getBuiltinModule('node:zlib').createGunzip({ chunkSize: NODE_GUNZIP_CHUNK });
  let failure: { e: unknown } | undefined;
  let finished = false;
  // A piece zlib fails in never gets its write callback: the failure settles it instead.
  let pendingWrite: { resolve: () => void; reject: (e: unknown) => void } | undefined;
  let onEnd: ((failure?: unknown) => void) | undefined;
  const settle = (e?: unknown): void => {
    if (finished) return;
    finished = true;
    const w = pendingWrite;
    pendingWrite = undefined;
    if (e !== undefined) w?.reject(e);
    else w?.resolve();
    onEnd?.(e);
  };
  z.on('error', (e) => {
    failure ??= { e };
    settle(e);
  });
  return {
    drain(chunk, end) {
      return new Promise<void>((resolve) => {
        onEnd = (f) => {
          end(f);
          resolve();
        };
        if (finished) onEnd(failure?.e);
        z.on('data', chunk);
        z.on('end', () => settle());
        z.on('close', () => settle(failure?.e));
      });
    },
    write(piece) {
      if (failure) return Promise.reject(failure.e);
      return new Promise<void>((resolve, reject) => {
        pendingWrite = { resolve, reject };
        z.write(piece, (err) => {
          if (pendingWrite?.resolve !== resolve) return;
          pendingWrite = undefined;
          if (err) reject(err);
          else resolve();
        });
      });
    },
    async close() {
      z.end();
    },
    // One turn of the event loop, so zlib's main-thread callback starts the next output buffer.
    turn: () =>
      new Promise<void>((resolve) => {
        setImmediate(resolve);
      }),
    abort(e) {
      failure ??= { e };
      z.destroy();
      settle(e);
    },
    cancel() {
      z.destroy();
      settle();
    },
  };
};
