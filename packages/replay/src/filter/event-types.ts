// Which event types a filter can match, decided once from its AST (libs' filter evttype analysis, which
// Falco's rule index is built on): the Pipeline runs only the state engine for events of the other types,
// and the rules engine (@scapkit/rules) indexes each rule under its types. `and` intersects its children,
// `or` unites them, `not` turns "may be true" into "not sure to be true" (De Morgan, as libs pushes `not`
// down to the checks), checks on evt.num that no event passes or every event passes (evt.num starts at 1)
// give none or all, and a check on any other field may match any type: the answer is a superset, never a
// guess.
//
// Two policies for the leaves, one walk:
// - a filter (the default): every field whose value the event type alone decides narrows the set
//   (CompiledField.byEventType: evt.type, evt.is_io …), and a generic event (whose evt.type is the system
//   call it carries) may match any evt.type check, as sysdig evaluates it;
// - Falco's rule index (`falcoIndex`): only evt.type and syscall.type narrow, with libs'
//   names_to_event_set (a generic event belongs to a name's set only when that system call has no events
//   of its own), so the sets, the "matches all event types" warning and `detect --list` are Falco's; a
//   check the search cannot read (a transformer on evt.type, a field on its right) is an error, as Falco
//   refuses the rule.
//
// A filter's walk runs twice: over event types, and over generic events by the system call id they carry
// (GenericIdSet: a generic event's evt.type is that call's name, as eventTypeName renders it), so the
// Pipeline sends a generic event whose id cannot match down the state-only path too.
import { EVENT_MAX, EVENTS, SYSCALL_NAMES } from '@scapkit/scap-format';
import type { CompiledField, FieldValue } from '../fields/types.js';
import type { CheckExpr, FieldOperand, FilterAst, Operand } from './ast.js';
import { parseBoolValue } from './values.js';

/**
 * One slot per event id, 1 where the filter can match. Ids at or above EVENT_MAX (unknown to the table)
 * have no slot: treat them as "can match".
 */
export type EventTypeSet = Uint8Array;

/**
 * For generic events (types 0 and 1), one slot per (type, system call id): 1 where the filter can match a
 * generic event of that type carrying that id. Slot genericSlot(type, id).
 */
export type GenericIdSet = Uint8Array;

const SYSCALL_COUNT = SYSCALL_NAMES.length;
/** Slots per generic type: one per known id, one for ids past the table, one for an event without its id. */
const GENERIC_WIDTH = SYSCALL_COUNT + 2;

/** The GenericIdSet slot of a generic event of `type` (0 or 1) carrying `id` (-1: the event has no id). */
export function genericSlot(type: number, id: number): number {
  return type * GENERIC_WIDTH + (id < 0 ? SYSCALL_COUNT + 1 : Math.min(id, SYSCALL_COUNT));
}

/** The evt.type of a generic event in slot `s` (eventTypeName in fields/evt.ts). */
function genericSlotName(s: number): string {
  const k = s % GENERIC_WIDTH;
  if (k === SYSCALL_COUNT + 1) return EVENTS[s < GENERIC_WIDTH ? 0 : 1]?.name ?? 'unknown';
  const name = SYSCALL_NAMES[k];
  return name === undefined || name === 'unknown' ? '<unknown>' : name;
}

/**
 * What a walk ranges over: event types, or generic events by system call id. `value` is what a field's
 * byEventType gives for the events of a slot (null: more than the slot decides; undefined: no value).
 */
interface Domain {
  readonly all: EventTypeSet;
  readonly none: EventTypeSet;
  value(
    byType: (type: number) => FieldValue | null | undefined,
    left: FieldOperand,
    s: number,
  ): FieldValue | null | undefined;
}

// Each domain's all/none are shared: the walk never writes into a set it did not make (most nodes of a
// rule's tree say nothing about types: no allocation for them); the exported functions hand out copies.
const TYPES: Domain = {
  all: new Uint8Array(EVENT_MAX).fill(1),
  none: new Uint8Array(EVENT_MAX),
  value: (byType, _left, t) => byType(t),
};
const GENERIC_IDS: Domain = {
  all: new Uint8Array(2 * GENERIC_WIDTH).fill(1),
  none: new Uint8Array(2 * GENERIC_WIDTH),
  value: (byType, left, s) => {
    const v = byType(s < GENERIC_WIDTH ? 0 : 1);
    // evt.type of a generic event: the name of the call it carries.
    return v === null && left.name === 'evt.type' && left.arg === undefined ? genericSlotName(s) : v;
  },
};
const none = (): EventTypeSet => new Uint8Array(EVENT_MAX);
const complement = (d: Domain, s: EventTypeSet): EventTypeSet =>
  s === d.all ? d.none : s === d.none ? d.all : s.map((x) => 1 - x);
const own = (s: EventTypeSet): EventTypeSet => s.slice();

