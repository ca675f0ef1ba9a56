// decodeParam: one parameter of an EventView as a typed JS value, decoded only when asked for. Fixed-width
// types read straight from the batch and allocate nothing (a bigint only for a 64-bit value beyond 2^53);
// byte buffers come back as views into the batch, not copies.
//
// Value per PT type (see types.ts for the shapes):
//   INT8…INT32, UINT8…UINT32, FD32, PID32, SYSCALLID, SIGTYPE, SIGSET, PORT, L4PROTO, SOCKFAMILY, BOOL,
//   UID, GID, MODE, FLAGS*, ENUMFLAGS*                      → number (signed types signed, others unsigned)
//   INT64, UINT64, ERRNO, FD, PID, RELTIME, ABSTIME          → number if |v| ≤ 2^53−1, else bigint (RELTIME,
//                                                              ABSTIME, UINT64 unsigned; the others signed)
//   DOUBLE                                                   → number
//   CHARBUF, FSPATH, FSRELPATH                               → string up to the first NUL; the legacy
//                                                              "(NULL)" placeholder → null
//   BYTEBUF, NONE, IPV4NET, IPV6NET, IPNET                   → Uint8Array view (the *NET types are filter
//                                                              values, never event parameters)
//   IPV4ADDR, IPV6ADDR, IPADDR (4 or 16 bytes)               → address text as sysdig prints it (ip.ts)
//   SOCKADDR / SOCKTUPLE / FDLIST / DYN                      → SockAddr / SockTuple / FdListEntry[] / DynValue
//   CHARBUFARRAY, CHARBUF_PAIR_ARRAY                         → null (in-memory pointers, never valid in files)
// A zero-length parameter, an absent one, or a fixed-width one shorter than its type decodes to null.
import { cString, type EventView } from '../event.js';
import { EVENTS, type EventInfo, PT } from '../schema/index.js';
import { dynParamTypes } from './dyn.js';
import { formatIpv4, formatIpv6Ntop, formatIpv6Sysdig, isIpv4MappedIpv6 } from './ip.js';
import type { DynValue, FdListEntry, ParamValue, SockAddr, SockTuple } from './types.js';

const TWO32 = 4294967296;

/** PPM_AF_* values of the family byte of SOCKADDR / SOCKTUPLE. */
export const PPM_AF_UNIX = 1;
export const PPM_AF_INET = 2;
export const PPM_AF_INET6 = 10;

/** Fixed byte width of a PT type, or 0 for variable-length types. */
export function paramTypeWidth(type: number): number {
  switch (type) {
    case PT.INT8:
    case PT.UINT8:
    case PT.SIGTYPE:
    case PT.L4PROTO:
    case PT.SOCKFAMILY:
    case PT.FLAGS8:
    case PT.ENUMFLAGS8:
      return 1;
    case PT.INT16:
    case PT.UINT16:
    case PT.SYSCALLID:
    case PT.PORT:
    case PT.FLAGS16:
    case PT.ENUMFLAGS16:
      return 2;
    case PT.INT32:
    case PT.UINT32:
    case PT.BOOL:
    case PT.IPV4ADDR:
    case PT.FLAGS32:
    case PT.ENUMFLAGS32:
    case PT.UID:
    case PT.GID:
    case PT.SIGSET:
    case PT.MODE:
    case PT.FD32:
    case PT.PID32:
      return 4;
    case PT.INT64:
    case PT.UINT64:
    case PT.ERRNO:
    case PT.FD:
    case PT.PID:
    case PT.RELTIME:
    case PT.ABSTIME:
    case PT.DOUBLE:
      return 8;
    case PT.IPV6ADDR:
      return 16;
    default:
      return 0;
  }
}

/** Whether a 64-bit PT type is signed (ERRNO, FD, PID, INT64); the other 64-bit types are unsigned. */
export function isSigned64(type: number): boolean {
  return type === PT.INT64 || type === PT.ERRNO || type === PT.FD || type === PT.PID;
}

// Fixed-width reads through a DataView of the bytes being decoded: one per distinct array (a batch's data
// is decoded event after event), so a read allocates nothing and a read past the bytes throws instead of
// giving a made-up 0.
let dvBytes: Uint8Array | undefined;
let dvOfBytes: DataView = new DataView(new ArrayBuffer(0));
function bytesView(d: Uint8Array): DataView {
  if (d !== dvBytes) {
    dvBytes = d;
    dvOfBytes = new DataView(d.buffer, d.byteOffset, d.byteLength);
  }
  return dvOfBytes;
}
const u8 = (d: Uint8Array, o: number): number => bytesView(d).getUint8(o);
const u16 = (d: Uint8Array, o: number): number => bytesView(d).getUint16(o, true);
const u32 = (d: Uint8Array, o: number): number => bytesView(d).getUint32(o, true);
const i32 = (d: Uint8Array, o: number): number => bytesView(d).getInt32(o, true);

