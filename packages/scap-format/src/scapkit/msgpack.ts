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
 * Bounds on declared sizes, far above any real table (millions of threads, fds) but low enough that a
 * hostile record cannot have the decoder build a billion-slot array out of one record.
 */
const DECODE_LIMITS = {
  maxArrayLength: 1 << 24,
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
