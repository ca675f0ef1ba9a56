// The evt.* (and syscall.type) fields: what the event itself carries, read from the event view without
// decoding more than the field asks for, plus the few answers that need the state engine (latency, the
// rendered arguments, the buffer length of I/O on a known fd).
import {
  EC,
  EF,
  EVENT_MAX,
  EVENTS,
  type EventView,
  FdType,
  FILE_FLAGS,
  flagValue,
  PT,
  paramInt,
  paramUint,
  SYSCALL_NAMES,
} from '@scapkit/scap-format';
import { formatDateTime, formatDurationHuman, formatIso8601, formatTimeOfDay } from '../output/time.js';
import { ByteWriter } from '../render/byte-writer.js';
import { argNames, compatInfo, isOldLayout, renderInfo } from '../render/params.js';
import { FLAGS } from '../state/event-facts.js';
import { type ReplayContext, rc } from './context.js';
import { type Accessor, type FieldDef, simple } from './def.js';
import type { EvalContext, FieldType, FieldValue } from './types.js';

const TWO32 = 4294967296;

function tsBig(v: EventView): bigint {
  return v.ts;
}

/** Event name as sysdig reports it: generic syscall events show the syscall's own name. */
export function eventTypeName(v: EventView): string {
  const t = v.type;
  if (t <= 1 && v.paramCount() > 0) {
    const name = SYSCALL_NAMES[v.paramU16(0)];
    return name === undefined || name === 'unknown' ? '<unknown>' : name;
  }
  const info = t < EVENT_MAX ? EVENTS[t] : undefined;
  return info ? info.name : 'unknown';
}

/** What evt.type can be: an event's name, or a system call's (generic events show the call's name). */
let knownTypeNames: ReadonlySet<string> | undefined;
/** Whether `name` is one evt.type can be (the set is made by the first filter that compares evt.type). */
function isKnownTypeName(name: string): boolean {
  knownTypeNames ??= new Set([...EVENTS.map((e) => e.name), ...SYSCALL_NAMES]);
  return knownTypeNames.has(name);
}

/** Whether events of `type` hold their result in `fd` where they have no `res`: exits of fd-creating events. */
const resultInFd = (type: number): boolean => (type & 1) === 1 && ((FLAGS[type] ?? 0) & EF.CREATES_FD) !== 0;

/**
 * Per event type, where its result is in the table: RESULT_AT[2t] the index of `res`, RESULT_AT[2t + 1] that of
 * `fd` for exits of fd-creating events (-1: none); -2 until the type is first asked about (a cold import reads
 * no parameter list, issue #18). One array read per event instead of a lookup by name.
 */
const RESULT_AT = new Int16Array(2 * EVENT_MAX).fill(-2);
function findResult(type: number): void {
  const e = EVENTS[type];
  RESULT_AT[2 * type] = e?.paramIndex.get('res') ?? -1;
  RESULT_AT[2 * type + 1] = e !== undefined && resultInFd(type) ? (e.paramIndex.get('fd') ?? -1) : -1;
}

/** Index of the parameter that holds the result: `res`, or `fd` for exits of fd-creating events; -1 if absent. */
function resIndex(ctx: ReplayContext): number {
  const v = ctx.view;
  const t = v.type;
  if (t >= EVENT_MAX) return -1;
  if (RESULT_AT[2 * t] === -2) findResult(t);
  const n = v.paramCount();
  const res = RESULT_AT[2 * t] ?? -1;
  if (res >= 0 && res < n) return res;
  const fd = RESULT_AT[2 * t + 1] ?? -1;
  return fd >= 0 && fd < n ? fd : -1;
}

/** Whether events of `type` can have a result (a parameter resIndex reads). */
function resultPossible(type: number): boolean {
  if (RESULT_AT[2 * type] === -2) findResult(type);
  return (RESULT_AT[2 * type] ?? -1) >= 0 || (RESULT_AT[2 * type + 1] ?? -1) >= 0;
}
/** A field's value for types that cannot have a result (`none`); null (decide per event) for the others. */
function withoutResult<T>(none: T): (type: number) => T | null {
  return (type) => {
    if (type >= EVENT_MAX) return null;
    return resultPossible(type) ? null : none;
  };
}

