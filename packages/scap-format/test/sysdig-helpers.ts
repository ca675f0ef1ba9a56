// Test helpers for the sysdig reader/writer tests: a deliberately naive block walker written from the
// format notes (not from the code under test), chunked inputs, and record collection.
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { CAPTURES_DIR } from '../../../test/support/captures.mjs';
import type { CaptureRecord, CaptureStream } from '../src/source.js';

export const CAPTURES = `${CAPTURES_DIR}/`;

export const raw = (name: string): Buffer => readFileSync(`${CAPTURES}${name}.scap`);
/** The decompressed bytes of a capture (plain ones as they are). */
export const plain = (name: string): Buffer => {
  const b = raw(name);
  return b[0] === 0x1f && b[1] === 0x8b ? gunzipSync(b) : b;
};

export async function* chunks(b: Uint8Array, size = 1 << 16): AsyncGenerator<Uint8Array> {
  for (let i = 0; i < b.length; i += size) yield b.subarray(i, Math.min(b.length, i + size));
}

export interface Collected {
  recs: CaptureRecord[];
  events: number;
  err?: unknown;
}

export async function collect(stream: CaptureStream): Promise<Collected> {
  const recs: CaptureRecord[] = [];
  let events = 0;
  try {
    for await (const r of stream) {
      recs.push(r);
      if (r.kind === 'events') events += r.batch.count;
    }
  } catch (err) {
    return { recs, events, err };
  }
  return { recs, events };
}

/** All framed events of the collected batches, concatenated: equal bytes = equal events, cpus and flags. */
export function eventBytes(recs: CaptureRecord[]): Buffer {
  return Buffer.concat(
    recs.flatMap((r) =>
      r.kind === 'events'
        ? [Buffer.from(r.batch.data.buffer, r.batch.data.byteOffset, r.batch.data.byteLength)]
        : [],
    ),
  );
}

const EVENT_BLOCKS = new Set([0x204, 0x8010abcd, 0x216, 0x221, 0x208, 0x217, 0x222]);

export interface Block {
  type: number;
  start: number;
  end: number;
  isEvent: boolean;
}

/** Walks the blocks by their header lengths only. */
export function walk(b: Uint8Array): Block[] {
  const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const out: Block[] = [];
  for (let p = 0; p + 8 <= b.length; ) {
    const type = dv.getUint32(p, true);
    const len = dv.getUint32(p + 4, true);
    if (len < 12 || p + len > b.length) break;
    out.push({ type, start: p, end: p + len, isEvent: EVENT_BLOCKS.has(type) });
    p += len;
  }
  return out;
}

/** Entry counts of the V2 metadata lists, by their per-entry lengths (V2 lists only). */
export function countV2Lists(b: Uint8Array): {
  threads: number;
  fds: number;
  users: number;
  groups: number;
  interfaces: number;
} {
  const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const n = { threads: 0, fds: 0, users: 0, groups: 0, interfaces: 0 };
  for (const blk of walk(b)) {
    const bodyEnd = blk.end - 4;
    let p = blk.start + 8;
    if (blk.type === 0x215) {
      for (; bodyEnd - p >= 4; p += dv.getUint32(p, true)) n.threads++;
    } else if (blk.type === 0x218) {
      for (p += 8; bodyEnd - p >= 4; p += dv.getUint32(p, true)) n.fds++;
    } else if (blk.type === 0x220) {
      for (; bodyEnd - p >= 4; p += dv.getUint32(p, true)) {
        if (b[p + 4] === 0) n.users++;
        else n.groups++;
      }
    } else if (blk.type === 0x219) {
      for (; bodyEnd - p >= 4; p += 4 + dv.getUint32(p, true)) n.interfaces++;
    }
  }
  return n;
}

/** A block around `body` (padded to 4, with trailer). */
export function block(type: number, body: Uint8Array): Uint8Array {
  const pad = (4 - (body.length & 3)) & 3;
  const total = 12 + body.length + pad;
  const out = new Uint8Array(total);
  const dv = new DataView(out.buffer);
  dv.setUint32(0, type, true);
  dv.setUint32(4, total, true);
  out.set(body, 8);
  dv.setUint32(total - 4, total, true);
  return out;
}

/** Little-endian byte writer for hand-made blocks. */
export class Bytes {
  private parts: number[] = [];
  u8(v: number): this {
    this.parts.push(v & 0xff);
    return this;
  }
  u16(v: number): this {
    return this.u8(v).u8(v >>> 8);
  }
  u32(v: number): this {
    return this.u16(v & 0xffff).u16(v >>> 16);
  }
  u64(v: number | bigint): this {
    const x = BigInt.asUintN(64, BigInt(v));
    return this.u32(Number(x & 0xffffffffn)).u32(Number(x >> 32n));
  }
  raw(b: ArrayLike<number>): this {
    for (let i = 0; i < b.length; i++) this.parts.push(b[i]!);
    return this;
  }
  str(s: string): this {
    const b = new TextEncoder().encode(s);
    return this.u16(b.length).raw(b);
  }
  get length(): number {
    return this.parts.length;
  }
  done(): Uint8Array {
    return Uint8Array.from(this.parts);
  }
}

/** SHB with the given minor version and optional option bytes. */
export function shb(minor: number, options: Uint8Array = new Uint8Array(0)): Uint8Array {
  return block(0x0a0d0d0a, new Bytes().u32(0x1a2b3c4d).u16(1).u16(minor).u64(-1).raw(options).done());
}

export const concat = (...xs: Uint8Array[]): Uint8Array => {
  const out = new Uint8Array(xs.reduce((a, x) => a + x.length, 0));
  let p = 0;
  for (const x of xs) {
    out.set(x, p);
    p += x.length;
  }
  return out;
};
