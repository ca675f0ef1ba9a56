// Recursive-descent parser for the sysdig/Falco filter language, following the grammar of current libs
// (libsinsp/filter/parser.h, quoted in shared/reference/FILTER_LANGUAGE.md §1). The language is lexed on
// demand rather than tokenised up front because what a run of characters means depends on where it
// stands: `=curl` is an operator and a value, `in` is an operator after a field but a bare string after
// `=`, and `(` opens a group, a list or a transformer depending on what precedes it.
//
// Deliberate differences from sysdig 0.29.3's hand-written parser (see docs/differences-from-sysdig.md):
// `==` is an operator (0.29.3 read `proc.name==curl` as `=` with the value `=curl`), `intersects` is
// recognised before `in`, a missing value is an error instead of an empty string.
import {
  type CheckExpr,
  type FieldOperand,
  type FilterAst,
  isBlank,
  type ListNode,
  type ListRef,
  type Operand,
  TRANSFORMERS,
  type TransformerName,
  type ValueNode,
} from './ast.js';
import { FilterSyntaxError } from './errors.js';
import {
  LEX_ORDER,
  MODIFIERS,
  type Modifier,
  type Operator,
  operatorInfo,
  operatorList,
} from './operators.js';

/** Nesting deeper than this is refused (libs: 100) rather than risking the JS stack. */
const MAX_DEPTH = 100;

const RE_FIELD_NAME = /[a-zA-Z][a-zA-Z0-9_]*(?:\.[a-zA-Z][a-zA-Z0-9_]*)+/y;
const RE_IDENTIFIER = /[a-zA-Z][a-zA-Z0-9_]*/y;
const RE_HEX = /0[xX][0-9a-zA-Z]+/y;
const RE_NUMBER = /[+-]?[0-9]+\.?[0-9]*(?:[eE][+-][0-9]+)?/y;
const RE_WORD_CHAR = /[a-zA-Z0-9_]/;

function isBareStrChar(c: number): boolean {
  // BareStr ::= [^ \b\t\n\r\(\),="']+
  return !(isBlank(c) || c === 40 || c === 41 || c === 44 || c === 61 || c === 34 || c === 39);
}

function isFieldArgChar(c: number): boolean {
  // FieldArgBareStr ::= [^ \b\t\n\r\[\]"']+
  return !(isBlank(c) || c === 91 || c === 93 || c === 34 || c === 39);
}

/** Parses filter text into an AST. Throws FilterSyntaxError (never anything else) on bad input. */
export function parseFilter(text: string): FilterAst {
  return new Parser(text).parse();
}

class Parser {
  private pos = 0;
  private depth = 0;

  constructor(private readonly text: string) {}

  parse(): FilterAst {
    this.skipBlanks();
    if (this.pos >= this.text.length) this.fail('the filter is empty');
    const ast = this.parseOr();
    this.skipBlanks();
    if (this.pos < this.text.length) {
      this.fail(
        this.text[this.pos] === ')'
          ? "unbalanced ')': no '(' to close"
          : `unexpected '${this.excerpt()}': expected 'and', 'or' or the end of the filter`,
      );
    }
    return ast;
  }

  // ------------------------------------------------------------------------------------------------
  // Boolean structure

  private parseOr(): FilterAst {
    this.enter();
    this.skipBlanks();
    const pos = this.pos;
    const first = this.parseAnd();
    const children = [first];
    this.skipBlanks();
    while (this.keyword('or')) {
      children.push(this.parseTail('or', () => this.parseAnd()));
      this.skipBlanks();
    }
    this.depth--;
    return children.length === 1 ? first : { kind: 'or', children, pos };
  }

  private parseAnd(): FilterAst {
    this.enter();
    this.skipBlanks();
    const pos = this.pos;
    const first = this.parseNot();
    const children = [first];
    this.skipBlanks();
    while (this.keyword('and')) {
      children.push(this.parseTail('and', () => this.parseNot()));
      this.skipBlanks();
    }
    this.depth--;
    return children.length === 1 ? first : { kind: 'and', children, pos };
  }

  /** What follows `and`/`or`: a blank then an operand, or a parenthesised expression right away. */
  private parseTail(word: string, operand: () => FilterAst): FilterAst {
    if (this.skipBlanks()) return operand();
    if (this.peek('(')) {
      this.pos++;
      return this.parseGroupRemainder();
    }
    if (this.pos >= this.text.length) return this.fail(`expected a check after '${word}'`);
    return this.fail(`expected a blank or '(' after '${word}'`);
  }

