// Which event types a filter can match, decided once from its AST (as libs' filter evttype analysis does
// for Falco's rule index): the Pipeline runs only the state engine for events of the other types. Fields
// whose value the event type alone decides say so (CompiledField.byEventType: evt.type, evt.is_io …); a
// check on any other field may match any type, so the answer is a superset, never a guess.
import { EVENT_MAX } from '@scapkit/scap-format';
import type { CompiledField, FieldValue } from '../fields/types.js';
import type { CheckExpr, FieldOperand, FilterAst } from './ast.js';
import { parseBoolValue } from './values.js';

/**
 * One slot per event id, 1 where the filter can match. Ids at or above EVENT_MAX (unknown to the table)
 * have no slot: treat them as "can match".
 */
export type EventTypeSet = Uint8Array;

const all = (): EventTypeSet => new Uint8Array(EVENT_MAX).fill(1);
const none = (): EventTypeSet => new Uint8Array(EVENT_MAX);
const complement = (s: EventTypeSet): EventTypeSet => s.map((x) => 1 - x);

/** The field a compiled filter resolved a field operand to (undefined: not known). */
export type ResolvedField = (operand: FieldOperand) => CompiledField | undefined;

/**
 * The event types `ast` can be true for: an event of another type makes it false, whatever it holds.
 * `field` gives the fields the compiler resolved, so nothing is resolved twice.
 */
export function filterEventTypes(ast: FilterAst, field: ResolvedField): EventTypeSet {
  return analyse(ast, field).may;
}

/**
 * The event types `ast` is true for whatever the event holds (`evt.type!=switch`: every type but switch):
 * a caller that counts events by a filter can count these without evaluating it.
 */
export function filterCertainTypes(ast: FilterAst, field: ResolvedField): EventTypeSet {
  return analyse(ast, field).must;
}

/** For a node: the types it may be true for, and those it is true for whatever else the event holds. */
interface Truth {
  may: EventTypeSet;
  must: EventTypeSet;
}

const ANY: () => Truth = () => ({ may: all(), must: none() });

function analyse(ast: FilterAst, field: ResolvedField): Truth {
  switch (ast.kind) {
    case 'and':
    case 'or': {
      const and = ast.kind === 'and';
      const may = and ? all() : none();
      const must = and ? all() : none();
      for (const child of ast.children) {
        const p = analyse(child, field);
        for (let t = 0; t < EVENT_MAX; t++) {
          may[t] = and ? may[t]! & p.may[t]! : may[t]! | p.may[t]!;
          must[t] = and ? must[t]! & p.must[t]! : must[t]! | p.must[t]!;
        }
      }
      return { may, must };
    }
    case 'not': {
      // `not X` may be true wherever X is not sure to be, and is sure to be wherever X cannot be.
      const c = analyse(ast.child, field);
      return { may: complement(c.must), must: complement(c.may) };
    }
    case 'check':
      return check(ast, field) ?? ANY();
    default:
      return ANY(); // a macro reference: whatever it expands to
  }
}

/** A check of a type-decided field against values with =, ==, != or in; undefined for any other. */
function check(c: CheckExpr, field: ResolvedField): Truth | undefined {
  const r = c.right;
  if (c.left.kind !== 'field' || r === undefined || c.modifier !== undefined) return undefined;
  const values = r.kind === 'value' ? [r.value] : r.kind === 'list' ? r.items.map((i) => i.value) : undefined;
  const positive = c.op === '=' || c.op === '==' || (c.op === 'in' && r.kind === 'list');
  const negative = c.op === '!=' && r.kind === 'value';
  if (!values || (!positive && !negative)) return undefined;
  const f = field(c.left);
  const byType = f?.byEventType;
  const equals = f && valueTest(f.type, values);
  if (!byType || !equals) return undefined;
  const may = none();
  const must = none();
  for (let t = 0; t < EVENT_MAX; t++) {
    const v = byType(t);
    if (v === null) {
      may[t] = 1; // more than the type decides: either way
    } else if (equals(v)) {
      may[t] = 1;
      must[t] = 1;
    }
  }
  return positive ? { may, must } : { may: complement(must), must: complement(may) };
}

/** Whether a value equals one of `values`, as the compiler compares the field's type; string and bool only. */
function valueTest(type: string, values: readonly string[]): ((v: FieldValue) => boolean) | undefined {
  if (type === 'string') return (v) => typeof v === 'string' && values.includes(v);
  if (type === 'bool') {
    const want = values.map(parseBoolValue);
    if (want.includes(undefined)) return undefined;
    return (v) => want.includes(v as boolean);
  }
  return undefined;
}
