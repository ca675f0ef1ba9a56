// Parameter rendering exactly as libsinsp's sinsp_evt::get_param_as_str prints it: a plain value plus,
// for some types, a resolved form shown in parentheses (`fd=3(<f>/etc/ld.so.cache)`, `res=-2(ENOENT)`,
// `flags=4097(O_RDONLY|O_CLOEXEC)`, `tid=20072(cat)`). The fd, thread and user tables come from the state
// engine, so a parameter renders as it would have at that point of the capture.
//
// Names, types, formats and flag names follow the event table sysdig 0.29.3 was built with wherever it
// knows the event in the layout the event has (a capture recorded by sysdig prints as sysdig printed it),
// and libs HEAD otherwise: events 0.29.3 did not know, and events in a current layout, which carry more
// parameters than 0.29.3's table lists (what the probe records: read exit = res, data, fd, size).
import {
  AF,
  dynParamTypes,
  EVENT_MAX,
  EVENTS,
  EVENTS_SYSDIG_0_29,
  type EventInfo,
  type EventView,
  errnoName,
  FdType,
  isEnumType,
  type NamesFlavor,
  PF,
  PT,
  paramNameTable,
  renderFlags,
  SYSCALL_NAMES,
  sanitizeString,
  signalName,
  socketAddressText,
  socketTupleText,
} from '@scapkit/scap-format';
import type { StateEngine } from '../state/engine.js';
import { isOldLayoutOf } from '../state/event-facts.js';
import { fdTypeChar, L4, l4protoChar } from '../state/fd.js';
import { concatenatePaths } from '../state/paths.js';
import { effectiveL4 } from '../state/sockets.js';
import type { Thread } from '../state/thread.js';
import { type BufferFormat, bufferToDots, MAX_BUFFER_OUTPUT, renderBuffer } from './buffer.js';
import type { ServiceNames } from './services.js';

const TWO32 = 4294967296;
const AT_FDCWD = -100;

/**
 * sysdig 0.29.3's schema for an event id when it knew the event, else undefined; with the number of
 * parameters it lists (an event with more is in a current layout).
 */
const OLD: readonly (EventInfo | undefined)[] = EVENTS.map((e, id) => {
  const old = EVENTS_SYSDIG_0_29[id];
  return old && old.name === e.name ? old : undefined;
});

/**
 * Whether event `v` prints as sysdig 0.29.3 printed it: 0.29.3 knew the event and the event has no more
 * parameters than 0.29.3's layout of it. Otherwise (an event 0.29.3 did not know, or one in the current
 * layout with parameters appended) every parameter renders by the libs HEAD table, as current libs print it.
 */
export function isOldLayout(v: EventView): boolean {
  return isOldLayoutOf(v.type, v.paramCount());
}

/** The schema the parameters of `v` render by (see isOldLayout). */
export function renderInfo(v: EventView): EventInfo | undefined {
  const t = v.type;
  if (t >= EVENT_MAX) return undefined;
  return isOldLayout(v) ? OLD[t] : EVENTS[t];
}

/** The schema sysdig 0.29.3 used for an event id when it knew the event, else libs HEAD's. */
export function compatInfo(type: number): EventInfo | undefined {
  return type < EVENT_MAX ? (OLD[type] ?? EVENTS[type]) : undefined;
}

// DataViews on the last two byte arrays rendered from (the batch, a stored enter event): one per batch
// instead of one per parameter.
let dvData0: Uint8Array | undefined;
let dv0: DataView = new DataView(new ArrayBuffer(0));
let dvData1: Uint8Array | undefined;
let dv1: DataView = dv0;

/** A DataView over the whole of `data` (offsets into `data` read as is). */
function viewOf(data: Uint8Array): DataView {
  if (data === dvData0) return dv0;
  if (data === dvData1) return dv1;
  dvData1 = dvData0;
  dv1 = dv0;
  dvData0 = data;
  dv0 = new DataView(data.buffer, data.byteOffset, data.byteLength);
  return dv0;
}

/** What a DataView bounded to the parameter threw for a read past its end (a damaged trace). */
function outOfBounds(): never {
  throw new RangeError('Offset is outside the bounds of the DataView');
}

/** A 64-bit signed value at `off` of `data`, printed exactly. */
function i64Text(data: Uint8Array, off: number): string {
  const dv = viewOf(data);
  const hi = dv.getInt32(off + 4, true);
  if (hi >= -0x200000 && hi < 0x200000) return String(hi * TWO32 + dv.getUint32(off, true));
  return dv.getBigInt64(off, true).toString();
}

function u64Hex(data: Uint8Array, off: number): string {
  return viewOf(data).getBigUint64(off, true).toString(16).toUpperCase();
}
function u64Oct(data: Uint8Array, off: number): string {
  const v = viewOf(data).getBigUint64(off, true);
  return v === 0n ? '0' : `0${v.toString(8)}`;
}

