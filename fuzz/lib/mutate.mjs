// @ts-check
// Mutators: generic byte-level damage (bit flips, byte sets, interesting words, cuts, deletions,
// duplications, splices) and structure-aware damage for the two formats, found with the independent
// walkers of walk.mjs: inflated block / record / event / parameter / chunk / msgpack lengths, duplicated,
// reordered and dropped blocks and chunks, bad CRCs, decompression bombs. Structure mutators re-sign what
// they touch (CRC32C) most of the time, since a CRC mismatch would otherwise stop the reader before the
// damage reaches the deeper parsers.
import {
  crc32c,
  SK,
  SK_CHUNK_HEADER,
  SK_RECORD_HEADER,
  SYSDIG_EVENT_BLOCKS,
  SYSDIG_FLAG_BLOCKS,
  SYSDIG_META_BLOCKS,
  SYSDIG_SHB,
  SYSDIG_V2_BLOCKS,
  walkFramed,
  walkScapkit,
  walkSysdig,
} from './walk.mjs';

/**
 * @typedef {import('./prng.mjs').Rng} Rng
 * @typedef {{ id: number, compress(raw: Uint8Array): Uint8Array, decompress(src: Uint8Array, rawLength: number): Uint8Array }} Codec
 * @typedef {{ lz4: Codec, zstd?: Codec, donors: Uint8Array[] }} MutateContext
 *   lz4: an LZ4 block codec (to rewrite chunk payloads); zstd: a zstd codec that compresses (the native
 *   one), when installed; donors: other inputs of the same format (splices)
 * @typedef {(rng: Rng, b: Uint8Array, ctx: MutateContext) => Uint8Array | undefined} Mutator
 *   returns the mutated bytes, or undefined when the input has nothing this mutator can work on
 */

/** @param {Uint8Array} b */
const dvOf = (b) => new DataView(b.buffer, b.byteOffset, b.byteLength);

