// Typed errors of the readers and writers. Each names the byte offset where the input stopped making
// sense, so a user can tell a cut file from a corrupt one.

/** The input contradicts the format: bad magic, impossible length, CRC mismatch, unknown major version. */
export class ScapFormatError extends Error {
  override readonly name: string = 'ScapFormatError';
  /**
   * The message without the offset the constructor appends: to rebuild the error elsewhere (another
   * thread, another offset) or to quote it inside another without naming two offsets.
   */
  readonly reason: string;
  constructor(
    message: string,
    /** Byte offset in the (decompressed) input where the problem was found, or -1 if unknown. */
    readonly offset: number,
  ) {
    super(offset >= 0 ? `${message} (at byte offset ${offset})` : message);
    this.reason = message;
  }
}

/**
 * The input ended in the middle of a record: everything before `offset` was read and delivered.
 * A file cut by a crash or a full disk ends in this error; `scapkit recover` rewrites it whole.
 */
export class ScapTruncatedError extends ScapFormatError {
  override readonly name: string = 'ScapTruncatedError';
  constructor(
    message: string,
    offset: number,
    /** Bytes present after the last complete record. */
    readonly trailingBytes: number,
  ) {
    super(message, offset);
  }
}

/**
 * A chunk could not be decoded because the worker thread decoding it failed (it died, or could not
 * start): not the file's fault. Everything before `offset` was delivered.
 */
export class ScapDecodeWorkerError extends Error {
  override readonly name: string = 'ScapDecodeWorkerError';
  constructor(
    message: string,
    /** File offset of the chunk record that was being decoded. */
    readonly offset: number,
  ) {
    super(`${message} (decoding the chunk at byte offset ${offset})`);
  }
}

/**
 * The input is no capture at all: empty, or its first bytes are neither a scapkit trace's magic nor a
 * sysdig/Falco capture's (pcapng or gzip). Nothing in it can be read or recovered.
 */
export class NotACaptureError extends ScapFormatError {
  override readonly name: string = 'NotACaptureError';
  /** The file, when the input was opened by path. */
  path: string | undefined;
  constructor(message: string) {
    super(message, -1);
  }
}
