// The framing of a chunk's events (scapkit/chunk-record.ts): a chunk whose events do not fill exactly its
// raw bytes with exactly its event count fails with the message and offset that name what is wrong.
import { describe, expect, it } from 'vitest';
import { codecTable, DEFAULT_LIMITS, decodeChunk, parseChunkHeader, ScapFormatError } from '../src/index.js';
import { encodeChunkHead } from '../src/scapkit/records.js';
import { concat as cat } from './sysdig-helpers.js';

/** A framed event of `len` bytes (its u16 cpu, u16 flags, then a 26-byte header saying `len`). */
function event(len: number): Uint8Array {
  const b = new Uint8Array(4 + len);
  new DataView(b.buffer).setUint32(4 + 16, len, true);
  return b;
}

/** Decodes an uncompressed chunk of `raw` declaring `count` events, as the reader at offset 1000 would. */
function decode(raw: Uint8Array, count: number) {
  const head = encodeChunkHead(0, count, raw.length, raw, 1n, 2n);
  const body = new Uint8Array(head.length - 5 + raw.length);
  body.set(head.subarray(5));
  body.set(raw, head.length - 5);
  const h = parseChunkHeader(body, 1000, DEFAULT_LIMITS);
  return decodeChunk(body, h, 1000, codecTable(), true);
}

function failure(raw: Uint8Array, count: number): ScapFormatError {
  try {
    decode(raw, count);
  } catch (e) {
    if (e instanceof ScapFormatError) return e;
    throw e;
  }
  throw new Error('decoded');
}

describe('chunk framing', () => {
  it('frames well-formed events', () => {
    const b = decode(cat(event(26), event(40), event(30)), 3);
    expect(b.count).toBe(3);
    expect([...b.offsets]).toEqual([4, 34, 78]);
  });

  it('names an event longer than the bytes left', () => {
    const raw = cat(event(26), event(40), event(30));
    new DataView(raw.buffer).setUint32(34 + 16, 100, true);
    expect(failure(raw, 3).message).toBe(
      'event 1 of chunk has length 100, 74 bytes left (at byte offset 1005)',
    );
  });

  it('names a header count above the events there are', () => {
    const raw = cat(event(26), event(40), new Uint8Array(20));
    expect(failure(raw, 3).message).toBe('chunk holds 2 events, header says 3 (at byte offset 1005)');
  });

  it('names bytes after the last event', () => {
    const raw = cat(event(26), event(40), new Uint8Array(30));
    expect(failure(raw, 2).message).toBe(
      'chunk events end at raw byte 74, raw length is 104 (at byte offset 1005)',
    );
  });
});
