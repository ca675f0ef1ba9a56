// Exporter to the sysdig/Falco .scap format as current libs writes it (SHB 1.2, MI, IL_V2, UL_V2, PL_V9,
// FDL_V2, then EV_V2/EVF_V2/_LARGE event blocks), uncompressed, readable by Debian's sysdig 0.29.3.
//
// Events are written exactly as they are in the batches (same ids, same parameters: the contract "Events
// keep the ids they were recorded with" in docs/DEVELOPING.md is what makes a re-export byte-exact),
// except where sysdig 0.29.3 could not read them: with `target: 'sysdig-0.29'` (the default) downgrade.ts
// rewrites only those events and tables (newer ids, ppm_sc codes, fd types, over-long strings) and adds
// the enter events 0.29.3 builds its state from; a capture 0.29.3 reads already is written as it is.
// The metadata's containers become container events right after each section's tables, as libsinsp's
// dumper writes them (sysdig takes the leading ones as state and does not show them).
import { batchEventTs, EV_LEN, EV_TYPE, EVENT_HEADER_SIZE, type EventBatch, FRAME_SIZE } from '../batch.js';
import { ScapFormatError } from '../errors.js';
import {
  type CaptureMetadata,
  type ContainerInfo,
  emptyMetadata,
  type FdInfo,
  FdType,
  type ThreadInfo,
} from '../metadata.js';
import { parseIpv4Text, parseIpv6Text } from '../params/ip.js';
import { EVENT_MAX, EVENTS, eventTypeTable } from '../schema/index.js';
import type { CaptureStream } from '../source.js';
import { BT, SHB_MAGIC } from './blocks.js';
import { containerEvent } from './container-json.js';
import {
  type DowngradeOptions,
  downgradeMetadata,
  SysdigDowngrader,
  type SysdigTarget,
} from './downgrade.js';

export interface SysdigSink {
  write(b: Uint8Array): void | Promise<void>;
  close(): void | Promise<void>;
}

export interface SysdigWriteOptions {
  /** Bytes gathered before each sink.write (default 1 MiB). */
  chunkBytes?: number;
  /**
   * 'sysdig-0.29' (default): change what Debian's sysdig 0.29.3 cannot read or would read wrong (see
   * downgrade.ts; a capture it reads already is written byte for byte as it is). 'as-is': events and
   * tables exactly as recorded (for current libs readers).
   */
  target?: SysdigTarget;
  /** With target 'sysdig-0.29': tuning of the downgrade (tests, measurements). */
  downgrade?: DowngradeOptions;
}

export interface SysdigWriteResult {
  sections: number;
  events: number;
  bytes: number;
}

const utf8 = new TextEncoder();
/** libscap's read buffer: non-LARGE event blocks above this are refused, so bigger events go in LARGE blocks. */
const MAX_EVENT_BLOCK_BODY = 65536;
/** Per type: 1 for EF_LARGE_PAYLOAD types. Made by the first writer, not at import. */
const large = eventTypeTable(() => {
  const l = new Uint8Array(Math.max(EVENT_MAX, 1));
  for (let t = 0; t < EVENTS.length; t++) l[t] = EVENTS[t]?.largePayload ? 1 : 0;
  return l;
});