/** C's `%lg`: 6 significant digits, trailing zeros dropped, exponent form outside 1e-4 … 1e6. */
export function formatLg(x: number): string {
  if (x === 0) return '0';
  const exp = Math.floor(Math.log10(Math.abs(x)));
  if (exp < -4 || exp >= 6) {
    let [m, e] = x.toExponential(5).split('e') as [string, string];
    if (m.includes('.')) m = m.replace(/0+$/, '').replace(/\.$/, '');
    const en = Number(e);
    return `${m}e${en < 0 ? '-' : '+'}${String(Math.abs(en)).padStart(2, '0')}`;
  }
  let s = x.toPrecision(6);
  if (s.includes('.')) s = s.replace(/0+$/, '').replace(/\.$/, '');
  return s;
}

/** strftime `%Y-%m-%d %H:%M:%S` in local time, from seconds since the epoch. */
function localDateTime(sec: number): { date: string; tz: string } {
  const d = new Date(sec * 1000);
  const p2 = (n: number) => String(n).padStart(2, '0');
  const off = -d.getTimezoneOffset();
  const tz = `${off < 0 ? '-' : '+'}${p2(Math.floor(Math.abs(off) / 60))}${p2(Math.abs(off) % 60)}`;
  return {
    date: `${d.getFullYear()}-${p2(d.getMonth() + 1)}-${p2(d.getDate())} ${p2(d.getHours())}:${p2(d.getMinutes())}:${p2(d.getSeconds())}`,
    tz,
  };
}

/**
 * Renders parameters of the current event. `value` returns the plain text and leaves the resolved text
 * (or '') in `resolved`: one renderer per pipeline, no allocation beyond the strings themselves.
 */
export class ParamRenderer {
  resolved = '';
  /** Cut long buffers to MAX_BUFFER_OUTPUT characters (text output); JSON output and -v show them whole. */
  truncate = true;
  /** How buffers print (sysdig's -A, -x, -X, -b; dots by default). */
  bufferFormat: BufferFormat = 'dots';
  /** Port numbers of IPv4/IPv6 addresses, tuples and socket names print as service names (sysdig -R). */
  services: ServiceNames | undefined = undefined;

  constructor(private readonly state: StateEngine) {}

