// Downgrade for Debian's sysdig 0.29.3 (libs e5c53d64, 2022-03): what the exporter changes so that a trace
// recorded with current libs layouts (scapkit's probe: exit events carrying every parameter, few enter
// events, event ids up to 453, fd types up to 21) opens in 0.29.3 and shows the same processes, fds and
// events as `scapkit replay` does.
//
// Design. The writer uses this module when `target` is 'sysdig-0.29' (the default). Every rule touches
// only what 0.29.3 cannot read or would read wrong, so a capture that 0.29.3 reads already (any real
// sysdig capture, old or new) goes through unchanged, byte for byte:
//
//  1. Generic `syscall` events (ids 0/1) whose ppm_sc code is >= 329 get code 0 ("unknown"); nativeID is
//     kept. (Measured: 0.29.3 names codes up to 328, prints <NA> for 329 and crashes, exit 139, from 330 on,
//     e.g. rseq = 380, which every glibc program calls.)
//  2. Event ids 0.29.3 does not know (>= 336; it skips them silently) are rewritten to the newest id of
//     0.29.3's table with the same name and direction (dup2/dup3/dup_1 → dup, pipe2 → pipe,
//     accept4 → accept, inotify_init1 → inotify_init, eventfd2 → eventfd, signalfd4 → signalfd,
//     umount2 → umount), parameters matched by name (aliases below), reordered, extra ones dropped,
//     missing ones written empty (variable types) or zero, integer widths adapted (FD32/PID32 → 64 bit).
//     Syscall events with no 0.29.3 name become generic events with the syscall's ppm_sc code (0 when
//     0.29.3 does not know it either). Non-syscall events 0.29.3 lacks (useradded, asyncevent…) stay as
//     they are: 0.29.3 skips them, which is what it does with real captures that have them.
//  3. Enter events. 0.29.3's parsers take state from enter events (socket's domain/type/proto, the fd of
//     read/write/bind/listen/close/sendto/…, dup's old fd, fcntl's cmd, execve's filename), which current
//     drivers no longer emit; the exit events carry those parameters instead. An enter is written just
//     before an exit (same ts, cpu, the exit's values) when: 0.29.3's exit layout lacks some of its enter's
//     parameters (not open/openat/creat, whose exits carry them all); the recorded exit carries every one
//     of them by name (a 0.29-era exit never does: that is what tells a new recording from an old capture,
//     whose orphan exits stay as they are); and the thread's previous event is not already that enter
//     (connect/open/openat/openat2/creat keep real enters). Generic events get none (0.29.3 names a generic
//     exit from its own ID). Measured on a recording (lines of `-p` with fd fields that change when one
//     kind is left out, of 2244): close 102, dup 19, socket 12, read 10, fcntl 9, recvfrom 6, bind 4,
//     sendto 3, write/writev/ioctl 1 each; the others change nothing shown but are cheap and keep 0.29.3's
//     per-thread "last enter" right. The enters carry the state-only dump flag (`hideEnters`, default on):
//     0.29.3 parses them but prints none, so it prints the same events as replay; they still consume
//     evt.num values, so 0.29.3's evt.num runs ahead of replay's where enters were added.
//  4. Metadata: fd types 0.29.3 lacks (17 BPF … 21 PIDFD and anything newer) become FILE_V2 (memfd, a
//     file to 0.29.3) or UNSUPPORTED; thread strings over libscap's limits (comm/exe/exepath/cwd/root
//     1024 bytes, args/env/cgroups 4096) and fd names of 1024 bytes or more (to 1023) are cut at a UTF-8
//     boundary (0.29.3 refuses the whole file otherwise: "invalid exelen", "invalid filename len 1024",
//     "wrong fd type 17").
//  5. Podman's cgroupfs layout (`…/libpod-<id>`, podman --cgroup-manager cgroupfs) gets the `.scope` of
//     its systemd layout, in the thread table and in the `cgroups` of clone/fork/execve events: 0.29.3
//     knows only `/libpod-<id>.scope` and took those threads for the host's (container.id `host`).
import { EV_NPARAMS, EV_TID, EV_TYPE, EVENT_HEADER_SIZE } from '../batch.js';
import { type CaptureMetadata, type FdInfo, FdType, type ThreadInfo } from '../metadata.js';
import { paramTypeWidth } from '../params/decode.js';
import {
  EC,
  EVENTS,
  EVENTS_SYSDIG_0_29,
  type EventInfo,
  eventTypeTable,
  PT,
  SYSCALL_NAMES,
} from '../schema/index.js';