  private parseNot(): FilterAst {
    this.enter();
    this.skipBlanks();
    // `not` needs a blank after it (`not(` is the other form): `nothing.x` is a field.
    const nots: number[] = [];
    for (;;) {
      const p = this.pos;
      if (
        this.text.startsWith('not', p) &&
        p + 3 < this.text.length &&
        isBlank(this.text.charCodeAt(p + 3))
      ) {
        this.pos += 3;
        this.skipBlanks();
        nots.push(p);
      } else if (this.text.startsWith('not(', p)) {
        this.pos += 4;
        nots.push(p);
        return this.wrapNots(nots, this.parseGroupRemainder());
      } else {
        break;
      }
    }
    return this.wrapNots(nots, this.parseCheck());
  }

  private wrapNots(nots: number[], child: FilterAst): FilterAst {
    const node = nots.reduceRight<FilterAst>((inner, pos) => ({ kind: 'not', child: inner, pos }), child);
    this.depth--;
    return node;
  }

  /** After a `(` that opens a group: the expression and its `)`. */
  private parseGroupRemainder(): FilterAst {
    const open = this.pos - 1;
    this.enter();
    const e = this.parseOr();
    this.skipBlanks();
    if (!this.peek(')')) {
      if (this.pos >= this.text.length) this.fail(`expected ')' to close the '(' at position ${open}`);
      this.fail(`expected 'and', 'or' or ')' (closing the '(' at position ${open})`);
    }
    this.pos++;
    this.depth--;
    return e;
  }

  // ------------------------------------------------------------------------------------------------
  // Checks

  private parseCheck(): FilterAst {
    this.skipBlanks();
    const pos = this.pos;
    if (this.peek('(')) {
      this.pos++;
      return this.parseGroupRemainder();
    }
    const field = this.lexRegex(RE_FIELD_NAME);
    if (field !== undefined) return this.parseCondition(this.parseFieldRemainder(field, pos), pos);
    const tr = this.lexTransformer(false);
    if (tr !== undefined) return this.parseCondition(this.parseTransformerRemainder(tr, pos), pos);
    const ident = this.lexRegex(RE_IDENTIFIER);
    if (ident !== undefined) return { kind: 'macro', name: ident, pos };
    if (this.pos >= this.text.length) return this.fail('expected a check: a field, a macro or a (');
    if (this.peek(')')) return this.fail("expected a check before ')'");
    return this.fail(`expected a field name, not '${this.excerpt()}'`);
  }

  private parseFieldRemainder(name: string, pos: number): FieldOperand {
    if (!this.peek('[')) return { kind: 'field', name, pos, end: this.pos };
    this.pos++;
    const argPos = this.pos;
    let arg = this.lexQuoted();
    if (arg === undefined) {
      while (this.pos < this.text.length && isFieldArgChar(this.text.charCodeAt(this.pos))) this.pos++;
      if (this.pos === argPos) this.fail(`expected an argument for '${name}' inside [ ]`);
      arg = this.text.slice(argPos, this.pos);
    }
    if (!this.peek(']')) this.fail(`expected ']' after the argument of '${name}'`);
    this.pos++;
    return { kind: 'field', name, arg, pos, end: this.pos };
  }

  /** `name(` has been read: the operand (a field or another transformer) and the `)`. */
  private parseTransformerRemainder(transformer: TransformerName, pos: number): Operand {
    this.enter();
    this.skipBlanks();
    const p = this.pos;
    let operand: Operand;
    const field = this.lexRegex(RE_FIELD_NAME);
    if (field !== undefined) {
      operand = this.parseFieldRemainder(field, p);
    } else {
      // val() takes a field only; the others may nest (tolower(basename(fd.name))).
      const inner = transformer === 'val' ? undefined : this.lexTransformer(false);
      if (inner === undefined) {
        return this.fail(
          transformer === 'val'
            ? `expected a field inside 'val('`
            : `expected a field or a transformer (${TRANSFORMERS.join(', ')}) inside '${transformer}('`,
        );
      }
      operand = this.parseTransformerRemainder(inner, p);
    }
    this.skipBlanks();
    if (!this.peek(')')) this.fail(`expected ')' to close '${transformer}('`);
    this.pos++;
    this.depth--;
    return { kind: 'transformer', transformer, operand, pos, end: this.pos };
  }

