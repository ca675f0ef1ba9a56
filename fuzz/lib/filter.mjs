// @ts-check
// Filter-language fuzzing: expressions generated from the field registry (every field, operators, typed
// and hostile values, lists, nesting, not/and/or) and mutated as text (quotes, brackets, escapes, cuts).
// The rule: compileFilter either returns a filter or throws FilterSyntaxError / UnknownFieldError; a
// compiled filter then evaluates over real events without throwing.
import { signatureOf } from './oracle.mjs';

const VALUES = [
  '0',
  '1',
  '-1',
  '18446744073709551615',
  '99999999999999999999999',
  '1.5',
  'true',
  'false',
  'bash',
  '/etc/passwd',
  '"quoted value"',
  "'single'",
  '"unterminated',
  '"esc\\"aped"',
  '127.0.0.1',
  '::1',
  '10.0.0.0/8',
  'fe80::/10',
  '*',
  '?',
  '[a-z]*',
  '\\',
  '""',
  '(',
  ')',
  ',',
  '%evt.num',
  '0x1f',
  'deadbeef',
  'é',
  '\u0000',
  'a'.repeat(300),
  '.*',
  '(a+)+',
  '[',
  'proc.name',
  '$' + '{x}',
  'and',
  'or',
  'not',
];
const TRANSFORMERS = ['tolower', 'toupper', 'b64', 'basename', 'len', 'val', 'nope'];
const NOISE = [
  '(',
  ')',
  '"',
  "'",
  '\\',
  ',',
  '[',
  ']',
  '.',
  '=',
  '!',
  '<',
  '>',
  ' ',
  '\t',
  '\n',
  '%',
  'and',
  'or',
  'not',
  '\u0000',
  '\uffff',
  '\ud800',
];

/**
 * @typedef {import('./prng.mjs').Rng} Rng
 * @typedef {{ name: string, type: string, arg?: string }} FieldInfo
 * @typedef {{ name: string, grammar: string }} OperatorInfo the rows of @scapkit/replay's OPERATORS
 */

/** A field reference, with an argument when the field takes one (or not, or a bad one). @param {Rng} rng @param {readonly FieldInfo[]} fields */
function field(rng, fields) {
  if (rng.chance(0.03))
    return rng.pick(['nosuch.field', 'proc', '', 'evt.arg.', 'proc.aname[', 'fd.name[x]']);
  const f = rng.pick(fields);
  const kind = f.arg ?? 'none';
  if (kind !== 'none' && (kind === 'required' || rng.chance(0.5))) {
    const arg = rng.pick(['fd', 'res', 'name', '0', '1', '2', '99999999999', '-1', 'x y', '']);
    return rng.chance(0.5) ? `${f.name}[${arg}]` : `${f.name}.${arg}`;
  }
  if (kind === 'none' && rng.chance(0.05)) return `${f.name}[1]`;
  return f.name;
}

/** @param {Rng} rng @param {readonly FieldInfo[]} fields */
function operand(rng, fields) {
  const f = field(rng, fields);
  return rng.chance(0.08) ? `${rng.pick(TRANSFORMERS)}(${f})` : f;
}

/** @param {Rng} rng @param {readonly FieldInfo[]} fields */
function value(rng, fields) {
  if (rng.chance(0.1)) return rng.chance(0.5) ? `val(${field(rng, fields)})` : field(rng, fields);
  return rng.pick(VALUES);
}

/**
 * @param {Rng} rng @param {readonly FieldInfo[]} fields @param {readonly OperatorInfo[]} ops
 * @param {number} depth @returns {string}
 */
