// EventEncoder: writes events in the 26-byte-header layout of EventBatch from JS parameter values, the
// inverse of decodeParam. Tests, benchmarks and the demo use it to make synthetic events. Every value is
// checked while the event is sized, before anything is reserved in the builder: a wrong value is a
// TypeError naming the event and parameter, and leaves the batch as it was.
//
// Accepted values per PT type: what decodeParam returns for it (types.ts), plus: any integer type takes a
// number or a bigint; any type takes `null` (written as an empty, zero-length parameter) and a Uint8Array
// (written as the raw payload, for malformed or hand-made parameters).
import type { EventBatchBuilder } from '../batch.js';
import { EV_LEN, EV_NPARAMS, EV_TID, EV_TYPE, EVENT_HEADER_SIZE } from '../batch.js';
import { EVENT_MAX, EVENTS, PARAM_TYPE_NAMES, PT } from '../schema/index.js';
import { isSigned64, PPM_AF_INET, PPM_AF_INET6, PPM_AF_UNIX, paramTypeWidth } from './decode.js';
import { dynParamTypes } from './dyn.js';
import { parseIpv4Text, parseIpv6Text } from './ip.js';
import type { DynValue, FdListEntry, ParamValue, SockAddr, SockTuple } from './types.js';

/** An event to encode. `params` may be shorter than the event table's list (an older writer), not longer. */
export interface EncodableEvent {
  /** ns since the epoch. */
  readonly ts: bigint;
  readonly tid: number;
  /** Event id (index in EVENTS). */
  readonly type: number;
  /** Frame cpu, default 0. */
  readonly cpu?: number;
  /** Frame flags (FRAME_STATE_ONLY, …), default 0. */
  readonly flags?: number;
  readonly params: readonly ParamValue[];
}

const TWO32 = 4294967296;
const textEncoder = new TextEncoder();

/** UTF-8 byte length of a string as TextEncoder writes it (lone surrogates become U+FFFD, 3 bytes). */
function utf8Length(s: string): number {
  let n = 0;
  for (let k = 0; k < s.length; k++) {
    const c = s.charCodeAt(k);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c <= 0xdbff && k + 1 < s.length) {
      const c2 = s.charCodeAt(k + 1);
      if (c2 >= 0xdc00 && c2 <= 0xdfff) {
        n += 4;
        k++;
      } else n += 3;
    } else n += 3;
  }
  return n;
}

class ParamError extends TypeError {
  override readonly name: string = 'ParamError';
}

function isObject(v: ParamValue): v is Exclude<ParamValue, null | number | bigint | string> {
  return typeof v === 'object' && v !== null;
}

/** Writes an integer (number or bigint) as `width` little-endian bytes, two's complement. */
function writeInt(dv: DataView, o: number, width: number, v: number | bigint, signed: boolean): void {
  if (width === 8) {
    if (typeof v === 'bigint') {
      dv.setBigUint64(o, BigInt.asUintN(64, v), true);
      return;
    }
    const lo = ((v % TWO32) + TWO32) % TWO32;
    const hi = (v - lo) / TWO32;
    dv.setUint32(o, lo, true);
    if (signed || hi < 0) dv.setInt32(o + 4, hi, true);
    else dv.setUint32(o + 4, hi, true);
    return;
  }
  const n = typeof v === 'bigint' ? Number(BigInt.asIntN(32, v)) : v;
  if (width === 1) dv.setUint8(o, n & 0xff);
  else if (width === 2) dv.setUint16(o, n & 0xffff, true);
  else dv.setUint32(o, n >>> 0, true);
}

function checkInt(v: ParamValue, width: number, where: () => string): number | bigint {
  if (typeof v === 'number') {
    // Two's complement of the width: both the signed and the unsigned range are accepted.
    const ok =
      Number.isInteger(v) &&
      (width === 8 ? Math.abs(v) <= 2 ** 64 : v >= -(2 ** (8 * width - 1)) && v < 2 ** (8 * width));
    if (!ok) throw new ParamError(`${where()}: ${v} is not a ${8 * width}-bit integer`);
    return v;
  }
  if (typeof v === 'bigint') {
    const min = -(1n << BigInt(8 * width - 1));
    const max = (1n << BigInt(8 * width)) - 1n;
    if (v < min || v > max) throw new ParamError(`${where()}: ${v} is not a ${8 * width}-bit integer`);
    return v;
  }
  throw new ParamError(`${where()}: expected a number or bigint, got ${describe(v)}`);
}

function describe(v: ParamValue): string {
  if (v === null) return 'null';
  if (v instanceof Uint8Array) return 'Uint8Array';
  if (Array.isArray(v)) return 'array';
  return typeof v;
}

