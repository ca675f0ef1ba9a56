// The output byte buffer that lines are rendered into: numbers, strings and copied bytes are written as
// UTF-8 at `pos`, growing the buffer when a write needs more room, so that printing an event builds no
// string. The owner (the CLI's stdout writer, a print sink) decides when the bytes written so far go out
// and may hand the writer a fresh buffer then (`reset`).

const utf8Encoder = new TextEncoder();
const utf8Decoder = new TextDecoder('utf-8');

/** Strings up to this long are copied char by char when ASCII; longer ones go through the encoder. */
const SHORT_STRING = 64;

const HEX_UPPER = new Uint8Array([...'0123456789ABCDEF'].map((c) => c.charCodeAt(0)));
const HEX_LOWER = new Uint8Array([...'0123456789abcdef'].map((c) => c.charCodeAt(0)));

/** The two ASCII digits of 0 … 99, at 2n and 2n + 1. */
const DIGIT_PAIRS = new Uint8Array(200).map(
  (_, i) => 48 + (i & 1 ? (i >> 1) % 10 : Math.floor((i >> 1) / 10)),
);

/** How many decimal digits a non-negative integer below 2^32 has. */
function decimalLength(n: number): number {
  if (n < 1e5) return n < 10 ? 1 : n < 100 ? 2 : n < 1e3 ? 3 : n < 1e4 ? 4 : 5;
  return n < 1e6 ? 6 : n < 1e7 ? 7 : n < 1e8 ? 8 : n < 1e9 ? 9 : 10;
}

/**
 * The last `len` (at most 8) decimal digits of `x` (below 1e8), zero-padded, into `b` ending before `end`:
 * int32 arithmetic throughout, so the divisions by constants compile to multiplications.
 */
function writeDigits8(b: Uint8Array, end: number, x: number, len: number): void {
  let p = end;
  let left = len;
  while (left >= 2) {
    const q = (x / 100) | 0;
    const r = (x - q * 100) << 1;
    b[--p] = DIGIT_PAIRS[r + 1] ?? 48;
    b[--p] = DIGIT_PAIRS[r] ?? 48;
    x = q;
    left -= 2;
  }
  if (left === 1) b[--p] = 48 + x - ((x / 10) | 0) * 10;
}

/** The last `len` decimal digits of `n` (below 2^32), zero-padded, into `b` ending before `end`. */
function writeDigits(b: Uint8Array, end: number, n: number, len: number): void {
  if (len <= 8) {
    writeDigits8(b, end, n | 0, len);
    return;
  }
  // The low eight digits, then the one or two above them.
  const hi = Math.floor(n / 1e8);
  writeDigits8(b, end, (n - hi * 1e8) | 0, 8);
  writeDigits8(b, end - 8, hi | 0, len - 8);
}

export class ByteWriter {
  /** The bytes; those before `pos` are written. Replaced (contents copied) when a write needs more room. */
  buf: Uint8Array;
  pos = 0;

  /** `alloc` makes each buffer (the first and those grown into): a Node Buffer for the CLI's stdout. */
  constructor(
    capacity = 1 << 12,
    private readonly alloc: (size: number) => Uint8Array = (size) => new Uint8Array(size),
  ) {
    this.buf = alloc(capacity);
  }

  /** Starts over in `buf` (the owner handed the old one on), or in the current buffer. */
  reset(buf: Uint8Array = this.buf): void {
    this.buf = buf;
    this.pos = 0;
  }

  /** Makes room for `n` more bytes. */
  room(n: number): void {
    if (this.pos + n > this.buf.length) this.grow(n);
  }

  private grow(n: number): void {
    const b = this.alloc(Math.max(this.buf.length * 2, this.pos + n));
    b.set(this.buf.subarray(0, this.pos));
    this.buf = b;
  }

  /** The text of the bytes [start, end), decoded as UTF-8. */
  text(start: number, end: number = this.pos): string {
    return end > start ? utf8Decoder.decode(this.buf.subarray(start, end)) : '';
  }

  byte(c: number): void {
    if (this.pos >= this.buf.length) this.grow(1);
    this.buf[this.pos++] = c;
  }

