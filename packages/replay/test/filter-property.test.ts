// Property tests (fast-check): random ASTs printed and parsed back give the same AST; random mutations of
// valid filters either compile or raise FilterSyntaxError, never another exception, and a filter that
// compiles evaluates without throwing.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type {
  CheckExpr,
  FieldOperand,
  FilterAst,
  ListNode,
  ListRef,
  Operand,
  ValueNode,
} from '../src/filter/index.js';
import {
  compileFilter,
  FilterSyntaxError,
  OPERATORS,
  type OperatorGrammar,
  parseFilter,
  printFilter,
} from '../src/filter/index.js';
import { ctxOf, stripPositions, TEST_FIELDS, type TestEvent, TestResolver } from './filter-helpers.js';

const P = { pos: 0 }; // positions are ignored by the comparison
const KEYWORDS = new Set(['and', 'or', 'not']);

const identifier = fc
  .stringMatching(/^[a-zA-Z][a-zA-Z0-9_]{0,7}$/)
  .filter((s) => !KEYWORDS.has(s) && !/^not$/.test(s));
const fieldName = fc.oneof(
  fc.constantFrom(...Object.keys(TEST_FIELDS), 'evt.arg.fd', 'notes.x', 'order.y', 'exists.z'),
  fc.stringMatching(/^[a-zA-Z][a-zA-Z0-9_]{0,5}(\.[a-zA-Z][a-zA-Z0-9_]{0,5}){1,2}$/),
);
// Any text, including quotes, backslashes, blanks, control characters and non-ASCII.
const anyText = fc.oneof(fc.string({ maxLength: 12 }), fc.string({ unit: 'binary', maxLength: 8 }));
const numberToken = fc.oneof(
  fc.stringMatching(/^[+-]?[0-9]{1,6}(\.[0-9]{0,3})?([eE][+-][0-9]{1,2})?$/),
  fc.stringMatching(/^0[xX][0-9a-fA-F]{1,8}$/),
);

const field: fc.Arbitrary<FieldOperand> = fc.record({
  kind: fc.constant('field' as const),
  name: fieldName,
  arg: fc.option(
    fc.oneof(
      fc.stringMatching(/^[0-9a-z]{1,4}$/),
      anyText.filter((s) => s.length > 0),
    ),
    { nil: undefined },
  ),
  pos: fc.constant(0),
  end: fc.constant(0),
});

const { operand } = fc.letrec<{ operand: Operand }>((tie) => ({
  operand: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    field,
    fc.record({
      kind: fc.constant('transformer' as const),
      transformer: fc.constantFrom(
        'tolower' as const,
        'toupper' as const,
        'b64' as const,
        'basename' as const,
        'len' as const,
      ),
      operand: tie('operand'),
      pos: fc.constant(0),
      end: fc.constant(0),
    }),
  ),
}));

const valField: fc.Arbitrary<Operand> = field.map((f) => ({
  kind: 'transformer',
  transformer: 'val',
  operand: f,
  pos: 0,
  end: 0,
}));
const rhsOperand = fc.oneof(
  valField,
  operand.filter((o) => o.kind === 'transformer'),
);
const value = (text: fc.Arbitrary<string>): fc.Arbitrary<ValueNode> =>
  text.map((v) => ({ kind: 'value', value: v, pos: 0, end: 0 }));
const list: fc.Arbitrary<ListNode> = fc
  .array(value(anyText), { maxLength: 4 })
  .map((items) => ({ kind: 'list', items, pos: 0, end: 0 }));
const listRef: fc.Arbitrary<ListRef> = identifier.map((name) => ({ kind: 'listref', name, pos: 0, end: 0 }));

