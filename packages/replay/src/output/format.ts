// sysdig output formats (`-p`): literal text with `%field`, `%field[arg]` and `%field.arg` tokens, compiled
// once against the field registry into a line renderer and a JSON renderer. A leading `*` prints every
// event, missing fields as `<NA>`; without it an event with any missing field is not printed at all.

import { rc } from '../fields/context.js';
import type { FieldRegistry } from '../fields/registry.js';
import type { CompiledField, EvalContext, FieldValue } from '../fields/types.js';
import { type BufferFormat, MAX_BUFFER_OUTPUT, writeBuffer } from '../render/buffer.js';
import { ByteWriter, utf8Bytes } from '../render/byte-writer.js';
import {
  formatOutputTime,
  formatTimeOfDay,
  type OutputTimeFormat,
  writeEpochNsWords,
  writeTimeOfDayWords,
} from './time.js';

/** The default line of `sysdig -r` (non-tty). */
export const DEFAULT_FORMAT =
  '*%evt.num %evt.outputtime %evt.cpu %proc.name (%thread.tid) %evt.dir %evt.type %evt.info';

/** sysdig's container-friendly line (-pc, -pcontainer). */
export const CONTAINER_FORMAT =
  '*%evt.num %evt.outputtime %evt.cpu %container.name (%container.id) %proc.name (%thread.tid:%thread.vtid) %evt.dir %evt.type %evt.info';

/** sysdig's Kubernetes-friendly line (-pk, -pkubernetes). */
export const KUBERNETES_FORMAT =
  '*%evt.num %evt.outputtime %evt.cpu %k8s.pod.name (%container.id) %proc.name (%thread.tid:%thread.vtid) %evt.dir %evt.type %evt.info';

/**
 * The format a `-p` value names, as sysdig reads it: `c`/`container` and `k`/`kubernetes` are the
 * container-friendly lines, anything else is a format string.
 */
export function namedFormat(p: string): string {
  if (p === 'c' || p === 'container') return CONTAINER_FORMAT;
  if (p === 'k' || p === 'kubernetes') return KUBERNETES_FORMAT;
  return p;
}

/** How buffers print in a line or a JSON value: the pipeline's renderer settings (ctx.render). */
export interface BufferOutput {
  readonly bufferFormat: BufferFormat;
  /** Cut default-form buffers at MAX_BUFFER_OUTPUT characters. */
  readonly truncate: boolean;
}

const DEFAULT_BUFFERS: BufferOutput = { bufferFormat: 'dots', truncate: true };
const JSON_BUFFERS: BufferOutput = { bufferFormat: 'dots', truncate: false };

export class FormatError extends Error {
  override readonly name = 'FormatError';
}

const NA = utf8Bytes('<NA>');
const NULL = utf8Bytes('null');
const TRUE = utf8Bytes('true');
const FALSE = utf8Bytes('false');

/** A field value as sysdig prints it in a -p line (buffers as `buffers` says), into `w`. */
export function writeFieldText(w: ByteWriter, f: CompiledField, v: FieldValue, buffers: BufferOutput): void {
  if (v === undefined) {
    w.bytes(NA);
    return;
  }
  switch (typeof v) {
    case 'string':
      w.str(v);
      return;
    case 'number':
      if (f.display === 'padded9') {
        if (v >= 0 && v <= 0xffffffff && Number.isInteger(v)) w.padded(v, 9);
        else w.str(String(v).padStart(9, '0'));
      } else if (f.display === 'hex') w.hex(v >>> 0, true);
      else w.num(v);
      return;
    case 'boolean':
      w.bytes(v ? TRUE : FALSE);
      return;
    case 'bigint':
      // Only the event's own time prints as a time of day; other absolute times (proc.exe_ino.ctime,
      // container.start_ts, …) print as ns since the epoch, as libs prints a PT_ABSTIME.
      w.str(f.type === 'abstime' && EVENT_TIME_FIELDS.has(f.name) ? formatTimeOfDay(v) : v.toString());
      return;
    default:
      writeBuffer(w, v, 0, v.length, buffers.bufferFormat, buffers.truncate ? MAX_BUFFER_OUTPUT : 0);
  }
}

const textScratch = new ByteWriter();

