// Push bytes in, pull records out: the framing layer of the scapkit stream reader and of recover. It
// holds at most one incomplete record; a record is handed out only when all of its bytes are here, so a
// short read is a state (wait for more), and only a contradiction (bad magic, impossible length) throws.
import { ScapFormatError, ScapTruncatedError } from '../errors.js';
import { PREAMBLE_SIZE, RECORD_HEADER_SIZE, type ScapkitLimits } from './constants.js';
import { checkMagic, maxBodyLength, type Preamble, parsePreamble } from './records.js';

export interface RawRecord {
  type: number;
  /** File offset of the record's type byte. */
  offset: number;
  /** The body: a view valid until the next push(). */
  body: Uint8Array;
  /** The whole record, header included (same lifetime as body). */
  bytes: Uint8Array;
}

export class RecordScanner {
  preamble: Preamble | undefined;
  /**
   * A record completed by the last push, copied out on its own so the rest of that push is read in place
   * (else, once one record straddles two pushes, every later byte would be copied). Stream reading only.
   */
  private staged: Uint8Array | undefined;
  private stagedOffset = 0;
  private buf: Uint8Array = new Uint8Array(0);
  private start = 0;
  private end = 0;
  /** Whether `buf` is ours to append into (else it is the caller's last pushed array). */
  private owned = false;
  /** File offset of buf[start]. */
  private base = 0;

  /** `stage`: copy only a straddling record (fast); recover turns it off to rescan with unread/skip. */
  constructor(
    private readonly limits: ScapkitLimits,
    private readonly stage = true,
  ) {}

  /** File offset of the first byte not yet handed out. */
  get offset(): number {
    return this.staged ? this.stagedOffset : this.base;
  }
  /** Bytes received but not yet handed out. */
  get buffered(): number {
    return (this.staged?.length ?? 0) + this.end - this.start;
  }

  push(bytes: Uint8Array): void {
    if (bytes.length === 0) return;
    const left = this.end - this.start;
    if (left === 0) {
      // Nothing pending: read records straight out of the caller's array, without copying.
      this.buf = bytes;
      this.start = 0;
      this.end = bytes.length;
      this.owned = false;
      return;
    }
    if (this.stage && !this.staged && this.preamble && left >= RECORD_HEADER_SIZE) {
      const total = RECORD_HEADER_SIZE + this.bodyLength(this.start);
      if (
        total - left <= bytes.length &&
        total - RECORD_HEADER_SIZE <= maxBodyLength(this.buf[this.start] ?? 0, this.limits)
      ) {
        const rec = new Uint8Array(total);
        rec.set(this.buf.subarray(this.start, this.end));
        rec.set(bytes.subarray(0, total - left), left);
        this.staged = rec;
        this.stagedOffset = this.base;
        this.base += total;
        this.buf = bytes;
        this.start = total - left;
        this.end = bytes.length;
        this.owned = false;
        return;
      }
    }
    if (this.owned && this.buf.length - this.end >= bytes.length) {
      this.buf.set(bytes, this.end);
      this.end += bytes.length;
      return;
    }
    const need = left + bytes.length;
    let size = this.owned ? this.buf.length : 1 << 16;
    while (size < need) size *= 2;
    const nb = this.owned && size === this.buf.length ? this.buf : new Uint8Array(size);
    if (nb === this.buf) nb.copyWithin(0, this.start, this.end);
    else nb.set(this.buf.subarray(this.start, this.end), 0);
    nb.set(bytes, left);
    this.buf = nb;
    this.start = 0;
    this.end = need;
    this.owned = true;
  }

  /** The next complete record, or undefined until more bytes are pushed. */
  next(): RawRecord | undefined {
    if (this.staged) {
      const b = this.staged;
      this.staged = undefined;
      return { type: b[0] ?? 0, offset: this.stagedOffset, body: b.subarray(RECORD_HEADER_SIZE), bytes: b };
    }
    const avail = this.end - this.start;
    if (!this.preamble) {
      if (avail < PREAMBLE_SIZE) {
        // Reject a wrong magic as soon as its bytes arrive, not only at the 16th byte.
        if (avail > 0) checkMagic(this.buf.subarray(this.start, this.end));
        return undefined;
      }
      this.preamble = parsePreamble(this.buf.subarray(this.start, this.start + PREAMBLE_SIZE));
      this.consume(PREAMBLE_SIZE);
      return this.next();
    }
    if (avail < RECORD_HEADER_SIZE) return undefined;
    const b = this.buf;
    const s = this.start;
    const type = b[s] ?? 0;
    const len = this.bodyLength(s);
    const max = maxBodyLength(type, this.limits);
    if (len > max) {
      throw new ScapFormatError(
        `record of type 0x${type.toString(16)} declares ${len} bytes, limit ${max}`,
        this.base + 1,
      );
    }
    if (avail < RECORD_HEADER_SIZE + len) return undefined;
    const rec: RawRecord = {
      type,
      offset: this.base,
      body: b.subarray(s + RECORD_HEADER_SIZE, s + RECORD_HEADER_SIZE + len),
      bytes: b.subarray(s, s + RECORD_HEADER_SIZE + len),
    };
    this.consume(RECORD_HEADER_SIZE + len);
    return rec;
  }

  /** The next `n` bytes after the preamble without consuming them, or undefined until they are here. */
  peek(n: number): Uint8Array | undefined {
    if (!this.preamble || this.end - this.start < n) return undefined;
    return this.buf.subarray(this.start, this.start + n);
  }

  /** Drops `n` bytes without reading them (recover's resynchronisation; needs stage = false). */
  skip(n: number): void {
    this.consume(Math.min(n, this.end - this.start));
  }

  /** The error for input that ended here: nothing pending and no trailer means the file was cut too. */
  truncated(what: string): ScapTruncatedError {
    return new ScapTruncatedError(
      `${what}: the input ends ${this.buffered ? `${this.buffered} bytes into an incomplete record` : 'between records, before the footer'}`,
      this.base,
      this.buffered,
    );
  }

  /** Puts back the `n` bytes of the record just handed out (before any push; needs stage = false). */
  unread(n: number): void {
    this.start -= n;
    this.base -= n;
  }

  private bodyLength(at: number): number {
    const b = this.buf;
    return new DataView(b.buffer, b.byteOffset + at + 1, 4).getUint32(0, true);
  }

  private consume(n: number): void {
    this.start += n;
    this.base += n;
  }
}
