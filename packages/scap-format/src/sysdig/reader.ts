// The sysdig/Falco .scap stream reader: bytes in (gzip or plain), CaptureRecords out. The bytes go
// through the gunzip it is given (gunzip.ts) into the block parser (parser.ts); this file only joins them
// and places a failure after every complete event before it.
import { ScapFormatError, ScapTruncatedError } from '../errors.js';
import type { CaptureRecord, CaptureStream } from '../source.js';
import { decoded, type Gunzip } from './gunzip.js';
import { SysdigParser, type SysdigParserOptions } from './parser.js';

export interface SysdigReadOptions extends SysdigParserOptions {
  /** The decompressor for a gzip capture (default: DecompressionStream; the Node entry passes nodeGunzip). */
  gunzip?: Gunzip;
}

/**
 * Reads a sysdig/Falco .scap capture. Yields `header` {format:'sysdig', version, gzip}, then for each
 * section a `metadata` record (tables reset) and `events` batches. A cut file yields every complete event
 * and then throws ScapTruncatedError; a contradiction throws ScapFormatError naming the offset in the
 * decompressed stream.
 */
export function readSysdigCapture(
  input: AsyncIterable<Uint8Array>,
  opts: SysdigReadOptions = {},
): CaptureStream {
  return {
    async *[Symbol.asyncIterator](): AsyncGenerator<CaptureRecord> {
      let gzip = false;
      let parser: SysdigParser | undefined;
      let decodedBytes = 0;
      try {
        const onGzip = (gz: boolean) => {
          gzip = gz;
        };
        for await (const chunk of decoded(input, onGzip, opts.gunzip)) {
          parser ??= new SysdigParser(gzip, opts);
          parser.push(chunk);
          decodedBytes += chunk.length;
          for (let r = parser.next(); r; r = parser.next()) yield r;
        }
      } catch (e) {
        if (!(e instanceof ScapFormatError)) throw e; // the input's own failure, passed on as is
        // A parser error names its offset; a gzip failure (offset -1) is placed at the end of what decoded.
        const gz = e.offset < 0;
        const msg = e.reason;
        const truncated = e instanceof ScapTruncatedError;
        if (!parser) throw truncated ? new ScapTruncatedError(msg, 0, 0) : new ScapFormatError(msg, 0);
        // Deliver every complete event read before the failure, then report it.
        yield* parser.salvage();
        if (!gz) throw e;
        if (!truncated) throw new ScapFormatError(msg, decodedBytes);
        const cut = parser.endError();
        throw cut
          ? new ScapTruncatedError(`${msg}; ${cut.reason}`, cut.offset, cut.trailingBytes)
          : new ScapTruncatedError(msg, decodedBytes, 0);
      }
      parser ??= new SysdigParser(gzip, opts);
      yield* parser.salvage();
      const cut = parser.endError();
      if (cut) throw cut;
    },
  };
}