/** Text of one field value as sysdig prints it in a -p line (buffers as `buffers` says). */
export function fieldText(f: CompiledField, v: FieldValue, buffers: BufferOutput = DEFAULT_BUFFERS): string {
  if (typeof v === 'string') return v;
  textScratch.reset();
  writeFieldText(textScratch, f, v, buffers);
  return textScratch.text(0);
}

/** What JSON.stringify writes for each ASCII byte but `"`, `\` and the C0 controls: the byte itself. */
const JSON_ESCAPE: readonly (Uint8Array | undefined)[] = Array.from({ length: 128 }, (_, c) =>
  c < 0x20 || c === 0x22 || c === 0x5c
    ? utf8Bytes(JSON.stringify(String.fromCharCode(c)).slice(1, -1))
    : undefined,
);

/** JSON.stringify(s) into `w`: by hand when there is nothing to escape and all is ASCII. */
function writeJsonString(w: ByteWriter, s: string): void {
  const n = s.length;
  w.room(n + 2);
  const b = w.buf;
  const start = w.pos;
  let p = start;
  b[p++] = 0x22;
  for (let i = 0; i < n; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x20 || c === 0x22 || c === 0x5c || c >= 0x80) {
      w.pos = start;
      w.str(JSON.stringify(s));
      return;
    }
    b[p++] = c;
  }
  b[p++] = 0x22;
  w.pos = p;
}

/**
 * The UTF-8 text in bytes [start, end) of `src` as a JSON string into `w` (JSON.stringify of the text:
 * `"`, `\` and C0 controls escaped, the rest as is).
 */
function writeJsonBytes(w: ByteWriter, src: Uint8Array, start: number, end: number): void {
  w.room(end - start + 2);
  let b = w.buf;
  let p = w.pos;
  b[p++] = 0x22;
  for (let i = start; i < end; i++) {
    const c = src[i] ?? 0;
    const esc = c < 0x80 ? JSON_ESCAPE[c] : undefined;
    if (esc === undefined) {
      b[p++] = c;
      continue;
    }
    // An escape: up to six bytes for one, room made again for the rest.
    w.pos = p;
    w.bytes(esc);
    w.room(end - i + 1);
    b = w.buf;
    p = w.pos;
  }
  b[p++] = 0x22;
  w.pos = p;
}

const jsonScratch = new ByteWriter();

/**
 * A JSON value as sysdig's -j writes it (numbers as numbers, 64-bit times exactly, missing as null;
 * buffers whole, in `buffers`' form), into `w`.
 */
export function writeFieldJson(w: ByteWriter, f: CompiledField, v: FieldValue, buffers: BufferOutput): void {
  if (v === undefined) {
    w.bytes(NULL);
    return;
  }
  switch (typeof v) {
    case 'string':
      writeJsonString(w, v);
      return;
    case 'number':
      if (Number.isFinite(v)) w.num(v);
      else w.bytes(NULL);
      return;
    case 'boolean':
      w.bytes(v ? TRUE : FALSE);
      return;
    case 'bigint':
      w.str(v.toString());
      return;
    default: {
      const t = jsonScratch;
      t.reset();
      writeFieldText(t, f, v, { bufferFormat: buffers.bufferFormat, truncate: false });
      writeJsonBytes(w, t.buf, 0, t.pos);
    }
  }
}

/**
 * A JSON value as sysdig's -j writes it (numbers as numbers, 64-bit times exactly, missing as null;
 * buffers whole, in `buffers`' form).
 */
export function fieldJson(f: CompiledField, v: FieldValue, buffers: BufferOutput = JSON_BUFFERS): string {
  textScratch.reset();
  writeFieldJson(textScratch, f, v, buffers);
  return textScratch.text(0);
}

interface Token {
  /** Literal text before the field (or the whole tail when `field` is undefined). */
  text: string;
  field: CompiledField | undefined;
  /** The field is the event's timestamp (evt.time, evt.outputtime): text output formats it directly. */
  eventTime?: boolean;
  /** The field is evt.outputtime, which sysdig's -t prints in other forms than the time of day. */
  outputTime?: boolean;
}

/** abstime fields whose value is the current event's timestamp (see evt.ts). */
const EVENT_TIME_FIELDS = new Set(['evt.time', 'evt.outputtime']);

