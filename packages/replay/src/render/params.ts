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
  type ParamInfo,
  PF,
  PT,
  paramNameTable,
  SYSCALL_NAMES,
  sanitizeString,
  signalName,
  socketAddressText,
  socketTupleText,
} from '@scapkit/scap-format';
import type { StateEngine } from '../state/engine.js';
import { isOldLayoutOf } from '../state/event-facts.js';
import { fdTypeChar, L4, l4protoChar } from '../state/fd.js';
import { AT_FDCWD, concatenatePaths } from '../state/paths.js';
import { effectiveL4 } from '../state/sockets.js';
import type { Thread } from '../state/thread.js';
import { type BufferFormat, MAX_BUFFER_OUTPUT, writeBuffer } from './buffer.js';
import { ByteWriter } from './byte-writer.js';
import { flagsText } from './flag-texts.js';
import type { ServiceNames } from './services.js';

const TWO32 = 4294967296;

/**
 * sysdig 0.29.3's schema for an event id when it knew the event, else undefined; with the number of
 * parameters it lists (an event with more is in a current layout).
 */
let OLD: readonly (EventInfo | undefined)[] | undefined;
/** OLD, built on first use (not at import: importing the library costs what it runs, issue #18). */
function oldTable(): readonly (EventInfo | undefined)[] {
  OLD ??= EVENTS.map((e, id) => {
    const old = EVENTS_SYSDIG_0_29[id];
    return old && old.name === e.name ? old : undefined;
  });
  return OLD;
}

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
  return isOldLayout(v) ? (OLD ?? oldTable())[t] : EVENTS[t];
}

/** The schema sysdig 0.29.3 used for an event id when it knew the event, else libs HEAD's. */
export function compatInfo(type: number): EventInfo | undefined {
  return type < EVENT_MAX ? ((OLD ?? oldTable())[type] ?? EVENTS[type]) : undefined;
}

/**
 * The names the parameters of one layout of an event (its type and number of parameters, see isOldLayout)
 * print with in evt.info: `names[i]` as text, and `name=` as UTF-8 in bytes [starts[i], starts[i + 1]).
 */
export interface ArgNames {
  readonly names: readonly string[];
  readonly bytes: Uint8Array;
  readonly starts: Uint32Array;
}

/** Layouts' names are kept for types below EVENT_MAX with fewer parameters than this (all real events). */
const ARG_NAMES_MAX_COUNT = 64;
/**
 * ArgNames by `type * ARG_NAMES_MAX_COUNT + count`, each made on first use (filled up front: an array
 * written at scattered indices would turn into a dictionary and every read into a hash lookup).
 */
let argNamesByLayout: (ArgNames | undefined)[] | undefined;
const nameEncoder = new TextEncoder();

/** The name parameter `i` of `v` prints with in evt.info (by the schema its values render by). */
function argName(v: EventView, i: number): string {
  return renderInfo(v)?.params[i]?.name ?? v.info?.params[i]?.name ?? `arg${i}`;
}

function makeArgNames(v: EventView): ArgNames {
  const n = v.paramCount();
  const names: string[] = [];
  for (let i = 0; i < n; i++) names.push(argName(v, i));
  const encoded = names.map((name) => nameEncoder.encode(`${name}=`));
  const starts = new Uint32Array(n + 1);
  for (let i = 0; i < n; i++) starts[i + 1] = (starts[i] ?? 0) + (encoded[i]?.length ?? 0);
  const bytes = new Uint8Array(starts[n] ?? 0);
  for (let i = 0; i < n; i++) bytes.set(encoded[i] ?? bytes.subarray(0, 0), starts[i]);
  return { names, bytes, starts };
}

/**
 * The parameter names of `v`'s layout, made once per layout (an event of an unknown type or with a damaged
 * parameter count gets them made afresh).
 */
