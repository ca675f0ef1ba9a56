// Alerts as Falco prints them. Text: `HH:MM:SS.nnnnnnnnn: Priority output` (local time; the line escaped
// as Falco escapes it, through a JSON string encoder). JSON: one object per alert with Falco's keys in
// Falco's order — hostname, output, output_fields (every field of the output, typed, plus evt.time),
// priority, rule, source, tags, time (RFC 3339 in UTC with nanoseconds).
import {
  type CompiledFormat,
  compileFormat,
  type FieldRegistry,
  formatTimeOfDay,
  type ReplayContext,
} from '@scapkit/replay';
import type { CompiledRule } from './compiler.js';
import { priorityName } from './priority.js';

export interface Alert {
  readonly rule: CompiledRule;
  /** Event timestamp, ns since the epoch. */
  readonly ts: bigint;
  /** evt.num of the event. */
  readonly num: number;
  /** The event's type id (odd: an exit event). */
  readonly type: number;
  /** The rule's output for the event (fields filled in, <NA> for those without a value). */
  readonly output: string;
  /** Falco's text line: `time: Priority output`. */
  readonly text: string;
  /** Falco's JSON object, when the formatter was asked for JSON. */
  readonly json?: string;
}

/** `2024-01-02T03:04:05.123456789Z`: Falco's `time` (UTC, nanoseconds). */
export function rfc3339(ns: bigint): string {
  const sec = ns / 1000000000n;
  const frac = String(ns - sec * 1000000000n).padStart(9, '0');
  return `${new Date(Number(sec) * 1000).toISOString().slice(0, 19)}.${frac}Z`;
}

/** Falco's text output escaping: a JSON string's escapes, without the quotes. */
export function escapeText(s: string): string {
  return JSON.stringify(s).slice(1, -1);
}

export interface AlertFormatterOptions {
  registry: FieldRegistry;
  /** Build the JSON object too. */
  json: boolean;
  /** The host the events happened on (the trace's), for JSON's `hostname`. */
  hostname: () => string;
}

/** Renders alerts for matched rules; output formats are compiled once per rule. */
export class AlertFormatter {
  /** Per rule: its output with evt.time in front, for JSON's output_fields. */
  private readonly jsonFormats = new Map<CompiledRule, CompiledFormat>();

  constructor(private readonly opts: AlertFormatterOptions) {}

  format(rule: CompiledRule, ctx: ReplayContext): Alert {
    ctx.render.truncate = true;
    const v = ctx.view;
    const ts = v.ts;
    const output = rule.format.line(ctx) ?? '';
    const line = `${formatTimeOfDay(ts)}: ${priorityName(rule.priority)} ${output}`;
    const text = escapeText(line);
    if (!this.opts.json) return { rule, ts, num: ctx.num, type: v.type, output, text };
    let jf = this.jsonFormats.get(rule);
    if (!jf) {
      jf = compileFormat(`*%evt.time ${rule.output}`, this.opts.registry);
      this.jsonFormats.set(rule, jf);
    }
    ctx.render.truncate = false;
    const fields = jf.json(ctx) ?? '{}';
    ctx.render.truncate = true;
    const tags = [...rule.tags].sort();
    const json =
      `{"hostname":${JSON.stringify(this.opts.hostname())},"output":${JSON.stringify(line)},` +
      `"output_fields":${fields},"priority":${JSON.stringify(priorityName(rule.priority))},` +
      `"rule":${JSON.stringify(rule.name)},"source":${JSON.stringify(rule.source)},` +
      `"tags":${JSON.stringify(tags)},"time":${JSON.stringify(rfc3339(ts))}}`;
    return { rule, ts, num: ctx.num, type: v.type, output, text, json };
  }
}
