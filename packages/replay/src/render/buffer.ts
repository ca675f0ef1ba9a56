// I/O buffers (read and write data, execve's args and env, …) as sysdig prints them, in the five forms
// of its buffer flags: printable bytes with dots for the others (the default), printable ASCII with the
// line breaks kept (-A), hex (-x), hex and ASCII (-X) and base64 (-b). Each follows libsinsp 0.29.3's
// binary_buffer_to_*_string byte for byte, quirks included (see the notes in each function).

/** How buffers print: sysdig's PF_NORMAL, PF_EOLS (-A), PF_HEX (-x), PF_HEXASCII (-X), PF_BASE64 (-b). */
export type BufferFormat = 'dots' | 'ascii' | 'hex' | 'hexascii' | 'base64';

/** sysdig cuts default-form buffers to this many characters, the last three being `...` (not with -v). */
export const MAX_BUFFER_OUTPUT = 80;

/** C's isprint in the C locale. */
const printable = (c: number): boolean => c >= 0x20 && c < 0x7f;

/** Each byte as the default form shows it: printable ASCII as is, anything else as `.`. */
const DOTS = new Uint8Array(256).map((_, c) => (printable(c) ? c : 0x2e));
let dotsScratch = new Uint8Array(256);
// Every byte the table yields is ASCII, which latin1 decodes one to one: one flat string per buffer
// instead of a concatenation per byte.
const latin1 = new TextDecoder('latin1');

/** Printable bytes as is, everything else as `.` (sysdig's default buffer form). */
export function bufferToDots(b: Uint8Array, max = Number.POSITIVE_INFINITY): string {
  const n = Math.min(b.length, max);
  if (n > dotsScratch.length) dotsScratch = new Uint8Array(Math.max(n, dotsScratch.length * 2));
  const out = dotsScratch;
  for (let i = 0; i < n; i++) out[i] = DOTS[b[i]!]!;
  return latin1.decode(out.subarray(0, n));
}

/**
 * -A: a line break first, then the printable bytes; CR becomes a line break, LF is kept unless it follows
 * a CR (so CRLF is one break) or is the buffer's first byte; every other byte is dropped.
 */
function bufferToAscii(b: Uint8Array): string {
  let s = '\n';
  for (let i = 0; i < b.length; i++) {
    const c = b[i]!;
    if (printable(c)) s += String.fromCharCode(c);
    else if (c === 0x0d) s += '\n';
    else if (c === 0x0a && i > 0 && b[i - 1] !== 0x0d) s += '\n';
  }
  return s;
}

const HEX = '0123456789abcdef';
const hex2 = (c: number): string => HEX[c >> 4]! + HEX[c & 15]!;

/**
 * -x / -X: rows of 16 bytes, each `\n\t0xOFFS:` then the bytes in 16-bit groups (a last odd byte on its
 * own), and with -X the row padded to eight groups of five columns and its bytes as dots; a line break
 * after the last row. The padding counts groups, not columns, so a row that ends on an odd byte has its
 * ASCII part two columns to the left, as in sysdig.
 */
function bufferToHex(b: Uint8Array, withAscii: boolean): string {
  let s = '';
  for (let row = 0; row < b.length; row += 16) {
    s += `\n\t0x${row.toString(16).padStart(4, '0')}:`;
    const end = Math.min(row + 16, b.length);
    let groups = 0;
    for (let i = row; i < end; i += 2) {
      s += i + 1 < end ? ` ${hex2(b[i]!)}${hex2(b[i + 1]!)}` : ` ${hex2(b[i]!)}`;
      groups++;
    }
    if (withAscii) {
      s += '     '.repeat(8 - groups);
      s += '  ';
      for (let i = row; i < end; i++) s += printable(b[i]!) ? String.fromCharCode(b[i]!) : '.';
    }
  }
  return `${s}\n`;
}

const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

/** -b: standard base64 with `=` padding (written out here: the package runs in browsers as in Node). */
function bufferToBase64(b: Uint8Array): string {
  let s = '';
  let i = 0;
  for (; i + 2 < b.length; i += 3) {
    const t = (b[i]! << 16) | (b[i + 1]! << 8) | b[i + 2]!;
    s += B64[t >> 18]! + B64[(t >> 12) & 63]! + B64[(t >> 6) & 63]! + B64[t & 63]!;
  }
  const rest = b.length - i;
  if (rest === 1) {
    const t = b[i]! << 16;
    s += `${B64[t >> 18]!}${B64[(t >> 12) & 63]!}==`;
  } else if (rest === 2) {
    const t = (b[i]! << 16) | (b[i + 1]! << 8);
    s += `${B64[t >> 18]!}${B64[(t >> 12) & 63]!}${B64[(t >> 6) & 63]!}=`;
  }
  return s;
}

/**
 * A buffer in `format`. Only the default form is ever cut: to `max` characters (0: never), the last three
 * being `...`, when the buffer is longer than that (sysdig cuts PF_NORMAL only, so JSON, -A, -x, -X and
 * -b always print whole buffers). An empty buffer prints as nothing in every form.
 */
export function renderBuffer(b: Uint8Array, format: BufferFormat, max: number): string {
  if (b.length === 0) return '';
  switch (format) {
    case 'dots':
      if (max > 0 && b.length > max) return `${bufferToDots(b, max - 3)}...`;
      return bufferToDots(b);
    case 'ascii':
      return bufferToAscii(b);
    case 'hex':
      return bufferToHex(b, false);
    case 'hexascii':
      return bufferToHex(b, true);
    case 'base64':
      return bufferToBase64(b);
  }
}
