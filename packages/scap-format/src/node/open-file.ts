// Opening a capture by path in Node: the format is sniffed from the file's first bytes, then read with
// the native codecs and the reading strategy that suits it (the readers themselves are browser-safe).
import { open, stat } from 'node:fs/promises';
import { NotACaptureError } from '../errors.js';
import { openCapture, sniffCaptureFormat } from '../open.js';
import { readScapkit, type ScapkitReadOptions } from '../scapkit/reader.js';
import type { CaptureRecord, CaptureStream } from '../source.js';
import { readSysdigCapture } from '../sysdig/index.js';
import { type FileByteSourceOptions, fileByteSource } from './byte-source.js';
import { sharedChunkDecoder } from './decode-pool.js';
import { nodeGunzip } from './gunzip.js';
import { installedNativeCodecs } from './native-codecs.js';

export { installedNativeCodecs };

function withNative(opts: ScapkitReadOptions): ScapkitReadOptions {
  const native = installedNativeCodecs();
  return native.length ? { ...opts, codecs: [...native, ...(opts.codecs ?? [])] } : opts;
}

export interface OpenCaptureFileOptions
  extends ScapkitReadOptions,
    Omit<FileByteSourceOptions, 'reuseBuffers'> {
  /**
   * The consumer keeps nothing of a batch once it asks for the next record (a printer, a counter): the
   * readers then reuse their read and batch buffers, so memory stays flat and little is allocated.
   */
  reuseBatchBuffers?: boolean;
  /**
   * Decode a scapkit trace's chunks on worker threads, ahead of the consumer (default: for files of
   * WORKER_MIN_BYTES or more, where starting the workers pays for itself).
   */
  workers?: boolean;
}

/**
 * From this size a scapkit trace is decoded on worker threads: starting them costs tens of milliseconds,
 * which a smaller file does not win back (bench/replay.bench.mjs measures both sides).
 */
export const WORKER_MIN_BYTES = 16 << 20;

/** The pool for a reader with these options (made on its first use), or undefined to decode inline. */
export function chunkDecoderFor(opts: ScapkitReadOptions & { workers?: boolean }, size: number) {
  const wanted = opts.workers ?? size >= WORKER_MIN_BYTES;
  // The shared pool checks CRCs and applies the default limits: other settings decode inline.
  return wanted && opts.verifyCrc !== false && !opts.limits ? sharedChunkDecoder() : undefined;
}

/**
 * Opens a scapkit trace or a sysdig/Falco .scap capture by path: THE way to read a capture file, for
 * commands and library callers alike (native codecs, reads ahead of the consumer).
 */
export function openCaptureFile(path: string, opts: OpenCaptureFileOptions = {}): CaptureStream {
  return { [Symbol.asyncIterator]: () => records(path, opts) };
}

async function* records(path: string, opts: OpenCaptureFileOptions): AsyncGenerator<CaptureRecord> {
  const format = opts.follow || opts.start ? undefined : await sniffFile(path);
  const size = format === 'scapkit' ? (await stat(path)).size : 0;
  if (format === 'sysdig') {
    // The sysdig reader copies what it keeps of its input: the byte source may reuse its buffers too.
    const reuse = opts.reuseBatchBuffers ?? false;
    yield* readSysdigCapture(fileByteSource(path, { ...opts, reuseBuffers: reuse }), {
      reuseBatchBuffers: reuse,
      gunzip: nodeGunzip,
    });
  } else if (format === 'scapkit') {
    const chunkDecoder = chunkDecoderFor(opts, size);
    yield* readScapkit(fileByteSource(path, opts), { ...withNative(opts), chunkDecoder });
  } else {
    // Followed, or no known format: the generic path says what is wrong with it (and this, which file).
    try {
      yield* openCapture(fileByteSource(path, opts), { ...withNative(opts), gunzip: nodeGunzip });
    } catch (e) {
      if (e instanceof NotACaptureError) e.path ??= path;
      throw e;
    }
  }
}

/** The format the first bytes of `path` announce (undefined for an empty or unknown file). */
export async function sniffFile(path: string): Promise<'scapkit' | 'sysdig' | undefined> {
  const fh = await open(path, 'r');
  try {
    const head = new Uint8Array(16);
    const { bytesRead } = await fh.read(head, 0, head.length, 0);
    return sniffCaptureFormat(head.subarray(0, bytesRead));
  } finally {
    await fh.close();
  }
}

/** Reads a scapkit trace by path as a stream (no footer needed: works on cut and growing files). */
export function readScapkitFile(
  path: string,
  opts: FileByteSourceOptions & ScapkitReadOptions = {},
): CaptureStream {
  return readScapkit(fileByteSource(path, opts), withNative(opts));
}