export type SysdigTarget = 'sysdig-0.29' | 'as-is';

/** Event ids sysdig 0.29.3 knows (PPM_EVENT_MAX of libs e5c53d64). */
export const SYSDIG_0_29_EVENT_MAX = EVENTS_SYSDIG_0_29.length;
/** ppm_sc codes sysdig 0.29.3 knows (its PPM_SC_MAX). */
export const SYSDIG_0_29_SC_MAX = 329;
/** Largest fd type sysdig 0.29.3 reads from an fd list (FILE_V2). */
export const SYSDIG_0_29_FD_TYPE_MAX = FdType.FILE_V2;
/** libscap's string limits for process-list entries and fd names (bytes, no NUL on disk). */
export const PATH_MAX_BYTES = 1024;
export const LIST_MAX_BYTES = 4096;
/** fd names: libscap refuses a length of 1024 ("invalid filename len"). */
export const FD_NAME_MAX_BYTES = 1023;

/** Names of current events that 0.29.3 knows under another name. */
const NAME_ALIAS: Readonly<Record<string, string>> = {
  dup2: 'dup',
  dup3: 'dup',
  pipe2: 'pipe',
  accept4: 'accept',
  inotify_init1: 'inotify_init',
  eventfd2: 'eventfd',
  signalfd4: 'signalfd',
  umount2: 'umount',
};
/** Per 0.29.3 event name: 0.29.3 parameter name → the current parameter it takes its value from. */
const PARAM_ALIAS: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  dup: { fd: 'oldfd' },
};

/**
 * Current events 0.29.3 has an event for but cannot be given safely: written as generic syscall events.
 * bpf: 0.29.3's bpf exit carries res_or_fd as PT_DYN, on which its evt.res and evt.failed crash (exit 139,
 * as on the captures its own driver wrote); 0.29.3 made no fd of it anyway.
 */
const GENERIC_IN_0_29 = new Set(['bpf']);

/** ppm_sc code by syscall name (the first of equal names); made on first use, not at import. */
const scByName = eventTypeTable(() => {
  const m = new Map<string, number>();
  SYSCALL_NAMES.forEach((n, i) => {
    if (!m.has(n)) m.set(n, i);
  });
  return m;
});

/** Where each parameter of a 0.29.3 layout comes from in a current event: index, or -1 (absent). */
interface Plan {
  /** 0.29.3 event to write, or undefined: write the event as it is. */
  target: EventInfo | undefined;
  src: Int16Array;
  /** For generic targets: the ppm_sc code to write. */
  sc: number;
  /** The 0.29.3 enter to synthesize before this exit (undefined: none), and its sources. */
  enter: EventInfo | undefined;
  enterSrc: Int16Array;
  /** Smallest nparams the event must have for the enter to be synthesized. */
  enterNeeds: number;
  /** Name of the 0.29.3 event, to compare with a real enter before it. */
  name: string;
}

const SIGNED = new Set<number>([
  PT.INT8,
  PT.INT16,
  PT.INT32,
  PT.INT64,
  PT.ERRNO,
  PT.FD,
  PT.PID,
  PT.FD32,
  PT.PID32,
  PT.RELTIME,
]);

function newestByName(name: string, dir: '>' | '<'): EventInfo | undefined {
  let best: EventInfo | undefined;
  for (const e of EVENTS_SYSDIG_0_29) if (e.name === name && e.dir === dir) best = e;
  return best;
}

/**
 * The name sysdig 0.29.3 knows a current event by after export (dup2 → dup, accept4 → accept …), or
 * undefined when it has no such event and the export writes it as a generic syscall event.
 */
export function sysdigEventName(name: string, dir: '>' | '<'): string | undefined {
  return sysdigEvent(name, dir)?.name;
}

/** 0.29.3's event for a current one (renamed by NAME_ALIAS), when the export writes one. */
function sysdigEvent(name: string, dir: '>' | '<'): EventInfo | undefined {
  if (name === 'NA' || GENERIC_IN_0_29.has(name)) return undefined;
  return newestByName(NAME_ALIAS[name] ?? name, dir);
}

