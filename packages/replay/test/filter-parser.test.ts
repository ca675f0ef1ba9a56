// Parser: every operator, precedence and grouping, values (bare, quoted, escapes, numbers, lists), field
// arguments, transformers, modifiers, and syntax errors with their exact positions.
import { describe, expect, it } from 'vitest';
import { FilterSyntaxError, OPERATORS, parseFilter, printFilter } from '../src/filter/index.js';
import { stripPositions } from './filter-helpers.js';

const p = (s: string) => stripPositions(parseFilter(s));
const f = (name: string, arg?: string) =>
  arg === undefined ? { kind: 'field', name } : { kind: 'field', name, arg };
const v = (value: string) => ({ kind: 'value', value });
const chk = (name: string, op: string, value?: string) =>
  value === undefined
    ? { kind: 'check', left: f(name), op }
    : { kind: 'check', left: f(name), op, right: v(value) };

function syntaxError(text: string): FilterSyntaxError {
  try {
    parseFilter(text);
  } catch (e) {
    expect(e).toBeInstanceOf(FilterSyntaxError);
    return e as FilterSyntaxError;
  }
  throw new Error(`'${text}' parsed`);
}

describe('parseFilter: operators', () => {
  it.each([
    ['=', 'proc.name=curl'],
    ['==', 'proc.name==curl'],
    ['!=', 'proc.name!=curl'],
    ['contains', 'proc.name contains curl'],
    ['icontains', 'proc.name icontains curl'],
    ['bcontains', 'proc.name bcontains curl'],
    ['startswith', 'proc.name startswith curl'],
    ['bstartswith', 'proc.name bstartswith curl'],
    ['endswith', 'proc.name endswith curl'],
    ['glob', 'proc.name glob curl'],
    ['iglob', 'proc.name iglob curl'],
    ['regex', 'proc.name regex curl'],
  ])('string operator %s', (op, text) => {
    expect(p(text)).toEqual(chk('proc.name', op, 'curl'));
  });

  it('every operator of the table parses with what its grammar says follows it', () => {
    const rhs = { number: ' 1', string: ' x', list: ' (x)', none: '' };
    for (const o of OPERATORS) {
      const ast = parseFilter(`proc.name ${o.name}${rhs[o.grammar]}`);
      expect(ast.kind === 'check' && ast.op).toBe(o.name);
    }
    // the message for a missing operator names every one of them, aliases aside
    const listed = /expected an operator \((.*)\), not/.exec(syntaxError('proc.name foo bar').reason)?.[1];
    expect(listed?.split(', ')).toEqual(OPERATORS.filter((o) => !('aliasOf' in o)).map((o) => o.name));
  });

  it('== is its own operator with the value curl (sysdig 0.29.3 read the value "=curl")', () => {
    expect(p('proc.name==curl')).toEqual(chk('proc.name', '==', 'curl'));
  });

  it.each(['<', '<=', '>', '>='])('numeric operator %s takes a number', (op) => {
    expect(p(`evt.rawres${op}-2`)).toEqual(chk('evt.rawres', op, '-2'));
    expect(p(`evt.rawres ${op} 0x1F`)).toEqual(chk('evt.rawres', op, '0x1F'));
    expect(p(`evt.rawres ${op} 1.5e+3`)).toEqual(chk('evt.rawres', op, '1.5e+3'));
  });

  it.each(['in', 'intersects', 'pmatch'])('list operator %s', (op) => {
    expect(p(`fd.name ${op} (/etc, "/a b", '/c')`)).toEqual({
      kind: 'check',
      left: f('fd.name'),
      op,
      right: { kind: 'list', items: [v('/etc'), v('/a b'), v('/c')] },
    });
    // no blank needed before the list
    expect(p(`fd.name ${op}(/etc)`)).toEqual({
      kind: 'check',
      left: f('fd.name'),
      op,
      right: { kind: 'list', items: [v('/etc')] },
    });
  });

  it('intersects is not read as in + "tersects" (sysdig 0.29.3 bug)', () => {
    expect((parseFilter('fd.types intersects (file)') as { op: string }).op).toBe('intersects');
  });

  it('empty list and a list reference', () => {
    expect(p('evt.type in ()')).toEqual({
      kind: 'check',
      left: f('evt.type'),
      op: 'in',
      right: { kind: 'list', items: [] },
    });
    expect(p('evt.type in open_syscalls')).toEqual({
      kind: 'check',
      left: f('evt.type'),
      op: 'in',
      right: { kind: 'listref', name: 'open_syscalls' },
    });
  });

  it('exists', () => {
    expect(p('fd.name exists')).toEqual(chk('fd.name', 'exists'));
  });

  it('modifiers oneof/anyof/allof before a list', () => {
    for (const m of ['oneof', 'anyof', 'allof']) {
      expect(p(`proc.name startswith ${m} (a, b)`)).toEqual({
        kind: 'check',
        left: f('proc.name'),
        op: 'startswith',
        modifier: m,
        right: { kind: 'list', items: [v('a'), v('b')] },
      });
    }
    // a modifier word not followed by a blank is a plain value
    expect(p('proc.name = oneof')).toEqual(chk('proc.name', '=', 'oneof'));
  });
});