/** A growable little-endian byte buffer for building one block at a time. */
class Out {
  buf: Uint8Array;
  dv: DataView;
  len = 0;
  constructor(size: number) {
    this.buf = new Uint8Array(size);
    this.dv = new DataView(this.buf.buffer);
  }
  reserve(n: number): number {
    if (this.len + n > this.buf.length) {
      let size = this.buf.length * 2;
      while (size < this.len + n) size *= 2;
      const b = new Uint8Array(size);
      b.set(this.buf.subarray(0, this.len));
      this.buf = b;
      this.dv = new DataView(b.buffer);
    }
    const at = this.len;
    this.len += n;
    return at;
  }
  // reserve() first: it may replace this.buf, which `this.buf.set(b, this.reserve(n))` had already read.
  u8(v: number): void {
    const at = this.reserve(1);
    this.buf[at] = v;
  }
  u16(v: number): void {
    const at = this.reserve(2);
    this.dv.setUint16(at, v, true);
  }
  u32(v: number): void {
    const at = this.reserve(4);
    this.dv.setUint32(at, v >>> 0, true);
  }
  /** A 64-bit value from a number (negative = two's complement, so -1 stays all ones) or a bigint. */
  u64(v: number | bigint): void {
    const at = this.reserve(8);
    this.dv.setBigUint64(at, BigInt.asUintN(64, typeof v === 'bigint' ? v : BigInt(Math.trunc(v))), true);
  }
  bytes(b: Uint8Array): void {
    const at = this.reserve(b.length);
    this.buf.set(b, at);
  }
  ipv4(addr: string): void {
    const at = this.reserve(4);
    parseIpv4(addr, this.buf, at);
  }
  ipv6(addr: string): void {
    const at = this.reserve(16);
    parseIpv6(addr, this.buf, at);
  }
  /** u16 length + bytes, no NUL (the on-disk string form of the metadata blocks). */
  str(s: string): void {
    const b = utf8.encode(s);
    if (b.length > 0xffff) throw new RangeError(`string of ${b.length} bytes does not fit a u16 length`);
    this.u16(b.length);
    this.bytes(b);
  }
  /** A NUL-separated list, each item NUL-terminated (what libscap's /proc scan stores). */
  strList(items: readonly string[]): void {
    this.str(items.length ? `${items.join('\0')}\0` : '');
  }
  /** Starts a block; returns its start for endBlock. */
  beginBlock(type: number): number {
    const at = this.reserve(8);
    this.dv.setUint32(at, type, true);
    return at;
  }
  /** Pads to 4, appends the trailer and patches the header length. */
  endBlock(start: number): void {
    const pad = (4 - ((this.len - start) & 3)) & 3;
    const at = this.reserve(pad);
    this.buf.fill(0, at, this.len);
    const total = this.len - start + 4;
    this.dv.setUint32(start + 4, total, true);
    this.u32(total);
  }
}

function writeShb(o: Out): void {
  const s = o.beginBlock(BT.SHB);
  o.u32(SHB_MAGIC);
  o.u16(1);
  o.u16(2);
  o.u64(-1); // section length unknown
  o.endBlock(s);
}

function writeMachine(o: Out, m: NonNullable<CaptureMetadata['machine']>): void {
  const s = o.beginBlock(BT.MI);
  o.u32(m.numCpus);
  o.u64(m.memoryBytes);
  o.u64(m.maxPid ?? 0);
  const host = new Uint8Array(128);
  host.set(utf8.encode(m.hostname).subarray(0, 127));
  o.bytes(host);
  o.u64(m.bootTs ?? 0);
  o.u64(0); // flags
  o.u64(0);
  o.u64(0);
  o.endBlock(s);
}

function writeInterfaces(o: Out, md: CaptureMetadata): void {
  if (md.interfaces.length === 0) return;
  const s = o.beginBlock(BT.IL_V2);
  // libscap writes every IPv4 interface first, then the IPv6 ones.
  for (const fam of ['ipv4', 'ipv6'] as const) {
    for (const itf of md.interfaces) {
      if (itf.family !== fam) continue;
      const name = utf8.encode(itf.name);
      const v4 = fam === 'ipv4';
      const at = o.reserve(4); // entry length, not counting itself
      const from = o.len;
      o.u16(v4 ? 1 : 2);
      o.u16(name.length);
      const addrLen = v4 ? 4 : 16;
      for (const a of [itf.addr, itf.netmask, itf.bcast]) {
        const p = o.reserve(addrLen);
        if (v4) parseIpv4(a, o.buf, p);
        else parseIpv6(a, o.buf, p);
      }
      o.u64(itf.linkspeed ?? 0);
      o.bytes(name);
      o.dv.setUint32(at, o.len - from, true);
    }
  }
  o.endBlock(s);
}