/** evt.res of failed calls, by result and parameter (see evt.res); types are below 512 (EVENT_MAX). */
const FAILED_RES_TEXT = new Map<number, string>();

/** sinsp's extract_error_count: 1 when the result (`res`, or the fd an fd-creating exit returns) is negative. */
function errorCount(ctx: ReplayContext): number | undefined {
  const i = resIndex(ctx);
  return i >= 0 && paramInt(ctx.view, i) < 0 ? 1 : undefined;
}

function eventName(ctx: ReplayContext): string {
  const t = ctx.view.type;
  return EVENTS[t]?.name ?? '';
}

const OPEN_EXITS = new Set(['open', 'creat', 'openat', 'openat2', 'open_by_handle_at']);
const NET_EXITS = new Set(['accept', 'accept4', 'connect']);

/** Receives one rendered parameter: its name, its plain text and its resolved text ('' when it has none). */
export type ArgVisitor = (name: string, value: string, resolved: string) => void;

/**
 * Renders each parameter of the current event as evt.info shows it, in order, as strings: evt.arg and the
 * columnar export's args map come from this walk. Generic events show none (their parameters are for
 * internal use).
 */
export function visitArgs(ctx: ReplayContext, visit: ArgVisitor): void {
  const v = ctx.view;
  if (v.type <= 1) return;
  const names = argNames(v).names;
  const n = v.paramCount();
  const r = ctx.render;
  const t = ctx.state.thread;
  for (let i = 0; i < n; i++) {
    const val = r.value(v, i, t);
    visit(names[i] ?? '', val, r.resolved);
  }
}

/** One `name=value ` or `name=value(resolved) ` of evt.info. */
export function infoPart(name: string, value: string, resolved: string): string {
  return resolved === '' ? `${name}=${value} ` : `${name}=${value}(${resolved}) `;
}

/**
 * Told where one parameter landed in writeArgs' writer: its plain text is bytes [start, valueEnd), its
 * resolved text (when end > valueEnd) bytes [valueEnd + 1, end - 1), inside the parentheses.
 */
export type ArgBytesVisitor = (name: string, start: number, valueEnd: number, end: number) => void;

/**
 * evt.args / evt.info into `w`: `name=value ` or `name=value(resolved) ` for each parameter present;
 * `visit` (the columnar export's args map) is told where each one's texts are.
 */
export function writeArgs(ctx: ReplayContext, w: ByteWriter, visit?: ArgBytesVisitor): void {
  const v = ctx.view;
  if (v.type <= 1) return;
  const { names, bytes, starts } = argNames(v);
  const n = v.paramCount();
  const r = ctx.render;
  const t = ctx.state.thread;
  for (let i = 0; i < n; i++) {
    w.bytes(bytes, starts[i] ?? 0, starts[i + 1] ?? 0);
    const start = w.pos;
    r.write(v, i, t, w);
    if (visit) visit(names[i] ?? '', start, r.lastValueEnd, w.pos);
    w.byte(0x20);
  }
}

const argsScratch = new ByteWriter();

/** evt.args / evt.info as a string. */
export function renderArgs(ctx: ReplayContext): string {
  argsScratch.reset();
  writeArgs(ctx, argsScratch);
  return argsScratch.text(0);
}

/** evt.args / evt.info: a string for filters and chisels, written straight into output lines. */
function argsDef(name: string, description: string): FieldDef {
  const acc: Accessor = {
    get: (c) => renderArgs(rc(c)),
    write(c, w) {
      writeArgs(rc(c), w);
      return true;
    },
  };
  return { name, type: 'string', description, arg: 'none', make: () => acc };
}

/**
 * Categories of syscalls that reach captures as generic events (sinsp takes them from its syscall
 * table). Observed with `sysdig -p '%evt.type %evt.category'` on the shared captures; others read 'other'.
 */