export function argNames(v: EventView): ArgNames {
  const t = v.type;
  const n = v.paramCount();
  if (t >= EVENT_MAX || n >= ARG_NAMES_MAX_COUNT) return makeArgNames(v);
  const key = t * ARG_NAMES_MAX_COUNT + n;
  argNamesByLayout ??= new Array<ArgNames | undefined>(EVENT_MAX * ARG_NAMES_MAX_COUNT).fill(undefined);
  const byLayout = argNamesByLayout;
  let names = byLayout[key];
  if (names === undefined) {
    names = makeArgNames(v);
    byLayout[key] = names;
  }
  return names;
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

/** A 64-bit signed value at `off`, printed exactly. */
function writeI64(w: ByteWriter, dv: DataView, off: number): void {
  const hi = dv.getInt32(off + 4, true);
  if (hi >= -0x200000 && hi < 0x200000) w.num(hi * TWO32 + dv.getUint32(off, true));
  else w.str(dv.getBigInt64(off, true).toString());
}

/** A 64-bit unsigned value at `off` in upper-case hex. */
function writeU64Hex(w: ByteWriter, dv: DataView, off: number): void {
  const hi = dv.getUint32(off + 4, true);
  const lo = dv.getUint32(off, true);
  if (hi === 0) w.hex(lo, true);
  else {
    w.hex(hi, true);
    w.hex(lo, true, 8, 8);
  }
}

function u64Oct(dv: DataView, off: number): string {
  const v = dv.getBigUint64(off, true);
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
 * Renders parameters of the current event into a ByteWriter: the plain value, then the resolved form in
 * parentheses when the parameter has one. `value` gives the two as strings (the plain text returned, the
 * resolved text, or '', in `resolved`). One renderer per pipeline; nothing is allocated per parameter but
 * the few texts that come from elsewhere as strings (socket addresses, relative paths' resolution, times).
 */
export class ParamRenderer {
  resolved = '';
  /** Cut long buffers to MAX_BUFFER_OUTPUT characters (text output); JSON output and -v show them whole. */
  truncate = true;
  /** How buffers print (sysdig's -A, -x, -X, -b; dots by default). */
  bufferFormat: BufferFormat = 'dots';
  /** Port numbers of IPv4/IPv6 addresses, tuples and socket names print as service names (sysdig -R). */
  services: ServiceNames | undefined = undefined;
  /** Where the last `write` ended the plain value: the resolved form, if any, follows in parentheses. */
  private valueEnd = -1;
  /** Where the last `write` ended the plain value: `value(resolved)` when the writer is past it. */
  get lastValueEnd(): number {
    return this.valueEnd;
  }
  private readonly scratch = new ByteWriter();
  // The table the parameters of the last event rendered by, and what decided it (its type and number of
  // parameters, see isOldLayout): decided once per event and kind of event instead of once per parameter.
  private layoutType = -1;
  private layoutCount = -1;
  private layoutOld = false;
  private layoutParams: readonly ParamInfo[] | undefined = undefined;
  /** The name of the last directory fd baseDir() was asked for, and its text with the '/'. */
  private dirName = '';
  private dirPath = '/';

  constructor(private readonly state: StateEngine) {}

  /** The plain text of parameter `i` (sinsp's paramstr); the resolved text goes to `this.resolved`. */
  value(v: EventView, i: number, thread: Thread | undefined): string {
    const w = this.scratch;
    w.reset();
    this.write(v, i, thread, w);
    const end = this.valueEnd;
    this.resolved = w.pos > end ? w.text(end + 1, w.pos - 1) : '';
    return w.text(0, end);
  }

  /** Writes parameter `i` as evt.info shows it: `value`, or `value(resolved)`. */
  write(v: EventView, i: number, thread: Thread | undefined, w: ByteWriter): void {
    this.valueEnd = -1;
    this.writeParam(v, i, thread, w);
    if (this.valueEnd < 0) this.valueEnd = w.pos;
  }

  /** Opens the resolved form (after the plain value is written). */
  private open(w: ByteWriter): void {
    this.valueEnd = w.pos;
    w.byte(0x28);
  }

  /** Closes the resolved form; an empty one is no resolved form at all. */
  private close(w: ByteWriter): void {
    if (w.pos === this.valueEnd + 1) {
      w.pos = this.valueEnd;
      this.valueEnd = -1;
    } else w.byte(0x29);
  }

  /** A resolved form given as text ('' for none). */
  private resolvedText(w: ByteWriter, s: string): void {
    if (s === '') return;
    this.open(w);
    w.str(s);
    w.byte(0x29);
  }

  private writeParam(v: EventView, i: number, thread: Thread | undefined, w: ByteWriter): void {
    const type = v.type;
    // An event in the layout sysdig 0.29.3 knew prints by its table; any other (a current layout with
    // parameters appended, an event 0.29.3 did not know) by libs HEAD's, parameter for parameter.
    const count = v.paramCount();
    if (type !== this.layoutType || count !== this.layoutCount) {
      this.layoutType = type;
      this.layoutCount = count;
      this.layoutOld = isOldLayoutOf(type, count);
      this.layoutParams = (this.layoutOld ? (OLD ?? oldTable())[type] : v.info)?.params;
    }
    const oldLayout = this.layoutOld;
    const pinfo = this.layoutParams?.[i];
    const flavor: NamesFlavor = oldLayout ? 'sysdig-0.29' : 'head';
    const len = v.paramLength(i);
    if (!pinfo) {
      writeBuffer(w, v.data, v.paramOffset(i), len, 'dots', 0);
      return;
    }
    if (len === 0) {
      const t0 = pinfo.type;
      if (oldLayout) {
        // sysdig 0.29.3 prints an empty buffer or string as nothing, other empty parameters as NULL.
        if (t0 !== PT.BYTEBUF && t0 !== PT.CHARBUF && t0 !== PT.FSPATH && t0 !== PT.FSRELPATH) w.str('NULL');
        return;
      }
      // Current libs: NULL for the types that could always be empty, <NA> for the others (strings too).
      w.str(t0 === PT.BYTEBUF || t0 === PT.SOCKTUPLE || t0 === PT.FDLIST || t0 === PT.DYN ? 'NULL' : '<NA>');
      return;
    }
    let pt = pinfo.type;
    const fmt = pinfo.format;
    const data = v.data;
    let off = v.paramOffset(i);
    let plen = len;
    if (pt === PT.DYN) {
      const types = dynParamTypes(type, i);
      const dynType = types?.[data[off] ?? types.length];
      if (dynType !== undefined) {
        pt = dynType;
        off += 1;
        plen -= 1;
      }
    }
    const dv = viewOf(data);
    switch (pt) {
      case PT.INT8:
        if (plen < 1) outOfBounds();
        this.num(w, dv.getInt8(off), fmt, 8);
        return;
      case PT.INT16:
        if (plen >= 2) this.num(w, dv.getInt16(off, true), fmt, 16);
        return;
      case PT.INT32:
        if (plen >= 4) this.num(w, dv.getInt32(off, true), fmt, 32);
        return;
      case PT.UINT8:
        if (plen < 1) outOfBounds();
        this.num(w, dv.getUint8(off), fmt, 8);
        return;
      case PT.UINT16:
        if (plen >= 2) this.num(w, dv.getUint16(off, true), fmt, 16);
        return;
      case PT.UINT32:
        // sinsp prints UINT32 with %d: values above 2^31 come out negative (except in hex/octal).
        if (plen >= 4) this.num(w, dv.getUint32(off, true), fmt, 32, true);
        return;
      case PT.INT64:
      case PT.UINT64:
        if (plen < 8) return;
        if (fmt === PF.HEX) writeU64Hex(w, dv, off);
        else if (fmt === PF.OCT) w.str(u64Oct(dv, off));
        else if (fmt === PF.PADDED_DEC) {
          const start = w.pos;
          writeI64(w, dv, off);
          padStart(w, start, 9);
        } else writeI64(w, dv, off);
        return;
      case PT.ERRNO:
        if (plen < 8) return;
        writeI64(w, dv, off);
        if (dv.getInt32(off + 4, true) < 0)
          this.resolvedText(w, errnoName(dv.getInt32(off, true), flavor) ?? '');
        return;
      case PT.FD:
        if (plen >= 8)
          this.fd(w, dv.getInt32(off + 4, true) * TWO32 + dv.getUint32(off, true), thread, flavor);
        return;
      case PT.FD32:
        if (plen >= 4) this.fd(w, dv.getInt32(off, true), thread, flavor);
        return;
      case PT.PID:
      case PT.PID32: {
        // A parameter shorter than its type (a damaged or crafted trace) has no value.
        if (plen < (pt === PT.PID ? 8 : 4)) return;
        const pid =
          pt === PT.PID
            ? dv.getInt32(off + 4, true) * TWO32 + dv.getUint32(off, true)
            : dv.getInt32(off, true);
        w.num(pid);
        const t = this.state.threads.get(pid);
        if (t) this.resolvedText(w, t.comm);
        return;
      }
      case PT.CHARBUF:
        writeCString(w, data, off, plen, false);
        return;
      case PT.FSPATH:
      case PT.FSRELPATH: {
        const start = w.pos;
        const verbatim = writeCString(w, data, off, plen, true);
        if (!thread || w.pos === start || w.buf[start] === 0x2f || isNA(w, start)) return;
        const dir = this.baseDir(v, i, pt, thread);
        // A path printed as its bytes are (printable ASCII, the parameter itself, not a dynamic one's
        // payload) resolves to the name the state engine keeps for those bytes: no text is built again.
        this.resolvedText(
          w,
          verbatim && pt === pinfo.type
            ? this.state.pathNames.join(dir, v, i)
            : concatenatePaths(dir, w.text(start)),
        );
        return;
      }
      case PT.BYTEBUF:
        writeBuffer(w, data, off, plen, this.bufferFormat, this.truncate ? MAX_BUFFER_OUTPUT : 0);
        return;
      case PT.SOCKADDR:
        w.str(this.withServices(socketAddressText(data, off, plen), dv.getUint8(off)));
        return;
      case PT.SOCKTUPLE:
        w.str(this.withServices(socketTupleText(data, off, plen), dv.getUint8(off)));
        return;
      case PT.FDLIST:
        this.fdlist(w, dv, off, plen, thread);
        return;
      case PT.SYSCALLID: {
        if (plen < 2) outOfBounds();
        const id = dv.getUint16(off, true);
        const name = SYSCALL_NAMES[id];
        w.uint32(id);
        this.resolvedText(w, name === undefined || name === 'unknown' ? '<unknown>' : name);
        return;
      }
      case PT.SIGTYPE: {
        if (plen < 1) outOfBounds();
        const sig = dv.getUint8(off);
        w.uint32(sig);
        this.resolvedText(w, signalName(sig) ?? '');
        return;
      }
      case PT.RELTIME: {
        if (plen < 8) return;
        const v64 = dv.getBigUint64(off, true);
        if (v64 === 0xffffffffffffffffn) {
          w.str('none');
          return;
        }
        w.str(v64.toString());
        this.resolvedText(w, `${formatLg(Number(v64) / 1e9)}s`);
        return;
      }
      case PT.ABSTIME: {
        if (plen < 8) return;
        const v64 = dv.getBigUint64(off, true);
        const { date } = localDateTime(Number(v64 / 1000000000n));
        // sinsp 0.29.3 writes the nanoseconds with a 9-byte snprintf: 8 digits and the NUL that ends the
        // string; current libs with a 10-byte one: all 9 digits.
        const ns = String(v64 % 1000000000n).padStart(9, '0');
        w.str(`${date}.${flavor === 'head' ? ns : ns.slice(0, 8)}`);
        return;
      }
      case PT.FLAGS8:
      case PT.FLAGS16:
      case PT.FLAGS32:
      case PT.ENUMFLAGS8:
      case PT.ENUMFLAGS16:
      case PT.ENUMFLAGS32: {
        const width =
          pt === PT.FLAGS8 || pt === PT.ENUMFLAGS8 ? 1 : pt === PT.FLAGS16 || pt === PT.ENUMFLAGS16 ? 2 : 4;
        if (plen < width) return;
        const val =
          width === 1 ? dv.getUint8(off) : width === 2 ? dv.getUint16(off, true) : dv.getUint32(off, true);
        w.uint32(val);
        const table = paramNameTable(type, i, flavor);
        if (table) this.resolvedText(w, flagsText(table, val, isEnumType(pt)));
        return;
      }
      case PT.MODE: {
        if (plen < 4) return;
        const val = dv.getUint32(off, true);
        this.num(w, val, fmt, 32, true);
        const table = paramNameTable(type, i, flavor);
        if (table) this.resolvedText(w, flagsText(table, val, false));
        return;
      }
      case PT.UID:
      case PT.GID: {
        if (plen < 4) return;
        const val = dv.getUint32(off, true);
        if (val === 0xffffffff) {
          w.str('-1(<NONE>)');
          this.valueEnd = w.pos - 8;
          return;
        }
        const name = pt === PT.UID ? this.state.users.get(val)?.name : this.state.groups.get(val)?.name;
        w.num(val | 0);
        this.resolvedText(w, name ?? '<NA>');
        return;
      }
      case PT.SIGSET: {
        if (plen < 4) return;
        const m = dv.getUint32(off, true);
        let first = true;
        for (let sig = 0; sig < 32; sig++) {
          if (m & (1 << sig)) {
            const n = signalName(sig + 1);
            if (n) {
              if (!first) w.byte(0x20);
              w.str(n);
              first = false;
            }
          }
        }
        return;
      }
      case PT.DYN:
        w.str('INVALID DYNAMIC PARAMETER');
        return;
      default:
        w.str('(n.a.)');
    }
  }

  /** An IPv4/IPv6 address or tuple with service names for its ports under -R (the event's fd's protocol). */
  private withServices(text: string, family: number): string {
    if (!this.services || (family !== AF.INET && family !== AF.INET6)) return text;
    const e = this.state.fd;
    return this.services.rename(text, e ? effectiveL4(e) : L4.UNKNOWN);
  }

  private num(w: ByteWriter, n: number, fmt: number, bits: number, unsignedAsSigned = false): void {
    if (fmt === PF.HEX) {
      w.hex(n >>> 0, true, bits === 8 ? 2 : bits === 16 ? 4 : 8);
      return;
    }
    if (fmt === PF.OCT) {
      if (n === 0) w.byte(0x30);
      else w.str(`0${(n >>> 0).toString(8)}`);
      return;
    }
    const v = unsignedAsSigned && bits === 32 ? n | 0 : n;
    if (fmt === PF.PADDED_DEC) {
      const start = w.pos;
      w.num(v);
      padStart(w, start, 9);
    } else w.num(v);
  }

  private fd(w: ByteWriter, fd: number, thread: Thread | undefined, flavor: NamesFlavor): void {
    w.num(fd);
    if (!thread) return;
    if (fd >= 0) {
      const e = this.state.getFd(thread, fd);
      if (e) {
        const isIp =
          e.type === FdType.IPV4_SOCK ||
          e.type === FdType.IPV6_SOCK ||
          e.type === FdType.IPV4_SERVSOCK ||
          e.type === FdType.IPV6_SERVSOCK;
        const l4 = isIp ? effectiveL4(e) : L4.NA;
        this.open(w);
        w.byte(0x3c);
        w.str(fdTypeChar(e.type));
        if (isIp) w.str(l4protoChar(l4));
        w.byte(0x3e);
        writeSanitized(w, isIp && this.services ? this.services.rename(e.name, l4) : e.name);
        this.close(w);
      }
    } else if (fd === AT_FDCWD) {
      this.resolvedText(w, 'AT_FDCWD');
    } else {
      this.resolvedText(w, errnoName(fd, flavor) ?? '');
    }
  }

  private fdlist(w: ByteWriter, dv: DataView, off: number, len: number, thread: Thread | undefined): void {
    if (!thread || len < 2) return;
    const n = dv.getUint16(off, true);
    let pos = 2;
    for (let j = 0; j < n && pos + 10 <= len; j++) {
      const fd = dv.getInt32(off + pos + 4, true) * TWO32 + dv.getUint32(off + pos, true);
      const e = this.state.getFd(thread, fd);
      if (fd < 0) w.str(BigInt.asUintN(64, BigInt(fd)).toString());
      else w.num(fd);
      w.byte(0x3a);
      w.str(e ? fdTypeChar(e.type) : '?');
      w.hex(dv.getInt16(off + pos + 8, true) >>> 0, false);
      if (j < n - 1) w.byte(0x20);
      pos += 10;
    }
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
    if (!e) return '';
    // Walks open one directory's entries through the same dirfd: its text is made once, not per event.
    if (e.name !== this.dirName) {
      this.dirName = e.name;
      this.dirPath = `${sanitizeString(e.name)}/`;
    }
    return this.dirPath;
  }
}

/** Left-pads with zeros what was written since `start` to `width` characters (String.padStart). */
function padStart(w: ByteWriter, start: number, width: number): void {
  const pad = width - (w.pos - start);
  if (pad <= 0) return;
  w.room(pad);
  const b = w.buf;
  b.copyWithin(start + pad, start, w.pos);
  b.fill(0x30, start, start + pad);
  w.pos += pad;
}

/** Whether what was written since `start` is `<NA>`. */
function isNA(w: ByteWriter, start: number): boolean {
  const b = w.buf;
  return (
    w.pos - start === 4 &&
    b[start] === 0x3c &&
    b[start + 1] === 0x4e &&
    b[start + 2] === 0x41 &&
    b[start + 3] === 0x3e
  );
}

/**
 * The C string at `off` (up to its NUL or `len` bytes) as UTF-8 decoding and encoding again would give it:
 * ASCII is copied as is, anything else goes through the decoder. With `sanitize`, control characters are
 * dropped (sinsp's sanitize_string). Returns whether the bytes were copied as they are (printable ASCII).
 */
function writeCString(w: ByteWriter, data: Uint8Array, off: number, len: number, sanitize: boolean): boolean {
  const stop = Math.min(off + len, data.length);
  let end = off;
  let ascii = true;
  for (; end < stop; end++) {
    const c = data[end] ?? 0;
    if (c === 0) break;
    if (c >= 0x80) ascii = false;
  }
  if (!ascii) {
    const s = utf8.decode(data.subarray(off, end));
    w.str(sanitize ? sanitizeString(s) : s);
    return false;
  }
  if (!sanitize) {
    w.bytes(data, off, end);
    return true;
  }
  w.room(end - off);
  const b = w.buf;
  let p = w.pos;
  for (let k = off; k < end; k++) {
    const c = data[k] ?? 0;
    if (c >= 0x20 && c !== 0x7f) b[p++] = c;
  }
  const copied = p - w.pos === end - off;
  w.pos = p;
  return copied;
}

/** `s` without its control characters (sinsp's sanitize_string). */
function writeSanitized(w: ByteWriter, s: string): void {
  const n = s.length;
  w.room(n);
  const b = w.buf;
  let p = w.pos;
  for (let k = 0; k < n; k++) {
    const c = s.charCodeAt(k);
    if (c >= 0x80) {
      w.pos = p;
      w.str(sanitizeString(s.slice(k)));
      return;
    }
    if (c >= 0x20 && c !== 0x7f) b[p++] = c;
  }
  w.pos = p;
}

const utf8 = new TextDecoder('utf-8', { fatal: false });