/** Intersection (`and`) or union (`or`) of two sets. */
function combine(d: Domain, and: boolean, a: EventTypeSet, b: EventTypeSet): EventTypeSet {
  if (and) {
    if (a === d.all || b === d.none) return b;
    if (b === d.all || a === d.none) return a;
  } else {
    if (a === d.none || b === d.all) return b;
    if (b === d.none || a === d.all) return a;
  }
  return and ? a.map((x, t) => x & (b[t] ?? 0)) : a.map((x, t) => x | (b[t] ?? 0));
}

/** The field a compiled filter resolved a field operand to (undefined: not known). */
export type ResolvedField = (operand: FieldOperand) => CompiledField | undefined;

export interface EventTypeOptions {
  /** Falco's rule index policy (see the top of this file) instead of a filter's. */
  readonly falcoIndex?: boolean;
}

/** A check on evt.type that Falco's event type search cannot read: Falco refuses the rule. */
export class EventTypeSearchError extends Error {
  override readonly name = 'EventTypeSearchError';
  constructor(
    message: string,
    /** Offset of the check in the filter text. */
    readonly pos: number,
  ) {
    super(message);
  }
}

/**
 * The event types `ast` can be true for: an event of another type makes it false, whatever it holds.
 * `field` gives the fields the compiler resolved, so nothing is resolved twice (Falco's policy reads
 * none).
 */
export function filterEventTypes(
  ast: FilterAst,
  field: ResolvedField,
  opts: EventTypeOptions = {},
): EventTypeSet {
  return own(analyse(TYPES, ast, field, opts.falcoIndex === true).may);
}

/** Number of event types in a set. */
export function eventTypeCount(s: EventTypeSet): number {
  let n = 0;
  for (const x of s) n += x;
  return n;
}

const SYSCALLS: ReadonlySet<string> = new Set(SYSCALL_NAMES);
const GENERIC = [0, 1];

/**
 * libs' names_to_event_set: the events of these names; a system call without events of its own adds the
 * generic events (which carry it).
 */
export function namesToEventTypes(names: Iterable<string>): EventTypeSet {
  const wanted = new Set(names);
  const out = none();
  const found = new Set<string>();
  for (let id = 2; id < EVENT_MAX; id++) {
    const n = EVENTS[id]?.name;
    if (n === undefined) continue;
    if (wanted.has(n)) {
      out[id] = 1;
      found.add(n);
    }
  }
  for (const n of wanted) if (!found.has(n) && SYSCALLS.has(n)) for (const g of GENERIC) out[g] = 1;
  return out;
}

/**
 * The event types `ast` is true for whatever the event holds (`evt.type!=switch`: every type but switch):
 * a caller that counts events by a filter can count these without evaluating it.
 */
export function filterCertainTypes(ast: FilterAst, field: ResolvedField): EventTypeSet {
  return own(analyse(TYPES, ast, field, false).must);
}

/**
 * filterEventTypes and filterCertainTypes (a filter's policy), and the generic events it can match by the
 * system call id they carry (genericIds; a generic type outside eventTypes has no slot set).
 */
export function filterTypeSets(
  ast: FilterAst,
  field: ResolvedField,
): { eventTypes: EventTypeSet; certainTypes: EventTypeSet; genericIds: GenericIdSet } {
  const t = analyse(TYPES, ast, field, false);
  const g = analyse(GENERIC_IDS, ast, field, false);
  return { eventTypes: own(t.may), certainTypes: own(t.must), genericIds: own(g.may) };
}

/** For a node: the types it may be true for, and those it is true for whatever else the event holds. */
interface Truth {
  may: EventTypeSet;
  must: EventTypeSet;
}

const exactly = (s: EventTypeSet): Truth => ({ may: s, must: s });

function analyse(d: Domain, ast: FilterAst, field: ResolvedField, falco: boolean): Truth {
  switch (ast.kind) {
    case 'and':
    case 'or': {
      const and = ast.kind === 'and';
      let may = and ? d.all : d.none;
      let must = and ? d.all : d.none;
      for (const child of ast.children) {
        const p = analyse(d, child, field, falco);
        may = combine(d, and, may, p.may);
        must = combine(d, and, must, p.must);
      }
      return { may, must };
    }
    case 'not': {
      // `not X` may be true wherever X is not sure to be, and is sure to be wherever X cannot be.
      const c = analyse(d, ast.child, field, falco);
      return { may: complement(d, c.must), must: complement(d, c.may) };
    }
    case 'check':
      return check(d, ast, field, falco) ?? { may: d.all, must: d.none };
    default:
      return { may: d.all, must: d.none }; // a macro reference: whatever it expands to
  }
}

const isTypeField = (o: Operand | undefined): o is FieldOperand =>
  o?.kind === 'field' && (o.name === 'evt.type' || o.name === 'syscall.type') && o.arg === undefined;

