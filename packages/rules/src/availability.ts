// Fields a trace cannot answer, so that a rule that would never fire says so instead of staying silent.
// Two kinds: fields no trace answers (names of addresses: scapkit, like Falco without DNS resolution,
// does not resolve them), reported when the rule loads; and fields whose value comes from a parameter
// that the events of this trace do not carry (an old sysdig capture's execve records no `flags`, so
// proc.is_exe_upper_layer is never true), reported after a detect run from the event types it met.
import type { FieldInfo, FieldRegistry } from '@scapkit/replay';
import { EVENT_MAX, EVENTS } from '@scapkit/scap-format';
import type { CompiledRule } from './compiler.js';

/** The registry's entries by name (registry.info lists every field for each question). */
const infoByName = new WeakMap<FieldRegistry, Map<string, FieldInfo>>();

/** The registry's entry for a field as a condition or output wrote it (`proc.aname[2]`, `evt.arg.flags`). */
export function fieldInfo(registry: FieldRegistry, written: string): FieldInfo | undefined {
  let infos = infoByName.get(registry);
  if (!infos) {
    infos = new Map(registry.list().map((i) => [i.name, i]));
    infoByName.set(registry, infos);
  }
  const bare = written.replace(/\[.*\]$/, '');
  const exact = infos.get(bare);
  if (exact) return exact;
  const parts = bare.split('.');
  for (let k = parts.length - 1; k >= 2; k--) {
    const info = infos.get(parts.slice(0, k).join('.'));
    if (info) return info;
  }
  return undefined;
}

export interface FieldProblem {
  rule: CompiledRule;
  field: string;
  reason: string;
}

/** Condition fields of `rules` that no trace answers. */
export function unansweredFields(rules: readonly CompiledRule[], registry: FieldRegistry): FieldProblem[] {
  const out: FieldProblem[] = [];
  for (const rule of rules) {
    for (const field of rule.conditionFields) {
      const info = fieldInfo(registry, field);
      if (info?.unanswered) out.push({ rule, field, reason: info.unanswered });
    }
  }
  return out;
}

/**
 * Condition fields of `rules` (one per parameter) whose parameter none of the events this trace held carries: `maxParams[id]` is the
 * most parameters an event of type id had (-1: none met; libs grew event layouts by appending
 * parameters, so a type's id alone does not say). A field is reported only when the trace had events of
 * its source's names at all (a trace without any execve says nothing about execve's parameters).
 */
export function fieldsMissingParams(
  rules: readonly CompiledRule[],
  registry: FieldRegistry,
  maxParams: Int32Array,
): FieldProblem[] {
  const out: FieldProblem[] = [];
  for (const rule of rules) {
    const params = new Set<string>();
    for (const field of rule.conditionFields) {
      const src = fieldInfo(registry, field)?.fromParam;
      if (!src || params.has(src.param)) continue;
      params.add(src.param);
      let met = false;
      let carried = false;
      for (let id = 1; id < EVENT_MAX; id += 2) {
        const e = EVENTS[id];
        const max = maxParams[id] ?? -1;
        if (e === undefined || max < 0 || !src.events.includes(e.name)) continue;
        met = true;
        const at = e.paramIndex.get(src.param);
        if (at !== undefined && at < max) carried = true;
      }
      if (met && !carried) {
        out.push({
          rule,
          field,
          reason:
            `this trace's ${src.events.join('/')} events do not record '${src.param}' (an older event ` +
            'layout): the processes they start have no value for it',
        });
      }
    }
  }
  return out;
}