export interface FormatOptions {
  /** How evt.outputtime prints in text (sysdig -t h|a|r|d|D); the time of day by default. JSON keeps ns. */
  outputTime?: OutputTimeFormat;
}

/**
 * One piece of an output line: writes its bytes for the current event into `w`; false when the event is
 * not printed (a field without a value, and no `*`).
 */
type Step = (ctx: EvalContext, w: ByteWriter) => boolean;

/** The steps of a -p line: for each field, the literal text before it and its text; then the tail. */
function lineSteps(tokens: readonly Token[], printAll: boolean, outputTime: OutputTimeFormat): Step[] {
  const steps: Step[] = [];
  for (const t of tokens) {
    const lit = utf8Bytes(t.text);
    const f = t.field;
    if (!f) {
      if (lit.length > 0) {
        steps.push((_ctx, w) => {
          w.bytes(lit);
          return true;
        });
      }
      continue;
    }
    if (t.eventTime) {
      if (t.outputTime && outputTime !== 'h') {
        const mode = outputTime;
        steps.push((ctx, w) => {
          w.bytes(lit);
          w.str(formatOutputTime(mode, rc(ctx)));
          return true;
        });
      } else {
        // The event's own timestamp, printed as a time of day: from its two words, without a bigint.
        steps.push((ctx, w) => {
          const v = rc(ctx).view;
          w.bytes(lit);
          writeTimeOfDayWords(w, v.tsHi, v.tsLo);
          return true;
        });
      }
      continue;
    }
    const write = f.write;
    if (write) {
      steps.push((ctx, w) => {
        w.bytes(lit);
        if (write(ctx, w)) return true;
        if (!printAll) return false;
        w.bytes(NA);
        return true;
      });
      continue;
    }
    // Strings and plain numbers (most fields) are written here; the rest as writeFieldText says.
    const plainNumbers = f.display === undefined;
    steps.push((ctx, w) => {
      const v = f.get(ctx);
      if (typeof v === 'string') {
        w.bytes(lit);
        w.str(v);
      } else if (typeof v === 'number' && plainNumbers) {
        w.bytes(lit);
        w.num(v);
      } else {
        if (v === undefined && !printAll) return false;
        w.bytes(lit);
        writeFieldText(w, f, v, rc(ctx).render);
      }
      return true;
    });
  }
  return steps;
}

/** The steps of a -j object: `{"key":` / `,"key":` and each value, keys in sysdig's (sorted) order. */
function jsonSteps(tokens: readonly Token[], printAll: boolean): Step[] {
  const byKey = new Map<string, Token & { field: CompiledField }>();
  for (const t of tokens) if (t.field) byKey.set(t.field.name, { ...t, field: t.field });
  const keys = [...byKey].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  const steps: Step[] = [];
  for (const [i, [key, t]] of keys.entries()) {
    const prefix = utf8Bytes(`${i === 0 ? '{' : ','}${JSON.stringify(key)}:`);
    const f = t.field;
    const write = f.write;
    if (t.eventTime) {
      // The event's own timestamp, in ns: from its two words, without a bigint.
      steps.push((ctx, w) => {
        const view = rc(ctx).view;
        w.bytes(prefix);
        writeEpochNsWords(w, view.tsHi, view.tsLo);
        return true;
      });
    } else if (write) {
      // A string written as bytes, then copied as a JSON string.
      steps.push((ctx, w) => {
        const t = jsonScratch;
        t.reset();
        if (!write(ctx, t)) {
          if (!printAll) return false;
          w.bytes(prefix);
          w.bytes(NULL);
          return true;
        }
        w.bytes(prefix);
        writeJsonBytes(w, t.buf, 0, t.pos);
        return true;
      });
    } else {
      steps.push((ctx, w) => {
        const v = f.get(ctx);
        if (v === undefined && !printAll) return false;
        w.bytes(prefix);
        writeFieldJson(w, f, v, rc(ctx).render);
        return true;
      });
    }
  }
  const close = utf8Bytes(keys.length === 0 ? '{}' : '}');
  steps.push((_ctx, w) => {
    w.bytes(close);
    return true;
  });
  return steps;
}