// biome-ignore format: a table
const GENERIC_CATEGORY: Readonly<Record<string, string>> = {
  adjtimex: 'system', alarm: 'time', arch_prctl: 'process', clock_gettime: 'time', clock_nanosleep: 'sleep',
  epoll_create1: 'wait', epoll_ctl: 'wait', epoll_pwait: 'wait', exit: 'process', exit_group: 'unknown',
  fsync: 'unknown', ftruncate: 'file', getdents: 'file', getdents64: 'file', getegid: 'user', geteuid: 'user',
  getgid: 'user', getpid: 'process', getrusage: 'process', gettid: 'process', gettimeofday: 'time', getuid: 'user',
  inotify_add_watch: 'IPC', lseek: 'file', madvise: 'memory', mprotect: 'memory', nanosleep: 'sleep', pause: 'wait',
  readlink: 'file', readlinkat: 'file', rt_sigaction: 'signal', rt_sigprocmask: 'signal',
  rt_sigtimedwait: 'signal', sched_yield: 'sleep', set_robust_list: 'process', set_tid_address: 'process',
  sigreturn: 'signal', rt_sigreturn: 'signal', statfs: 'file', timerfd_settime: 'time', uname: 'system',
  utimensat: 'file', wait4: 'wait', sendmmsg: 'unknown', pselect6: 'wait', ppoll: 'wait', poll: 'wait', select: 'wait',
  epoll_wait: 'wait',
};

/** Category names (sinsp's evt.category strings). */
function categoryName(ctx: ReplayContext): string {
  const v = ctx.view;
  if (v.type <= 1) return GENERIC_CATEGORY[eventTypeName(v)] ?? 'other';
  const info = compatInfo(v.type) ?? v.info;
  const c = (info?.category ?? 0) & 0xff;
  switch (c) {
    case EC.UNKNOWN:
      return 'unknown';
    case EC.OTHER:
      return 'other';
    case EC.FILE:
      return 'file';
    case EC.NET:
      return 'net';
    case EC.IPC:
      return 'IPC';
    case EC.MEMORY:
      return 'memory';
    case EC.PROCESS:
      return 'process';
    case EC.SLEEP:
      return 'sleep';
    case EC.SYSTEM:
      return 'system';
    case EC.SIGNAL:
      return 'signal';
    case EC.USER:
      return 'user';
    case EC.TIME:
      return 'time';
    case EC.PROCESSING:
      return 'processing';
    case EC.IO_READ:
    case EC.IO_WRITE:
    case EC.IO_OTHER: {
      const fd = ctx.state.fd;
      if (!fd) return 'unknown';
      switch (fd.type) {
        case FdType.FILE:
        case FdType.DIRECTORY:
        case FdType.FILE_V2:
          return 'file';
        case FdType.IPV4_SOCK:
        case FdType.IPV6_SOCK:
        case FdType.IPV4_SERVSOCK:
        case FdType.IPV6_SERVSOCK:
          return 'net';
        case FdType.FIFO:
        case FdType.UNIX_SOCK:
        case FdType.EVENT:
        case FdType.SIGNALFD:
        case FdType.INOTIFY:
        case FdType.USERFAULTFD:
          return 'ipc';
        default:
          return 'other';
      }
    }
    case EC.WAIT:
      return 'wait';
    case EC.SCHEDULER:
      return 'scheduler';
    default:
      return (info?.category ?? 0) & EC.INTERNAL ? 'internal' : 'unknown';
  }
}

/** The PPM_O_* open flags these fields test, and the exec bits of a mode. */
const O_RDONLY = flagValue(FILE_FLAGS, 'O_RDONLY');
const O_WRONLY = flagValue(FILE_FLAGS, 'O_WRONLY');
const O_CREAT = flagValue(FILE_FLAGS, 'O_CREAT');
const O_TMPFILE = flagValue(FILE_FLAGS, 'O_TMPFILE');
const O_F_CREATED = flagValue(FILE_FLAGS, 'O_F_CREATED');
const EXEC_BITS = 0o111;

/**
 * Per event type, the index of the open flags the evt.is_open_* fields test, or -1 where they have none:
 * sinsp checks the exit events of open, openat, openat2 and open_by_handle_at, and the old openat's
 * *enter* event (102, the one with the flags).
 */