// Operators by what the grammar takes after them, from the one table.
const ops = (g: OperatorGrammar) => OPERATORS.filter((o) => o.grammar === g).map((o) => o.name);
const NUM_OPS = ops('number');
const STR_OPS = ops('string');
const LIST_OPS = ops('list');
const check: fc.Arbitrary<CheckExpr> = fc.oneof(
  fc
    .record({ left: operand })
    .map(({ left }): CheckExpr => ({ kind: 'check', left, op: 'exists', opPos: 0, ...P })),
  fc
    .record({
      left: operand,
      op: fc.constantFrom(...NUM_OPS),
      right: fc.oneof(value(numberToken), rhsOperand),
    })
    .map((c): CheckExpr => ({ kind: 'check', opPos: 0, ...c, ...P })),
  fc
    .record({ left: operand, op: fc.constantFrom(...STR_OPS), right: fc.oneof(value(anyText), rhsOperand) })
    .map((c): CheckExpr => ({ kind: 'check', opPos: 0, ...c, ...P })),
  fc
    .record({
      left: operand,
      op: fc.constantFrom(...STR_OPS),
      modifier: fc.constantFrom('oneof' as const, 'anyof' as const, 'allof' as const),
      right: fc.oneof(list, listRef),
    })
    .map((c): CheckExpr => ({ kind: 'check', opPos: 0, ...c, ...P })),
  fc
    .record({
      left: operand,
      op: fc.constantFrom(...LIST_OPS),
      right: fc.oneof(list, listRef, rhsOperand),
    })
    .map((c): CheckExpr => ({ kind: 'check', opPos: 0, ...c, ...P })),
);

const { expr } = fc.letrec<{ expr: FilterAst }>((tie) => ({
  expr: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    check,
    identifier.map((name): FilterAst => ({ kind: 'macro', name, pos: 0 })),
    tie('expr').map((child): FilterAst => ({ kind: 'not', child, pos: 0 })),
    fc
      .array(tie('expr'), { minLength: 2, maxLength: 4 })
      .map((children): FilterAst => ({ kind: 'and', children, pos: 0 })),
    fc
      .array(tie('expr'), { minLength: 2, maxLength: 4 })
      .map((children): FilterAst => ({ kind: 'or', children, pos: 0 })),
  ),
}));

describe('printFilter ∘ parseFilter', () => {
  it('a random AST printed and parsed back is the same AST', () => {
    fc.assert(
      fc.property(expr, (ast) => {
        const text = printFilter(ast);
        expect(stripPositions(parseFilter(text))).toEqual(stripPositions(ast));
      }),
      { numRuns: 1500 },
    );
  });
});

// Filters over the test resolver's fields with values of every kind, most of which compile.
const SAMPLE_VALUES = [
  'curl',
  '"a b"',
  '0',
  '-2',
  '0x1f',
  '18446744073709551615',
  'true',
  'false',
  '127.0.0.1',
  '::1',
  '2001:db8::/32',
  '127.0.0.0/8',
  '0a0b',
  '/etc/*',
  '"[a-z]+"',
  '"(unclosed"',
  '*',
  "'x\\'y'",
];
const compilableField = fc.constantFrom(
  ...Object.keys(TEST_FIELDS).filter((f) => f !== 'evt.arg' && f !== 'evt.type.is'),
  'proc.aname[2]',
  'evt.arg.fd',
  'evt.arg[0]',
  'tolower(proc.name)',
  'len(fd.name)',
  'basename(fd.name)',
);
const compilableCheck = fc.oneof(
  fc
    .tuple(compilableField, fc.constantFrom(...NUM_OPS, ...STR_OPS), fc.constantFrom(...SAMPLE_VALUES))
    .map(([f, op, v]) => `${f} ${op} ${v}`),
  fc
    .tuple(
      compilableField,
      fc.constantFrom(...LIST_OPS),
      fc.array(fc.constantFrom(...SAMPLE_VALUES), { maxLength: 3 }),
    )
    .map(([f, op, vs]) => `${f} ${op} (${vs.join(', ')})`),
  fc
    .tuple(
      compilableField,
      fc.constantFrom('= anyof', 'startswith oneof', '!= allof'),
      fc.array(fc.constantFrom(...SAMPLE_VALUES), { maxLength: 3 }),
    )
    .map(([f, op, vs]) => `${f} ${op} (${vs.join(', ')})`),
  compilableField.map((f) => `${f} exists`),
  fc
    .tuple(compilableField, compilableField)
    .map(([a, b]) => `${a} = val(${b.replace(/^\w+\((.*)\)$/, '$1')})`),
);
const compilableFilter = fc
  .array(fc.tuple(fc.constantFrom(' and ', ' or ', ' and not ', ' or ('), compilableCheck), {
    minLength: 1,
    maxLength: 4,
  })
  .map((parts) => {
    let s = parts[0][1];
    let open = 0;
    for (const [join, c] of parts.slice(1)) {
      s += join + c;
      if (join.endsWith('(')) open++;
    }
    return s + ')'.repeat(open);
  });

