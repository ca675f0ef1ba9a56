// sysdig output formats (`-p`): literal text with `%field`, `%field[arg]` and `%field.arg` tokens, compiled
// once against the field registry into a line renderer and a JSON renderer. A leading `*` prints every
// event, missing fields as `<NA>`; without it an event with any missing field is not printed at all.

import { rc } from '../fields/context.js';
import type { FieldRegistry } from '../fields/registry.js';
import type { CompiledField, EvalContext, FieldValue } from '../fields/types.js';
import { type BufferFormat, MAX_BUFFER_OUTPUT, renderBuffer } from '../render/buffer.js';
import {
  formatEpochNsWords,
  formatOutputTime,
  formatTimeOfDay,
  formatTimeOfDayWords,
  type OutputTimeFormat,
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

/** Text of one field value as sysdig prints it in a -p line (buffers as `buffers` says). */
export function fieldText(f: CompiledField, v: FieldValue, buffers: BufferOutput = DEFAULT_BUFFERS): string {
  if (v === undefined) return '<NA>';
  switch (typeof v) {
    case 'string':
      return v;
    case 'number':
      if (f.display === 'padded9') return String(v).padStart(9, '0');
      if (f.display === 'hex') return (v >>> 0).toString(16).toUpperCase();
      return String(v);
    case 'boolean':
      return v ? 'true' : 'false';
    case 'bigint':
      return f.type === 'abstime' ? formatTimeOfDay(v) : v.toString();
    default:
      return renderBuffer(v, buffers.bufferFormat, buffers.truncate ? MAX_BUFFER_OUTPUT : 0);
  }
}

/** What JSON.stringify escapes in a string: quote, backslash, C0 controls, surrogates (lone ones). */
const JSON_ESCAPED = /["\\\u0000-\u001f\ud800-\udfff]/;

/** JSON.stringify(s), with the common case (nothing to escape) a concatenation instead of a scan and copy. */
function jsonString(s: string): string {
  return JSON_ESCAPED.test(s) ? JSON.stringify(s) : `"${s}"`;
}

/**
 * A JSON value as sysdig's -j writes it (numbers as numbers, 64-bit times exactly, missing as null;
 * buffers whole, in `buffers`' form).
 */
export function fieldJson(f: CompiledField, v: FieldValue, buffers: BufferOutput = JSON_BUFFERS): string {
  if (v === undefined) return 'null';
  switch (typeof v) {
    case 'string':
      return jsonString(v);
    case 'number':
      return Number.isFinite(v) ? String(v) : 'null';
    case 'boolean':
      return v ? 'true' : 'false';
    case 'bigint':
      return v.toString();
    default:
      return jsonString(fieldText(f, v, { bufferFormat: buffers.bufferFormat, truncate: false }));
  }
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

export class CompiledFormat {
  /** Whether events with missing fields are printed (`*`). */
  readonly printAll: boolean;
  readonly fields: readonly CompiledField[];
  private readonly tokens: readonly Token[];
  /**
   * JSON keys in sysdig's order (sorted), with the field of each and the text before its value
   * (`{"key":` for the first, `,"key":` for the others), quoted once here rather than per event.
   */
  private readonly jsonKeys: readonly {
    key: string;
    field: CompiledField;
    prefix: string;
    eventTime: boolean;
  }[];

  private readonly outputTime: OutputTimeFormat;

  constructor(printAll: boolean, tokens: Token[], opts: FormatOptions = {}) {
    this.printAll = printAll;
    this.tokens = tokens;
    this.outputTime = opts.outputTime ?? 'h';
    const fields: CompiledField[] = [];
    const byKey = new Map<string, Token>();
    for (const t of tokens) {
      if (t.field) {
        fields.push(t.field);
        byKey.set(t.field.name, t);
      }
    }
    this.fields = fields;
    this.jsonKeys = [...byKey]
      .sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
      .map(([key, t], i) => ({
        key,
        field: t.field!,
        prefix: `${i === 0 ? '{' : ','}${JSON.stringify(key)}:`,
        eventTime: t.eventTime === true,
      }));
  }

  /** The line for the current event, or undefined when it is not printed (a missing field without `*`). */
  line(ctx: EvalContext): string | undefined {
    let s = '';
    const tokens = this.tokens;
    for (let i = 0; i < tokens.length; i++) {
      const t = tokens[i]!;
      s += t.text;
      const f = t.field;
      if (f) {
        if (t.eventTime) {
          if (t.outputTime && this.outputTime !== 'h') {
            s += formatOutputTime(this.outputTime, rc(ctx));
            continue;
          }
          // The event's own timestamp, printed as a time of day: from its two words, without a bigint.
          const v = rc(ctx).view;
          s += formatTimeOfDayWords(v.tsHi, v.tsLo);
          continue;
        }
        const v = f.get(ctx);
        if (v === undefined && !this.printAll) return undefined;
        s += fieldText(f, v, rc(ctx).render);
      }
    }
    return s;
  }

  /** The JSON object for the current event (keys sorted as sysdig's -j), or undefined as for `line`. */
  json(ctx: EvalContext): string | undefined {
    const keys = this.jsonKeys;
    if (keys.length === 0) return '{}';
    let s = '';
    for (let i = 0; i < keys.length; i++) {
      const k = keys[i]!;
      if (k.eventTime) {
        // The event's own timestamp, in ns: from its two words, without a bigint.
        const view = rc(ctx).view;
        s += k.prefix + formatEpochNsWords(view.tsHi, view.tsLo);
        continue;
      }
      const v = k.field.get(ctx);
      if (v === undefined && !this.printAll) return undefined;
      s += k.prefix + fieldJson(k.field, v, rc(ctx).render);
    }
    return `${s}}`;
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
    const ch = fmt[i]!;
    if (ch !== '%') {
      lit += ch;
      i++;
      continue;
    }
    let j = i + 1;
    while (j < fmt.length && NAME_CHAR.test(fmt[j]!)) j++;
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