const OPEN_FLAGS_INDEX = new Int16Array(EVENT_MAX).fill(-2);
/** OPEN_FLAGS_INDEX[t], looked up when type t is first asked about (-2 in the table until then). */
function openFlagsIndex(t: number): number {
  if (t >= EVENT_MAX) return -1;
  const known = OPEN_FLAGS_INDEX[t] ?? -1;
  if (known !== -2) return known;
  const e = EVENTS[t];
  const isOpen = e !== undefined && ['open', 'openat', 'openat2', 'open_by_handle_at'].includes(e.name);
  const i = !isOpen || ((t & 1) === 0 && t !== 102) ? -1 : (e.paramIndex.get('flags') ?? -1);
  OPEN_FLAGS_INDEX[t] = i;
  return i;
}

function openFlags(v: EventView): number | undefined {
  const t = v.type;
  const i = openFlagsIndex(t);
  return i >= 0 && i < v.paramCount() ? paramUint(v, i) : undefined;
}

/** An evt.is_open_* field of `type` is false whatever the event holds when the type has no open flags. */
const falseWithoutOpenFlags = (type: number): false | null => (openFlagsIndex(type) >= 0 ? null : false);

function padded(d: FieldDef): FieldDef {
  return { ...d, display: 'padded9' };
}

function boolFlag(
  name: string,
  desc: string,
  test: (ctx: ReplayContext) => boolean,
  byEventType?: (type: number) => boolean | null,
): FieldDef {
  // `test` itself is the getter (an EvalContext here is a ReplayContext, as rc says): a wrapper would be
  // one call site for every such field, which the JIT cannot inline.
  return simple(name, 'bool', desc, test as (ctx: EvalContext) => boolean, byEventType);
}

/** A boolean that EF_* flags of the event type decide. */
function typeFlag(name: string, desc: string, mask: number): FieldDef {
  return simple(
    name,
    'bool',
    desc,
    (c) => ((FLAGS[rc(c).view.type] ?? 0) & mask) !== 0,
    (type) => type < EVENT_MAX && ((FLAGS[type] ?? 0) & mask) !== 0,
  );
}

/** evt.arg / evt.rawarg: the parameter named `arg` or at index `arg`. */
function argIndex(v: EventView, arg: string, byIndex: boolean): number {
  if (byIndex) {
    const n = Number(arg);
    return n < v.paramCount() ? n : -1;
  }
  return v.paramIndex(arg);
}

function rawValue(v: EventView, i: number): FieldValue {
  const info = renderInfo(v) ?? v.info;
  const pt = info?.params[i]?.type ?? PT.NONE;
  switch (pt) {
    case PT.CHARBUF:
    case PT.FSPATH:
    case PT.FSRELPATH:
      return v.paramString(i);
    case PT.BYTEBUF:
    case PT.SOCKADDR:
    case PT.SOCKTUPLE:
    case PT.FDLIST:
    case PT.DYN:
      return v.paramBytes(i);
    case PT.UINT64:
    case PT.ABSTIME:
    case PT.RELTIME:
      return v.paramLength(i) === 8 ? v.paramU64(i) : paramInt(v, i);
    case PT.UINT8:
    case PT.UINT16:
    case PT.UINT32:
    case PT.UID:
    case PT.GID:
    case PT.MODE:
    case PT.FLAGS8:
    case PT.FLAGS16:
    case PT.FLAGS32:
    case PT.ENUMFLAGS8:
    case PT.ENUMFLAGS16:
    case PT.ENUMFLAGS32:
    case PT.PORT:
    case PT.SYSCALLID:
    case PT.SIGTYPE:
      switch (v.paramLength(i)) {
        case 1:
          return v.paramU8(i);
        case 2:
          return v.paramU16(i);
        case 4:
          return v.paramU32(i);
        default:
          return paramInt(v, i);
      }
    case PT.DOUBLE:
      return v.paramF64(i);
    default:
      return paramInt(v, i);
  }
}

function argDef(name: 'evt.arg' | 'evt.rawarg', desc: string): FieldDef {
  return {
    name,
    type: 'string',
    description: desc,
    arg: 'required',
    make(arg): Accessor {
      if (arg === undefined || arg === '')
        throw new Error(`${name} needs an argument: ${name}.NAME or ${name}[N]`);
      const byIndex = /^[0-9]+$/.test(arg);
      if (name === 'evt.arg') {
        return {
          get(c) {
            const ctx = rc(c);
            const v = ctx.view;
            const i = argIndex(v, arg, byIndex);
            if (i < 0) return undefined;
            const s = ctx.render.value(v, i, ctx.state.thread);
            return ctx.render.resolved !== '' ? ctx.render.resolved : s;
          },
        };
      }
      // evt.rawarg compares as the parameter's own type: numbers for numeric parameters.
      const type: FieldType = /^(name|path|exe|comm|cwd|filename|json)$/.test(arg) ? 'string' : 'int';
      return {
        type,
        get(c) {
          const v = rc(c).view;
          const i = argIndex(v, arg, byIndex);
          if (i < 0) return undefined;
          const val = rawValue(v, i);
          if (type === 'string') return typeof val === 'string' ? val : undefined;
          return typeof val === 'number' ? val : undefined;
        },
      };
    },
  };
}