  /** The plain text of parameter `i` (sinsp's paramstr); the resolved text goes to `this.resolved`. */
  value(v: EventView, i: number, thread: Thread | undefined): string {
    this.resolved = '';
    const type = v.type;
    // An event in the layout sysdig 0.29.3 knew prints by its table; any other (a current layout with
    // parameters appended, an event 0.29.3 did not know) by libs HEAD's, parameter for parameter.
    const oldLayout = isOldLayout(v);
    const pinfo = (oldLayout ? OLD[type] : v.info)?.params[i];
    const flavor: NamesFlavor = oldLayout ? 'sysdig-0.29' : 'head';
    const len = v.paramLength(i);
    if (!pinfo) return bufferToDots(v.paramBytes(i));
    if (len === 0) {
      const t0 = pinfo.type;
      if (oldLayout) {
        // sysdig 0.29.3 prints an empty buffer or string as nothing, other empty parameters as NULL.
        return t0 === PT.BYTEBUF || t0 === PT.CHARBUF || t0 === PT.FSPATH || t0 === PT.FSRELPATH
          ? ''
          : 'NULL';
      }
      // Current libs: NULL for the types that could always be empty, <NA> for the others (strings too).
      return t0 === PT.BYTEBUF || t0 === PT.SOCKTUPLE || t0 === PT.FDLIST || t0 === PT.DYN ? 'NULL' : '<NA>';
    }
    let pt = pinfo.type;
    const fmt = pinfo.format;
    const data = v.data;
    let off = v.paramOffset(i);
    let plen = len;
    if (pt === PT.DYN) {
      const types = dynParamTypes(type, i);
      const idx = data[off]!;
      if (types && idx < types.length) {
        pt = types[idx]!;
        off += 1;
        plen -= 1;
      }
    }
    const dv = viewOf(data);
    switch (pt) {
      case PT.INT8:
        return plen >= 1 ? this.num(dv.getInt8(off), fmt, 8) : outOfBounds();
      case PT.INT16:
        return plen >= 2 ? this.num(dv.getInt16(off, true), fmt, 16) : '';
      case PT.INT32:
        return plen >= 4 ? this.num(dv.getInt32(off, true), fmt, 32) : '';
      case PT.UINT8:
        return plen >= 1 ? this.num(dv.getUint8(off), fmt, 8) : outOfBounds();
      case PT.UINT16:
        return plen >= 2 ? this.num(dv.getUint16(off, true), fmt, 16) : '';
      case PT.UINT32:
        // sinsp prints UINT32 with %d: values above 2^31 come out negative (except in hex/octal).
        return plen >= 4 ? this.num(dv.getUint32(off, true), fmt, 32, true) : '';
      case PT.INT64:
      case PT.UINT64:
        if (plen < 8) return '';
        if (fmt === PF.HEX) return u64Hex(data, off);
        if (fmt === PF.OCT) return u64Oct(data, off);
        if (fmt === PF.PADDED_DEC) return i64Text(data, off).padStart(9, '0');
        return i64Text(data, off);
      case PT.ERRNO: {
        if (plen < 8) return '';
        const s = i64Text(data, off);
        const val = dv.getInt32(off, true);
        if (s.charCodeAt(0) === 45) this.resolved = errnoName(val, flavor) ?? '';
        return s;
      }
      case PT.FD:
        return plen >= 8
          ? this.fd(dv.getInt32(off + 4, true) * TWO32 + dv.getUint32(off, true), thread, flavor)
          : '';
      case PT.FD32:
        return plen >= 4 ? this.fd(dv.getInt32(off, true), thread, flavor) : '';
      case PT.PID:
      case PT.PID32: {
        // A parameter shorter than its type (a damaged or crafted trace) has no value.
        if (plen < (pt === PT.PID ? 8 : 4)) return '';
        const pid =
          pt === PT.PID
            ? dv.getInt32(off + 4, true) * TWO32 + dv.getUint32(off, true)
            : dv.getInt32(off, true);
        const t = this.state.threads.get(pid);
        if (t) this.resolved = t.comm;
        return String(pid);
      }
      case PT.CHARBUF:
        return cstring(data, off, plen);
      case PT.FSPATH:
      case PT.FSRELPATH: {
        const p = sanitizeString(cstring(data, off, plen));
        if (thread && p !== '<NA>' && p.length > 0 && p.charCodeAt(0) !== 47) {
          this.resolved = concatenatePaths(this.baseDir(v, i, pt, thread), p);
        }
        return p;
      }
      case PT.BYTEBUF:
        return renderBuffer(
          data.subarray(off, off + plen),
          this.bufferFormat,
          this.truncate ? MAX_BUFFER_OUTPUT : 0,
        );
      case PT.SOCKADDR:
        return this.withServices(socketAddressText(data, off, plen), data[off]!);
      case PT.SOCKTUPLE:
        return this.withServices(socketTupleText(data, off, plen), data[off]!);
      case PT.FDLIST:
        return this.fdlist(data, off, plen, thread);
      case PT.SYSCALLID: {
        if (plen < 2) outOfBounds();
        const id = dv.getUint16(off, true);
        const name = SYSCALL_NAMES[id];
        this.resolved = name === undefined || name === 'unknown' ? '<unknown>' : name;
        return String(id);
      }
      case PT.SIGTYPE: {
        if (plen < 1) outOfBounds();
        const s = dv.getUint8(off);
        this.resolved = signalName(s) ?? '';
        return String(s);
      }
      case PT.RELTIME: {
        if (plen < 8) return '';
        const v64 = dv.getBigUint64(off, true);
        if (v64 === 0xffffffffffffffffn) return 'none';
        this.resolved = `${formatLg(Number(v64) / 1e9)}s`;
        return v64.toString();
      }
      case PT.ABSTIME: {
        if (plen < 8) return '';
        const v64 = dv.getBigUint64(off, true);
        const { date } = localDateTime(Number(v64 / 1000000000n));
        // sinsp 0.29.3 writes the nanoseconds with a 9-byte snprintf: 8 digits and the NUL that ends the
        // string; current libs with a 10-byte one: all 9 digits.
        const ns = String(v64 % 1000000000n).padStart(9, '0');
        return `${date}.${flavor === 'head' ? ns : ns.slice(0, 8)}`;
      }
      case PT.FLAGS8:
      case PT.FLAGS16:
      case PT.FLAGS32:
      case PT.ENUMFLAGS8:
      case PT.ENUMFLAGS16:
      case PT.ENUMFLAGS32: {
        const w =
          pt === PT.FLAGS8 || pt === PT.ENUMFLAGS8 ? 1 : pt === PT.FLAGS16 || pt === PT.ENUMFLAGS16 ? 2 : 4;
        if (plen < w) return '';
        const val = w === 1 ? dv.getUint8(off) : w === 2 ? dv.getUint16(off, true) : dv.getUint32(off, true);
        const table = paramNameTable(type, i, flavor);
        if (table) this.resolved = renderFlags(table, val, isEnumType(pt));
        return String(val);
      }
      case PT.MODE: {
        if (plen < 4) return '';
        const val = dv.getUint32(off, true);
        const table = paramNameTable(type, i, flavor);
        if (table) this.resolved = renderFlags(table, val);
        return this.num(val, fmt, 32, true);
      }
      case PT.UID:
      case PT.GID: {
        if (plen < 4) return '';
        const val = dv.getUint32(off, true);
        if (val === 0xffffffff) {
          this.resolved = '<NONE>';
          return '-1';
        }
        const name = pt === PT.UID ? this.state.users.get(val)?.name : this.state.groups.get(val)?.name;
        this.resolved = name ?? '<NA>';
        return String(val | 0);
      }
      case PT.SIGSET: {
        if (plen < 4) return '';
        const m = dv.getUint32(off, true);
        let s = '';
        for (let sig = 0; sig < 32; sig++) {
          if (m & (1 << sig)) {
            const n = signalName(sig + 1);
            if (n) s += s === '' ? n : ` ${n}`;
          }
        }
        return s;
      }
      case PT.DYN:
        return 'INVALID DYNAMIC PARAMETER';
      default:
        return '(n.a.)';
    }
  }