/** Runs `steps` for the current event into `w`; false, with `w` as it was, when the event is not printed. */
function runSteps(steps: readonly Step[], ctx: EvalContext, w: ByteWriter): boolean {
  const start = w.pos;
  for (const step of steps) {
    if (!step(ctx, w)) {
      w.pos = start;
      return false;
    }
  }
  return true;
}

const lineScratch = new ByteWriter();

export class CompiledFormat {
  /** Whether events with missing fields are printed (`*`). */
  readonly printAll: boolean;
  readonly fields: readonly CompiledField[];
  private readonly lineSteps: readonly Step[];
  private readonly jsonSteps: readonly Step[];

  constructor(printAll: boolean, tokens: Token[], opts: FormatOptions = {}) {
    this.printAll = printAll;
    const fields: CompiledField[] = [];
    for (const t of tokens) if (t.field) fields.push(t.field);
    this.fields = fields;
    this.lineSteps = lineSteps(tokens, printAll, opts.outputTime ?? 'h');
    this.jsonSteps = jsonSteps(tokens, printAll);
  }

  /** Writes the line for the current event into `w`; false (nothing written) when it is not printed. */
  writeLine(ctx: EvalContext, w: ByteWriter): boolean {
    return runSteps(this.lineSteps, ctx, w);
  }

  /** Writes the JSON object for the current event into `w`; false as for `writeLine`. */
  writeJson(ctx: EvalContext, w: ByteWriter): boolean {
    return runSteps(this.jsonSteps, ctx, w);
  }

  /** The line for the current event, or undefined when it is not printed (a missing field without `*`). */
  line(ctx: EvalContext): string | undefined {
    lineScratch.reset();
    return this.writeLine(ctx, lineScratch) ? lineScratch.text(0) : undefined;
  }

  /** The JSON object for the current event (keys sorted as sysdig's -j), or undefined as for `line`. */
  json(ctx: EvalContext): string | undefined {
    lineScratch.reset();
    return this.writeJson(ctx, lineScratch) ? lineScratch.text(0) : undefined;
  }
}

const NAME_CHAR = /[A-Za-z0-9_.]/;

/**
 * Compiles a sysdig format string. Field names are matched against the registry longest-first, so
 * `%evt.num|` ends at the `|` and `%evt.arg.fd` is evt.arg with the argument `fd`.
 */
export function compileFormat(
  format: string,
  registry: FieldRegistry,
  opts: FormatOptions = {},
): CompiledFormat {
  let fmt = format;
  let printAll = false;
  if (fmt.startsWith('*')) {
    printAll = true;
    fmt = fmt.slice(1);
  }
  const tokens: Token[] = [];
  let lit = '';
  let i = 0;
  while (i < fmt.length) {
    const ch = fmt.charAt(i);
    if (ch !== '%') {
      lit += ch;
      i++;
      continue;
    }
    let j = i + 1;
    while (j < fmt.length && NAME_CHAR.test(fmt.charAt(j))) j++;
    const run = fmt.slice(i + 1, j);
    // Longest registered name that is a prefix of the run, ending at a component boundary or not.
    let name = '';
    for (let k = run.length; k > 0; k--) {
      if (registry.has(run.slice(0, k))) {
        name = run.slice(0, k);
        break;
      }
    }
    if (name === '') throw new FormatError(`invalid formatting token '%${run}': unknown field`);
    let end = i + 1 + name.length;
    let arg: string | undefined;
    const kind = registry.argKind(name);
    if (kind !== 'none') {
      if (fmt[end] === '[') {
        const close = fmt.indexOf(']', end);
        if (close < 0) throw new FormatError(`unterminated '[' after %${name}`);
        arg = fmt.slice(end + 1, close);
        end = close + 1;
      } else if (fmt[end] === '.' && end < j) {
        arg = fmt.slice(end + 1, j);
        end = j;
      }
    }
    const field = registry.resolve(name, arg);
    const eventTime = field.type === 'abstime' && arg === undefined && EVENT_TIME_FIELDS.has(field.name);
    tokens.push({ text: lit, field, eventTime, outputTime: eventTime && field.name === 'evt.outputtime' });
    lit = '';
    i = end;
  }
  tokens.push({ text: lit, field: undefined });
  return new CompiledFormat(printAll, tokens, opts);
}