const mutation = fc.oneof(
  // delete a range
  fc.record({ kind: fc.constant('delete' as const), at: fc.nat(), len: fc.integer({ min: 1, max: 6 }) }),
  // insert significant characters or words
  fc.record({
    kind: fc.constant('insert' as const),
    at: fc.nat(),
    text: fc.oneof(
      fc.constantFrom(
        '(',
        ')',
        '[',
        ']',
        '"',
        "'",
        '\\',
        '=',
        '!',
        '<',
        '>',
        ',',
        ' ',
        'not ',
        ' and ',
        ' or ',
        'in',
        'exists',
        'val(',
        'tolower(',
        'anyof ',
        '0x',
        '/',
        '*',
      ),
      fc.string({ maxLength: 3 }),
    ),
  }),
  // duplicate a range somewhere else
  fc.record({
    kind: fc.constant('copy' as const),
    at: fc.nat(),
    from: fc.nat(),
    len: fc.integer({ min: 1, max: 10 }),
  }),
);

function mutate(
  s: string,
  ms: { kind: string; at: number; len?: number; text?: string; from?: number }[],
): string {
  let out = s;
  for (const m of ms) {
    const at = out.length === 0 ? 0 : m.at % (out.length + 1);
    if (m.kind === 'delete') out = out.slice(0, at) + out.slice(at + (m.len ?? 1));
    else if (m.kind === 'insert') out = out.slice(0, at) + (m.text ?? '') + out.slice(at);
    else {
      const from = out.length === 0 ? 0 : (m.from ?? 0) % out.length;
      out = out.slice(0, at) + out.slice(from, from + (m.len ?? 1)) + out.slice(at);
    }
  }
  return out;
}

const SAMPLE_EVENTS: TestEvent[] = [
  {},
  {
    'proc.name': 'curl',
    'proc.pname': 'bash',
    'proc.aname': ['bash', 'sshd'],
    'proc.aname[2]': 'sshd',
    'evt.rawres': -2,
    'evt.num': 7n,
    'evt.failed': true,
    'evt.buffer': new Uint8Array([0x47, 0x45, 0x54, 10, 11]),
    'fd.name': '/etc/passwd',
    'fd.sip': '::1',
    'fd.ip': ['127.0.0.1', '10.1.2.3'],
    'fd.port': [80, 47192],
    'fd.net': ['127.0.0.1', '10.1.2.3'],
    'fd.types': ['file'],
    'evt.arg[fd]': '3',
    'evt.arg[0]': '3',
  },
];

describe('mutated filters', () => {
  it('compile or raise FilterSyntaxError, and compiled filters evaluate without throwing', () => {
    let compiled = 0;
    fc.assert(
      fc.property(compilableFilter, fc.array(mutation, { maxLength: 3 }), (base, ms) => {
        const text = mutate(base, ms);
        try {
          const f = compileFilter(text, new TestResolver());
          compiled++;
          for (const ev of SAMPLE_EVENTS) expect(typeof f.match(ctxOf(ev))).toBe('boolean');
        } catch (e) {
          if (!(e instanceof FilterSyntaxError)) throw e;
          expect(e.position).toBeGreaterThanOrEqual(0);
          expect(e.position).toBeLessThanOrEqual(text.length);
        }
      }),
      { numRuns: 3000 },
    );
    // The generator must exercise the compiler, not only the parser's error paths.
    expect(compiled).toBeGreaterThan(100);
  });

  it('random printed ASTs, mutated, parse or raise FilterSyntaxError', () => {
    fc.assert(
      fc.property(expr, fc.array(mutation, { minLength: 1, maxLength: 3 }), (ast, ms) => {
        const text = mutate(printFilter(ast), ms);
        try {
          parseFilter(text);
        } catch (e) {
          if (!(e instanceof FilterSyntaxError)) throw e;
        }
      }),
      { numRuns: 1500 },
    );
  });
});
