// @ts-check
// Tiny independent walkers over the two file formats, written from the format notes
// (reference/SCAP_FORMAT.md, packages/scap-format/docs/FORMAT.md) and not from the readers: the
// structure-aware mutators use them to find fields to damage, and the truncation test uses them to
// compute how many events a cut file must still yield, without asking the reader under test.

/** sysdig event block types (EV, EV_INT, EV_V2, EV_V2_LARGE, EVF, EVF_V2, EVF_V2_LARGE). */
export const SYSDIG_EVENT_BLOCKS = new Set([0x204, 0x8010abcd, 0x216, 0x221, 0x208, 0x217, 0x222]);
/** Event blocks whose header is the 26-byte v2 one (the others carry the 22-byte header). */
export const SYSDIG_V2_BLOCKS = new Set([0x216, 0x221, 0x217, 0x222]);
/** Event blocks with a u32 flags word after the cpu. */
export const SYSDIG_FLAG_BLOCKS = new Set([0x208, 0x217, 0x222]);
export const SYSDIG_SHB = 0x0a0d0d0a;
/** Known metadata block types (MI, PL v1..v9, FDL, IL, UL and their _INT / V2 forms). */
export const SYSDIG_META_BLOCKS = [
  0x201, 0x8002abcd, 0x202, 0x8000abcd, 0x207, 0x8013abcd, 0x209, 0x8014abcd, 0x210, 0x211, 0x212, 0x213,
  0x214, 0x215, 0x203, 0x8001abcd, 0x218, 0x205, 0x8011abcd, 0x219, 0x206, 0x8012abcd, 0x220,
];

/** @param {Uint8Array} b */
const dvOf = (b) => new DataView(b.buffer, b.byteOffset, b.byteLength);

/**
 * @typedef {{ type: number, start: number, end: number, isEvent: boolean }} SysdigBlock
 * Blocks of a (decompressed) sysdig capture, by their header lengths only; stops at the first block
 * that does not fit.
 * @param {Uint8Array} b
 * @returns {SysdigBlock[]}
 */
export function walkSysdig(b) {
  const dv = dvOf(b);
  /** @type {SysdigBlock[]} */
  const out = [];
  for (let p = 0; p + 12 <= b.length; ) {
    const type = dv.getUint32(p, true);
    const len = dv.getUint32(p + 4, true);
    if (len < 12 || p + len > b.length) break;
    out.push({ type, start: p, end: p + len, isEvent: SYSDIG_EVENT_BLOCKS.has(type) });
    p += len;
  }
  return out;
}

export const SCAPKIT_MAGIC = Uint8Array.from([0x89, 0x53, 0x43, 0x41, 0x50, 0x4b, 0x0d, 0x0a]);
export const SK = { HEADER: 1, METADATA: 2, CHUNK: 3, FOOTER: 4, TRAILER: 5 };
export const SK_PREAMBLE = 16;
export const SK_RECORD_HEADER = 5;
export const SK_CHUNK_HEADER = 36;

/**
 * @typedef {{ type: number, start: number, bodyStart: number, end: number, events: number }} ScapkitRecord
 * Records of a scapkit file after its 16-byte preamble: type u8 | body length u32 | body. `events` is a
 * chunk's declared event count (0 for other records).
 * @param {Uint8Array} b
 * @returns {ScapkitRecord[]}
 */
export function walkScapkit(b) {
  const dv = dvOf(b);
  /** @type {ScapkitRecord[]} */
  const out = [];
  for (let p = SK_PREAMBLE; p + SK_RECORD_HEADER <= b.length; ) {
    const type = b[p];
    const len = dv.getUint32(p + 1, true);
    const end = p + SK_RECORD_HEADER + len;
    if (end > b.length) break;
    const events =
      type === SK.CHUNK && len >= SK_CHUNK_HEADER ? dv.getUint32(p + SK_RECORD_HEADER + 4, true) : 0;
    out.push({ type, start: p, bodyStart: p + SK_RECORD_HEADER, end, events });
    p = end;
  }
  return out;
}

/**
 * Framed events of a chunk's raw (decompressed) body: `u16 cpu | u16 flags | 26-byte header …`, the
 * event length at header byte 16.
 * @param {Uint8Array} raw
 * @returns {{ start: number, end: number }[]} each framed event's [start, end)
 */
export function walkFramed(raw) {
  const dv = dvOf(raw);
  const out = [];
  for (let p = 0; p + 30 <= raw.length; ) {
    const len = dv.getUint32(p + 4 + 16, true);
    if (len < 26 || p + 4 + len > raw.length) break;
    out.push({ start: p, end: p + 4 + len });
    p += 4 + len;
  }
  return out;
}

/** CRC32C (Castagnoli), bitwise-table: the mutators re-sign records they damaged so parsing goes deeper. */
const CRC_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0x82f63b78 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

/** @param {Uint8Array} b @param {number} [crc] running CRC (0 to start) @param {number} [from] @param {number} [to] */
export function crc32c(b, crc = 0, from = 0, to = b.length) {
  let c = ~crc >>> 0;
  for (let i = from; i < to; i++) c = CRC_TABLE[(c ^ b[i]) & 0xff] ^ (c >>> 8);
  return ~c >>> 0;
}