  /** An IPv4/IPv6 address or tuple with service names for its ports under -R (the event's fd's protocol). */
  private withServices(text: string, family: number): string {
    if (!this.services || (family !== AF.INET && family !== AF.INET6)) return text;
    const e = this.state.fd;
    return this.services.rename(text, e ? effectiveL4(e) : L4.UNKNOWN);
  }

  private num(n: number, fmt: number, bits: number, unsignedAsSigned = false): string {
    if (fmt === PF.HEX)
      return (n >>> 0)
        .toString(16)
        .toUpperCase()
        .slice(bits === 8 ? -2 : bits === 16 ? -4 : -8);
    if (fmt === PF.OCT) return n === 0 ? '0' : `0${(n >>> 0).toString(8)}`;
    const v = unsignedAsSigned && bits === 32 ? n | 0 : n;
    if (fmt === PF.PADDED_DEC) return String(v).padStart(9, '0');
    return String(v);
  }

  private fd(fd: number, thread: Thread | undefined, flavor: NamesFlavor): string {
    if (!thread) return String(fd);
    if (fd >= 0) {
      const e = this.state.getFd(thread, fd);
      if (e) {
        const tc = fdTypeChar(e.type);
        const isIp =
          e.type === FdType.IPV4_SOCK ||
          e.type === FdType.IPV6_SOCK ||
          e.type === FdType.IPV4_SERVSOCK ||
          e.type === FdType.IPV6_SERVSOCK;
        const l4 = isIp ? effectiveL4(e) : L4.NA;
        const name = isIp && this.services ? this.services.rename(e.name, l4) : e.name;
        this.resolved = `<${tc}${isIp ? l4protoChar(l4) : ''}>${sanitizeString(name)}`;
      }
    } else if (fd === AT_FDCWD) {
      this.resolved = 'AT_FDCWD';
    } else {
      this.resolved = errnoName(fd, flavor) ?? '';
    }
    return String(fd);
  }

  private fdlist(data: Uint8Array, off: number, len: number, thread: Thread | undefined): string {
    if (!thread || len < 2) return '';
    const dv = viewOf(data);
    const n = dv.getUint16(off, true);
    let s = '';
    let pos = 2;
    for (let j = 0; j < n && pos + 10 <= len; j++) {
      const fd = dv.getInt32(off + pos + 4, true) * TWO32 + dv.getUint32(off + pos, true);
      const e = this.state.getFd(thread, fd);
      const tc = e ? fdTypeChar(e.type) : '?';
      const ev = dv.getInt16(off + pos + 8, true) >>> 0;
      s += `${fd < 0 ? BigInt.asUintN(64, BigInt(fd)).toString() : fd}:${tc}${ev.toString(16)}`;
      if (j < n - 1) s += ' ';
      pos += 10;
    }
    return s;
  }

  /** The directory a FSPATH / FSRELPATH is relative to: the cwd, or the dirfd parameter's path. */
  private baseDir(v: EventView, i: number, pt: number, thread: Thread): string {
    const cwd = this.state.cwd(thread);
    if (pt !== PT.FSRELPATH) return cwd;
    // The dirfd is the FD parameter named dirfd (libs stores its index in the param info).
    const di = v.paramIndex('dirfd');
    if (di < 0 || di === i) return cwd;
    // A dirfd shorter than its type (a damaged or crafted trace) names no directory, as an unknown fd.
    if (v.paramLength(di) < 8) return '';
    const dirfd = v.paramI64(di);
    if (dirfd === AT_FDCWD) return cwd;
    const e = this.state.getFd(thread, dirfd);
    return e ? `${sanitizeString(e.name)}/` : '';
  }
}

function cstring(data: Uint8Array, off: number, len: number): string {
  let end = off;
  const stop = off + len;
  while (end < stop && data[end] !== 0) end++;
  return utf8.decode(data.subarray(off, end));
}

const utf8 = new TextDecoder('utf-8', { fatal: false });