/** A 64-bit little-endian integer: a number when exact, else a bigint (the only allocating path). */
function int64(d: Uint8Array, o: number, signed: boolean): number | bigint {
  const lo = u32(d, o);
  const hi = signed ? i32(d, o + 4) : u32(d, o + 4);
  const v = hi * TWO32 + lo;
  if (Number.isSafeInteger(v)) return v;
  return (BigInt(hi) << 32n) | BigInt(lo);
}

function u64big(d: Uint8Array, o: number): bigint {
  return bytesView(d).getBigUint64(o, true);
}

function isLegacyNull(d: Uint8Array, off: number, len: number): boolean {
  // "(NULL)" optionally followed by its NUL: how old drivers wrote a missing string.
  if (len !== 6 && len !== 7) return false;
  if (len === 7 && d[off + 6] !== 0) return false;
  return (
    d[off] === 0x28 &&
    d[off + 1] === 0x4e &&
    d[off + 2] === 0x55 &&
    d[off + 3] === 0x4c &&
    d[off + 4] === 0x4c &&
    d[off + 5] === 0x29
  );
}

function decodeSockaddr(d: Uint8Array, off: number, len: number): SockAddr {
  const fam = u8(d, off);
  if (fam === PPM_AF_INET && len >= 7) {
    return { family: 'ipv4', addr: formatIpv4(d, off + 1), port: u16(d, off + 5) };
  }
  if (fam === PPM_AF_INET6 && len >= 19) {
    return { family: 'ipv6', addr: formatIpv6Sysdig(d, off + 1), port: u16(d, off + 17) };
  }
  if (fam === PPM_AF_UNIX) return { family: 'unix', path: cString(d, off + 1, len - 1) };
  return { family: 'unknown', code: fam, data: d.subarray(off + 1, off + len) };
}

function decodeSocktuple(d: Uint8Array, off: number, len: number): SockTuple {
  const fam = u8(d, off);
  if (fam === PPM_AF_INET && len >= 13) {
    return {
      family: 'ipv4',
      sip: formatIpv4(d, off + 1),
      sport: u16(d, off + 5),
      dip: formatIpv4(d, off + 7),
      dport: u16(d, off + 11),
    };
  }
  if (fam === PPM_AF_INET6 && len >= 37) {
    // libsinsp shortens a tuple to IPv4 only when both ends are IPv4-mapped (or all zero).
    const v4 = isIpv4MappedIpv6(d, off + 1) && isIpv4MappedIpv6(d, off + 19);
    return {
      family: 'ipv6',
      sip: v4 ? formatIpv4(d, off + 13) : formatIpv6Ntop(d, off + 1),
      sport: u16(d, off + 17),
      dip: v4 ? formatIpv4(d, off + 31) : formatIpv6Ntop(d, off + 19),
      dport: u16(d, off + 35),
    };
  }
  if (fam === PPM_AF_UNIX && len >= 17) {
    return {
      family: 'unix',
      source: u64big(d, off + 1),
      dest: u64big(d, off + 9),
      path: cString(d, off + 17, len - 17),
    };
  }
  return { family: 'unknown', code: fam, data: d.subarray(off + 1, off + len) };
}

function decodeFdlist(d: Uint8Array, off: number, len: number): FdListEntry[] {
  if (len < 2) return [];
  // The count is bounded by what the payload holds: a lying count cannot read past the parameter.
  const n = Math.min(u16(d, off), Math.floor((len - 2) / 10));
  const out: FdListEntry[] = new Array(n);
  for (let k = 0; k < n; k++) {
    const o = off + 2 + 10 * k;
    const fd = int64(d, o, true);
    out[k] = { fd: typeof fd === 'bigint' ? Number(fd) : fd, flags: u16(d, o + 8) };
  }
  return out;
}

function decodeDyn(d: Uint8Array, off: number, len: number, table: readonly number[] | undefined): DynValue {
  const index = u8(d, off);
  const type = table?.[index];
  if (type === undefined)
    return { index, type: PT.NONE, value: len > 1 ? d.subarray(off + 1, off + len) : null };
  return { index, type, value: decodeRawParam(type, d, off + 1, len - 1) };
}