function isWait(ctx: ReplayContext): boolean {
  return ((FLAGS[ctx.view.type] ?? 0) & EF.WAITS) !== 0;
}

export const EVT_FIELDS: readonly FieldDef[] = [
  simple('evt.num', 'int', 'event number', (c) => rc(c).num),
  // Printed as a time of day in text output, as ns since the epoch in JSON (like evt.outputtime).
  simple('evt.time', 'abstime', 'event timestamp as a time string with nanoseconds', (c) =>
    tsBig(rc(c).view),
  ),
  simple('evt.time.s', 'string', 'event timestamp as a time string with no nanoseconds', (c) =>
    formatTimeOfDay(tsBig(rc(c).view)).slice(0, 8),
  ),
  simple('evt.datetime', 'string', 'event timestamp as a time string that includes the date', (c) =>
    formatDateTime(tsBig(rc(c).view)),
  ),
  simple('evt.datetime.s', 'string', 'event timestamp as a date and time string without nanoseconds', (c) =>
    formatDateTime(tsBig(rc(c).view)).slice(0, 19),
  ),
  simple(
    'evt.time.iso8601',
    'string',
    'event timestamp in ISO 8601 format, with nanoseconds and time zone',
    (c) => formatIso8601(tsBig(rc(c).view)),
  ),
  simple('evt.rawtime', 'uint64', 'absolute event timestamp, i.e. nanoseconds from epoch', (c) =>
    tsBig(rc(c).view),
  ),
  simple('evt.rawtime.s', 'int', 'integer part of the event timestamp', (c) =>
    Number(tsBig(rc(c).view) / 1000000000n),
  ),
  padded(
    simple('evt.rawtime.ns', 'int', 'fractional part of the absolute event timestamp', (c) =>
      Number(tsBig(rc(c).view) % 1000000000n),
    ),
  ),
  padded(
    simple('evt.reltime', 'reltime', 'number of nanoseconds from the beginning of the capture', (c) => {
      const ctx = rc(c);
      return (ctx.view.tsHi - ctx.firstTsHi) * TWO32 + (ctx.view.tsLo - ctx.firstTsLo);
    }),
  ),
  simple('evt.reltime.s', 'int', 'number of seconds from the beginning of the capture', (c) => {
    const ctx = rc(c);
    return Math.floor(((ctx.view.tsHi - ctx.firstTsHi) * TWO32 + (ctx.view.tsLo - ctx.firstTsLo)) / 1e9);
  }),
  padded(
    simple(
      'evt.reltime.ns',
      'int',
      'fractional part (in ns) of the time from the beginning of the capture',
      (c) => {
        const ctx = rc(c);
        return ((ctx.view.tsHi - ctx.firstTsHi) * TWO32 + (ctx.view.tsLo - ctx.firstTsLo)) % 1e9;
      },
    ),
  ),
  simple(
    'evt.outputtime',
    'abstime',
    'event timestamp as printed in outputs (time of day; ns in JSON)',
    (c) => tsBig(rc(c).view),
  ),
  simple(
    'evt.deltatime',
    'reltime',
    'delta between this event and the previous event, in nanoseconds',
    (c) => {
      const ctx = rc(c);
      if (!ctx.hasPrev) return 0;
      return (ctx.view.tsHi - ctx.prevTsHi) * TWO32 + (ctx.view.tsLo - ctx.prevTsLo);
    },
  ),
  simple(
    'evt.deltatime.s',
    'int',
    'integer part of the delta between this event and the previous event',
    (c) => {
      const ctx = rc(c);
      if (!ctx.hasPrev) return 0;
      return Math.floor(((ctx.view.tsHi - ctx.prevTsHi) * TWO32 + (ctx.view.tsLo - ctx.prevTsLo)) / 1e9);
    },
  ),
  padded(
    simple(
      'evt.deltatime.ns',
      'int',
      'fractional part of the delta between this event and the previous event',
      (c) => {
        const ctx = rc(c);
        if (!ctx.hasPrev) return 0;
        return ((ctx.view.tsHi - ctx.prevTsHi) * TWO32 + (ctx.view.tsLo - ctx.prevTsLo)) % 1e9;
      },
    ),
  ),
  simple(
    'evt.latency.human',
    'string',
    'the event latency, in a human-readable form (653ns, 3.12us …)',
    (c) => {
      const t = rc(c).state.thread;
      return formatDurationHuman(t ? t.latency : 0);
    },
  ),
  {
    name: 'evt.type.is',
    type: 'bool',
    description: "filter only: 'true' for events of the given type (evt.type.is.open)",
    arg: 'required',
    filterOnly: true,
    make(arg): Accessor {
      if (!arg) throw new Error('evt.type.is needs an event type: evt.type.is.open');
      return { get: (c) => eventTypeName(rc(c).view) === arg };
    },
  },
  simple('evt.is_syslog', 'bool', "'true' for events that write to /dev/log (syslog)", (c) => {
    const ctx = rc(c);
    return ((FLAGS[ctx.view.type] ?? 0) & EF.WRITES_TO_FD) !== 0 && ctx.state.fd?.name === '/dev/log';
  }),
  simple(
    'evt.pluginname',
    'string',
    'the name of the plugin that generated the event (none in syscall captures)',
    () => undefined,
  ),
  simple(
    'evt.plugininfo',
    'string',
    'a summary of the plugin event (none in syscall captures)',
    () => undefined,
  ),
  simple(
    'evt.latency',
    'reltime',
    'delta between an exit event and the correspondent enter event, in ns',
    (c) => {
      const ctx = rc(c);
      return ctx.state.thread ? ctx.state.thread.latency : 0;
    },
  ),
  simple('evt.latency.s', 'int', 'integer part of the event latency delta', (c) => {
    const ctx = rc(c);
    return ctx.state.thread ? Math.floor(ctx.state.thread.latency / 1e9) : 0;
  }),
  padded(
    simple('evt.latency.ns', 'int', 'fractional part of the event latency delta', (c) => {
      const ctx = rc(c);
      return ctx.state.thread ? ctx.state.thread.latency % 1e9 : 0;
    }),
  ),
  simple(
    'evt.dir',
    'string',
    "event direction: '>' for enter events, '<' for exit events",
    (c) => ((rc(c).view.type & 1) === 0 ? '>' : '<'),
    (type) => ((type & 1) === 0 ? '>' : '<'),
  ),
  {
    ...simple(
      'evt.type',
      'string',
      "the name of the event (e.g. 'open')",
      (c) => eventTypeName(rc(c).view),
      // A generic event's name is that of the syscall it carries.
      (type) => (type <= 1 ? null : (EVENTS[type]?.name ?? 'unknown')),
    ),
    checkValue: (value) => (isKnownTypeName(value) ? undefined : `unknown event type ${value}`),
  },
  simple('syscall.type', 'string', 'for system call events, the name of the system call', (c) => {
    // Unset for scheduler and internal events (sysdig 0.29.3 had no syscall category bit yet).
    const v = rc(c).view;
    const cat = v.info?.category ?? EC.INTERNAL;
    return cat & (EC.SCHEDULER | EC.INTERNAL) ? undefined : eventTypeName(v);
  }),
  simple('evt.category', 'string', "the event category ('file', 'net', 'memory', …)", (c) =>
    categoryName(rc(c)),
  ),
  simple('evt.cpu', 'int', 'number of the CPU where this event happened', (c) => rc(c).view.cpu),
  argsDef('evt.args', 'all the event arguments, aggregated into a single string'),
  argsDef('evt.info', 'the event arguments, as the default output prints them'),
  argDef('evt.arg', 'one of the event arguments, by name or by index (evt.arg.fd, evt.arg[0])'),
  argDef('evt.rawarg', 'one of the event arguments by name, as a raw value (evt.rawarg.res<0)'),
  simple('evt.buffer', 'bytes', 'the binary data buffer for events that have one (read, write, …)', (c) => {
    const v = rc(c).view;
    const i = v.paramIndex('data');
    return i >= 0 ? v.paramBytes(i) : undefined;
  }),
  simple('evt.buflen', 'int', 'the length of the binary data buffer for I/O events', (c) => {
    const ctx = rc(c);
    const v = ctx.view;
    const cat = (v.info?.category ?? 0) & 0xff;
    if (!ctx.state.fd || (cat !== EC.IO_READ && cat !== EC.IO_WRITE && cat !== EC.IO_OTHER)) return undefined;
    if ((v.type & 1) === 0) return undefined;
    const i = v.paramIndex('res');
    if (i < 0) return undefined;
    const r = paramInt(v, i);
    return r >= 0 ? r : undefined;
  }),
  simple(
    'evt.res',
    'string',
    "event return value, as a string: 'SUCCESS' or the error code",
    (c) => {
      const ctx = rc(c);
      const i = resIndex(ctx);
      if (i < 0) return undefined;
      const v = ctx.view;
      const r = paramInt(v, i);
      if (r >= 0) return 'SUCCESS';
      // The text of a failure (its errno name) depends on the result, the parameter (its type, by the
      // event type and layout, and its length) and, for an fd, whether there is a thread: rendered once.
      const thread = ctx.state.thread;
      const len = v.paramLength(i);
      const key =
        r > -65536 && len < 16 && i < 32 && v.type < 512
          ? ((((-r * 512 + v.type) * 32 + i) * 16 + len) * 2 + (isOldLayout(v) ? 1 : 0)) * 2 +
            (thread ? 1 : 0)
          : -1;
      const known = key >= 0 ? FAILED_RES_TEXT.get(key) : undefined;
      if (known !== undefined) return known;
      const s = ctx.render.value(v, i, thread);
      const text = ctx.render.resolved !== '' ? ctx.render.resolved : s;
      if (key >= 0) FAILED_RES_TEXT.set(key, text);
      return text;
    },
    withoutResult(undefined),
  ),
  simple(
    'evt.rawres',
    'int',
    'event return value, as a number (e.g. -2)',
    (c) => {
      const ctx = rc(c);
      const i = resIndex(ctx);
      return i < 0 ? undefined : paramInt(ctx.view, i);
    },
    withoutResult(undefined),
  ),
  simple(
    'evt.failed',
    'bool',
    "'true' for events that returned an error status",
    (c) => {
      const ctx = rc(c);
      const i = resIndex(ctx);
      return i >= 0 && paramInt(ctx.view, i) < 0;
    },
    withoutResult(false),
  ),
  typeFlag('evt.is_io', "'true' for events that read or write to FDs", EF.READS_FROM_FD | EF.WRITES_TO_FD),
  typeFlag('evt.is_io_read', "'true' for events that read from FDs", EF.READS_FROM_FD),
  typeFlag('evt.is_io_write', "'true' for events that write to FDs", EF.WRITES_TO_FD),
  simple('evt.io_dir', 'string', "'r' for events that read from FDs, 'w' for events that write", (c) => {
    const f = FLAGS[rc(c).view.type] ?? 0;
    return f & EF.WRITES_TO_FD ? 'write' : f & EF.READS_FROM_FD ? 'read' : undefined;
  }),
  boolFlag('evt.is_wait', "'true' for events that make the thread wait", (ctx) => isWait(ctx)),
  simple(
    'evt.wait_latency',
    'reltime',
    'for events that make the thread wait, the time spent waiting',
    (c) => {
      const ctx = rc(c);
      if (!isWait(ctx) || (ctx.view.type & 1) === 0) return undefined;
      return ctx.state.thread ? ctx.state.latency : 0;
    },
  ),
  boolFlag(
    'evt.is_open_read',
    "'true' for open/openat events whose flags include O_RDONLY",
    (ctx) => {
      const f = openFlags(ctx.view);
      return f !== undefined && (f & O_RDONLY) !== 0;
    },
    falseWithoutOpenFlags,
  ),
  boolFlag(
    'evt.is_open_write',
    "'true' for open/openat events whose flags include O_WRONLY",
    (ctx) => {
      const f = openFlags(ctx.view);
      return f !== undefined && (f & O_WRONLY) !== 0;
    },
    falseWithoutOpenFlags,
  ),
  boolFlag(
    'evt.is_open_create',
    "'true' for open/openat events that created a file",
    (ctx) => {
      const f = openFlags(ctx.view);
      if (f === undefined) return false;
      if (f & O_F_CREATED) return true;
      if (f & O_TMPFILE) {
        const i = ctx.view.paramIndex('fd');
        return i >= 0 && paramInt(ctx.view, i) >= 0;
      }
      return false;
    },
    falseWithoutOpenFlags,
  ),
  boolFlag(
    'evt.is_open_exec',
    "'true' for open/openat/creat events that create an executable file",
    (ctx) => {
      const v = ctx.view;
      const f = openFlags(v);
      const name = EVENTS[v.type]?.name ?? '';
      if (f !== undefined && f & (O_TMPFILE | O_CREAT)) {
        const m = v.paramIndex('mode');
        return m >= 0 && (paramUint(v, m) & EXEC_BITS) !== 0;
      }
      if (name === 'creat' && (v.type & 1) === 1) {
        const m = v.paramIndex('mode');
        return m >= 0 && (paramUint(v, m) & EXEC_BITS) !== 0;
      }
      return false;
    },
  ),
  simple('evt.count', 'int', 'always 1: summed up by chisels', () => 1),
  simple('evt.count.error', 'int', '1 for events that returned an error status', (c) => errorCount(rc(c))),
  simple(
    'evt.count.error.file',
    'int',
    '1 for events that returned an error status and are related to files',
    (c) => {
      const ctx = rc(c);
      const fd = ctx.state.fd;
      if (fd) return fd.type === FdType.FILE || fd.type === FdType.DIRECTORY ? errorCount(ctx) : undefined;
      return OPEN_EXITS.has(eventName(ctx)) && (ctx.view.type & 1) === 1 ? errorCount(ctx) : undefined;
    },
  ),
  simple(
    'evt.count.error.net',
    'int',
    '1 for events that returned an error status and are related to the network',
    (c) => {
      const ctx = rc(c);
      const fd = ctx.state.fd;
      if (fd) return fd.isIp || fd.type === FdType.UNIX_SOCK ? errorCount(ctx) : undefined;
      return NET_EXITS.has(eventName(ctx)) && (ctx.view.type & 1) === 1 ? errorCount(ctx) : undefined;
    },
  ),
  simple(
    'evt.count.error.memory',
    'int',
    '1 for events that returned an error status and are related to memory',
    (c) => {
      const ctx = rc(c);
      return categoryName(ctx) === 'memory' ? errorCount(ctx) : undefined;
    },
  ),
  simple(
    'evt.count.error.other',
    'int',
    '1 for events that returned an error status, not file, network or memory',
    (c) => {
      const ctx = rc(c);
      const fd = ctx.state.fd;
      if (fd) {
        const fileOrNet =
          fd.type === FdType.FILE || fd.type === FdType.DIRECTORY || fd.isIp || fd.type === FdType.UNIX_SOCK;
        return fileOrNet ? undefined : errorCount(ctx);
      }
      const name = eventName(ctx);
      const exit = (ctx.view.type & 1) === 1;
      if (exit && (OPEN_EXITS.has(name) || NET_EXITS.has(name))) return undefined;
      return categoryName(ctx) === 'memory' ? undefined : errorCount(ctx);
    },
  ),
  simple('evt.count.exit', 'int', '1 for exit events', (c) => ((rc(c).view.type & 1) === 1 ? 1 : undefined)),
  simple('evt.source', 'string', 'the name of the source that produced the event', () => 'syscall'),
  simple('evt.hostname', 'string', 'the hostname of the machine the event comes from', (c) => {
    const h = rc(c).state.machine?.hostname;
    return h || undefined;
  }),
  simple('evt.is_async', 'bool', "'true' for events that do not come from a thread (meta events)", (c) => {
    const v = rc(c).view;
    return v.tid === -1 || ((v.info?.category ?? 0) & EC.METAEVENT) !== 0;
  }),
];

export type { EvalContext };