/**
 * Computes payload sizes and writes parameters. One instance keeps scratch arrays between events; it is not
 * reentrant. `encodeEvent` uses a shared instance.
 */
export class EventEncoder {
  private sizes = new Uint32Array(32);
  private ip = new Uint8Array(16);

  /** Appends `ev` to `builder` as one framed event; returns the offset of its header in builder.buffer. */
  encode(builder: EventBatchBuilder, ev: EncodableEvent): number {
    const info = ev.type >= 0 && ev.type < EVENT_MAX ? EVENTS[ev.type] : undefined;
    if (!info) throw new RangeError(`event type ${ev.type} is not in the event table`);
    const n = ev.params.length;
    if (this.sizes.length < n) this.sizes = new Uint32Array(n);
    const wide = info.largePayload;
    let total = EVENT_HEADER_SIZE + n * (wide ? 4 : 2);
    for (const [i, value] of ev.params.entries()) {
      const param = info.params[i];
      if (!param)
        throw new RangeError(`${info.name} (${ev.type}) has ${info.params.length} parameters, got ${n}`);
      const size = this.size(ev.type, i, param.type, value);
      if (!wide && size > 0xffff) {
        throw new RangeError(`${info.name}.${param.name}: ${size} bytes do not fit a u16 length`);
      }
      this.sizes[i] = size;
      total += size;
    }
    const at = builder.reserve(total, ev.cpu ?? 0, ev.flags ?? 0);
    const buf = builder.buffer;
    const dv = builder.view;
    dv.setBigUint64(at, BigInt.asUintN(64, ev.ts), true);
    writeInt(dv, at + EV_TID, 8, ev.tid, true);
    dv.setUint32(at + EV_LEN, total, true);
    dv.setUint16(at + EV_TYPE, ev.type, true);
    dv.setUint32(at + EV_NPARAMS, n, true);
    let q = at + EVENT_HEADER_SIZE;
    let p = q + n * (wide ? 4 : 2);
    for (const [i, value] of ev.params.entries()) {
      const size = this.sizes[i] ?? 0; // sized by the loop above
      if (wide) dv.setUint32(q, size, true);
      else dv.setUint16(q, size, true);
      q += wide ? 4 : 2;
      if (size > 0) this.write(buf, dv, p, size, ev.type, i, info.params[i]?.type ?? PT.NONE, value);
      p += size;
    }
    return at;
  }

  // The parameter being sized or written, for error messages; a field rather than a closure per parameter
  // keeps encoding allocation-free for well-formed values.
  private ctxEvent = 0;
  private ctxIndex = 0;
  private ctxType = 0;
  private readonly where = (): string => {
    const info = EVENTS[this.ctxEvent];
    const t = this.ctxType;
    return `${info?.name ?? this.ctxEvent}.${info?.params[this.ctxIndex]?.name ?? this.ctxIndex} (${PARAM_TYPE_NAMES[t] ?? t})`;
  };

  private at(eventType: number, i: number, type: number): () => string {
    this.ctxEvent = eventType;
    this.ctxIndex = i;
    this.ctxType = type;
    return this.where;
  }