function sources(from: EventInfo, to: EventInfo): Int16Array {
  const alias = PARAM_ALIAS[to.name] ?? {};
  return Int16Array.from(to.params, (p) => from.paramIndex.get(alias[p.name] ?? p.name) ?? -1);
}

function makePlan(cur: EventInfo): Plan {
  const type = cur.id;
  const plan: Plan = {
    target: undefined,
    src: new Int16Array(0),
    sc: 0,
    enter: undefined,
    enterSrc: new Int16Array(0),
    enterNeeds: 0,
    name: cur.name,
  };
  let exit: EventInfo | undefined;
  if (type >= SYSDIG_0_29_EVENT_MAX) {
    const old = sysdigEvent(cur.name, cur.dir);
    if (old) {
      plan.target = old;
      plan.src = sources(cur, old);
      plan.name = old.name;
      exit = old;
    } else if (cur.category & EC.SYSCALL && cur.name !== 'NA') {
      // 0.29.3 had no event for this syscall: it reported it as a generic one.
      const sc = scByName().get(cur.name) ?? 0;
      plan.target = EVENTS_SYSDIG_0_29[cur.dir === '>' ? 0 : 1];
      plan.sc = sc < SYSDIG_0_29_SC_MAX ? sc : 0;
      plan.name = 'syscall';
    }
  } else if (type > 1) {
    const old = EVENTS_SYSDIG_0_29[type];
    if (old?.name === cur.name) exit = old;
  }
  if (exit && exit.dir === '<') {
    const en = EVENTS_SYSDIG_0_29[exit.id - 1];
    // Only when 0.29.3's exit lacks some of the enter's parameters (open/openat/creat exits carry them all:
    // 0.29.3 reads those from the exit, and old captures have orphan open exits that must stay as they are).
    if (en && en.name === exit.name && en.params.some((p) => !exit.paramIndex.has(p.name))) {
      const src = sources(cur, en);
      if (src.every((i) => i >= 0)) {
        plan.enter = en;
        plan.enterSrc = src;
        plan.enterNeeds = Math.max(...src) + 1;
      }
    }
  }
  return plan;
}

const PLANS: (Plan | undefined)[] = [];
function planFor(info: EventInfo): Plan {
  let p = PLANS[info.id];
  if (!p) {
    p = makePlan(info);
    PLANS[info.id] = p;
  }
  return p;
}

/** One event to write instead of (or before) the recorded one: bytes from the header on, and its frame flags. */
export interface DowngradedEvent {
  bytes: Uint8Array;
  flags: number;
}

export interface DowngradeOptions {
  /** Write synthesized enter events with the state-only dump flag (default true). */
  hideEnters?: boolean;
  /** Which 0.29.3 enter events (by name) to synthesize (default: all the rule selects). */
  synthesizeEnter?: (name: string) => boolean;
}

const STATE_ONLY = 1;

/** Converts one event at a time; keeps the last event type per thread (for the enter rule). */
export class SysdigDowngrader {
  private readonly last = new Map<number, number>();
  private readonly hide: boolean;
  private readonly want: (name: string) => boolean;
  private starts = new Int32Array(32);
  private lens = new Int32Array(32);
  constructor(opts: DowngradeOptions = {}) {
    this.hide = opts.hideEnters ?? true;
    this.want = opts.synthesizeEnter ?? (() => true);
  }

  /**
   * The events to write for the event at `off` (its header) in `data` (`dv` a view of the same bytes), or
   * undefined to write it as is. `len` has been checked against the data by the caller.
   */
  convert(
    data: Uint8Array,
    dv: DataView,
    off: number,
    len: number,
    flags: number,
  ): DowngradedEvent[] | undefined {
    const type = dv.getUint16(off + EV_TYPE, true);
    const out = this.convertLayout(data, dv, off, len, flags, type);
    if (((cgroupsParam ?? cgroupsParamById())[type] ?? -1) < 0) return out;
    // Rule 5, on what the other rules made of the event.
    const events = out ?? [{ bytes: data.subarray(off, off + len), flags }];
    let changed = false;
    for (const e of events) {
      const fixed = withPodmanScopes(e.bytes);
      if (fixed) {
        e.bytes = fixed;
        changed = true;
      }
    }
    return changed ? events : out;
  }

