// Test helper: walks the records of a scapkit file (type byte, u32 length, body) by their lengths.
import { PREAMBLE_SIZE } from '../../src/index.js';

/** One record of a file: its type byte, the offset of that byte, and its length with the 5-byte prefix. */
export interface FileRecord {
  type: number;
  offset: number;
  length: number;
}

/** The records of a file, in order, found by their lengths from the end of the preamble. Stops at the
 *  first record whose 5-byte prefix is cut; a last record whose body is cut is still listed. */
export function records(bytes: Uint8Array): FileRecord[] {
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out: FileRecord[] = [];
  for (let p = PREAMBLE_SIZE; p + 5 <= bytes.length; ) {
    const length = 5 + dv.getUint32(p + 1, true);
    out.push({ type: bytes[p]!, offset: p, length });
    p += length;
  }
  return out;
}
