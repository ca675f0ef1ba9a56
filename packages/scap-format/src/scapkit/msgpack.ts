// msgpack encoding of the header, metadata and stats records. 64-bit integers stay exact: a bigint is
// written as int64/uint64 and read back as a bigint, a number above 32 bits as a float64 and read back as
// a number. Decoding yields plain data: msgpack-javascript refuses `__proto__` keys and we refuse any key
// that is not a string or number, so a file cannot reach a prototype.
import { Decoder, Encoder } from '@msgpack/msgpack';
import { ScapFormatError } from '../errors.js';

const encoder = new Encoder({ useBigInt64: true, ignoreUndefined: true });

const mapKeyConverter = (key: unknown): string | number => {
  if ((typeof key === 'string' && key !== '__proto__') || typeof key === 'number') return key;
  throw new Error(`map key ${JSON.stringify(String(key))} not allowed`);
};

export function encodeMsgpack(value: unknown): Uint8Array {
  return encoder.encode(value);
}

/**
 * Bounds on declared sizes, far above any real table (4M entries: a box's pid_max at most) but low enough
 * that a hostile record cannot have the decoder build a billion-slot array out of one record. The number
 * of objects a metadata record may build is bounded separately (checkMsgpackContainers, metadata-wire.ts).
 */
const DECODE_LIMITS = {
  maxArrayLength: 1 << 22,
  maxMapLength: 1 << 16,
  maxStrLength: 16 << 20,
  maxBinLength: 64 << 20,
  maxExtLength: 1 << 16,
};

/** Decodes one msgpack value filling `bytes` exactly; `offset` is where `bytes` starts in the file. */
export function decodeMsgpack(bytes: Uint8Array, offset: number, what: string): unknown {
  try {
    return new Decoder({ useBigInt64: true, mapKeyConverter, ...DECODE_LIMITS }).decode(bytes);
  } catch (e) {
    throw new ScapFormatError(`${what}: invalid msgpack (${(e as Error).message})`, offset);
  }
}

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Uint8Array);

/** The decoded value as a map, or a ScapFormatError. */
export function expectMap(v: unknown, offset: number, what: string): Record<string, unknown> {
  if (!isRecord(v)) throw new ScapFormatError(`${what}: expected a map`, offset);
  return v;
}

/**
 * Counts the maps and lists of the msgpack value at the start of `bytes` without building anything, and
 * throws a ScapFormatError once there are more than `max`: a one-byte empty map becomes a JS object of
 * tens of bytes, so a record's heap cost is bounded by its container count, not by its byte length.
 * Malformed input ends the walk quietly; decodeMsgpack then reports it.
 */
export function checkMsgpackContainers(bytes: Uint8Array, max: number, offset: number, what: string): void {
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const end = bytes.length;
  let p = 0;
  let pending = 1;
  let containers = 0;
  const container = (values: number): void => {
    if (++containers > max) {
      throw new ScapFormatError(`${what}: more than ${max} maps and lists`, offset + p);
    }
    pending += values;
  };
  while (pending > 0 && p < end) {
    pending--;
    const b = dv.getUint8(p++);
    let skip = 0;
    if (b <= 0x7f || b >= 0xe0 || b === 0xc0 || b === 0xc2 || b === 0xc3) skip = 0;
    else if (b <= 0x8f) container(2 * (b & 0x0f));
    else if (b <= 0x9f) container(b & 0x0f);
    else if (b <= 0xbf) skip = b & 0x1f;
    else {
      const need = (n: number): boolean => p + n <= end;
      switch (b) {
        case 0xc4:
        case 0xd9:
          if (!need(1)) return;
          skip = 1 + dv.getUint8(p);
          break;
        case 0xc5:
        case 0xda:
          if (!need(2)) return;
          skip = 2 + dv.getUint16(p);
          break;
        case 0xc6:
        case 0xdb:
          if (!need(4)) return;
          skip = 4 + dv.getUint32(p);
          break;
        case 0xc7:
          if (!need(1)) return;
          skip = 2 + dv.getUint8(p);
          break;
        case 0xc8:
          if (!need(2)) return;
          skip = 3 + dv.getUint16(p);
          break;
        case 0xc9:
          if (!need(4)) return;
          skip = 5 + dv.getUint32(p);
          break;
        case 0xca:
        case 0xce:
        case 0xd2:
          skip = 4;
          break;
        case 0xcb:
        case 0xcf:
        case 0xd3:
          skip = 8;
          break;
        case 0xcc:
        case 0xd0:
          skip = 1;
          break;
        case 0xcd:
        case 0xd1:
          skip = 2;
          break;
        case 0xd4:
          skip = 2;
          break;
        case 0xd5:
          skip = 3;
          break;
        case 0xd6:
          skip = 5;
          break;
        case 0xd7:
          skip = 9;
          break;
        case 0xd8:
          skip = 17;
          break;
        case 0xdc:
          if (!need(2)) return;
          container(dv.getUint16(p));
          skip = 2;
          break;
        case 0xdd:
          if (!need(4)) return;
          container(dv.getUint32(p));
          skip = 4;
          break;
        case 0xde:
          if (!need(2)) return;
          container(2 * dv.getUint16(p));
          skip = 2;
          break;
        case 0xdf:
          if (!need(4)) return;
          container(2 * dv.getUint32(p));
          skip = 4;
          break;
        default:
          return; // 0xc1: never used
      }
    }
    p += skip;
  }
}
