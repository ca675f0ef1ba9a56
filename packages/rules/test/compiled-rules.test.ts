// The rules' evaluation (each condition folded for its event type, the rules of a type generated into one
// function: ruleset.ts, program.ts) against the plain one: each rule's condition compiled on its own into
// closures by replay's filter compiler, with nothing shared and nothing folded, run over every rule of the
// event's type in load order. Both judge every shared capture with Falco's stock ruleset, scapkit's
// default one, and every stock macro made a rule of its own (macros such as open_read, spawned_process or
// container match far more events than the rules built on them); every rule that matches alerts
// (`--rule-matching all`), and the two runs must give the same alerts, event by event.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { compileFilterAst, type EvalContext } from '@scapkit/replay';
import type { EventView } from '@scapkit/scap-format';
import { openCaptureFile } from '@scapkit/scap-format/node';
import { describe, expect, it } from 'vitest';
import {
  AlertFormatter,
  type CompiledRule,
  createDetectPipeline,
  RulesEngine,
  type Ruleset,
} from '../src/index.js';
import { DEFAULT_RULES_FILE } from '../src/node/index.js';
import { CAPTURES } from './support/rules.js';

const repo = fileURLToPath(new URL('../../../', import.meta.url));
const STOCK = readFileSync(join(repo, '../shared/reference/falco/falco_rules.yaml'), 'utf8');
const captures = readdirSync(CAPTURES).filter((f) => f.endsWith('.scap'));

/** The stock file with one more rule per macro: `condition: <macro>`. */
function withMacroRules(text: string): string {
  const names = [...text.matchAll(/^- macro: ([A-Za-z0-9_]+)/gm)].map((m) => m[1]);
  const rules = names.map(
    (n) =>
      `- rule: macro ${n}\n  desc: the macro alone\n  condition: ${n}\n  output: "%evt.num"\n  priority: DEBUG\n`,
  );
  return `${text}\n${rules.join('\n')}`;
}

/** The plain evaluation, shaped as the Ruleset createDetectPipeline reads. */
function plainRuleset(engine: RulesEngine): Ruleset {
  const ruleset = engine.ruleset({}, 'all');
  const compiled = ruleset.enabled.map((rule) => ({
    rule,
    match: compileFilterAst(rule.ast, rule.condition, engine.registry).match,
  }));
  const matches: CompiledRule[] = [];
  const plain = {
    interesting: ruleset.interesting,
    get lastMatches() {
      return matches;
    },
    evaluate(ctx: EvalContext & { readonly view: EventView }) {
      matches.length = 0;
      const t = ctx.view.type;
      for (const { rule, match } of compiled) if (rule.eventTypes.has(t) && match(ctx)) matches.push(rule);
      return matches;
    },
  };
  return plain as unknown as Ruleset;
}

async function alerts(engine: RulesEngine, ruleset: Ruleset, capture: string): Promise<string[]> {
  const formatter = new AlertFormatter({ registry: engine.registry, json: false, hostname: () => 'h' });
  const out: string[] = [];
  const { pipeline } = createDetectPipeline({
    ruleset,
    formatter,
    onAlert: (a) => out.push(`${a.num} ${a.rule.name}: ${a.text}`),
  });
  await pipeline.run(openCaptureFile(join(CAPTURES, capture)));
  return out;
}

describe('compiled rules give the plain evaluation’s alerts', () => {
  // The macro rules match most events: over the captures below 1 MB (the two larger ones take minutes).
  const small = captures.filter((c) => statSync(join(CAPTURES, c)).size < 1 << 20);
  const sets: [string, string, string[]][] = [
    ['stock ruleset and a rule per stock macro', withMacroRules(STOCK), small],
    ['stock ruleset', STOCK, captures],
    ['default ruleset', readFileSync(DEFAULT_RULES_FILE, 'utf8'), captures],
  ];
  it.each(sets)('%s', async (_name, text, files) => {
    const engine = new RulesEngine();
    const result = engine.loadRules(text, 'rules.yaml');
    expect(result.errors).toEqual([]);
    let total = 0;
    for (const capture of files) {
      const compiled = await alerts(engine, engine.ruleset({}, 'all'), capture);
      const plain = await alerts(engine, plainRuleset(engine), capture);
      expect(compiled, capture).toEqual(plain);
      total += plain.length;
    }
    // The stock rules fire on none of the captures; the macro rules and the default ones do.
    if (text !== STOCK) expect(total).toBeGreaterThan(0);
  });
});