  /** Bytes [start, end) of `src`, as they are. */
  bytes(src: Uint8Array, start = 0, end = src.length): void {
    const n = end - start;
    if (n <= 0) return;
    if (this.pos + n > this.buf.length) this.grow(n);
    if (n <= 16) {
      const b = this.buf;
      let p = this.pos;
      for (let i = start; i < end; i++) b[p++] = src[i] ?? 0;
      this.pos = p;
    } else {
      this.buf.set(src.subarray(start, end), this.pos);
      this.pos += n;
    }
  }

  /** `s` as UTF-8, as Buffer.from(s) encodes it (a lone surrogate as U+FFFD). */
  str(s: string): void {
    const n = s.length;
    if (n > SHORT_STRING) {
      this.encode(s);
      return;
    }
    if (this.pos + n > this.buf.length) this.grow(n);
    const b = this.buf;
    let p = this.pos;
    for (let i = 0; i < n; i++) {
      const c = s.charCodeAt(i);
      if (c >= 0x80) {
        this.pos = p;
        this.encode(i === 0 ? s : s.slice(i));
        return;
      }
      b[p++] = c;
    }
    this.pos = p;
  }

  /** `s` through the UTF-8 encoder. */
  private encode(s: string): void {
    const most = s.length * 3;
    if (this.pos + most > this.buf.length) this.grow(most);
    this.pos += utf8Encoder.encodeInto(s, this.buf.subarray(this.pos)).written;
  }

  /** An integer as String(n) writes it; any other number through String. */
  num(n: number): void {
    if (n >>> 0 === n) this.uint32(n);
    else if (Number.isSafeInteger(n)) {
      if (n < 0) {
        this.byte(45);
        this.digits(-n);
      } else this.digits(n);
    } else this.str(String(n));
  }

  /** A non-negative integer below 2^32. */
  uint32(n: number): void {
    const len = decimalLength(n);
    if (this.pos + len > this.buf.length) this.grow(len);
    this.pos += len;
    writeDigits(this.buf, this.pos, n, len);
  }

  /** A non-negative safe integer. */
  private digits(n: number): void {
    if (n <= 0xffffffff) {
      this.uint32(n);
      return;
    }
    // High part first, then the low nine digits zero-padded.
    const hi = Math.floor(n / 1e9);
    this.digits(hi);
    this.padded(n - hi * 1e9, 9);
  }

  /** A non-negative integer below 2^32 zero-padded to `width` digits (more digits print whole). */
  padded(n: number, width: number): void {
    const len = Math.max(decimalLength(n), width);
    if (this.pos + len > this.buf.length) this.grow(len);
    this.pos += len;
    writeDigits(this.buf, this.pos, n, len);
  }

  /**
   * A non-negative integer below 2^32 in hexadecimal: at most `maxDigits` (the last ones), zero-padded
   * to `minDigits`.
   */
  hex(n: number, upper: boolean, maxDigits = 8, minDigits = 1): void {
    let len = 1;
    for (let x = n >>> 4; x !== 0; x >>>= 4) len++;
    if (len > maxDigits) len = maxDigits;
    if (len < minDigits) len = minDigits;
    if (this.pos + len > this.buf.length) this.grow(len);
    const digits = upper ? HEX_UPPER : HEX_LOWER;
    const b = this.buf;
    let p = this.pos + len;
    this.pos = p;
    let x = n;
    for (let i = 0; i < len; i++) {
      b[--p] = digits[x & 15] ?? 0;
      x >>>= 4;
    }
  }

  /** Two hex digits of a byte, lower case. */
  hex2(c: number): void {
    if (this.pos + 2 > this.buf.length) this.grow(2);
    this.buf[this.pos++] = HEX_LOWER[c >> 4] ?? 0;
    this.buf[this.pos++] = HEX_LOWER[c & 15] ?? 0;
  }
}

/** `s` in UTF-8: a constant piece of output, encoded once. */
export function utf8Bytes(s: string): Uint8Array {
  return utf8Encoder.encode(s);
}
