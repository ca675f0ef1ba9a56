// CRC32C (Castagnoli, reflected polynomial 0x82F63B78): the checksum of every scapkit chunk, metadata and
// footer record. Slicing-by-16 over aligned 32-bit words: sixteen 256-entry tables let one step consume
// 16 bytes with four word loads, so checking a chunk costs far less than decompressing it (~2 GB/s).

const POLY = 0x82f63b78;

/** 16 tables of 256 entries, back to back: table k gives the CRC of a byte followed by k zero bytes. */
const T = new Int32Array(256 * 16);
for (let n = 0; n < 256; n++) {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ POLY : c >>> 1;
  T[n] = c;
}
for (let n = 0; n < 256; n++) {
  let c = T[n]!;
  for (let k = 1; k < 16; k++) {
    c = T[c & 0xff]! ^ (c >>> 8);
    T[k * 256 + n] = c;
  }
}

/** Word loads read bytes in memory order as little-endian words; elsewhere the byte loop does it all. */
const LITTLE_ENDIAN = new Uint8Array(Uint32Array.of(1).buffer)[0] === 1;

/**
 * CRC32C of `data[start, end)`, continuing from `crc` (the result of a previous call, or 0 to start), so a
 * record's header and body can be checked without joining them.
 */
export function crc32c(data: Uint8Array, crc = 0, start = 0, end = data.length): number {
  let c = ~crc;
  let p = start;
  if (LITTLE_ENDIAN && end - p >= 64) {
    while (((data.byteOffset + p) & 3) !== 0) c = T[(c ^ data[p++]!) & 0xff]! ^ (c >>> 8);
    const words = ((end - p) >>> 4) << 2;
    const w = new Int32Array(data.buffer, data.byteOffset + p, words);
    for (let i = 0; i < words; i += 4) {
      const a = c ^ w[i]!;
      const b = w[i + 1]!;
      const d = w[i + 2]!;
      const e = w[i + 3]!;
      c =
        T[3840 + (a & 0xff)]! ^
        T[3584 + ((a >>> 8) & 0xff)]! ^
        T[3328 + ((a >>> 16) & 0xff)]! ^
        T[3072 + (a >>> 24)]! ^
        T[2816 + (b & 0xff)]! ^
        T[2560 + ((b >>> 8) & 0xff)]! ^
        T[2304 + ((b >>> 16) & 0xff)]! ^
        T[2048 + (b >>> 24)]! ^
        T[1792 + (d & 0xff)]! ^
        T[1536 + ((d >>> 8) & 0xff)]! ^
        T[1280 + ((d >>> 16) & 0xff)]! ^
        T[1024 + (d >>> 24)]! ^
        T[768 + (e & 0xff)]! ^
        T[512 + ((e >>> 8) & 0xff)]! ^
        T[256 + ((e >>> 16) & 0xff)]! ^
        T[e >>> 24]!;
    }
    p += words * 4;
  }
  while (p < end) c = T[(c ^ data[p++]!) & 0xff]! ^ (c >>> 8);
  return ~c >>> 0;
}