  private convertLayout(
    data: Uint8Array,
    dv: DataView,
    off: number,
    len: number,
    flags: number,
    type: number,
  ): DowngradedEvent[] | undefined {
    const tid = dv.getUint32(off + EV_TID, true) + dv.getInt32(off + EV_TID + 4, true) * 4294967296;
    const prev = this.last.get(tid);
    this.last.set(tid, type);
    const info = EVENTS[type];
    if (!info) return undefined;
    if (type <= 1) {
      // Generic: only the ppm_sc code may need a change.
      const n = dv.getUint32(off + EV_NPARAMS, true);
      const p = off + EVENT_HEADER_SIZE + 2 * n;
      if (n < 1 || len < EVENT_HEADER_SIZE + 2 * n + 2 || dv.getUint16(off + EVENT_HEADER_SIZE, true) !== 2)
        return undefined;
      if (dv.getUint16(p, true) < SYSDIG_0_29_SC_MAX) return undefined;
      const b = data.slice(off, off + len);
      new DataView(b.buffer).setUint16(p - off, 0, true);
      return [{ bytes: b, flags }];
    }
    const plan = planFor(info);
    if (!plan.target && !plan.enter) return undefined;
    if (info.largePayload) return undefined;
    if (!this.parse(dv, off, len)) return undefined;
    const n = dv.getUint32(off + EV_NPARAMS, true);
    const out: DowngradedEvent[] = [];
    if (plan.enter && n >= plan.enterNeeds && !this.isEnterOf(prev, plan.name) && this.want(plan.name)) {
      const e = this.build(data, dv, off, info, plan.enter, plan.enterSrc, 0);
      out.push({ bytes: e, flags: this.hide ? flags | STATE_ONLY : flags });
    }
    if (plan.target) {
      out.push({ bytes: this.build(data, dv, off, info, plan.target, plan.src, plan.sc), flags });
    } else if (out.length) {
      out.push({ bytes: data.subarray(off, off + len), flags });
    }
    return out.length ? out : undefined;
  }

  /** A new section: libsinsp resets its tables, so does the enter rule. */
  reset(): void {
    this.last.clear();
  }

  private isEnterOf(prev: number | undefined, name: string): boolean {
    const info = prev === undefined || (prev & 1) !== 0 ? undefined : EVENTS[prev];
    if (!info) return false;
    return planFor(info).name === name || info.name === name;
  }

  /** Locates the parameters of the event at off (u16 lengths); false when they do not fit. */
  private parse(dv: DataView, off: number, len: number): boolean {
    const n = dv.getUint32(off + EV_NPARAMS, true);
    if (n > 64 || EVENT_HEADER_SIZE + 2 * n > len) return false;
    if (this.starts.length < n) {
      this.starts = new Int32Array(n);
      this.lens = new Int32Array(n);
    }
    let p = off + EVENT_HEADER_SIZE + 2 * n;
    for (let i = 0; i < n; i++) {
      const l = dv.getUint16(off + EVENT_HEADER_SIZE + 2 * i, true);
      this.starts[i] = p;
      this.lens[i] = l;
      p += l;
    }
    return p <= off + len;
  }