  /** Payload size of `v` as PT type `type` (parameter i of eventType, for DYN tables and messages). */
  size(eventType: number, i: number, type: number, v: ParamValue): number {
    if (v === null) return 0;
    if (v instanceof Uint8Array) return v.length;
    const where = this.at(eventType, i, type);
    const w = paramTypeWidth(type);
    if (w !== 0) {
      if (type === PT.DOUBLE) {
        if (typeof v !== 'number') throw new ParamError(`${where()}: expected a number, got ${describe(v)}`);
      } else if (type === PT.IPV4ADDR) this.checkIpv4(v, where);
      else if (type === PT.IPV6ADDR) this.checkIpv6(v, where);
      else checkInt(v, w, where);
      return w;
    }
    switch (type) {
      case PT.CHARBUF:
      case PT.FSPATH:
      case PT.FSRELPATH:
        return this.checkString(v, where) + 1;
      case PT.IPADDR:
        if (typeof v === 'string' && v.includes(':')) {
          this.checkIpv6(v, where);
          return 16;
        }
        this.checkIpv4(v, where);
        return 4;
      case PT.SOCKADDR: {
        const a = v as SockAddr;
        if (!isObject(v) || !('family' in a)) throw new ParamError(`${where()}: expected a SockAddr`);
        if (a.family === 'unix') return 1 + this.checkString(a.path, where) + 1;
        if (a.family === 'ipv4') {
          this.checkIpv4(a.addr, where);
          checkInt(a.port, 2, where);
          return 7;
        }
        if (a.family === 'ipv6') {
          this.checkIpv6(a.addr, where);
          checkInt(a.port, 2, where);
          return 19;
        }
        return 1 + this.checkBytes(a.data, where);
      }
      case PT.SOCKTUPLE: {
        const t = v as SockTuple;
        if (!isObject(v) || !('family' in t)) throw new ParamError(`${where()}: expected a SockTuple`);
        if (t.family === 'unix') {
          if (typeof t.source !== 'bigint' || typeof t.dest !== 'bigint') {
            throw new ParamError(`${where()}: unix tuple source and dest are bigints`);
          }
          return 17 + this.checkString(t.path, where) + 1;
        }
        if (t.family === 'ipv4' || t.family === 'ipv6') {
          const check = t.family === 'ipv4' ? this.checkIpv4 : this.checkIpv6;
          check.call(this, t.sip, where);
          check.call(this, t.dip, where);
          checkInt(t.sport, 2, where);
          checkInt(t.dport, 2, where);
          return t.family === 'ipv4' ? 13 : 37;
        }
        return 1 + this.checkBytes(t.data, where);
      }
      case PT.FDLIST:
        if (!Array.isArray(v)) throw new ParamError(`${where()}: expected an FdListEntry[]`);
        if (v.length > 0xffff) throw new ParamError(`${where()}: more than 65535 entries`);
        for (const e of v as readonly FdListEntry[]) {
          checkInt(e.fd, 8, where);
          checkInt(e.flags, 2, where);
        }
        return 2 + 10 * v.length;
      case PT.DYN: {
        const dyn = v as DynValue;
        if (!isObject(v) || !('index' in dyn)) throw new ParamError(`${where()}: expected a DynValue`);
        const t = dynParamTypes(eventType, i)?.[dyn.index] ?? PT.NONE;
        if (t !== dyn.type) {
          throw new ParamError(`${where()}: index ${dyn.index} selects type ${t}, value says ${dyn.type}`);
        }
        return 1 + (dyn.value === null ? 0 : this.size(eventType, i, t, dyn.value));
      }
      case PT.CHARBUFARRAY:
      case PT.CHARBUF_PAIR_ARRAY:
        throw new ParamError(`${where()}: in-memory pointer types only take null`);
      default:
        throw new ParamError(`${where()}: expected a Uint8Array or null, got ${describe(v)}`);
    }
  }

  /** Writes `v` as PT type `type` at `o` in `buf` (`dv` over the same bytes); `size` must come from `size()`. */
  write(
    buf: Uint8Array,
    dv: DataView,
    o: number,
    size: number,
    eventType: number,
    i: number,
    type: number,
    v: ParamValue,
  ): void {
    if (v === null) return;
    if (v instanceof Uint8Array) {
      buf.set(v, o);
      return;
    }
    const where = this.at(eventType, i, type);
    const w = paramTypeWidth(type);
    if (w !== 0) {
      if (type === PT.DOUBLE) dv.setFloat64(o, v as number, true);
      else if (type === PT.IPV4ADDR) this.putIpv4(buf, o, v as string, where);
      else if (type === PT.IPV6ADDR) this.putIpv6(buf, o, v as string, where);
      else writeInt(dv, o, w, v as number | bigint, isSigned64(type));
      return;
    }
    switch (type) {
      case PT.CHARBUF:
      case PT.FSPATH:
      case PT.FSRELPATH:
        this.putString(buf, o, size - 1, v as string);
        return;
      case PT.IPADDR:
        if (size === 16) this.putIpv6(buf, o, v as string, where);
        else this.putIpv4(buf, o, v as string, where);
        return;
      case PT.SOCKADDR: {
        const a = v as SockAddr;
        if (a.family === 'unix') {
          buf[o] = PPM_AF_UNIX;
          this.putString(buf, o + 1, size - 2, a.path);
        } else if (a.family === 'ipv4') {
          buf[o] = PPM_AF_INET;
          this.putIpv4(buf, o + 1, a.addr, where);
          dv.setUint16(o + 5, a.port, true);
        } else if (a.family === 'ipv6') {
          buf[o] = PPM_AF_INET6;
          this.putIpv6(buf, o + 1, a.addr, where);
          dv.setUint16(o + 17, a.port, true);
        } else {
          buf[o] = a.code;
          buf.set(a.data, o + 1);
        }
        return;
      }
      case PT.SOCKTUPLE: {
        const t = v as SockTuple;
        if (t.family === 'unix') {
          buf[o] = PPM_AF_UNIX;
          dv.setBigUint64(o + 1, BigInt.asUintN(64, t.source), true);
          dv.setBigUint64(o + 9, BigInt.asUintN(64, t.dest), true);
          this.putString(buf, o + 17, size - 18, t.path);
        } else if (t.family === 'ipv4') {
          buf[o] = PPM_AF_INET;
          this.putIpv4(buf, o + 1, t.sip, where);
          dv.setUint16(o + 5, t.sport, true);
          this.putIpv4(buf, o + 7, t.dip, where);
          dv.setUint16(o + 11, t.dport, true);
        } else if (t.family === 'ipv6') {
          buf[o] = PPM_AF_INET6;
          this.putIpv6(buf, o + 1, t.sip, where);
          dv.setUint16(o + 17, t.sport, true);
          this.putIpv6(buf, o + 19, t.dip, where);
          dv.setUint16(o + 35, t.dport, true);
        } else {
          buf[o] = t.code;
          buf.set(t.data, o + 1);
        }
        return;
      }
      case PT.FDLIST: {
        const list = v as readonly FdListEntry[];
        dv.setUint16(o, list.length, true);
        for (const [k, e] of list.entries()) {
          writeInt(dv, o + 2 + 10 * k, 8, e.fd, true);
          dv.setUint16(o + 10 + 10 * k, e.flags & 0xffff, true);
        }
        return;
      }
      case PT.DYN: {
        const dyn = v as DynValue;
        buf[o] = dyn.index;
        if (dyn.value !== null) this.write(buf, dv, o + 1, size - 1, eventType, i, dyn.type, dyn.value);
        return;
      }
    }
  }

