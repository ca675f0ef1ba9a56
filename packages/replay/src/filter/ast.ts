// The filter AST (shape of libs' libsinsp/filter/ast.h) and a printer that turns any AST back into filter
// text the parser reads into the same AST. Positions (`pos`, `end`: 0-based offsets into the text that
// was parsed) exist so the compiler can point its errors at a field, an operator or a value.
import { MODIFIERS, type Modifier, type Operator, operatorInfo } from './operators.js';

export type { Modifier, Operator } from './operators.js';

/** `val` only appears on the right-hand side: it marks a field used as a value. */
export type TransformerName = 'tolower' | 'toupper' | 'b64' | 'basename' | 'len' | 'val';
export const TRANSFORMERS: readonly TransformerName[] = ['tolower', 'toupper', 'b64', 'basename', 'len'];

export interface FieldOperand {
  kind: 'field';
  /** As written: `proc.name`, `evt.arg.fd` (dotted argument kept in the name, as libs does). */
  name: string;
  /** The bracketed argument, unquoted: `proc.aname[2]` → `2`. */
  arg?: string;
  pos: number;
  end: number;
}

export interface TransformerOperand {
  kind: 'transformer';
  transformer: TransformerName;
  operand: Operand;
  pos: number;
  end: number;
}

export type Operand = FieldOperand | TransformerOperand;

export interface ValueNode {
  kind: 'value';
  /** Unquoted and unescaped. */
  value: string;
  pos: number;
  end: number;
}

export interface ListNode {
  kind: 'list';
  items: ValueNode[];
  pos: number;
  end: number;
}

/** A bare identifier where a list is expected: a Falco list reference. */
export interface ListRef {
  kind: 'listref';
  name: string;
  pos: number;
  end: number;
}

export interface CheckExpr {
  kind: 'check';
  left: Operand;
  op: Operator;
  /** Offset of the operator, for "operator not supported for this type" errors. */
  opPos: number;
  modifier?: Modifier;
  /** Absent for `exists`. A field (plain via `val(...)`, or transformed) when compared to another field. */
  right?: ValueNode | ListNode | ListRef | Operand;
  pos: number;
}

/** A bare identifier where a check is expected: a Falco macro reference. */
export interface MacroRef {
  kind: 'macro';
  name: string;
  pos: number;
}

export interface AndExpr {
  kind: 'and';
  children: FilterAst[];
  pos: number;
}

export interface OrExpr {
  kind: 'or';
  children: FilterAst[];
  pos: number;
}

export interface NotExpr {
  kind: 'not';
  child: FilterAst;
  pos: number;
}

export type FilterAst = OrExpr | AndExpr | NotExpr | CheckExpr | MacroRef;

// ---------------------------------------------------------------------------------------------------
// Printing

/** Characters the lexer treats as blanks (libs' lex_blank plus \v \f, which its bare strings exclude). */
export function isBlank(c: number): boolean {
  return c === 32 || (c >= 8 && c <= 13);
}

function isBareValueSafe(s: string): boolean {
  if (s.length === 0) return false;
  // A bare value that spells a modifier would be read as one when a blank follows.
  if ((MODIFIERS as readonly string[]).includes(s)) return false;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    // ( ) " ' = , end a bare string; blanks and other controls are quoted so the text stays printable.
    if (c <= 32 || c === 127 || c === 40 || c === 41 || c === 34 || c === 39 || c === 61 || c === 44) {
      return false;
    }
    if (c === 92) return false; // backslash: only meaningful inside quotes, keep it unambiguous
  }
  return true;
}

function isBareArgSafe(s: string): boolean {
  if (s.length === 0) return false;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c <= 32 || c === 127 || c === 91 || c === 93 || c === 34 || c === 39 || c === 92) return false;
  }
  return true;
}

/** Double-quotes `s` with the escapes the parser understands (libs' escape set). */
export function quoteString(s: string): string {
  let out = '"';
  for (let i = 0; i < s.length; i++) {
    const ch = s[i];
    switch (ch) {
      case '\\':
        out += '\\\\';
        break;
      case '"':
        out += '\\"';
        break;
      case '\n':
        out += '\\n';
        break;
      case '\r':
        out += '\\r';
        break;
      case '\t':
        out += '\\t';
        break;
      case '\b':
        out += '\\b';
        break;
      case '\f':
        out += '\\f';
        break;
      default:
        out += ch;
    }
  }
  return out + '"';
}

function printValue(v: string): string {
  return isBareValueSafe(v) ? v : quoteString(v);
}

export function printOperand(o: Operand): string {
  if (o.kind === 'field') {
    if (o.arg === undefined) return o.name;
    return `${o.name}[${isBareArgSafe(o.arg) ? o.arg : quoteString(o.arg)}]`;
  }
  return `${o.transformer}(${printOperand(o.operand)})`;
}

function printCheck(c: CheckExpr): string {
  const left = printOperand(c.left);
  if (c.op === 'exists' || c.right === undefined) return `${left} exists`;
  const r = c.right;
  let right: string;
  switch (r.kind) {
    case 'value':
      // After <, <=, >, >= the grammar takes a number token only: print it as written.
      right = operatorInfo(c.op)?.grammar === 'number' ? r.value : printValue(r.value);
      break;
    case 'list':
      right = `(${r.items.map((i) => printValue(i.value)).join(', ')})`;
      break;
    case 'listref':
      right = r.name;
      break;
    default:
      right = printOperand(r);
  }
  return `${left} ${c.op} ${c.modifier ? c.modifier + ' ' : ''}${right}`;
}

/**
 * Filter text for `ast`. Nested and/or children are parenthesised so that the text parses back into
 * the same tree (the parser keeps explicit grouping as nesting, like libs).
 */
export function printFilter(ast: FilterAst): string {
  switch (ast.kind) {
    case 'check':
      return printCheck(ast);
    case 'macro':
      return ast.name;
    case 'not': {
      const c = ast.child;
      const inner = printFilter(c);
      return c.kind === 'and' || c.kind === 'or' ? `not (${inner})` : `not ${inner}`;
    }
    case 'and':
    case 'or':
      return ast.children
        .map((c) => (c.kind === 'and' || c.kind === 'or' ? `(${printFilter(c)})` : printFilter(c)))
        .join(` ${ast.kind} `);
  }
}