/** @param {...Uint8Array} parts */
export function concat(...parts) {
  let n = 0;
  for (const p of parts) n += p.length;
  const out = new Uint8Array(n);
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

/** `b` with the bytes of `span` copied to the end of one of `spans` (whole blocks or records). */
function copySpan(rng, b, span, spans) {
  const to = rng.pick(spans).end;
  return concat(b.subarray(0, to), b.subarray(span.start, span.end), b.subarray(to));
}

/** `b` without the bytes of `span`. */
function dropSpan(b, span) {
  return concat(b.subarray(0, span.start), b.subarray(span.end));
}

/** `b` with two of `spans` (at least two, in file order) swapped; undefined when the draw picks one twice. */
function swapSpans(rng, b, spans) {
  let i = rng.int(spans.length);
  let j = rng.int(spans.length);
  if (i === j) return undefined;
  if (i > j) [i, j] = [j, i];
  const x = spans[i];
  const y = spans[j];
  return concat(
    b.subarray(0, x.start),
    b.subarray(y.start, y.end),
    b.subarray(x.end, y.start),
    b.subarray(x.start, x.end),
    b.subarray(y.end),
  );
}

/** Values that sit on the edges of length checks: 0, 1, type sizes, limits of the readers, all-ones. */
const INTERESTING_32 = [
  0, 1, 2, 3, 4, 7, 8, 11, 12, 16, 21, 22, 25, 26, 27, 29, 30, 31, 35, 36, 37, 0x7f, 0x80, 0xff, 0x100, 0x3ff,
  0x400, 0xfff, 0x1000, 0x7fff, 0x8000, 0xfffe, 0xffff, 0x10000, 0x10001, 0x10008, 0x1000c, 0xfffff, 0x100000,
  0x100001, 0x3ffffff, 0x4000000, 0x4000001, 0xfffffff, 0x10000000, 0x10000001, 0x7ffffffe, 0x7fffffff,
  0x80000000, 0x80000001, 0xfffffffe, 0xffffffff,
];

/** @param {Rng} rng @param {number} cur the field's current value @param {number} max largest value the field holds */
function interesting(rng, cur, max = 0xffffffff) {
  const r = rng.int(6);
  let v;
  if (r === 0) v = cur + rng.range(-4, 4);
  else if (r === 1) v = cur * 2 + rng.int(3);
  else if (r === 2) v = rng.u32();
  else v = rng.pick(INTERESTING_32);
  v = Math.abs(v) % (max + 1);
  return v;
}

/** @param {DataView} dv @param {number} at @param {number} width 1, 2, 4 @param {number} v */
function setUint(dv, at, width, v) {
  if (width === 1) dv.setUint8(at, v & 0xff);
  else if (width === 2) dv.setUint16(at, v & 0xffff, true);
  else dv.setUint32(at, v >>> 0, true);
}

/** @param {DataView} dv @param {number} at @param {number} width */
function getUint(dv, at, width) {
  return width === 1 ? dv.getUint8(at) : width === 2 ? dv.getUint16(at, true) : dv.getUint32(at, true);
}

/** Sets a 1/2/4-byte field at `at` to an interesting value (in place). @param {Rng} rng @param {Uint8Array} b @param {number} at @param {number} width */
function poke(rng, b, at, width) {
  if (at < 0 || at + width > b.length) return;
  const dv = dvOf(b);
  const max = width === 1 ? 0xff : width === 2 ? 0xffff : 0xffffffff;
  setUint(dv, at, width, interesting(rng, getUint(dv, at, width), max));
}

// ---- generic ---------------------------------------------------------------------------------------------

/** @type {Record<string, Mutator>} */
export const GENERIC = {
  bitFlip(rng, b) {
    if (b.length === 0) return undefined;
    const out = b.slice();
    const n = rng.small(8);
    for (let i = 0; i < n; i++) {
      const at = rng.int(out.length);
      out[at] ^= 1 << rng.int(8);
    }
    return out;
  },
  byteSet(rng, b) {
    if (b.length === 0) return undefined;
    const out = b.slice();
    const n = rng.small(8);
    for (let i = 0; i < n; i++) out[rng.int(out.length)] = rng.pick([0, 0xff, 0x7f, 0x80, 1, rng.int(256)]);
    return out;
  },
  wordSet(rng, b) {
    if (b.length < 4) return undefined;
    const out = b.slice();
    const w = rng.pick([1, 2, 4]);
    poke(rng, out, rng.int(out.length - w + 1), w);
    return out;
  },
  truncate(rng, b) {
    if (b.length === 0) return undefined;
    return b.slice(0, rng.int(b.length));
  },
  deleteRange(rng, b) {
    if (b.length < 2) return undefined;
    const at = rng.int(b.length);
    const n = Math.min(rng.small(b.length), b.length - at);
    return concat(b.subarray(0, at), b.subarray(at + n));
  },
  duplicateRange(rng, b) {
    if (b.length === 0) return undefined;
    const at = rng.int(b.length);
    const n = Math.min(rng.small(4096), b.length - at);
    const to = rng.int(b.length + 1);
    return concat(b.subarray(0, to), b.subarray(at, at + n), b.subarray(to));
  },
  insertRandom(rng, b) {
    const n = rng.small(256);
    const ins = new Uint8Array(n);
    const fill = rng.chance(0.5) ? -1 : rng.pick([0, 0xff]);
    for (let i = 0; i < n; i++) ins[i] = fill < 0 ? rng.int(256) : fill;
    const to = rng.int(b.length + 1);
    return concat(b.subarray(0, to), ins, b.subarray(to));
  },
  splice(rng, b, ctx) {
    if (ctx.donors.length === 0 || b.length === 0) return undefined;
    const d = rng.pick(ctx.donors);
    if (d.length === 0) return undefined;
    const at = rng.int(b.length);
    const from = rng.int(d.length);
    const n = Math.min(rng.small(8192), d.length - from);
    return concat(b.subarray(0, at), d.subarray(from, from + n), b.subarray(rng.chance(0.5) ? at : at + n));
  },
};

// ---- sysdig --------------------------------------------------------------------------------------------

/** @param {Rng} rng @param {Uint8Array} b @param {(x: import('./walk.mjs').SysdigBlock) => boolean} [pred] */
function pickBlock(rng, b, pred = () => true) {
  const blocks = walkSysdig(b).filter(pred);
  return blocks.length ? rng.pick(blocks) : undefined;
}

/** Offset of the event header inside an event block, and its width. @param {import('./walk.mjs').SysdigBlock} blk */
function eventHeaderAt(blk) {
  const at = blk.start + 8 + 2 + (SYSDIG_FLAG_BLOCKS.has(blk.type) ? 4 : 0);
  const v2 = SYSDIG_V2_BLOCKS.has(blk.type);
  const wide = blk.type === 0x221 || blk.type === 0x222;
  return { at, v2, hdr: v2 ? 26 : 22, wide };
}

/** @type {Record<string, Mutator>} */
export const SYSDIG = {
  /** The header length alone: a block that claims more or less than it holds (the trailer disagrees). */
  blockLength(rng, b) {
    const blk = pickBlock(rng, b);
    if (!blk) return undefined;
    const out = b.slice();
    poke(rng, out, blk.start + 4, 4);
    return out;
  },
  /** A consistent resize: bytes added or removed before the trailer, header and trailer both updated. */
  blockResize(rng, b) {
    const blk = pickBlock(rng, b);
    if (!blk) return undefined;
    const bodyEnd = blk.end - 4;
    const at = rng.range(blk.start + 8, bodyEnd);
    let mid;
    if (rng.chance(0.5)) {
      const n = rng.small(64);
      mid = new Uint8Array(n);
      for (let i = 0; i < n; i++) mid[i] = rng.chance(0.5) ? 0 : rng.int(256);
      mid = concat(b.subarray(blk.start, at), mid, b.subarray(at, bodyEnd));
    } else {
      const n = Math.min(rng.small(64), bodyEnd - at);
      mid = concat(b.subarray(blk.start, at), b.subarray(at + n, bodyEnd));
    }
    const total = mid.length + 4;
    const blkOut = concat(mid, new Uint8Array(4));
    dvOf(blkOut).setUint32(4, total, true);
    dvOf(blkOut).setUint32(total - 4, total, true);
    return concat(b.subarray(0, blk.start), blkOut, b.subarray(blk.end));
  },
  blockDuplicate(rng, b) {
    const blk = pickBlock(rng, b);
    if (!blk) return undefined;
    const blocks = walkSysdig(b);
    return copySpan(rng, b, blk, blocks);
  },
  blockDrop(rng, b) {
    const blk = pickBlock(rng, b);
    if (!blk) return undefined;
    return dropSpan(b, blk);
  },
  blockSwap(rng, b) {
    const blocks = walkSysdig(b);
    if (blocks.length < 2) return undefined;
    return swapSpans(rng, b, blocks);
  },
  /** A block from another capture (another block version, another section's tables). */
  blockTransplant(rng, b, ctx) {
    if (ctx.donors.length === 0) return undefined;
    const d = rng.pick(ctx.donors);
    const blk = pickBlock(rng, d);
    const blocks = walkSysdig(b);
    if (!blk || blocks.length === 0) return undefined;
    const to = rng.pick(blocks).end;
    return concat(b.subarray(0, to), d.subarray(blk.start, blk.end), b.subarray(to));
  },
  /** Another block type: an event block read as a LARGE or old one, a process list read as another version. */
  blockType(rng, b) {
    const blk = pickBlock(rng, b);
    if (!blk) return undefined;
    const out = b.slice();
    const types = [...SYSDIG_EVENT_BLOCKS, ...SYSDIG_META_BLOCKS, SYSDIG_SHB, rng.u32()];
    dvOf(out).setUint32(blk.start, rng.pick(types), true);
    return out;
  },
  /** A second section header between blocks: the tables reset mid-file. */
  newSection(rng, b) {
    const blocks = walkSysdig(b);
    const shb = blocks.find((x) => x.type === SYSDIG_SHB);
    if (!shb || blocks.length < 2) return undefined;
    const to = rng.pick(blocks).end;
    return concat(b.subarray(0, to), b.subarray(shb.start, shb.end), b.subarray(to));
  },
  /** Event header fields: len, type, nparams (v2), ts/tid, and the parameter length array. */
  eventField(rng, b) {
    const blk = pickBlock(rng, b, (x) => x.isEvent);
    if (!blk) return undefined;
    const { at, v2, hdr, wide } = eventHeaderAt(blk);
    if (at + hdr > blk.end - 4) return undefined;
    const out = b.slice();
    const dv = dvOf(out);
    const which = rng.int(v2 ? 6 : 5);
    if (which === 0)
      poke(rng, out, at + 16, 4); // len
    else if (which === 1)
      dv.setUint16(at + 20, rng.chance(0.5) ? rng.int(420) : rng.int(65536), true); // type
    else if (which === 2)
      poke(rng, out, at + rng.pick([0, 4, 8, 12]), 4); // ts / tid halves
    else if (which === 5)
      poke(rng, out, at + 22, 4); // nparams
    else {
      // one entry of the parameter length array
      const w = wide ? 4 : 2;
      const room = Math.floor((blk.end - 4 - (at + hdr)) / w);
      if (room <= 0) return undefined;
      poke(rng, out, at + hdr + w * rng.int(Math.min(room, 16)), w);
    }
    return out;
  },
  /** A u16/u32 inside a metadata block body: string lengths, entry lengths, counts. */
  metaField(rng, b) {
    const blk = pickBlock(rng, b, (x) => !x.isEvent && x.type !== SYSDIG_SHB);
    if (!blk || blk.end - 4 - (blk.start + 8) < 4) return undefined;
    const out = b.slice();
    const w = rng.pick([1, 2, 2, 4, 4]);
    poke(rng, out, rng.range(blk.start + 8, blk.end - 4 - w), w);
    return out;
  },
  /** The section header's magic or version. */
  shbField(rng, b) {
    const blk = pickBlock(rng, b, (x) => x.type === SYSDIG_SHB);
    if (!blk || blk.end - blk.start < 28) return undefined;
    const out = b.slice();
    poke(rng, out, blk.start + rng.pick([8, 12, 14, 16, 20]), rng.pick([2, 4]));
    return out;
  },
};

// ---- scapkit -------------------------------------------------------------------------------------------

/** @param {Rng} rng @param {Uint8Array} b @param {(r: import('./walk.mjs').ScapkitRecord) => boolean} [pred] */
function pickRecord(rng, b, pred = () => true) {
  const recs = walkScapkit(b).filter(pred);
  return recs.length ? rng.pick(recs) : undefined;
}

/** Rewrites a chunk's CRC32C (header bytes 0..32, then the stored body) in place. @param {Uint8Array} b @param {number} bodyStart @param {number} end */
function resignChunk(b, bodyStart, end) {
  if (end - bodyStart < SK_CHUNK_HEADER) return;
  const crc = crc32c(b, crc32c(b, 0, bodyStart, bodyStart + 32), bodyStart + SK_CHUNK_HEADER, end);
  dvOf(b).setUint32(bodyStart + 32, crc, true);
}

/** Re-signs every record whose CRC covers its body (header, metadata, chunk, footer), in place. @param {Uint8Array} b */
export function resignAll(b) {
  const dv = dvOf(b);
  for (const r of walkScapkit(b)) {
    const s = r.bodyStart;
    if (r.type === SK.HEADER && r.end - s >= 4) dv.setUint32(s, crc32c(b, 0, s + 4, r.end), true);
    else if (r.type === SK.METADATA && r.end - s >= 12)
      dv.setUint32(s + 8, crc32c(b, 0, s + 12, r.end), true);
    else if (r.type === SK.CHUNK) resignChunk(b, s, r.end);
    else if (r.type === SK.FOOTER && r.end - s >= 4) dv.setUint32(s, crc32c(b, 0, s + 4, r.end), true);
  }
}

/** A chunk record holding `raw` (framed events), stored with codec 0, 1 (LZ4) or 2 (zstd). @param {Rng} rng @param {MutateContext} ctx @param {Uint8Array} oldBody @param {Uint8Array} raw @param {number} count */
function chunkRecord(rng, ctx, oldBody, raw, count) {
  const codec = rng.chance(0.6) ? (ctx.zstd && rng.chance(0.5) ? ctx.zstd : ctx.lz4) : undefined;
  const stored = codec ? codec.compress(raw) : raw;
  const rec = new Uint8Array(SK_RECORD_HEADER + SK_CHUNK_HEADER + stored.length);
  rec[0] = SK.CHUNK;
  const dv = dvOf(rec);
  dv.setUint32(1, SK_CHUNK_HEADER + stored.length, true);
  rec.set(oldBody.subarray(0, SK_CHUNK_HEADER), SK_RECORD_HEADER); // keeps the timestamps
  rec[SK_RECORD_HEADER] = codec ? codec.id : 0;
  dv.setUint32(SK_RECORD_HEADER + 4, count, true);
  dv.setUint32(SK_RECORD_HEADER + 8, raw.length, true);
  dv.setUint32(SK_RECORD_HEADER + 12, stored.length, true);
  rec.set(stored, SK_RECORD_HEADER + SK_CHUNK_HEADER);
  resignChunk(rec, SK_RECORD_HEADER, rec.length);
  return rec;
}

/** The decompressed events of a chunk body, or undefined when it does not decode. @param {MutateContext} ctx @param {Uint8Array} body */
function chunkRaw(ctx, body) {
  if (body.length < SK_CHUNK_HEADER) return undefined;
  const dv = dvOf(body);
  const codec = body[0];
  const rawLen = dv.getUint32(8, true);
  const stored = body.subarray(SK_CHUNK_HEADER);
  try {
    if (codec === 0) return stored.slice();
    if (codec === 1 && rawLen <= stored.length * 255 + 64 && rawLen <= 64 << 20)
      return ctx.lz4.decompress(stored, rawLen);
    if (codec === 2 && ctx.zstd && rawLen <= 64 << 20) return ctx.zstd.decompress(stored, rawLen);
  } catch {
    // a chunk damaged by an earlier mutation: nothing to rewrite
  }
  return undefined;
}

/** Damage to the framed events of one chunk: event lengths, nparams, parameter lengths, types, bytes. @param {Rng} rng @param {Uint8Array} raw */
function mutateEvents(rng, raw) {
  const evs = walkFramed(raw);
  if (evs.length === 0 || rng.chance(0.15))
    return (
      GENERIC[rng.pick(Object.keys(GENERIC).filter((k) => k !== 'splice'))](rng, raw, {
        lz4: /** @type {any} */ (null),
        donors: [],
      }) ?? raw
    );
  const out = raw.slice();
  const dv = dvOf(out);
  const n = rng.small(4);
  for (let k = 0; k < n; k++) {
    const e = rng.pick(evs);
    const h = e.start + 4;
    const which = rng.int(8);
    if (which === 0)
      poke(rng, out, h + 16, 4); // len
    else if (which === 1)
      poke(rng, out, h + 22, 4); // nparams
    else if (which === 2)
      dv.setUint16(h + 20, rng.chance(0.7) ? rng.int(420) : rng.int(65536), true); // type
    else if (which === 3)
      poke(rng, out, h + 26 + 2 * rng.int(8), rng.pick([2, 4])); // a parameter length
    else if (which === 4)
      poke(rng, out, e.start, 2); // cpu / frame flags
    else if (which === 5) {
      // bytes inside the parameters (addresses, strings, fd lists)
      if (e.end - (h + 26) > 0) out[rng.range(h + 26, e.end - 1)] = rng.int(256);
    } else if (which === 6)
      poke(rng, out, h + rng.pick([0, 4, 8, 12]), 4); // ts / tid
    else dv.setUint16(h + 20, rng.int(420), true);
  }
  return out;
}

/** @type {Record<string, Mutator>} */
export const SCAPKIT = {
  recordLength(rng, b) {
    const r = pickRecord(rng, b);
    if (!r) return undefined;
    const out = b.slice();
    poke(rng, out, r.start + 1, 4);
    return out;
  },
  recordType(rng, b) {
    const r = pickRecord(rng, b);
    if (!r) return undefined;
    const out = b.slice();
    out[r.start] = rng.chance(0.7) ? rng.range(0, 7) : rng.int(256);
    return out;
  },
  recordDuplicate(rng, b) {
    const r = pickRecord(rng, b, (x) => x.type !== SK.TRAILER);
    const recs = walkScapkit(b);
    if (!r || recs.length === 0) return undefined;
    return copySpan(rng, b, r, recs);
  },
  recordDrop(rng, b) {
    const r = pickRecord(rng, b);
    if (!r) return undefined;
    return dropSpan(b, r);
  },
  recordSwap(rng, b) {
    const recs = walkScapkit(b);
    if (recs.length < 2) return undefined;
    return swapSpans(rng, b, recs);
  },
  /** Chunk header fields (codec, count, raw and stored lengths, timestamps), usually re-signed. */
  chunkHeader(rng, b) {
    const r = pickRecord(rng, b, (x) => x.type === SK.CHUNK && x.end - x.bodyStart >= SK_CHUNK_HEADER);
    if (!r) return undefined;
    const out = b.slice();
    const s = r.bodyStart;
    const which = rng.int(7);
    if (which === 0) out[s] = rng.chance(0.5) ? rng.range(0, 3) : rng.int(256);
    else if (which === 1)
      poke(rng, out, s + 4, 4); // event count
    else if (which === 2)
      poke(rng, out, s + 8, 4); // raw length
    else if (which === 3)
      poke(rng, out, s + 12, 4); // stored length
    else if (which === 4)
      poke(rng, out, s + rng.pick([16, 20, 24, 28]), 4); // timestamps
    else if (which === 5)
      out[s + rng.range(1, 3)] = rng.int(256); // flags, reserved
    else poke(rng, out, s + 32, 4); // the CRC itself
    if (which !== 6 && rng.chance(0.75)) resignChunk(out, s, r.end);
    return out;
  },
  /** Damage inside a chunk's decompressed events, then recompressed and re-signed: reaches framing and replay. */
  chunkEvents(rng, b, ctx) {
    const r = pickRecord(rng, b, (x) => x.type === SK.CHUNK);
    if (!r) return undefined;
    const body = b.subarray(r.bodyStart, r.end);
    const raw = chunkRaw(ctx, body);
    if (!raw) return undefined;
    const mutated = mutateEvents(rng, raw);
    // Keep the declared count most of the time (the reader must notice a mismatch), else recount.
    const count = rng.chance(0.5) ? dvOf(body).getUint32(4, true) : Math.max(1, walkFramed(mutated).length);
    return concat(b.subarray(0, r.start), chunkRecord(rng, ctx, body, mutated, count), b.subarray(r.end));
  },
  /** A decompression bomb: an LZ4 body that expands one event (or zeros) to a huge raw length. */
  chunkBomb(rng, b, ctx) {
    const r = pickRecord(rng, b, (x) => x.type === SK.CHUNK);
    if (!r) return undefined;
    const body = b.subarray(r.bodyStart, r.end);
    const raw = chunkRaw(ctx, body);
    const evs = raw ? walkFramed(raw) : [];
    const unit =
      raw && evs.length && rng.chance(0.7) ? raw.slice(evs[0].start, evs[0].end) : new Uint8Array(1);
    // Mostly up to 1 MiB (fast to replay); sometimes 4 MiB, the reader's 64 MiB limit, or just past it.
    const target = rng.chance(0.97)
      ? rng.range(1, 16) << 16
      : rng.pick([4 << 20, 64 << 20, (64 << 20) + unit.length]);
    const reps = Math.max(1, Math.floor(target / unit.length));
    const rawLen = unit.length * reps;
    // literal run of the unit, then one match (offset = unit length) repeating it, then an empty last run
    const matchLen = rawLen - unit.length - 4;
    const parts = [];
    const lit = unit.length;
    parts.push((Math.min(lit, 15) << 4) | (matchLen >= 0 ? Math.min(matchLen, 15) : 0));
    if (lit >= 15) {
      let rest = lit - 15;
      while (rest >= 255) {
        parts.push(255);
        rest -= 255;
      }
      parts.push(rest);
    }
    for (const x of unit) parts.push(x);
    if (matchLen >= 0) {
      parts.push(lit & 0xff, lit >>> 8);
      if (matchLen >= 15) {
        let rest = matchLen - 15;
        while (rest >= 255) {
          parts.push(255);
          rest -= 255;
        }
        parts.push(rest);
      }
      parts.push(0);
    }
    const stored = Uint8Array.from(parts);
    const realRaw = matchLen >= 0 ? rawLen : unit.length;
    const rec = new Uint8Array(SK_RECORD_HEADER + SK_CHUNK_HEADER + stored.length);
    rec[0] = SK.CHUNK;
    const dv = dvOf(rec);
    dv.setUint32(1, SK_CHUNK_HEADER + stored.length, true);
    rec[SK_RECORD_HEADER] = 1;
    dv.setUint32(SK_RECORD_HEADER + 4, unit.length >= 30 ? reps : 1, true);
    dv.setUint32(SK_RECORD_HEADER + 8, rng.chance(0.8) ? realRaw : interesting(rng, realRaw), true);
    dv.setUint32(SK_RECORD_HEADER + 12, stored.length, true);
    rec.set(stored, SK_RECORD_HEADER + SK_CHUNK_HEADER);
    resignChunk(rec, SK_RECORD_HEADER, rec.length);
    return concat(b.subarray(0, r.start), rec, b.subarray(r.end));
  },
  /**
   * msgpack of the header, a metadata record or the footer stats: a length prefix inflated (str/bin/array/
   * map 8/16/32), a type byte changed, or bytes damaged; metadata is rewritten uncompressed; all re-signed.
   */
  msgpack(rng, b, ctx) {
    const r = pickRecord(
      rng,
      b,
      (x) => x.type === SK.HEADER || x.type === SK.METADATA || x.type === SK.FOOTER,
    );
    if (!r) return undefined;
    const body = b.subarray(r.bodyStart, r.end);
    const dv = dvOf(body);
    /** @type {Uint8Array} */
    let prefix;
    /** @type {Uint8Array} */
    let payload;
    if (r.type === SK.HEADER) {
      if (body.length < 4) return undefined;
      prefix = body.slice(0, 4);
      payload = body.subarray(4);
    } else if (r.type === SK.METADATA) {
      if (body.length < 12) return undefined;
      const rawLen = dv.getUint32(4, true);
      const stored = body.subarray(12);
      try {
        payload =
          body[0] === 1
            ? ctx.lz4.decompress(stored, rawLen)
            : body[0] === 2 && ctx.zstd && rawLen <= 64 << 20
              ? ctx.zstd.decompress(stored, rawLen)
              : stored;
      } catch {
        return undefined;
      }
      prefix = body.slice(0, 12);
      prefix[0] = 0; // stored as is from now on
    } else {
      // footer: the stats map follows the fixed part and the index
      if (body.length < 16) return undefined;
      const n = dv.getUint32(8, true);
      const m = dv.getUint32(12, true);
      const entry = dv.getUint16(4, true);
      const at = 16 + n * entry + m * 8;
      if (at > body.length) return undefined;
      prefix = body.slice(0, at);
      payload = body.subarray(at);
    }
    const p = payload.slice();
    if (p.length === 0) return undefined;
    const markers = [];
    for (let i = 0; i < p.length; i++) {
      const x = p[i];
      if (
        (x >= 0xc4 && x <= 0xc6) ||
        (x >= 0xd9 && x <= 0xdf) ||
        (x >= 0x80 && x <= 0x9f) ||
        (x >= 0xa0 && x <= 0xbf)
      )
        markers.push(i);
    }
    const pdv = dvOf(p);
    const k = rng.int(4);
    if (k <= 1 && markers.length) {
      const i = rng.pick(markers);
      const x = p[i];
      const w =
        x === 0xc4 || x === 0xd9
          ? 1
          : x === 0xc5 || x === 0xda || x === 0xdc || x === 0xde
            ? 2
            : x === 0xc6 || x === 0xdb || x === 0xdd || x === 0xdf
              ? 4
              : 0;
      if (w && i + 1 + w <= p.length) {
        const v = interesting(
          rng,
          getUint(new DataView(p.buffer, p.byteOffset + i + 1, w), 0, w) || 1,
          w === 1 ? 0xff : w === 2 ? 0xffff : 0xffffffff,
        );
        if (w === 1) p[i + 1] = v;
        else if (w === 2)
          pdv.setUint16(i + 1, v, false); // msgpack is big-endian
        else pdv.setUint32(i + 1, v >>> 0, false);
      } else {
        p[i] = x ^ rng.pick([1, 2, 4, 8, 15]); // fixmap/fixarray/fixstr count off by a little
      }
    } else if (k === 2) {
      p[rng.int(p.length)] = rng.pick([
        0xc0, 0xc1, 0xc7, 0xd4, 0xd8, 0xdc, 0xde, 0xdd, 0xdf, 0xcf, 0xd3, 0xca, 0xcb, 0xc2, 0xc3,
      ]);
    } else {
      const g =
        GENERIC[rng.pick(['bitFlip', 'byteSet', 'wordSet', 'truncate', 'deleteRange', 'duplicateRange'])];
      payload = g(rng, p, ctx) ?? p;
      return rebuild(payload);
    }
    return rebuild(p);

    /** @param {Uint8Array} pl */
    function rebuild(pl) {
      if (r === undefined) return undefined;
      const newBody = concat(prefix, pl);
      const bdv = dvOf(newBody);
      if (r.type === SK.HEADER) bdv.setUint32(0, crc32c(newBody, 0, 4), true);
      else if (r.type === SK.METADATA) {
        bdv.setUint32(4, pl.length, true);
        bdv.setUint32(8, crc32c(newBody, 0, 12), true);
      } else bdv.setUint32(0, crc32c(newBody, 0, 4), true);
      const head = new Uint8Array(5);
      head[0] = r.type;
      dvOf(head).setUint32(1, newBody.length, true);
      return concat(b.subarray(0, r.start), head, newBody, b.subarray(r.end));
    }
  },
  /** A CRC that no longer matches (the reader must refuse the record, not misread it). */
  badCrc(rng, b) {
    const r = pickRecord(
      rng,
      b,
      (x) => x.type === SK.HEADER || x.type === SK.METADATA || x.type === SK.CHUNK || x.type === SK.FOOTER,
    );
    if (!r) return undefined;
    const at =
      r.type === SK.METADATA ? r.bodyStart + 8 : r.type === SK.CHUNK ? r.bodyStart + 32 : r.bodyStart;
    if (at + 4 > r.end) return undefined;
    const out = b.slice();
    out[at + rng.int(4)] ^= 1 << rng.int(8);
    return out;
  },
  /** Footer fixed fields (entry size, chunk and metadata counts) and index entries, re-signed. */
  footer(rng, b) {
    const r = pickRecord(rng, b, (x) => x.type === SK.FOOTER && x.end - x.bodyStart >= 16);
    if (!r) return undefined;
    const out = b.slice();
    const s = r.bodyStart;
    const w = rng.int(3);
    if (w === 0) poke(rng, out, s + 4, 2);
    else if (w === 1) poke(rng, out, s + rng.pick([8, 12]), 4);
    else poke(rng, out, rng.range(s + 16, Math.max(s + 16, r.end - 4)), 4);
    if (rng.chance(0.8)) dvOf(out).setUint32(s, crc32c(out, 0, s + 4, r.end), true);
    return out;
  },
  /** Preamble version fields and the trailer's footer pointer. */
  preambleTrailer(rng, b) {
    const out = b.slice();
    if (rng.chance(0.5) && out.length >= 16) poke(rng, out, rng.pick([8, 10, 12]), 2);
    else {
      const t = pickRecord(rng, out, (x) => x.type === SK.TRAILER);
      if (!t) return undefined;
      poke(rng, out, t.bodyStart + rng.pick([0, 4, 8]), 4);
    }
    return out;
  },
  /** Chunk payload bytes damaged with a valid CRC: the LZ4 decoder meets hostile input. */
  chunkStored(rng, b) {
    const r = pickRecord(rng, b, (x) => x.type === SK.CHUNK && x.end - x.bodyStart > SK_CHUNK_HEADER);
    if (!r) return undefined;
    const out = b.slice();
    const n = rng.small(8);
    for (let i = 0; i < n; i++)
      out[rng.range(r.bodyStart + SK_CHUNK_HEADER, r.end - 1)] = rng.chance(0.3) ? 0xff : rng.int(256);
    resignChunk(out, r.bodyStart, r.end);
    return out;
  },
};

/**
 * Applies 1..4 stacked mutations, each picked from the generic and the format's own mutators.
 * @param {Rng} rng
 * @param {Uint8Array} input
 * @param {'sysdig' | 'scapkit'} format
 * @param {MutateContext} ctx
 * @returns {{ bytes: Uint8Array, ops: string[] }}
 */
export function mutate(rng, input, format, ctx) {
  const own = format === 'sysdig' ? SYSDIG : SCAPKIT;
  const ownNames = Object.keys(own);
  const genNames = Object.keys(GENERIC);
  let b = input;
  const ops = [];
  const n = rng.chance(0.6) ? 1 : rng.range(2, 4);
  for (let k = 0; k < n; k++) {
    // Structure-aware mutators get most of the turns: they reach past the first length check.
    const structured = rng.chance(0.65);
    const name = structured ? rng.pick(ownNames) : rng.pick(genNames);
    const m = structured ? own[name] : GENERIC[name];
    const out = m(rng, b, ctx);
    if (out) {
      b = out;
      ops.push(name);
    }
  }
  if (ops.length === 0) {
    b = GENERIC.bitFlip(rng, b, ctx) ?? b;
    ops.push('bitFlip');
  }
  return { bytes: b, ops };
}
