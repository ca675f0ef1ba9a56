// Test support: load rules text into an engine, and judge a real capture with the result.
import { openCaptureFile } from '@scapkit/scap-format/node';
import { expect } from 'vitest';
import { CAPTURES_DIR } from '../../../../test/support/captures.mjs';
import {
  type Alert,
  AlertFormatter,
  createDetectPipeline,
  type LoadResult,
  type RuleMatching,
  type RuleSelection,
  RulesEngine,
} from '../../src/index.js';

/** The shared captures' folder (test/support/captures.mjs decides where it is). */
export const CAPTURES = CAPTURES_DIR;

/** Rules text with its lines dedented (tests write YAML inline). */
export function yaml(strings: TemplateStringsArray, ...values: unknown[]): string {
  const raw = strings.reduce((s, part, i) => s + part + (i < values.length ? String(values[i]) : ''), '');
  const lines = raw.replace(/^\n/, '').split('\n');
  const indent = Math.min(
    ...lines.filter((l) => l.trim() !== '').map((l) => l.length - l.trimStart().length),
  );
  return lines.map((l) => l.slice(indent)).join('\n');
}

export function load(...files: string[]): { engine: RulesEngine; results: LoadResult[] } {
  const engine = new RulesEngine();
  const results = files.map((f, i) => engine.loadRules(f, `rules${i}.yaml`));
  return { engine, results };
}

/** The one result of loading `text`, which must fail: its first error. */
export function errorOf(text: string) {
  const { results } = load(text);
  const r = results[0]!;
  expect(r.successful).toBe(false);
  return r.errors[0]!;
}

export function warningsOf(text: string) {
  const { results } = load(text);
  expect(results[0]!.errors).toEqual([]);
  return results[0]!.warnings;
}

/** The innermost location of a problem as [item type, item name, line, column] (0-based, Falco's). */
export function where(p: {
  context: {
    locations: readonly { itemType: string; itemName: string; position: { line: number; column: number } }[];
  };
}) {
  const chain = p.context.locations;
  const named = [...chain].reverse().find((l) => l.itemName !== '') ?? chain[chain.length - 1]!;
  const last = chain[chain.length - 1]!;
  return {
    item: `${named.itemType} ${named.itemName}`.trim(),
    line: last.position.line,
    column: last.position.column,
  };
}

export interface Detection {
  rule: string;
  num: number;
  dir: string;
  alert: Alert;
}

/** Runs a capture of the shared set (by name) or a trace (by path) through the rules; the alerts in order. */
export async function detect(
  engine: RulesEngine,
  capture: string,
  selection: RuleSelection = {},
  matching: RuleMatching = 'first',
  json = false,
): Promise<Detection[]> {
  const ruleset = engine.ruleset(selection, matching);
  const formatter = new AlertFormatter({ registry: engine.registry, json, hostname: () => 'testhost' });
  const out: Detection[] = [];
  const { pipeline } = createDetectPipeline({
    ruleset,
    formatter,
    onAlert: (a) =>
      out.push({ rule: a.rule.name, num: a.num, dir: (a.type & 1) === 0 ? '>' : '<', alert: a }),
  });
  await pipeline.run(openCaptureFile(capture.includes('/') ? capture : `${CAPTURES}/${capture}.scap`));
  return out;
}