function expr(rng, fields, ops, depth) {
  const r = rng.int(10);
  if (depth > 0 && r < 2)
    return `${expr(rng, fields, ops, depth - 1)} ${rng.pick(['and', 'or', 'AND', '&&'])} ${expr(rng, fields, ops, depth - 1)}`;
  if (depth > 0 && r < 3) return `not ${expr(rng, fields, ops, depth - 1)}`;
  if (depth > 0 && r < 4) return `(${expr(rng, fields, ops, depth - 1)})`;
  const { name: op, grammar } = rng.pick(ops);
  const lhs = operand(rng, fields);
  if (grammar === 'none') return `${lhs} ${op}`;
  if (grammar === 'list') {
    const n = rng.int(4);
    const items = [];
    for (let i = 0; i < n; i++) items.push(value(rng, fields));
    return `${lhs} ${op} (${items.join(rng.chance(0.9) ? ', ' : ' ')})`;
  }
  return `${lhs} ${op} ${value(rng, fields)}`;
}

/** Text-level damage. @param {Rng} rng @param {string} s */
function mutateText(rng, s) {
  const n = rng.range(1, 4);
  for (let k = 0; k < n; k++) {
    const at = rng.int(s.length + 1);
    const r = rng.int(5);
    if (r === 0) s = s.slice(0, at) + rng.pick(NOISE) + s.slice(at);
    else if (r === 1) s = s.slice(0, at) + s.slice(at + rng.small(8));
    else if (r === 2) s = s.slice(0, at);
    else if (r === 3) {
      const from = rng.int(s.length);
      s = s.slice(0, at) + s.slice(from, from + rng.small(16)) + s.slice(at);
    } else s = s.slice(0, at) + String.fromCharCode(rng.int(0x80)) + s.slice(at);
  }
  return s;
}

/**
 * One filter expression: generated, then (often) damaged.
 * @param {Rng} rng @param {readonly FieldInfo[]} fields @param {readonly OperatorInfo[]} ops
 */
export function genFilter(rng, fields, ops) {
  if (rng.chance(0.02)) return '('.repeat(rng.range(1, 5000)) + 'evt.num = 1';
  if (rng.chance(0.02)) return 'not '.repeat(rng.range(1, 5000)) + 'evt.num = 1';
  const s = expr(rng, fields, ops, rng.int(4));
  return rng.chance(0.5) ? mutateText(rng, s) : s;
}

/**
 * Compiles `text`; a compiled filter is then run over `batches` of real events through a pipeline.
 * @param {{ createFieldRegistry: () => any, compileFilter: (t: string, r: any) => any, Pipeline: new (o: any) => any,
 *           FilterSyntaxError: new (...a: any[]) => Error, UnknownFieldError: new (...a: any[]) => Error }} replay
 * @param {any} registry @param {string} text @param {any[]} records header/metadata/events records to replay
 * @returns {Promise<import('./oracle.mjs').Outcome>}
 */
export async function runFilter(replay, registry, text, records) {
  let compiled;
  try {
    compiled = replay.compileFilter(text, registry);
  } catch (e) {
    if (e instanceof replay.FilterSyntaxError || e instanceof replay.UnknownFieldError)
      return { status: 'typed', events: 0, error: `${e.name}: ${e.message.split('\n')[0]}` };
    return fail(e, 'compile');
  }
  try {
    let shown = 0;
    const p = new replay.Pipeline({
      sink: { event: () => shown++ },
      filter: (/** @type {any} */ ctx) => compiled.match(ctx),
    });
    async function* src() {
      yield* records;
    }
    await p.run(src());
    return { status: 'ok', events: shown };
  } catch (e) {
    return fail(e, 'match');
  }
}

/** @param {unknown} e @param {string} phase */
function fail(e, phase) {
  const err = e instanceof Error ? e : new Error(String(e));
  const frames = (err.stack ?? '').split('\n').slice(1);
  return /** @type {import('./oracle.mjs').Outcome} */ ({
    status: 'fail',
    events: 0,
    error: `${phase}: ${err.name}: ${err.message}\n${frames.slice(0, 6).join('\n')}`,
    signature: `${phase}:${signatureOf(err)}`,
  });
}
