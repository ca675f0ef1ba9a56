// I/O buffers (read and write data, execve's args and env, …) as sysdig prints them, in the five forms
// of its buffer flags: printable bytes with dots for the others (the default), printable ASCII with the
// line breaks kept (-A), hex (-x), hex and ASCII (-X) and base64 (-b). Each follows libsinsp 0.29.3's
// binary_buffer_to_*_string byte for byte, quirks included (see the notes in each function).

/** How buffers print: sysdig's PF_NORMAL, PF_EOLS (-A), PF_HEX (-x), PF_HEXASCII (-X), PF_BASE64 (-b). */
export type BufferFormat = 'dots' | 'ascii' | 'hex' | 'hexascii' | 'base64';

/** sysdig cuts default-form buffers to this many characters, the last three being `...` (not with -v). */
export const MAX_BUFFER_OUTPUT = 80;

import { ByteWriter } from './byte-writer.js';

/** C's isprint in the C locale. */
const printable = (c: number): boolean => c >= 0x20 && c < 0x7f;

/** Each byte as the default form shows it: printable ASCII as is, anything else as `.`. */
const DOTS = new Uint8Array(256).map((_, c) => (printable(c) ? c : 0x2e));

/** The `n` bytes at `off`: printable ones as is, everything else as `.` (sysdig's default buffer form). */
function writeDots(w: ByteWriter, b: Uint8Array, off: number, n: number): void {
  w.room(n);
  const out = w.buf;
  let p = w.pos;
  for (let i = off; i < off + n; i++) out[p++] = DOTS[b[i] ?? 0] ?? 0x2e;
  w.pos = p;
}

/**
 * -A: a line break first, then the printable bytes; CR becomes a line break, LF is kept unless it follows
 * a CR (so CRLF is one break) or is the buffer's first byte; every other byte is dropped.
 */
function writeAscii(w: ByteWriter, b: Uint8Array): void {
  w.room(b.length + 1);
  w.byte(0x0a);
  let prev = -1;
  for (const c of b) {
    if (printable(c)) w.byte(c);
    else if (c === 0x0d) w.byte(0x0a);
    else if (c === 0x0a && prev >= 0 && prev !== 0x0d) w.byte(0x0a);
    prev = c;
  }
}

const ROW_PREFIX = [0x0a, 0x09, 0x30, 0x78]; // `\n\t0x`

/**
 * -x / -X: rows of 16 bytes, each `\n\t0xOFFS:` then the bytes in 16-bit groups (a last odd byte on its
 * own), and with -X the row padded to eight groups of five columns and its bytes as dots; a line break
 * after the last row. The padding counts groups, not columns, so a row that ends on an odd byte has its
 * ASCII part two columns to the left, as in sysdig.
 */
function writeHex(w: ByteWriter, b: Uint8Array, withAscii: boolean): void {
  const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
  for (let row = 0; row < b.length; row += 16) {
    for (const c of ROW_PREFIX) w.byte(c);
    if (row > 0xffff) w.hex(row >>> 16, false);
    w.hex2((row >>> 8) & 0xff);
    w.hex2(row & 0xff);
    w.byte(0x3a);
    const end = Math.min(row + 16, b.length);
    let groups = 0;
    for (let i = row; i < end; i += 2) {
      w.byte(0x20);
      w.hex2(dv.getUint8(i));
      if (i + 1 < end) w.hex2(dv.getUint8(i + 1));
      groups++;
    }
    if (withAscii) {
      for (let k = 5 * (8 - groups) + 2; k > 0; k--) w.byte(0x20);
      for (let i = row; i < end; i++) w.byte(DOTS[dv.getUint8(i)] ?? 0x2e);
    }
  }
  w.byte(0x0a);
}

const B64 = new Uint8Array(
  [...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/'].map((c) => c.charCodeAt(0)),
);
const b64 = (x: number): number => B64[x & 63] ?? 0;

/** -b: standard base64 with `=` padding (written out here: the package runs in browsers as in Node). */
function writeBase64(w: ByteWriter, b: Uint8Array): void {
  const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
  w.room(Math.ceil(b.length / 3) * 4);
  let i = 0;
  for (; i + 2 < b.length; i += 3) {
    const t = (dv.getUint8(i) << 16) | (dv.getUint8(i + 1) << 8) | dv.getUint8(i + 2);
    w.byte(b64(t >> 18));
    w.byte(b64(t >> 12));
    w.byte(b64(t >> 6));
    w.byte(b64(t));
  }
  const rest = b.length - i;
  if (rest === 0) return;
  const t = (dv.getUint8(i) << 16) | (rest === 2 ? dv.getUint8(i + 1) << 8 : 0);
  w.byte(b64(t >> 18));
  w.byte(b64(t >> 12));
  w.byte(rest === 2 ? b64(t >> 6) : 0x3d);
  w.byte(0x3d);
}

/**
 * Writes the `len` bytes at `off` of `data`, a buffer, in `format`. Only the default form is ever cut: to `max` characters (0: never), the
 * last three being `...`, when the buffer is longer than that (sysdig cuts PF_NORMAL only, so JSON, -A,
 * -x, -X and -b always print whole buffers). An empty buffer prints as nothing in every form.
 */
export function writeBuffer(
  w: ByteWriter,
  data: Uint8Array,
  off: number,
  len: number,
  format: BufferFormat,
  max: number,
): void {
  if (len <= 0) return;
  if (format === 'dots') {
    if (max > 0 && len > max) {
      writeDots(w, data, off, max - 3);
      w.byte(0x2e);
      w.byte(0x2e);
      w.byte(0x2e);
    } else writeDots(w, data, off, len);
    return;
  }
  const b = data.subarray(off, off + len);
  switch (format) {
    case 'ascii':
      writeAscii(w, b);
      return;
    case 'hex':
      writeHex(w, b, false);
      return;
    case 'hexascii':
      writeHex(w, b, true);
      return;
    case 'base64':
      writeBase64(w, b);
      return;
  }
}

const scratch = new ByteWriter();

/** writeBuffer's text. */
export function renderBuffer(b: Uint8Array, format: BufferFormat, max: number): string {
  scratch.reset();
  writeBuffer(scratch, b, 0, b.length, format, max);
  return scratch.text(0);
}