  private parseCondition(left: Operand, pos: number): CheckExpr {
    this.skipBlanks();
    const opPos = this.pos;
    const op = this.lexOperator();
    if (op === undefined) {
      return this.fail(
        this.pos >= this.text.length
          ? `expected an operator after '${this.text.slice(pos, opPos).trim()}'`
          : `expected an operator (${operatorList()}), not '${this.excerpt()}'`,
      );
    }
    const grammar = operatorInfo(op)?.grammar;
    if (grammar === 'none') return { kind: 'check', left, op, opPos, pos };
    this.skipBlanks();
    const rhsPos = this.pos;

    if (grammar === 'number') {
      const rhs = this.tryRhsOperand();
      if (rhs) return { kind: 'check', left, op, opPos, right: rhs, pos };
      const num = this.lexRegex(RE_HEX) ?? this.lexRegex(RE_NUMBER);
      if (num === undefined) return this.fail(`expected a number after '${op}'`);
      return {
        kind: 'check',
        left,
        op,
        opPos,
        right: { kind: 'value', value: num, pos: rhsPos, end: this.pos },
        pos,
      };
    }

    if (grammar === 'list') {
      const right = this.parseListOrRef(op);
      return { kind: 'check', left, op, opPos, right, pos };
    }

    // String operators: a modifier and a list, a field, or one value.
    const modifier = this.lexModifier();
    if (modifier !== undefined) {
      const right = this.parseListOrRef(`${op} ${modifier}`);
      return { kind: 'check', left, op, opPos, modifier, right, pos };
    }
    const rhs = this.tryRhsOperand();
    if (rhs) return { kind: 'check', left, op, opPos, right: rhs, pos };
    const value = this.lexStrValue();
    if (value === undefined) return this.fail(`expected a value after '${op}'`);
    return { kind: 'check', left, op, opPos, right: value, pos };
  }

  /** `val(field)` or `transformer(...)` on the right-hand side. */
  private tryRhsOperand(): Operand | undefined {
    const pos = this.pos;
    const tr = this.lexTransformer(true);
    if (tr === undefined) return undefined;
    return this.parseTransformerRemainder(tr, pos);
  }

  private parseListOrRef(after: string): ListNode | ListRef | Operand {
    const pos = this.pos;
    if (this.peek('(')) {
      this.pos++;
      const items: ValueNode[] = [];
      this.skipBlanks();
      if (!this.peek(')')) {
        for (;;) {
          this.skipBlanks();
          const v = this.lexStrValue();
          if (v === undefined)
            this.fail(items.length === 0 ? 'expected a value or ) in the list' : 'expected a value after ,');
          items.push(v);
          this.skipBlanks();
          if (this.peek(',')) {
            this.pos++;
            continue;
          }
          if (this.peek(')')) break;
          this.fail(
            this.pos >= this.text.length
              ? `expected ')' to close the list at position ${pos}`
              : "expected ',' or ')' in the list",
          );
        }
      }
      this.pos++;
      return { kind: 'list', items, pos, end: this.pos };
    }
    const rhs = this.tryRhsOperand();
    if (rhs) return rhs;
    const ident = this.lexRegex(RE_IDENTIFIER);
    if (ident !== undefined) return { kind: 'listref', name: ident, pos, end: this.pos };
    return this.fail(`expected a list such as (a, b) after '${after}'`);
  }

  // ------------------------------------------------------------------------------------------------
  // Lexing helpers

  private lexOperator(): Operator | undefined {
    const t = this.text;
    const p = this.pos;
    for (const info of LEX_ORDER) {
      const op = info.name;
      if (!t.startsWith(op, p)) continue;
      const end = p + op.length;
      if (/^[a-z]/.test(op)) {
        // A word operator ends where the word ends. One followed by a single value needs a blank after
        // it (libs: 'contains '), so `containsx` and a trailing `contains` are not operators.
        if (
          info.grammar === 'string' ? end >= t.length || !isBlank(t.charCodeAt(end)) : this.wordContinues(end)
        )
          continue;
      }
      this.pos = end;
      return op as Operator;
    }
    return undefined;
  }

  private lexModifier(): Modifier | undefined {
    for (const m of MODIFIERS) {
      const end = this.pos + m.length;
      if (this.text.startsWith(m, this.pos) && end < this.text.length && isBlank(this.text.charCodeAt(end))) {
        this.pos = end;
        this.skipBlanks();
        return m;
      }
    }
    return undefined;
  }