function writeUsers(o: Out, md: CaptureMetadata): void {
  if (md.users.length === 0 && md.groups.length === 0) return;
  const s = o.beginBlock(BT.UL_V2);
  for (const u of md.users) {
    const at = o.reserve(4); // entry length, counting itself
    o.u8(0);
    o.u32(u.uid);
    o.u32(u.gid);
    o.str(u.name);
    o.str(u.homedir);
    o.str(u.shell);
    o.dv.setUint32(at, o.len - at, true);
  }
  for (const g of md.groups) {
    const at = o.reserve(4);
    o.u8(1);
    o.u32(g.gid);
    o.str(g.name);
    o.dv.setUint32(at, o.len - at, true);
  }
  o.endBlock(s);
}

/** Whether a thread has any field that only the post-0.10 layout (pidns_init_start_ts, tty, …) carries. */
function hasNewFields(t: ThreadInfo): boolean {
  return (
    Number(t.pidnsInitStartTs) !== 0 ||
    t.tty !== 0 ||
    t.exeUpperLayer ||
    t.exeLowerLayer ||
    t.exeFromMemfd ||
    Number(t.exeIno) !== 0 ||
    BigInt(t.exeInoCtime) !== 0n ||
    BigInt(t.exeInoMtime) !== 0n ||
    t.pgid !== -1
  );
}

function writeThreads(o: Out, md: CaptureMetadata): void {
  if (md.threads.length === 0) return;
  const s = o.beginBlock(BT.PL_V9);
  for (const t of md.threads) {
    const at = o.reserve(4); // entry length, counting itself
    o.u64(t.tid);
    o.u64(t.pid);
    o.u64(t.ptid);
    o.u64(t.sid);
    o.u64(t.vpgid);
    o.str(t.comm);
    o.str(t.exe);
    o.str(t.exepath);
    o.strList(t.args);
    o.str(t.cwd);
    o.u64(t.fdlimit);
    o.u32(t.flags);
    o.u32(t.uid);
    o.u32(t.gid);
    o.u32(t.vmsizeKb);
    o.u32(t.vmrssKb);
    o.u32(t.vmswapKb);
    o.u64(t.pfMajor);
    o.u64(t.pfMinor);
    o.strList(t.env);
    o.u64(t.vtid);
    o.u64(t.vpid);
    o.strList(t.cgroups);
    o.str(t.root);
    // Threads with nothing beyond capabilities get the pre-0.10 tail: libs' length heuristic then reads
    // it right, and so do older readers (sysdig 0.29.3), which do not know the two inserted fields.
    const full = hasNewFields(t);
    if (full) {
      o.u64(t.pidnsInitStartTs);
      o.u32(t.tty);
    }
    o.u32(t.loginuid);
    o.u8(t.exeWritable ? 1 : 0);
    o.u64(t.capInheritable);
    o.u64(t.capPermitted);
    o.u64(t.capEffective);
    if (full) {
      o.u8(t.exeUpperLayer ? 1 : 0);
      o.u64(t.exeIno);
      o.u64(t.exeInoCtime);
      o.u64(t.exeInoMtime);
      o.u8(t.exeFromMemfd ? 1 : 0);
      o.u8(t.exeLowerLayer ? 1 : 0);
      o.u64(t.pgid);
    }
    o.dv.setUint32(at, o.len - at, true);
  }
  o.endBlock(s);
}

function writeFdEntry(o: Out, f: FdInfo): void {
  const at = o.reserve(4); // entry length, counting itself
  o.u64(f.fd);
  o.u64(f.ino);
  o.u8(f.type);
  switch (f.type) {
    case FdType.IPV4_SOCK:
      o.ipv4(f.sip ?? '0.0.0.0');
      o.ipv4(f.dip ?? '0.0.0.0');
      o.u16(f.sport ?? 0);
      o.u16(f.dport ?? 0);
      o.u8(f.l4proto ?? 0);
      break;
    case FdType.IPV6_SOCK:
      o.ipv6(f.sip ?? '::');
      o.ipv6(f.dip ?? '::');
      o.u16(f.sport ?? 0);
      o.u16(f.dport ?? 0);
      o.u8(f.l4proto ?? 0);
      break;
    case FdType.IPV4_SERVSOCK:
      o.ipv4(f.sip ?? '0.0.0.0');
      o.u16(f.sport ?? 0);
      o.u8(f.l4proto ?? 0);
      break;
    case FdType.IPV6_SERVSOCK:
      o.ipv6(f.sip ?? '::');
      o.u16(f.sport ?? 0);
      o.u8(f.l4proto ?? 0);
      break;
    case FdType.UNIX_SOCK:
      o.u64(f.source ?? 0);
      o.u64(f.dest ?? 0);
      o.str(f.name);
      break;
    case FdType.FILE_V2:
      o.u32(f.openFlags ?? 0);
      o.str(f.name);
      if (f.dev !== undefined) o.u32(f.dev);
      break;
    case FdType.UNKNOWN:
      break;
    default:
      o.str(f.name);
  }
  o.dv.setUint32(at, o.len - at, true);
}