  // Validation happens while sizing, before anything is reserved in the builder, so a bad value leaves
  // the batch untouched.
  private checkString(v: unknown, where: () => string): number {
    if (typeof v !== 'string') throw new ParamError(`${where()}: expected a string, got ${typeof v}`);
    return utf8Length(v);
  }

  private checkBytes(v: unknown, where: () => string): number {
    if (!(v instanceof Uint8Array)) throw new ParamError(`${where()}: expected a Uint8Array`);
    return v.length;
  }

  private checkIpv4(v: unknown, where: () => string): void {
    if (typeof v !== 'string' || !parseIpv4Text(v, this.ip, 0)) {
      throw new ParamError(`${where()}: '${String(v)}' is not an IPv4 address`);
    }
  }

  private checkIpv6(v: unknown, where: () => string): void {
    if (typeof v !== 'string' || !parseIpv6Text(v, this.ip, 0)) {
      throw new ParamError(`${where()}: '${String(v)}' is not an IPv6 address`);
    }
  }

  private putString(buf: Uint8Array, o: number, len: number, s: string): void {
    if (len > 0) textEncoder.encodeInto(s, buf.subarray(o, o + len));
    buf[o + len] = 0;
  }

  private putIpv4(buf: Uint8Array, o: number, s: string, where: () => string): void {
    if (!parseIpv4Text(s, buf, o)) throw new ParamError(`${where()}: '${s}' is not an IPv4 address`);
  }

  private putIpv6(buf: Uint8Array, o: number, s: string, where: () => string): void {
    if (!parseIpv6Text(s, this.ip, 0)) throw new ParamError(`${where()}: '${s}' is not an IPv6 address`);
    buf.set(this.ip, o);
  }

  /** `ev` encoded alone: the event bytes (header included), without a frame. */
  encodeToBytes(ev: EncodableEvent): Uint8Array {
    const b = new ScratchBuilder();
    const at = this.encode(b as unknown as EventBatchBuilder, ev);
    return b.buffer.slice(at, b.used);
  }
}

// A minimal stand-in for EventBatchBuilder (reserve/buffer/view), so encodeToBytes needs no batch.
class ScratchBuilder {
  buffer = new Uint8Array(0);
  view = new DataView(this.buffer.buffer);
  used = 0;
  reserve(eventLen: number): number {
    this.buffer = new Uint8Array(4 + eventLen);
    this.view = new DataView(this.buffer.buffer);
    this.used = 4 + eventLen;
    return 4;
  }
}

const shared = new EventEncoder();

/** Appends `ev` to `builder` (see EventEncoder); returns the offset of its header in builder.buffer. */
export function encodeEvent(builder: EventBatchBuilder, ev: EncodableEvent): number {
  return shared.encode(builder, ev);
}

/** The payload bytes of one value as PT type `type` (a DYN value needs `eventType`/`paramIndex` for its table). */
export function encodeParamBytes(
  type: number,
  value: ParamValue,
  eventType = -1,
  paramIndex = -1,
): Uint8Array {
  const size = shared.size(eventType, paramIndex, type, value);
  const out = new Uint8Array(size);
  if (size > 0) {
    shared.write(out, new DataView(out.buffer), 0, size, eventType, paramIndex, type, value);
  }
  return out;
}