describe('parseFilter: values and fields', () => {
  it('bare and quoted values, spaces around operators', () => {
    expect(p('proc.name = curl')).toEqual(chk('proc.name', '=', 'curl'));
    expect(p("proc.name='curl'")).toEqual(chk('proc.name', '=', 'curl'));
    expect(p('proc.name="a b"')).toEqual(chk('proc.name', '=', 'a b'));
    expect(p('fd.name glob /usr/lib/*')).toEqual(chk('fd.name', 'glob', '/usr/lib/*'));
    expect(p('evt.dir=<')).toEqual(chk('evt.dir', '=', '<'));
    expect(p('evt.dir=>')).toEqual(chk('evt.dir', '=', '>'));
    expect(p('fd.net=127.0.0.0/8')).toEqual(chk('fd.net', '=', '127.0.0.0/8'));
  });

  it('escapes inside quotes', () => {
    expect(p('proc.name="a\\"b\\\\c\\nd\\/e"')).toEqual(chk('proc.name', '=', 'a"b\\c\nd/e'));
    expect(p("proc.name='it\\'s'")).toEqual(chk('proc.name', '=', "it's"));
    expect(p('proc.name="it\'s"')).toEqual(chk('proc.name', '=', "it's"));
  });

  it('field arguments: brackets, quoted, dotted', () => {
    expect(p('proc.aname[2]=bash')).toEqual({
      kind: 'check',
      left: f('proc.aname', '2'),
      op: '=',
      right: v('bash'),
    });
    expect(p('evt.arg[0] exists')).toEqual({ kind: 'check', left: f('evt.arg', '0'), op: 'exists' });
    expect(p('evt.arg["a b"] exists')).toEqual({ kind: 'check', left: f('evt.arg', 'a b'), op: 'exists' });
    // the dotted form stays in the name; the compiler splits it against the field registry
    expect(p('evt.arg.fd exists')).toEqual(chk('evt.arg.fd', 'exists'));
    expect(p('evt.type.is.open=1')).toEqual(chk('evt.type.is.open', '=', '1'));
  });

  it('transformers on the left, val() and transformers on the right', () => {
    expect(p('tolower(proc.name) = curl')).toEqual({
      kind: 'check',
      left: { kind: 'transformer', transformer: 'tolower', operand: f('proc.name') },
      op: '=',
      right: v('curl'),
    });
    expect(p('len( basename(fd.name) ) > 3')).toEqual({
      kind: 'check',
      left: {
        kind: 'transformer',
        transformer: 'len',
        operand: { kind: 'transformer', transformer: 'basename', operand: f('fd.name') },
      },
      op: '>',
      right: v('3'),
    });
    expect(p('proc.name = val(proc.pname)')).toEqual({
      kind: 'check',
      left: f('proc.name'),
      op: '=',
      right: { kind: 'transformer', transformer: 'val', operand: f('proc.pname') },
    });
  });

  it('a bare identifier is a macro reference', () => {
    expect(p('spawned_process and proc.name=sh')).toEqual({
      kind: 'and',
      children: [{ kind: 'macro', name: 'spawned_process' }, chk('proc.name', '=', 'sh')],
    });
  });
});

describe('parseFilter: boolean structure', () => {
  const a = chk('a.a', '=', '1');
  const b = chk('b.b', '=', '2');
  const c = chk('c.c', '=', '3');

  it('not binds tighter than and, and tighter than or', () => {
    expect(p('a.a=1 or b.b=2 and c.c=3')).toEqual({
      kind: 'or',
      children: [a, { kind: 'and', children: [b, c] }],
    });
    expect(p('a.a=1 and b.b=2 or c.c=3')).toEqual({
      kind: 'or',
      children: [{ kind: 'and', children: [a, b] }, c],
    });
    expect(p('not a.a=1 and b.b=2')).toEqual({ kind: 'and', children: [{ kind: 'not', child: a }, b] });
    expect(p('not a.a=1 or not b.b=2')).toEqual({
      kind: 'or',
      children: [
        { kind: 'not', child: a },
        { kind: 'not', child: b },
      ],
    });
  });

  it('flat chains and parentheses', () => {
    expect(p('a.a=1 and b.b=2 and c.c=3')).toEqual({ kind: 'and', children: [a, b, c] });
    expect(p('(a.a=1 or b.b=2) and c.c=3')).toEqual({
      kind: 'and',
      children: [{ kind: 'or', children: [a, b] }, c],
    });
    expect(p('a.a=1 and(b.b=2 or c.c=3)')).toEqual({
      kind: 'and',
      children: [a, { kind: 'or', children: [b, c] }],
    });
    expect(p('not(a.a=1)')).toEqual({ kind: 'not', child: a });
    expect(p('not not a.a=1')).toEqual({ kind: 'not', child: { kind: 'not', child: a } });
    expect(p(' ( ( a.a=1 ) ) ')).toEqual(a);
    expect(p('a.a=1\nand\tb.b=2')).toEqual({ kind: 'and', children: [a, b] });
  });

  it('words that start like keywords are fields', () => {
    expect(p('notes.x=1 and order.y=2')).toEqual({
      kind: 'and',
      children: [chk('notes.x', '=', '1'), chk('order.y', '=', '2')],
    });
  });

  it('positions of nodes are offsets into the text', () => {
    const ast = parseFilter('a.a=1 and  not b.b = "x"');
    expect(ast).toMatchObject({
      kind: 'and',
      pos: 0,
      children: [
        { kind: 'check', pos: 0, opPos: 3, right: { pos: 4, end: 5 } },
        {
          kind: 'not',
          pos: 11,
          child: { pos: 15, left: { pos: 15, end: 18 }, opPos: 19, right: { pos: 21, end: 24 } },
        },
      ],
    });
  });
});