  /** Builds event `to` of 0.29.3's table from the parsed source event `from` (header from the source). */
  private build(
    data: Uint8Array,
    dv: DataView,
    off: number,
    from: EventInfo,
    to: EventInfo,
    src: Int16Array,
    sc: number,
  ): Uint8Array {
    const nsrc = dv.getUint32(off + EV_NPARAMS, true);
    const generic = to.id <= 1;
    const n = to.params.length;
    // src has one entry per parameter of `to` (-1: none; empty for generic targets); parse() located the
    // first nsrc parameters of the source. Plain loops with a counter: this runs for most exported events.
    const sizes: number[] = [];
    let total = EVENT_HEADER_SIZE + 2 * n;
    let i = 0;
    for (const param of to.params) {
      const w = paramTypeWidth(param.type);
      const s = generic ? -1 : (src[i] ?? -1);
      const size = w !== 0 || generic ? w : s >= 0 && s < nsrc ? (this.lens[s] ?? 0) : 0;
      sizes.push(size);
      total += size;
      i++;
    }
    const b = new Uint8Array(total);
    const w = new DataView(b.buffer);
    b.set(data.subarray(off, off + 20), 0); // ts, tid, (len patched)
    w.setUint32(16, total, true);
    w.setUint16(20, to.id, true);
    w.setUint32(22, n, true);
    let p = EVENT_HEADER_SIZE + 2 * n;
    i = 0;
    for (const param of to.params) {
      const size = sizes[i] ?? 0;
      w.setUint16(EVENT_HEADER_SIZE + 2 * i, size, true);
      const t = param.type;
      if (generic) {
        if (i === 0) w.setUint16(p, sc, true);
      } else {
        const s = src[i] ?? -1;
        const has = s >= 0 && s < nsrc;
        const sl = has ? (this.lens[s] ?? 0) : 0;
        if (has && size > 0 && (sl > 0 || paramTypeWidth(t) === 0)) {
          const st = this.starts[s] ?? 0;
          if (paramTypeWidth(t) === 0 || sl === size) b.set(data.subarray(st, st + Math.min(sl, size)), p);
          else writeInt(w, p, size, readInt(dv, st, sl, SIGNED.has(from.params[s]?.type ?? PT.NONE)));
        } else if (t === PT.FD || t === PT.PID) {
          writeInt(w, p, size, -1n); // absent or empty: "no fd"/"no pid", not 0
        }
      }
      p += size;
      i++;
    }
    return b;
  }
}

function readInt(dv: DataView, o: number, width: number, signed: boolean): bigint {
  switch (width) {
    case 1:
      return BigInt(signed ? dv.getInt8(o) : dv.getUint8(o));
    case 2:
      return BigInt(signed ? dv.getInt16(o, true) : dv.getUint16(o, true));
    case 4:
      return BigInt(signed ? dv.getInt32(o, true) : dv.getUint32(o, true));
    case 8:
      return signed ? dv.getBigInt64(o, true) : dv.getBigUint64(o, true);
    default:
      return 0n;
  }
}

function writeInt(dv: DataView, o: number, width: number, v: bigint): void {
  switch (width) {
    case 1:
      dv.setUint8(o, Number(BigInt.asUintN(8, v)));
      break;
    case 2:
      dv.setUint16(o, Number(BigInt.asUintN(16, v)), true);
      break;
    case 4:
      dv.setUint32(o, Number(BigInt.asUintN(32, v)), true);
      break;
    case 8:
      dv.setBigUint64(o, BigInt.asUintN(64, v), true);
      break;
  }
}

const utf8 = new TextEncoder();
const utf8d = new TextDecoder();

/** `s` cut to at most `max` UTF-8 bytes at a character boundary (the same string when it fits). */
export function cutUtf8(s: string, max: number): string {
  if (s.length * 3 <= max) return s;
  const b = utf8.encode(s);
  if (b.length <= max) return s;
  let end = max;
  while (end > 0 && ((b[end] ?? 0) & 0xc0) === 0x80) end--; // end < b.length: b is longer than max
  return utf8d.decode(b.subarray(0, end));
}

/** A NUL-separated list cut so that its on-disk form (each item NUL-terminated) fits `max` bytes. */
export function cutList(items: readonly string[], max: number): string[] {
  let total = 0;
  for (const it of items) total += it.length * 3 + 1;
  if (total <= max) return items as string[];
  const out: string[] = [];
  let used = 0;
  for (const it of items) {
    const room = max - used - 1;
    if (room < 0) break;
    const c = cutUtf8(it, room);
    out.push(c);
    used += utf8.encode(c).length + 1;
    if (c !== it) break;
  }
  return out;
}

/** Index of the `cgroups` parameter per event id (-1: none); built on first use (it reads every layout). */
let cgroupsParam: Int16Array | undefined;
function cgroupsParamById(): Int16Array {
  cgroupsParam ??= Int16Array.from(EVENTS, (e) => e.paramIndex.get('cgroups') ?? -1);
  return cgroupsParam;
}
const PODMAN_CGROUPFS = /\/libpod-[0-9a-fA-F]{64}$/;

/** `subsys=path` entries with podman's cgroupfs leaf given the `.scope` 0.29.3 looks for (rule 5). */
function podmanScopes(cgroups: readonly string[]): readonly string[] {
  if (!cgroups.some((c) => PODMAN_CGROUPFS.test(c))) return cgroups;
  return cgroups.map((c) => (PODMAN_CGROUPFS.test(c) ? `${c}.scope` : c));
}