function writeFds(o: Out, md: CaptureMetadata): void {
  for (const [tid, list] of md.fds) {
    if (list.length === 0) continue;
    const s = o.beginBlock(BT.FDL_V2);
    o.u64(tid);
    for (const f of list) writeFdEntry(o, f);
    o.endBlock(s);
  }
}

/**
 * Writes `stream` as a sysdig .scap capture to `sink` (then closes it). Each metadata record starts a new
 * section (SHB + tables), as libsinsp resets its tables at a section boundary. If the stream fails (a cut
 * or corrupt input), everything converted so far is written and the sink closed before the error is
 * rethrown, so an export of a cut capture holds every complete event.
 */
export async function writeSysdigCapture(
  stream: CaptureStream,
  sink: SysdigSink,
  opts: SysdigWriteOptions = {},
): Promise<SysdigWriteResult> {
  const chunk = Math.max(4096, opts.chunkBytes ?? 1 << 20);
  const outBytes = chunk + MAX_EVENT_BLOCK_BODY + 64;
  let o = new Out(outBytes);
  const largeT = large();
  const res: SysdigWriteResult = { sections: 0, events: 0, bytes: 0 };
  let sinkFailed = false;
  // Handed-out buffers are never reused (the sink may keep them); one grown for a LARGE event is dropped.
  const flush = async (): Promise<void> => {
    if (o.len === 0) return;
    const b = o.buf.subarray(0, o.len);
    res.bytes += o.len;
    o = new Out(outBytes);
    try {
      await sink.write(b);
    } catch (e) {
      sinkFailed = true;
      throw e;
    }
  };
  const dg =
    (opts.target ?? 'sysdig-0.29') === 'sysdig-0.29' ? new SysdigDowngrader(opts.downgrade) : undefined;
  const section = (recorded: CaptureMetadata): void => {
    dg?.reset();
    const md = dg ? downgradeMetadata(recorded) : recorded;
    writeShb(o);
    if (md.machine) writeMachine(o, md.machine);
    writeInterfaces(o, md);
    writeUsers(o, md);
    writeThreads(o, md);
    writeFds(o, md);
    res.sections++;
    pendingContainers = md.containers;
  };
  // A section's container events carry the time of its first event (libsinsp stamps them with the last
  // event's time, or the current time before any), so they wait for it.
  let pendingContainers: readonly ContainerInfo[] = [];
  const writeContainers = (ts: bigint): void => {
    for (const c of pendingContainers) {
      const ev = containerEvent(c, ts);
      writeEvent(o, largeT, ev, 0, ev.length, 0, 0);
      res.events++;
    }
    pendingContainers = [];
  };

  // A section is written when its first event comes: tables that no event follows (a capture filter's
  // state records one after another, before any match) are replaced by the next ones, since sysdig 0.29.3
  // cannot restart at a section that holds no event ("could not restart capture: invalid block type").
  let pending: CaptureMetadata | undefined;
  try {
    for await (const rec of stream) {
      if (rec.kind === 'metadata') {
        pending = rec.metadata;
      } else if (rec.kind === 'events' && rec.batch.count > 0) {
        if (pending) {
          if (pendingContainers.length > 0) writeContainers(0n);
          section(pending);
          pending = undefined;
          await flush();
        } else if (res.sections === 0) section(emptyMetadata());
        if (pendingContainers.length > 0) writeContainers(batchEventTs(rec.batch, 0));
        writeEvents(o, rec.batch, res, dg);
        if (o.len >= chunk) await flush();
      }
    }
  } catch (e) {
    if (!sinkFailed) {
      await flush();
      await sink.close();
    }
    throw e;
  }
  // Tables with no event after them: kept when the capture has no other (a capture of tables alone).
  if (pending && res.sections === 0) section(pending);
  if (res.sections === 0) section(emptyMetadata());
  if (pendingContainers.length > 0) writeContainers(0n);
  await flush();
  await sink.close();
  return res;
}