describe('parseFilter: errors', () => {
  it('missing value: message, position and caret', () => {
    const e = syntaxError('proc.name = ');
    expect(e.position).toBe(12);
    expect(e.filter).toBe('proc.name = ');
    expect(e.message).toBe(
      "filter syntax error at position 12: expected a value after '='\n  proc.name = \n              ^",
    );
  });

  it.each([
    ['', 0, 'empty'],
    ['   ', 3, 'empty'],
    ['proc.name', 9, 'expected an operator'],
    ['proc.name foo bar', 10, 'expected an operator'],
    ['proc.name containsx y', 10, 'expected an operator'],
    ['proc.name =', 11, "expected a value after '='"],
    ['proc.name===curl', 11, "expected a value after '=='"],
    ['evt.rawres < abc', 13, "expected a number after '<'"],
    ['evt.rawres < 1 2', 15, "expected 'and', 'or'"],
    ['proc.name=curl and', 18, "expected a check after 'and'"],
    ['proc.name=curl or', 17, "expected a check after 'or'"],
    ['proc.name=curl and )', 19, "expected a check before ')'"],
    ['(proc.name=curl', 15, "expected ')' to close the '(' at position 0"],
    ['proc.name=curl)', 14, "unbalanced ')'"],
    ['proc.name=curl xyz', 15, "expected 'and', 'or'"],
    ['proc.name="curl', 10, 'unterminated string'],
    ["proc.name='a\\qb'", 12, 'unsupported escape sequence \\q'],
    ['proc.name="a\\\'b"', 12, 'invalid escape'],
    ['evt.type in (open', 17, "expected ')' to close the list"],
    ['evt.type in (open,)', 18, 'expected a value after ,'],
    ['evt.type in (open close)', 18, "expected ',' or ')'"],
    ['evt.type in', 11, 'expected a list'],
    ['evt.type in "open"', 12, 'expected a list'],
    ['proc.aname[2=bash', 17, "expected ']'"],
    ['proc.aname[]=bash', 11, 'expected an argument'],
    ['tolower(proc.name = a', 18, "expected ')' to close 'tolower('"],
    ['tolower() = a', 8, 'expected a field'],
    ['proc.name = val(x)', 16, "expected a field inside 'val('"],
    ['= curl', 0, 'expected a field name'],
    ['not ', 4, 'expected a check'],
    ['proc.name = a=b', 13, "expected 'and', 'or'"],
  ])('%j → position %i', (text, pos, msg) => {
    const e = syntaxError(text);
    expect(e.reason).toContain(msg);
    expect(e.position).toBe(pos);
  });

  it('the caret points at the position on the line that holds it', () => {
    const e = syntaxError('proc.name=curl and\n  fd.name = ');
    expect(e.position).toBe(31);
    expect(e.message.split('\n').slice(1)).toEqual(['    fd.name = ', `  ${' '.repeat(12)}^`]);
  });

  it('deep nesting is a syntax error, not a stack overflow', () => {
    const e = syntaxError(`${'('.repeat(5000)}a.a=1${')'.repeat(5000)}`);
    expect(e.reason).toContain('nests deeper');
    expect(() => parseFilter(`${'not '.repeat(5000)}a.a=1`)).not.toThrow();
  });
});

describe('printFilter', () => {
  it.each([
    'proc.name = curl',
    'proc.name = "a b"',
    'evt.type in (open, "a,b", "")',
    'not (a.a = 1 or b.b = 2) and c.c exists',
    'proc.aname[2] = bash',
    'evt.arg["a b"] exists',
    'tolower(proc.name) startswith anyof (a, b)',
    'proc.name = val(proc.pname)',
    'evt.rawres < -2',
    'proc.name = "oneof"',
  ])('%s round-trips', (text) => {
    expect(printFilter(parseFilter(text))).toBe(text);
  });
});
