// The operators of the filter language, defined once: what follows each one in the grammar, which field
// types it applies to (libs' flt_is_comparable), and whether a field may stand on its right-hand side.
// The parser, the printer, the compiler's type checks, its error messages, the fuzzer and the tests all
// read this table; adding an operator is one row here and its test in value-tests.ts.
import type { FieldType } from '../fields/types.js';

/**
 * What the grammar takes after the operator:
 * - `number`: a number token (or a field): `<`, `<=`, `>`, `>=`;
 * - `string`: one value, a field, or a modifier (`oneof`/`anyof`/`allof`) and a list;
 * - `list`: a parenthesised list, a Falco list name, or a field;
 * - `none`: nothing (`exists`).
 */
export type OperatorGrammar = 'number' | 'string' | 'list' | 'none';

export interface OperatorInfo {
  readonly name: string;
  readonly grammar: OperatorGrammar;
  /** The field types it compares; `exists` takes every type. */
  readonly types: readonly FieldType[];
  /** Whether the right-hand side may be another field (libs refuses pmatch and regex; glob needs a fixed pattern). */
  readonly rhsField: boolean;
  /** Another spelling of an operator (`==` of `=`): compiled as that one, not listed in messages. */
  readonly aliasOf?: string;
}

const NUMERIC: readonly FieldType[] = ['int', 'uint64', 'double', 'reltime', 'abstime'];
const ALL: readonly FieldType[] = ['string', ...NUMERIC, 'bool', 'ipaddr', 'ipnet', 'bytes'];

/** In the order messages list them. */
export const OPERATORS = [
  { name: '=', grammar: 'string', types: ALL, rhsField: true },
  { name: '==', grammar: 'string', types: ALL, rhsField: true, aliasOf: '=' },
  { name: '!=', grammar: 'string', types: ALL, rhsField: true },
  { name: '<', grammar: 'number', types: ['string', ...NUMERIC], rhsField: true },
  { name: '<=', grammar: 'number', types: ['string', ...NUMERIC], rhsField: true },
  { name: '>', grammar: 'number', types: ['string', ...NUMERIC], rhsField: true },
  { name: '>=', grammar: 'number', types: ['string', ...NUMERIC], rhsField: true },
  { name: 'contains', grammar: 'string', types: ['string', 'bytes'], rhsField: true },
  { name: 'icontains', grammar: 'string', types: ['string'], rhsField: true },
  { name: 'bcontains', grammar: 'string', types: ['bytes'], rhsField: false },
  { name: 'startswith', grammar: 'string', types: ['string', 'bytes'], rhsField: true },
  { name: 'bstartswith', grammar: 'string', types: ['bytes'], rhsField: false },
  { name: 'endswith', grammar: 'string', types: ['string', 'bytes'], rhsField: true },
  { name: 'glob', grammar: 'string', types: ['string'], rhsField: false },
  { name: 'iglob', grammar: 'string', types: ['string'], rhsField: false },
  { name: 'regex', grammar: 'string', types: ['string'], rhsField: false },
  { name: 'in', grammar: 'list', types: ALL, rhsField: true },
  { name: 'intersects', grammar: 'list', types: ALL, rhsField: true },
  { name: 'pmatch', grammar: 'list', types: ['string'], rhsField: false },
  { name: 'exists', grammar: 'none', types: ALL, rhsField: false },
] as const satisfies readonly OperatorInfo[];

export type Operator = (typeof OPERATORS)[number]['name'];

const BY_NAME: ReadonlyMap<string, OperatorInfo> = new Map(OPERATORS.map((o) => [o.name, o]));

/** The row of `op`; undefined for a string that is not an operator. */
export function operatorInfo(op: string): OperatorInfo | undefined {
  return BY_NAME.get(op);
}

/** The operator `op` compiles as (`==` → `=`). */
export function canonicalOperator(op: Operator): Operator {
  return (BY_NAME.get(op)?.aliasOf ?? op) as Operator;
}

/** Whether a field of type `type` can be compared with `op`. */
export function operatorAllows(op: Operator, type: FieldType): boolean {
  return (BY_NAME.get(op)?.types as readonly FieldType[] | undefined)?.includes(type) === true;
}

/** The operators as messages list them: `=, !=, <, …, exists`. */
export function operatorList(): string {
  return OPERATORS.filter((o) => !('aliasOf' in o))
    .map((o) => o.name)
    .join(', ');
}

/**
 * The operators in the order the lexer tries them: longest first, so `<=` is read before `<` and `==`
 * before `=` (word operators cannot be prefixes of one another once their terminator is checked).
 */
export const LEX_ORDER: readonly OperatorInfo[] = [...OPERATORS].sort(
  (a, b) => b.name.length - a.name.length,
);

/** Modifiers a string operator takes before a list: `startswith oneof (a, b)`. */
export type Modifier = 'oneof' | 'anyof' | 'allof';
export const MODIFIERS: readonly Modifier[] = ['oneof', 'anyof', 'allof'];