/** The event (u16 lengths, header at 0) with rule 5 applied to its `cgroups`; undefined when unchanged. */
function withPodmanScopes(ev: Uint8Array): Uint8Array | undefined {
  const dv = new DataView(ev.buffer, ev.byteOffset, ev.byteLength);
  const type = dv.getUint16(20, true);
  const idx = (cgroupsParam ?? cgroupsParamById())[type] ?? -1;
  const n = dv.getUint32(22, true);
  if (idx < 0 || idx >= n || EVENTS[type]?.largePayload !== false || EVENT_HEADER_SIZE + 2 * n > ev.length)
    return undefined;
  let start = EVENT_HEADER_SIZE + 2 * n;
  for (let i = 0; i < idx; i++) start += dv.getUint16(EVENT_HEADER_SIZE + 2 * i, true);
  const plen = dv.getUint16(EVENT_HEADER_SIZE + 2 * idx, true);
  if (start + plen > ev.length) return undefined;
  const text = utf8d.decode(ev.subarray(start, start + plen));
  const items = text.split('\0');
  const trailing = items.length > 0 && items[items.length - 1] === '';
  if (trailing) items.pop();
  const fixed = podmanScopes(items);
  if (fixed === items) return undefined;
  const bytes = utf8.encode(fixed.join('\0') + (trailing ? '\0' : ''));
  if (bytes.length > 0xffff) return undefined;
  const out = new Uint8Array(ev.length - plen + bytes.length);
  out.set(ev.subarray(0, start), 0);
  out.set(bytes, start);
  out.set(ev.subarray(start + plen), start + bytes.length);
  const w = new DataView(out.buffer);
  w.setUint32(16, out.length, true);
  w.setUint16(EVENT_HEADER_SIZE + 2 * idx, bytes.length, true);
  return out;
}

function downgradeThread(t: ThreadInfo): ThreadInfo {
  const comm = cutUtf8(t.comm, PATH_MAX_BYTES);
  const exe = cutUtf8(t.exe, PATH_MAX_BYTES);
  const exepath = cutUtf8(t.exepath, PATH_MAX_BYTES);
  const cwd = cutUtf8(t.cwd, PATH_MAX_BYTES);
  const root = cutUtf8(t.root, PATH_MAX_BYTES);
  const args = cutList(t.args, LIST_MAX_BYTES);
  const env = cutList(t.env, LIST_MAX_BYTES);
  const cgroups = cutList(podmanScopes(t.cgroups), LIST_MAX_BYTES);
  if (
    comm === t.comm &&
    exe === t.exe &&
    exepath === t.exepath &&
    cwd === t.cwd &&
    root === t.root &&
    args === t.args &&
    env === t.env &&
    cgroups === t.cgroups
  ) {
    return t;
  }
  return { ...t, comm, exe, exepath, cwd, root, args, env, cgroups };
}

/** The fd as 0.29.3 can read it: a known type, a name within the limit. */
export function downgradeFd(f: FdInfo): FdInfo {
  let type = f.type;
  if (type > SYSDIG_0_29_FD_TYPE_MAX) type = type === FdType.MEMFD ? FdType.FILE_V2 : FdType.UNSUPPORTED;
  const name = cutUtf8(f.name, FD_NAME_MAX_BYTES);
  if (type === f.type && name === f.name) return f;
  const out: FdInfo = { ...f, type, name };
  if (type === FdType.FILE_V2 && out.openFlags === undefined) out.openFlags = 0;
  return out;
}

/** The metadata as 0.29.3 can read it (the same object when nothing needs a change). */
export function downgradeMetadata(md: CaptureMetadata): CaptureMetadata {
  let changed = false;
  const threads = md.threads.map((t) => {
    const d = downgradeThread(t);
    if (d !== t) changed = true;
    return d;
  });
  const fds = new Map<number, FdInfo[]>();
  for (const [tid, list] of md.fds) {
    fds.set(
      tid,
      list.map((f) => {
        const d = downgradeFd(f);
        if (d !== f) changed = true;
        return d;
      }),
    );
  }
  return changed ? { ...md, threads, fds } : md;
}
