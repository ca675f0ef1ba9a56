// CRC32C (Castagnoli, reflected polynomial 0x82F63B78): the checksum of every scapkit chunk, metadata and
// footer record. In Node the native one (@node-rs/crc32, SSE4.2/ARMv8 instructions) replaces this one
// (node/native-crc32c.ts installs it); the one here is for the browser: slicing-by-16, sixteen 256-entry
// tables that let one step consume 16 bytes with four word loads (~2 GB/s).

const POLY = 0x82f63b78;

/**
 * 16 tables of 256 entries, back to back: table k gives the CRC of a byte followed by k zero bytes. Made on
 * the first checksum, not at import: in Node the native CRC usually runs instead and this is never needed.
 */
let table: DataView | undefined;

function tables(): DataView {
  if (table) return table;
  const dv = new DataView(new ArrayBuffer(256 * 16 * 4));
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ POLY : c >>> 1;
    dv.setInt32(n << 2, c, true);
  }
  for (let n = 0; n < 256; n++) {
    let c = dv.getInt32(n << 2, true);
    for (let k = 1; k < 16; k++) {
      c = dv.getInt32((c & 0xff) << 2, true) ^ (c >>> 8);
      dv.setInt32((k * 256 + n) << 2, c, true);
    }
  }
  table = dv;
  return dv;
}

/** The CRC32C of `data[start, end)` continuing from `crc` (0 to start). */
export type Crc32cFunction = (data: Uint8Array, crc?: number, start?: number, end?: number) => number;

/** The TypeScript CRC32C (slicing-by-16), whatever is installed. */
export function crc32cPortable(data: Uint8Array, crc = 0, start = 0, end = data.length): number {
  const dv = new DataView(data.buffer, data.byteOffset, data.byteLength);
  const T = tables();
  const t = (i: number): number => T.getInt32(i << 2, true);
  let c = ~crc;
  let p = start;
  for (const stop = end - 16; p <= stop; p += 16) {
    const a = c ^ dv.getInt32(p, true);
    const b = dv.getInt32(p + 4, true);
    const d = dv.getInt32(p + 8, true);
    const e = dv.getInt32(p + 12, true);
    c =
      t(3840 + (a & 0xff)) ^
      t(3584 + ((a >>> 8) & 0xff)) ^
      t(3328 + ((a >>> 16) & 0xff)) ^
      t(3072 + (a >>> 24)) ^
      t(2816 + (b & 0xff)) ^
      t(2560 + ((b >>> 8) & 0xff)) ^
      t(2304 + ((b >>> 16) & 0xff)) ^
      t(2048 + (b >>> 24)) ^
      t(1792 + (d & 0xff)) ^
      t(1536 + ((d >>> 8) & 0xff)) ^
      t(1280 + ((d >>> 16) & 0xff)) ^
      t(1024 + (d >>> 24)) ^
      t(768 + (e & 0xff)) ^
      t(512 + ((e >>> 8) & 0xff)) ^
      t(256 + ((e >>> 16) & 0xff)) ^
      t(e >>> 24);
  }
  for (; p < end; p++) c = t((c ^ dv.getUint8(p)) & 0xff) ^ (c >>> 8);
  return ~c >>> 0;
}

let implementation: Crc32cFunction = crc32cPortable;

/**
 * CRC32C of `data[start, end)`, continuing from `crc` (the result of a previous call, or 0 to start), so a
 * record's header and body can be checked without joining them. Native in Node once installed.
 */
export function crc32c(data: Uint8Array, crc = 0, start = 0, end = data.length): number {
  return implementation(data, crc, start, end);
}

/** Makes `fn` THE CRC32C of this module (Node's entry installs the native one; the browser keeps ours). */
export function installCrc32c(fn: Crc32cFunction): void {
  implementation = fn;
}
