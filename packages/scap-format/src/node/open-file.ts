// Opening a capture by path in Node: the format is sniffed from the file's first bytes, then read with
// the native codecs and the reading strategy that suits it (the readers themselves are browser-safe).
import { open } from 'node:fs/promises';
import type { ChunkCodec } from '../codec/types.js';
import { NotACaptureError } from '../errors.js';
import { openCapture, sniffCaptureFormat } from '../open.js';
import { readScapkit, type ScapkitReadOptions } from '../scapkit/reader.js';
import type { CaptureRecord, CaptureStream } from '../source.js';
import { readSysdigCapture } from '../sysdig/index.js';
import { type FileByteSourceOptions, fileByteSource } from './byte-source.js';
import { nativeLz4Codec } from './lz4-native.js';
import { nativeZstdCodec } from './zstd-native.js';

/** The native codecs installed here (zstd, LZ4), fastest first; the pure ones cover the rest. */
export function installedNativeCodecs(): ChunkCodec[] {
  return [nativeZstdCodec(), nativeLz4Codec()].filter((c): c is ChunkCodec => c !== undefined);
}

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
  if (format === 'sysdig') {
    // The sysdig reader copies what it keeps of its input: the byte source may reuse its buffers too.
    const reuse = opts.reuseBatchBuffers ?? false;
    yield* readSysdigCapture(fileByteSource(path, { ...opts, reuseBuffers: reuse }), {
      reuseBatchBuffers: reuse,
    });
  } else if (format === 'scapkit') {
    yield* readScapkit(fileByteSource(path, opts), withNative(opts));
  } else {
    // Followed, or no known format: the generic path says what is wrong with it (and this, which file).
    try {
      yield* openCapture(fileByteSource(path, opts), withNative(opts));
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
