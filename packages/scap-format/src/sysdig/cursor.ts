// A bounds-checked cursor over one metadata block body. Metadata blocks are few and small next to the
// events, so this favours clear errors (with the absolute offset) over speed.
import { ScapFormatError } from '../errors.js';

const TWO32 = 4294967296;
const utf8 = new TextDecoder('utf-8', { fatal: false });

export class Cursor {
  private readonly dv: DataView;
  constructor(
    readonly bytes: Uint8Array,
    public pos: number,
    /** Exclusive end of what this cursor may read (a block body or one entry). */
    public end: number,
    /** Absolute offset of bytes[0] in the decompressed stream, for error messages. */
    private readonly base: number,
    private readonly what: string,
  ) {
    this.dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  get remaining(): number {
    return this.end - this.pos;
  }
  /** Absolute stream offset of the cursor position. */
  get offset(): number {
    return this.base + this.pos;
  }

  fail(msg: string, at = this.pos): never {
    throw new ScapFormatError(`${this.what}: ${msg}`, this.base + at);
  }

  need(n: number, field: string): void {
    if (this.pos + n > this.end)
      this.fail(`${field} overruns the ${this.what} (needs ${n} bytes, ${this.remaining} left)`);
  }

  u8(field: string): number {
    this.need(1, field);
    const v = this.dv.getUint8(this.pos);
    this.pos++;
    return v;
  }
  u16(field: string): number {
    this.need(2, field);
    const v = this.dv.getUint16(this.pos, true);
    this.pos += 2;
    return v;
  }
  u32(field: string): number {
    this.need(4, field);
    const v = this.dv.getUint32(this.pos, true);
    this.pos += 4;
    return v;
  }
  /** u64 as a number (exact below 2^53: sizes, counts, inodes). */
  u64(field: string): number {
    this.need(8, field);
    const v = this.dv.getUint32(this.pos + 4, true) * TWO32 + this.dv.getUint32(this.pos, true);
    this.pos += 8;
    return v;
  }
  /** i64 as a number (tids, pids, fds: exact within ±2^53; -1 stays -1). */
  i64(field: string): number {
    this.need(8, field);
    const v = this.dv.getInt32(this.pos + 4, true) * TWO32 + this.dv.getUint32(this.pos, true);
    this.pos += 8;
    return v;
  }
  big64(field: string): bigint {
    this.need(8, field);
    const v = this.dv.getBigUint64(this.pos, true);
    this.pos += 8;
    return v;
  }
  raw(n: number, field: string): Uint8Array {
    this.need(n, field);
    const v = this.bytes.subarray(this.pos, this.pos + n);
    this.pos += n;
    return v;
  }
  /** A u16 length prefix (the field's name is only put together for an error). */
  private len16(field: string): number {
    if (this.pos + 2 > this.end) this.need(2, `${field} length`);
    const v = this.dv.getUint16(this.pos, true);
    this.pos += 2;
    return v;
  }
  /** A u16-length-prefixed string (no NUL on disk; a stray trailing NUL is dropped). */
  str(field: string): string {
    const n = this.len16(field);
    this.need(n, field);
    const s = this.pos;
    this.pos += n;
    const b = this.bytes;
    let e = s + n;
    while (e > s && b[e - 1] === 0) e--;
    return e === s ? '' : utf8.decode(b.subarray(s, e));
  }
  /** A u16-length-prefixed NUL-separated list (args, env, cgroups). */
  strList(field: string): string[] {
    const n = this.len16(field);
    return splitNul(this.raw(n, field));
  }
}

/** Splits a NUL-separated list; one trailing NUL terminates the list rather than adding an empty item. */
export function splitNul(b: Uint8Array): string[] {
  if (b.length === 0) return [];
  const out: string[] = [];
  let s = 0;
  for (let i = 0; i < b.length; i++) {
    if (b[i] === 0) {
      out.push(utf8.decode(b.subarray(s, i)));
      s = i + 1;
    }
  }
  if (s < b.length) out.push(utf8.decode(b.subarray(s)));
  return out;
}