/**
 * Decodes `len` bytes at `off` in `d` as a parameter of PT type `type` (the core of decodeParam, usable on
 * bytes that are not in an EventView). `dynTable` is the dynamic table for a PT_DYN parameter.
 */
export function decodeRawParam(
  type: number,
  d: Uint8Array,
  off: number,
  len: number,
  dynTable?: readonly number[],
): ParamValue {
  if (len === 0) return null;
  const w = paramTypeWidth(type);
  if (w !== 0 && len < w) return null;
  switch (type) {
    case PT.INT8:
      return bytesView(d).getInt8(off);
    case PT.UINT8:
    case PT.SIGTYPE:
    case PT.L4PROTO:
    case PT.SOCKFAMILY:
    case PT.FLAGS8:
    case PT.ENUMFLAGS8:
      return u8(d, off);
    case PT.INT16:
      return (u16(d, off) << 16) >> 16;
    case PT.UINT16:
    case PT.SYSCALLID:
    case PT.PORT:
    case PT.FLAGS16:
    case PT.ENUMFLAGS16:
      return u16(d, off);
    case PT.INT32:
    case PT.FD32:
    case PT.PID32:
      return i32(d, off);
    case PT.UINT32:
    case PT.BOOL:
    case PT.FLAGS32:
    case PT.ENUMFLAGS32:
    case PT.UID:
    case PT.GID:
    case PT.SIGSET:
    case PT.MODE:
      return u32(d, off);
    case PT.INT64:
    case PT.ERRNO:
    case PT.FD:
    case PT.PID:
      return int64(d, off, true);
    case PT.UINT64:
    case PT.RELTIME:
    case PT.ABSTIME:
      return int64(d, off, false);
    case PT.DOUBLE:
      return bytesView(d).getFloat64(off, true);
    case PT.CHARBUF:
    case PT.FSPATH:
    case PT.FSRELPATH:
      return isLegacyNull(d, off, len) ? null : cString(d, off, len);
    case PT.IPV4ADDR:
      return formatIpv4(d, off);
    case PT.IPV6ADDR:
      return formatIpv6Sysdig(d, off);
    case PT.IPADDR:
      if (len >= 16) return formatIpv6Sysdig(d, off);
      return len >= 4 ? formatIpv4(d, off) : null;
    case PT.SOCKADDR:
      return decodeSockaddr(d, off, len);
    case PT.SOCKTUPLE:
      return decodeSocktuple(d, off, len);
    case PT.FDLIST:
      return decodeFdlist(d, off, len);
    case PT.DYN:
      return decodeDyn(d, off, len, dynTable);
    case PT.CHARBUFARRAY:
    case PT.CHARBUF_PAIR_ARRAY:
      return null;
    default:
      // BYTEBUF, NONE, the *NET filter types and anything newer: the bytes themselves.
      return d.subarray(off, off + len);
  }
}

/**
 * Parameter `i` of the event under `view`, decoded per its PT type (see the header of this file). Absent
 * parameters (an older writer) and empty ones give null; events of a type the table does not know give
 * their raw bytes. `events` picks the event table whose types apply: the libs HEAD table by default, or
 * EVENTS_SYSDIG_0_29 to read values as sysdig 0.29.3 typed them (its execve loginuid was INT32, now UID;
 * its mmap res UINT64, now ERRNO); a parameter that table lacks falls back to the HEAD type.
 */
export function decodeParam(view: EventView, i: number, events: readonly EventInfo[] = EVENTS): ParamValue {
  if (i < 0 || i >= view.paramCount()) return null;
  const len = view.paramLength(i);
  if (len === 0) return null;
  const off = view.paramOffset(i);
  const t = view.type;
  const p = events[t]?.params[i] ?? view.info?.params[i];
  if (!p) return view.data.subarray(off, off + len);
  return decodeRawParam(p.type, view.data, off, len, p.type === PT.DYN ? dynParamTypes(t, i) : undefined);
}

/** All parameters of the event under `view` (allocates an array: for tests and tools, not hot paths). */
export function decodeParams(view: EventView, events: readonly EventInfo[] = EVENTS): ParamValue[] {
  const n = view.paramCount();
  const out: ParamValue[] = new Array(n);
  for (let i = 0; i < n; i++) out[i] = decodeParam(view, i, events);
  return out;
}
