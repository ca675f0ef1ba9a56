// msgpack encoding of the header, metadata and stats records. 64-bit integers stay exact: a bigint is
// written as int64/uint64 and read back as a bigint, a number above 32 bits as a float64 and read back as
// a number. Decoding yields plain data: msgpack-javascript refuses `__proto__` keys and we refuse any key
// that is not a string or number, so a file cannot reach a prototype.
import { Decoder, Encoder } from '@msgpack/msgpack';
import { ScapFormatError } from '../errors.js';
import type { CaptureMetadata, FdInfo } from '../metadata.js';

const encoder = new Encoder({ useBigInt64: true, ignoreUndefined: true });

const mapKeyConverter = (key: unknown): string | number => {
  if ((typeof key === 'string' && key !== '__proto__') || typeof key === 'number') return key;
  throw new Error(`map key ${JSON.stringify(String(key))} not allowed`);
};

export function encodeMsgpack(value: unknown): Uint8Array {
  return encoder.encode(value);
}

/** Decodes one msgpack value filling `bytes` exactly; `offset` is where `bytes` starts in the file. */
export function decodeMsgpack(bytes: Uint8Array, offset: number, what: string): unknown {
  try {
    return new Decoder({ useBigInt64: true, mapKeyConverter }).decode(bytes);
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

/** Metadata on disk: the model, with the fd tables as [tid, fds] pairs since msgpack maps key by string. */
export function metadataToWire(meta: CaptureMetadata): Record<string, unknown> {
  return {
    machine: meta.machine,
    threads: meta.threads,
    fds: [...meta.fds],
    users: meta.users,
    groups: meta.groups,
    interfaces: meta.interfaces,
    containers: meta.containers,
  };
}

function arrayField<T>(m: Record<string, unknown>, key: string, offset: number): T[] {
  const v = m[key];
  if (v === undefined) return [];
  if (!Array.isArray(v) || !v.every(isRecord)) {
    throw new ScapFormatError(`metadata: "${key}" is not a list of maps`, offset);
  }
  return v as T[];
}

/** Validates the shape of decoded metadata (lists of maps where lists are due) and rebuilds the model. */
export function metadataFromWire(v: unknown, offset: number): CaptureMetadata {
  const m = expectMap(v, offset, 'metadata');
  const fds = new Map<number, FdInfo[]>();
  const pairs = m.fds ?? [];
  if (!Array.isArray(pairs)) throw new ScapFormatError('metadata: "fds" is not a list', offset);
  for (const p of pairs) {
    if (!Array.isArray(p) || p.length !== 2 || typeof p[0] !== 'number' || !Array.isArray(p[1])) {
      throw new ScapFormatError('metadata: an "fds" entry is not [tid, fds]', offset);
    }
    if (!p[1].every(isRecord)) throw new ScapFormatError('metadata: an fd is not a map', offset);
    fds.set(p[0], p[1] as unknown as FdInfo[]);
  }
  const meta: CaptureMetadata = {
    threads: arrayField(m, 'threads', offset),
    fds,
    users: arrayField(m, 'users', offset),
    groups: arrayField(m, 'groups', offset),
    interfaces: arrayField(m, 'interfaces', offset),
    containers: arrayField(m, 'containers', offset),
  };
  if (m.machine !== undefined) meta.machine = expectMap(m.machine, offset, 'metadata.machine') as never;
  return meta;
}