/** Appends one block per event: EV_V2, EVF_V2 when the frame has flags, _LARGE variants where needed. */
function writeEvents(o: Out, batch: EventBatch, res: SysdigWriteResult, dg?: SysdigDowngrader): void {
  const { data, offsets, count } = batch;
  const dv = new DataView(data.buffer, data.byteOffset, data.byteLength);
  const largeT = large();
  for (let i = 0; i < count; i++) {
    const off = offsets[i] ?? -1;
    if (off < FRAME_SIZE || off + EVENT_HEADER_SIZE > data.length) {
      throw new ScapFormatError(`event ${i} of a batch lies outside its data`, -1);
    }
    const len = dv.getUint32(off + EV_LEN, true);
    if (len < EVENT_HEADER_SIZE || off + len > data.length) {
      throw new ScapFormatError(`event ${i} of a batch has length ${len} beyond its data`, -1);
    }
    const cpu = dv.getUint16(off - FRAME_SIZE, true);
    const flags = dv.getUint16(off - FRAME_SIZE + 2, true);
    const conv = dg?.convert(data, dv, off, len, flags);
    if (conv) {
      for (const e of conv) writeEvent(o, largeT, e.bytes, 0, e.bytes.length, cpu, e.flags);
      res.events += conv.length;
      continue;
    }
    writeEvent(o, largeT, data, off, len, cpu, flags);
    res.events++;
  }
}

/** Appends one event block for the event of `len` bytes at `off` in `data` (`largeT`: large()). */
function writeEvent(
  o: Out,
  largeT: Uint8Array,
  data: Uint8Array,
  off: number,
  len: number,
  cpu: number,
  flags: number,
): void {
  const head = flags ? 6 : 2;
  const pad = (4 - ((len + head) & 3)) & 3;
  const total = 8 + head + len + pad + 4;
  const at = o.reserve(total);
  const b = o.buf;
  const w = o.dv;
  const p = at + 8 + head;
  // The caller checked `off + len` against the data: the default is never taken.
  if (len <= 96) for (let k = 0; k < len; k++) b[p + k] = data[off + k] ?? 0;
  else b.set(data.subarray(off, off + len), p);
  const type = w.getUint16(p + EV_TYPE, true);
  // EF_LARGE_PAYLOAD types always go in LARGE blocks (as libs writes them); so does any event too big
  // for libscap's 64 KiB read buffer (the block type only sizes that buffer: lengths stay per type).
  const large = (type < EVENT_MAX && largeT[type] === 1) || total - 8 > MAX_EVENT_BLOCK_BODY;
  const bt = large ? (flags ? BT.EVF_V2_LARGE : BT.EV_V2_LARGE) : flags ? BT.EVF_V2 : BT.EV_V2;
  w.setUint32(at, bt, true);
  w.setUint32(at + 4, total, true);
  w.setUint16(at + 8, cpu, true);
  if (flags) w.setUint32(at + 10, flags, true);
  for (let k = p + len; k < at + total - 4; k++) b[k] = 0;
  w.setUint32(at + total - 4, total, true);
}

/** Writes dotted-quad `s` into 4 bytes at `off`; a table entry that is not one is a bug upstream. */
function parseIpv4(s: string, out: Uint8Array, off: number): void {
  if (!parseIpv4Text(s, out, off)) throw new Error(`not an IPv4 address: ${s}`);
}

/** Writes IPv6 text `s` into 16 bytes at `off` (a dotted quad as its IPv4-mapped address). */
function parseIpv6(s: string, out: Uint8Array, off: number): void {
  if (!parseIpv6Text(s, out, off)) throw new Error(`not an IPv6 address: ${s}`);
}