  /** `tolower(` etc. (and `val(` when `allowVal`), with the `(`; positions after the blank that follows. */
  private lexTransformer(allowVal: boolean): TransformerName | undefined {
    const names: readonly TransformerName[] = allowVal ? ['val', ...TRANSFORMERS] : TRANSFORMERS;
    for (const name of names) {
      if (this.text.startsWith(name, this.pos) && this.text[this.pos + name.length] === '(') {
        this.pos += name.length + 1;
        return name;
      }
    }
    return undefined;
  }

  private lexStrValue(): ValueNode | undefined {
    const pos = this.pos;
    const q = this.lexQuoted();
    if (q !== undefined) return { kind: 'value', value: q, pos, end: this.pos };
    while (this.pos < this.text.length && isBareStrChar(this.text.charCodeAt(this.pos))) this.pos++;
    if (this.pos === pos) return undefined;
    return { kind: 'value', value: this.text.slice(pos, this.pos), pos, end: this.pos };
  }

  /** A '…' or "…" string, unescaped with libs' escapes (\\ \" \' \/ \b \f \n \r \t). */
  private lexQuoted(): string | undefined {
    const t = this.text;
    const start = this.pos;
    const delim = t[start];
    if (delim !== '"' && delim !== "'") return undefined;
    let out = '';
    let i = start + 1;
    for (;;) {
      if (i >= t.length) return this.fail(`unterminated string: no closing ${delim}`, start);
      const ch = t[i];
      if (ch === delim) break;
      if (ch !== '\\') {
        out += ch;
        i++;
        continue;
      }
      const e = t[i + 1];
      switch (e) {
        case 'b':
          out += '\b';
          break;
        case 'f':
          out += '\f';
          break;
        case 'n':
          out += '\n';
          break;
        case 'r':
          out += '\r';
          break;
        case 't':
          out += '\t';
          break;
        case '\\':
          out += '\\';
          break;
        case '/':
          out += '/';
          break;
        case '"':
        case "'":
          // libs refuses the other quote escaped: \' inside "…" and \" inside '…'.
          if (e !== delim) return this.fail(`invalid escape \\${e} in a ${delim}-quoted string`, i);
          out += e;
          break;
        default:
          return this.fail(
            e === undefined
              ? `unterminated string: no closing ${delim}`
              : `unsupported escape sequence \\${e}`,
            e === undefined ? start : i,
          );
      }
      i += 2;
    }
    this.pos = i + 1;
    return out;
  }

  private lexRegex(re: RegExp): string | undefined {
    re.lastIndex = this.pos;
    const m = re.exec(this.text);
    if (!m) return undefined;
    this.pos += m[0].length;
    return m[0];
  }

  /** Whether a word continues at `i` (so a keyword read before `i` was only a prefix). */
  private wordContinues(i: number): boolean {
    return i < this.text.length && RE_WORD_CHAR.test(this.text.charAt(i));
  }

  /** `and` / `or` as a keyword at the cursor (a field or macro named `order.x` / `andy` is not one). */
  private keyword(word: string): boolean {
    if (!this.text.startsWith(word, this.pos)) return false;
    const next = this.text[this.pos + word.length];
    // A letter after it means an identifier, which can never follow a check anyway: report it as such.
    if (next !== undefined && RE_WORD_CHAR.test(next)) return false;
    this.pos += word.length;
    return true;
  }

  private peek(ch: string): boolean {
    return this.text[this.pos] === ch;
  }

  private skipBlanks(): boolean {
    const start = this.pos;
    while (this.pos < this.text.length && isBlank(this.text.charCodeAt(this.pos))) this.pos++;
    return this.pos > start;
  }

  private enter(): void {
    if (++this.depth > MAX_DEPTH) this.fail(`the filter nests deeper than ${MAX_DEPTH} levels`);
  }

  /** A short excerpt of the text at the cursor for messages. */
  private excerpt(): string {
    let end = this.pos;
    while (end < this.text.length && end - this.pos < 20 && !isBlank(this.text.charCodeAt(end))) end++;
    return this.text.slice(this.pos, Math.max(end, this.pos + 1));
  }

  private fail(reason: string, at = this.pos): never {
    throw new FilterSyntaxError(this.text, at, reason);
  }
}
