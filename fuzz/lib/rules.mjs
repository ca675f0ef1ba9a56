// @ts-check
// Rules-file fuzzing: real rules files (the stock Falco ruleset, scapkit's default ruleset) and small
// generated ones, damaged as YAML text (lines cut, repeated, moved; keys and values swapped; quotes,
// brackets, anchors and aliases, tabs, indentation, huge scalars and deep nesting put in) and loaded into
// a fresh RulesEngine. The rule: loadRules returns a result, with Falco's typed errors and warnings,
// never throws; the watchdog and the memory cap of run.mjs catch hangs and unbounded memory.
import { readFileSync } from 'node:fs';
import { signatureOf } from './oracle.mjs';

const SEEDS = [
  new URL('../../../shared/reference/falco/falco_rules.yaml', import.meta.url),
  new URL('../../packages/rules/rules/scapkit_rules.yaml', import.meta.url),
];

/** The seed files that exist here (the stock ruleset lives beside the repository). */
export function ruleSeeds() {
  /** @type {string[]} */
  const out = [];
  for (const u of SEEDS) {
    try {
      out.push(readFileSync(u, 'utf8'));
    } catch {
      // not on this machine
    }
  }
  out.push(
    [
      '- required_engine_version: 0.50.0',
      '- list: l',
      '  items: [a, "b c", l2]',
      '- list: l2',
      '  items: []',
      '- macro: m',
      '  condition: evt.type in (open, openat) and proc.name in (l)',
      '- rule: r',
      '  desc: d',
      '  condition: m and not proc.pname in (l2) and fd.name glob anyof (/etc/*, /tmp/?)',
      '  output: "%proc.name %fd.name %evt.arg.flags"',
      '  priority: WARNING',
      '  tags: [t]',
      '  exceptions:',
      '    - name: e',
      '      fields: [proc.name, fd.name]',
      '      comps: [=, startswith]',
      '      values: [[cat, /etc], [sh, [/a, /b]]]',
      '- rule: r',
      '  condition: and evt.dir=<',
      '  override:',
      '    condition: append',
      '- rule: r',
      '  enabled: false',
      '',
    ].join('\n'),
  );
  return out;
}

const INSERTS = [
  ':',
  '- ',
  '  ',
  '\t',
  '"',
  "'",
  '[',
  ']',
  '{',
  '}',
  '&a ',
  '*a',
  '<<: *a',
  '!!str ',
  '? ',
  '|',
  '>',
  '#',
  '---\n',
  '...\n',
  '\n',
  '\u0000',
  '\ufeff',
  ' and ',
  ' or not (',
  ')',
  'append: true\n',
  'override:\n    condition: replace\n',
  'enabled: false\n',
  'exceptions:\n  - name: x\n    fields: [proc.name]\n    values: [[a]]\n',
  'evt.type=',
  'proc.name in (',
  '%',
  '%evt.nosuch',
  'macro: ',
  'list: ',
  'rule: ',
  'condition: ',
  'items: [',
];

/** @typedef {import('./prng.mjs').Rng} Rng */

/** One rules text: a seed (or a part of it), damaged. @param {Rng} rng @param {string[]} seeds */
export function genRules(rng, seeds) {
  if (rng.chance(0.02)) return `- macro: m\n  condition: ${'('.repeat(rng.range(1, 3000))}evt.type=open\n`;
  if (rng.chance(0.02)) {
    // nested aliases: a few lines that would expand to billions of values
    let s = 'a0: &a0 [x, x, x, x, x, x, x, x]\n';
    for (let i = 1; i < 30; i++) s += `a${i}: &a${i} [*a${i - 1}, *a${i - 1}, *a${i - 1}]\n`;
    return `- list: l\n  items: *a29\n${s.replace(/^/gm, '# ')}`;
  }
  const seed = rng.pick(seeds);
  let lines = seed.split('\n');
  if (rng.chance(0.5) && lines.length > 40) {
    const from = rng.int(lines.length - 20);
    lines = lines.slice(from, from + rng.range(10, 200));
  }
  const n = rng.range(1, 8);
  for (let k = 0; k < n; k++) {
    const r = rng.int(7);
    const at = rng.int(lines.length + 1);
    if (r === 0 && lines.length > 1) lines.splice(at, rng.range(1, 4));
    else if (r === 1)
      lines.splice(at, 0, ...lines.slice(rng.int(lines.length), rng.int(lines.length) + rng.range(1, 6)));
    else if (r === 2) {
      const line = lines[at] ?? '';
      const c = rng.int(line.length + 1);
      lines[Math.min(at, lines.length - 1)] = line.slice(0, c) + rng.pick(INSERTS) + line.slice(c);
    } else if (r === 3) {
      const line = lines[at] ?? '';
      lines[Math.min(at, lines.length - 1)] = line.slice(0, rng.int(line.length + 1));
    } else if (r === 4) {
      // indentation damage
      const line = lines[at] ?? '';
      lines[Math.min(at, lines.length - 1)] = rng.chance(0.5) ? line.replace(/^ +/, '') : `  ${line}`;
    } else if (r === 5) {
      const a = rng.int(lines.length);
      const b = rng.int(lines.length);
      const t = lines[a];
      lines[a] = lines[b] ?? '';
      lines[b] = t ?? '';
    } else {
      // a long scalar
      const line = lines[at] ?? '';
      lines[Math.min(at, lines.length - 1)] = `${line} ${'x'.repeat(rng.range(1, 5000))}`;
    }
  }
  return lines.join('\n');
}

/**
 * Loads `text` into a fresh engine. A result with errors is a typed outcome; anything thrown is a failure.
 * @param {{ RulesEngine: new () => { loadRules(text: string, name: string): { successful: boolean, errors: { code: string }[] } } }} rulesApi
 * @param {string} text
 * @returns {import('./oracle.mjs').Outcome}
 */
export function runRules(rulesApi, text) {
  try {
    const engine = new rulesApi.RulesEngine();
    const r = engine.loadRules(text, 'fuzz.yaml');
    if (!r.successful) return { status: 'typed', events: 0, error: r.errors[0]?.code ?? 'error' };
    return { status: 'ok', events: 0 };
  } catch (e) {
    const err = e instanceof Error ? e : new Error(String(e));
    const frames = (err.stack ?? '').split('\n').slice(1);
    return {
      status: 'fail',
      events: 0,
      error: `load: ${err.name}: ${err.message}\n${frames.slice(0, 6).join('\n')}`,
      signature: `load:${signatureOf(err)}`,
    };
  }
}