/** Whether a transformer chain ends on evt.type/syscall.type (`tolower(evt.type)`). */
function transformsTypeField(o: Operand): boolean {
  while (o.kind === 'transformer') {
    if (isTypeField(o.operand)) return true;
    o = o.operand;
  }
  return false;
}

function check(d: Domain, c: CheckExpr, field: ResolvedField, falco: boolean): Truth | undefined {
  const inv = evtNumInvariant(c);
  if (inv !== undefined) return inv === 'none' ? { may: d.none, must: d.none } : { may: d.all, must: d.all };
  const typeCheck = c.op === 'exists' || c.op === '=' || c.op === '==' || c.op === '!=' || c.op === 'in';
  if (falco && typeCheck && transformsTypeField(c.left)) {
    throw new EventTypeSearchError(
      'event code search does not support `evt.type` checks with transformers',
      c.pos,
    );
  }
  if (c.op === 'exists') {
    // Every event has a type: `evt.type exists` is true for all of them.
    return isTypeField(c.left) && c.modifier === undefined ? { may: d.all, must: d.all } : undefined;
  }
  return falco ? falcoTypeCheck(c) : typeDecidedCheck(d, c, field);
}

/** Falco's leaf: a check on evt.type/syscall.type gives libs' names_to_event_set, any other check any type. */
function falcoTypeCheck(c: CheckExpr): Truth | undefined {
  if (!isTypeField(c.left) || !(c.op === '=' || c.op === '==' || c.op === '!=' || c.op === 'in')) return;
  const r = c.right;
  if (r === undefined || r.kind === 'field' || r.kind === 'transformer') {
    throw new EventTypeSearchError(
      'right-hand field comparisons on `evt.type`/`syscall.type` checks are not supported by event code search',
      c.pos,
    );
  }
  const names = r.kind === 'list' ? r.items.map((i) => i.value) : [r.kind === 'value' ? r.value : r.name];
  const s = exactly(namesToEventTypes(names));
  return c.op === '!=' ? { may: complement(TYPES, s.must), must: complement(TYPES, s.may) } : s;
}

/** A filter's leaf: a check of a type-decided field against values with =, ==, != or in. */
function typeDecidedCheck(d: Domain, c: CheckExpr, field: ResolvedField): Truth | undefined {
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
  const left = c.left;
  const size = d.all.length;
  const may = new Uint8Array(size);
  const must = new Uint8Array(size);
  const absent = new Uint8Array(size);
  for (let t = 0; t < size; t++) {
    const v = d.value(byType, left, t);
    if (v === null) {
      // A generic type is decided by the events it can hold, one per system call id (GENERIC_IDS).
      if (d === TYPES && t <= 1 && !genericMayEqual(byType, left, t, equals)) continue;
      may[t] = 1; // more than the type decides: either way
    } else if (v === undefined) {
      absent[t] = 1; // no value for the type: every comparison is false, `!=` too
    } else if (equals(v)) {
      may[t] = 1;
      must[t] = 1;
    }
  }
  if (positive) return { may, must };
  const present = (s: EventTypeSet): EventTypeSet => s.map((x, t) => (absent[t] === 1 ? 0 : x));
  return { may: present(complement(d, must)), must: present(complement(d, may)) };
}

/** Whether a generic event of `type` (0 or 1), whatever system call id it carries, may pass `equals`. */
function genericMayEqual(
  byType: (type: number) => FieldValue | null | undefined,
  left: FieldOperand,
  type: number,
  equals: (v: FieldValue) => boolean,
): boolean {
  for (let s = genericSlot(type, 0); s <= genericSlot(type, -1); s++) {
    const v = GENERIC_IDS.value(byType, left, s);
    if (v === null || (v !== undefined && equals(v))) return true;
  }
  return false;
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

/** evt.num starts at 1: some checks on it are decided before any event (libs' evaluate_field_invariant). */
function evtNumInvariant(c: CheckExpr): 'none' | 'all' | undefined {
  if (c.left.kind !== 'field' || c.left.name !== 'evt.num' || c.left.arg !== undefined) return undefined;
  if (c.modifier !== undefined) return undefined;
  const r = c.right;
  const u64 = (s: string): bigint | undefined => (/^[0-9]+$/.test(s) ? BigInt(s) : undefined);
  if (c.op === 'in') {
    if (r?.kind !== 'list') return undefined;
    return r.items.every((i) => u64(i.value) === 0n) ? 'none' : undefined;
  }
  if (r?.kind !== 'value') return undefined;
  const n = u64(r.value);
  if (n === undefined) return undefined;
  switch (c.op) {
    case '=':
    case '==':
      return n === 0n ? 'none' : undefined;
    case '!=':
      return n === 0n ? 'all' : undefined;
    case '<':
      return n <= 1n ? 'none' : undefined;
    case '<=':
      return n === 0n ? 'none' : undefined;
    case '>':
      return n === 0n ? 'all' : undefined;
    case '>=':
      return n <= 1n ? 'all' : undefined;
    default:
      return undefined;
  }
}
