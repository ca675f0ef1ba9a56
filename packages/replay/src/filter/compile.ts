// Compiles a filter into closures, once: fields are resolved through the FieldResolver, every value is
// parsed for the field's type (value-tests.ts), transformers wrap their operand (transformers.ts), and
// operators a type does not support are refused (operators.ts), all at compile time and reported as
// FilterSyntaxError pointing at the field, operator or value. Evaluating a compiled filter allocates
// nothing itself (exceptions: transformers build their result, and a field compared with a multi-valued
// field, or with icontains, builds a small array or string).
//
// Semantics (libs HEAD filter_compare.cpp / sinsp_filtercheck.cpp, checked against sysdig 0.29.3):
// - a field without a value makes every comparison false, `!=` included (`fd.name != x` matches only
//   events that have an fd.name; verified: 27 events on cat_write.scap, the same as `fd.name exists`);
//   `not` is the way to include them;
// - multi-valued fields (`proc.aname`, `fd.ip`, `fd.port`, `fd.net`, `fd.types`) match when any value
//   matches; `!=` matches when no value is equal (fd.ip/fd.port/fd.net in libs: "neither endpoint").
import {
  type CompiledField,
  type EvalContext,
  type FieldResolver,
  type FieldType,
  type FieldValue,
  UnknownFieldError,
} from '../fields/types.js';
import {
  type CheckExpr,
  type FieldOperand,
  type FilterAst,
  type ListNode,
  type Operand,
  printFilter,
  printOperand,
} from './ast.js';
import { FilterSyntaxError } from './errors.js';
import { type EventTypeSet, filterTypeSets, type GenericIdSet } from './event-types.js';
import { canonicalOperator, operatorAllows, operatorInfo } from './operators.js';
import { parseFilter } from './parser.js';
import { applyTransformer, type OperandAccessor } from './transformers.js';
import { listTest, modifierTest, pairCompare, type Test, valueTest } from './value-tests.js';

export interface CompiledFilter {
  /** The filter as given. */
  readonly text: string;
  /** Whether the event in `ctx` passes. */
  match(ctx: EvalContext): boolean;
  /** The fields the filter reads, as written (`proc.aname[2]`, `evt.arg.fd`), each once. */
  readonly fields: string[];
  /** The event types it can match (filterEventTypes): for the others, `match` is false. */
  readonly eventTypes: EventTypeSet;
  /** The event types it matches whatever the event holds (filterCertainTypes), when known. */
  readonly certainTypes?: EventTypeSet;
  /** The generic events it can match, by the system call id they carry (filterTypeSets), when known. */
  readonly genericIds?: GenericIdSet;
}

type Pred = (ctx: EvalContext) => boolean;

export type { Test };

/** Parses and compiles `text`. Throws FilterSyntaxError for every problem with the filter. */
export function compileFilter(text: string, resolver: FieldResolver): CompiledFilter {
  return compileFilterAst(parseFilter(text), text, resolver);
}

/**
 * Results of the sub-filters that filters compiled with it have in common (the macros Falco rules share,
 * expanded into each: `open_read`, `spawned_process`, `container` …), each evaluated at most once per
 * event, as libs caches the checks rules have in common. Whoever evaluates the filters calls
 * `nextEvent()` before each event.
 */
export class SharedSubfilters {
  private generation = 1;
  private readonly slots = new Map<string, { users: number; generation: number; value: boolean }>();
  private readonly fieldSlots = new Map<string, FieldSlot>();

  nextEvent(): void {
    this.generation++;
  }

  /**
   * `pred`, answered from the slot of `key` once this event has asked it. A sub-filter only one filter has
   * (known once they are all compiled, before any event) skips the slot.
   */
  share(key: string, pred: Pred): Pred {
    let slot = this.slots.get(key);
    if (!slot) {
      slot = { users: 0, generation: 0, value: false };
      this.slots.set(key, slot);
    }
    slot.users++;
    const s = slot;
    return (ctx) => {
      if (s.users < 2) return pred(ctx);
      if (s.generation === this.generation) return s.value;
      const v = pred(ctx);
      s.generation = this.generation;
      s.value = v;
      return v;
    };
  }

  /**
   * The value of field `key` (as written, argument included), read once per event by whichever filter
   * asks first and answered from the slot for the others (`fd.name` in five rules of one `openat`).
   * Values are primitives or a buffer view of the current event, not changed by reading another field.
   */
  field(key: string, get: (ctx: EvalContext) => FieldValue): (ctx: EvalContext) => FieldValue {
    let slot = this.fieldSlots.get(key);
    if (!slot) {
      slot = { generation: 0, value: undefined };
      this.fieldSlots.set(key, slot);
    }
    const s = slot;
    return (ctx) => {
      if (s.generation === this.generation) return s.value;
      const v = get(ctx);
      s.generation = this.generation;
      s.value = v;
      return v;
    };
  }
}

interface FieldSlot {
  generation: number;
  value: FieldValue;
}

/**
 * Compiles an AST parsed from `text` (positions in errors refer to `text`); with `shared`, the and/or/not
 * nodes it has in common with the other filters compiled with the same one are evaluated once per event.
 */
export function compileFilterAst(
  ast: FilterAst,
  text: string,
  resolver: FieldResolver,
  shared?: SharedSubfilters,
): CompiledFilter {
  const c = new Compiler(text, resolver, shared);
  const general = c.node(ast);
  const types = filterTypeSets(ast, (f: FieldOperand) => c.resolved.get(f));
  // Shared sub-filters are keyed by their text, which folding changes: the rules engine, their user,
  // folds per type itself.
  let typeDecided = false;
  for (const f of c.resolved.values()) if (f.byEventType && !f.multi) typeDecided = true;
  const match =
    shared || !typeDecided ? general : specializeByEventType(ast, text, resolver, types.eventTypes, general);
  return { text, match, fields: c.fields, ...types };
}

const MATCH_NONE: Pred = () => false;
const MATCH_ALL: Pred = () => true;

/**
 * `general` (the predicate of `ast`) as one predicate per event type: what foldForEventType leaves of
 * the filter for that type, compiled (`evt.type=openat and proc.name=x` is `proc.name=x` for openat's
 * events and false for the others), so the checks a type decides cost nothing per event. Types with the
 * same fold signature share one predicate; types the filter cannot match (`eventTypes`) get false, as
 * `general` would answer; types past the event table, and every type when the resolver cannot read an
 * event's type, keep `general`. `general` itself when no type decides a check.
 */
function specializeByEventType(
  ast: FilterAst,
  text: string,
  resolver: FieldResolver,
  eventTypes: EventTypeSet,
  general: Pred,
): Pred {
  const typeOf = resolver.eventType?.bind(resolver);
  if (typeOf === undefined) return general;
  const byType = new Array<Pred>(eventTypes.length).fill(MATCH_NONE);
  const bySignature = new Map<string, Pred>();
  let decided = false;
  for (const [type, can] of eventTypes.entries()) {
    if (can === 0) {
      decided = true;
      continue;
    }
    const { folded, signature } = foldForEventType(ast, text, resolver, type);
    if (typeof folded === 'boolean') {
      byType[type] = folded ? MATCH_ALL : MATCH_NONE;
      decided = true;
      continue;
    }
    if (!/[tf]/.test(signature)) {
      byType[type] = general;
      continue;
    }
    decided = true;
    let p = bySignature.get(signature);
    if (p === undefined) {
      p = compileFilterPredicate(folded, text, resolver);
      bySignature.set(signature, p);
    }
    byType[type] = p;
  }
  if (!decided) return general;
  return (ctx) => (byType[typeOf(ctx)] ?? general)(ctx);
}

/**
 * `ast` for events of one type only (the rules engine's index gives each rule only events of its types):
 * every check the type alone decides (`evt.type in (open,openat)`, `evt.dir=<`, `evt.is_io=true`: fields
 * with CompiledField.byEventType) is replaced by its value, `and`/`or`/`not` over such constants are
 * folded, and branches that cannot be true for this type are dropped. `true` or `false` when the type
 * decides the whole filter; otherwise a filter that gives what `ast` gives for every event of `type`
 * (compile it with compileFilterPredicate).
 */
export function foldFilterForEventType(
  ast: FilterAst,
  text: string,
  resolver: FieldResolver,
  type: number,
): FilterAst | boolean {
  return foldForEventType(ast, text, resolver, type).folded;
}

/**
 * foldFilterForEventType, and a signature of the fold: the outcome of each check the walk met, in order.
 * Two types with the same signature fold `ast` to the same filter (a caller keeps one per signature
 * instead of printing each fold to compare them).
 */
export function foldForEventType(
  ast: FilterAst,
  text: string,
  resolver: FieldResolver,
  type: number,
): { folded: FilterAst | boolean; signature: string } {
  const c = new Compiler(text, resolver);
  const folded = c.fold(ast, type);
  return { folded, signature: c.foldSignature };
}

/**
 * What folding learnt of a check, kept for the next event type: the type-decided field it reads (null: it
 * reads none, the check never folds) and its value for each value of that field.
 */
interface FoldMemo {
  readonly field: CompiledField | null;
  readonly byValue: Map<FieldValue, boolean>;
  /** The check compiled once over an accessor that reads `value` (evt.type has a value per type). */
  check?: Pred;
  value: FieldValue;
}
const FOLD_MEMOS = new WeakMap<FieldResolver, WeakMap<CheckExpr, FoldMemo>>();

/**
 * Short keys for lowered nodes: a node's key names its printed text (equal text, equal key), and an
 * and/or/not's key is made of its children's keys, so no tree is printed twice and the code generator
 * hashes short strings. One table for the filters whose lowered trees are used together (a ruleset's
 * rules), held by their owner: the keys go with those filters, not with the resolver, which a long-lived
 * process may keep while it compiles filter after filter.
 */
export class LoweredKeys {
  private readonly keys = new Map<string, string>();

  /** The short key of the node whose full key is `long`. */
  of(long: string): string {
    let k = this.keys.get(long);
    if (k === undefined) {
      k = `#${this.keys.size}`;
      this.keys.set(long, k);
    }
    return k;
  }
}

/**
 * Only the predicate of compileFilterAst (no event-type analysis): for a filter whose types the caller
 * already knows, such as one folded for an event type.
 */
export function compileFilterPredicate(
  ast: FilterAst,
  text: string,
  resolver: FieldResolver,
  shared?: SharedSubfilters,
): Pred {
  return new Compiler(text, resolver, shared).node(ast);
}

/**
 * A filter as a tree of its boolean structure over leaves a code generator can inline: `test` leaves
 * read one single-valued operand (`operand` as printed, the same text for the same value; `get` reads it)
 * and hold when its value is defined and `test` passes it (`test` undefined: `exists`); `pred` leaves are
 * any other check, compiled. Every node has `key`, a short name of its printed text (the same for every
 * filter lowered with the same LoweredKeys and resolver): equal keys, equal results.
 */
export type LoweredFilter =
  | { readonly kind: 'and' | 'or'; readonly key: string; readonly children: readonly LoweredFilter[] }
  | { readonly kind: 'not'; readonly key: string; readonly child: LoweredFilter }
  | {
      readonly kind: 'test';
      readonly key: string;
      readonly operand: string;
      readonly get: (ctx: EvalContext) => FieldValue;
      readonly test: Test | undefined;
    }
  | { readonly kind: 'pred'; readonly key: string; readonly pred: Pred };

/**
 * `ast` (macros expanded) lowered for a code generator, its nodes keyed in `keys`; the same errors as
 * compileFilterAst.
 */
export function lowerFilter(
  ast: FilterAst,
  text: string,
  resolver: FieldResolver,
  keys: LoweredKeys,
): LoweredFilter {
  return new Compiler(text, resolver).lower(ast, keys);
}

const NUMERIC: ReadonlySet<FieldType> = new Set(['int', 'uint64', 'double', 'reltime', 'abstime']);

function typeLabel(t: FieldType): string {
  if (NUMERIC.has(t)) return 'numeric';
  if (t === 'ipaddr' || t === 'ipnet') return 'IP address and network';
  if (t === 'bytes') return 'buffer';
  return t === 'bool' ? 'boolean' : 'string';
}

/**
 * A string `in` test that first looks at the value's length: a string of a length no item has is not
 * hashed (a file name is a new string at every open, and hashing it costs as much as reading it).
 */
function lengthGuarded(op: string, type: FieldType, list: ListNode, test: Test): Test {
  if (op !== 'in' || type !== 'string') return test;
  let max = 0;
  for (const i of list.items) max = Math.max(max, i.value.length);
  if (max > 4096) return test;
  const lengths = new Uint8Array(max + 1);
  for (const i of list.items) lengths[i.value.length] = 1;
  return (v) => typeof v === 'string' && lengths[v.length] === 1 && test(v);
}

class Compiler {
  readonly fields: string[] = [];

  /** The field each field operand resolved to (filterEventTypes reads them). */
  readonly resolved = new Map<FieldOperand, CompiledField>();

  constructor(
    private readonly text: string,
    private readonly resolver: FieldResolver,
    private readonly shared?: SharedSubfilters,
  ) {}

  /** Fields whose value is known while a check is folded (fold): the accessor answers the memo's value. */
  private readonly constants = new Map<FieldOperand, FoldMemo>();

  /** The outcome of each check fold met, in order: t(rue), f(alse) or k(ept). */
  foldSignature = '';

  private get foldMemos(): WeakMap<CheckExpr, FoldMemo> {
    let m = FOLD_MEMOS.get(this.resolver);
    if (!m) {
      m = new WeakMap();
      FOLD_MEMOS.set(this.resolver, m);
    }
    return m;
  }

  /** `n` for events of `type`: checks that type decides replaced by their value (see compileFilterForEventType). */
  fold(n: FilterAst, type: number): FilterAst | boolean {
    switch (n.kind) {
      case 'and':
      case 'or': {
        // and: a false child decides, a true one drops out; or: the other way round.
        const decides = n.kind === 'or';
        const children: FilterAst[] = [];
        for (const child of n.children) {
          const f = this.fold(child, type);
          if (f === decides) return decides;
          if (f !== !decides) children.push(f as FilterAst);
        }
        const [only] = children;
        if (only === undefined) return !decides;
        return children.length === 1 ? only : { ...n, children };
      }
      case 'not': {
        const f = this.fold(n.child, type);
        return typeof f === 'boolean' ? !f : { ...n, child: f };
      }
      case 'check': {
        const f = this.foldCheck(n, type);
        this.foldSignature += f === true ? 't' : f === false ? 'f' : 'k';
        return f;
      }
      default:
        return n;
    }
  }

  /** A check of a field the event type decides, against values: its value for that type. */
  private foldCheck(c: CheckExpr, type: number): FilterAst | boolean {
    const left = c.left;
    const right = c.right;
    if (left.kind !== 'field' || c.modifier !== undefined) return c;
    if (right !== undefined && right.kind !== 'value' && right.kind !== 'list') return c;
    const memos = this.foldMemos;
    let memo = memos.get(c);
    if (!memo) {
      let f: CompiledField | null;
      try {
        f = this.resolve(left, left.arg !== undefined ? `${left.name}[${left.arg}]` : left.name);
      } catch {
        f = null;
      }
      memo = { field: f && !f.multi && f.byEventType ? f : null, byValue: new Map(), value: undefined };
      memos.set(c, memo);
    }
    const byType = memo.field?.byEventType;
    if (byType === undefined) return c;
    const v = byType.call(memo.field, type);
    if (v === null) return c;
    const known = memo.byValue.get(v);
    if (known !== undefined) return known;
    if (memo.check === undefined) {
      // The check as it is compiled, over an accessor that gives the type's value: the same comparison.
      this.constants.set(left, memo);
      try {
        memo.check = this.check(c);
      } finally {
        this.constants.delete(left);
      }
    }
    memo.value = v;
    const r = memo.check({});
    memo.byValue.set(v, r);
    return r;
  }

  lower(n: FilterAst, keys: LoweredKeys): LoweredFilter {
    switch (n.kind) {
      case 'and':
      case 'or': {
        const children = n.children.map((c) => this.lower(c, keys));
        const key = keys.of(`${n.kind}(${children.map((c) => c.key).join(',')})`);
        return { kind: n.kind, key, children };
      }
      case 'not': {
        const child = this.lower(n.child, keys);
        return { kind: 'not', key: keys.of(`not(${child.key})`), child };
      }
      case 'check': {
        const key = keys.of(printFilter(n));
        const parts = this.checkParts(n);
        if (typeof parts === 'function') return { kind: 'pred', key, pred: parts };
        const { acc, test } = parts;
        return { kind: 'test', key, operand: printOperand(n.left), get: acc.get, test };
      }
      default:
        return { kind: 'pred', key: keys.of(printFilter(n)), pred: this.unshared(n) };
    }
  }

  node(n: FilterAst): Pred {
    const p = this.unshared(n);
    return this.shared && (n.kind === 'and' || n.kind === 'or' || n.kind === 'not')
      ? this.shared.share(printFilter(n), p)
      : p;
  }

  private unshared(n: FilterAst): Pred {
    switch (n.kind) {
      case 'and': {
        const cs = n.children.map((c) => this.node(c));
        if (cs.length === 2) {
          const [a, b] = cs as [Pred, Pred];
          return (ctx) => a(ctx) && b(ctx);
        }
        return (ctx) => {
          for (const c of cs) if (!c(ctx)) return false;
          return true;
        };
      }
      case 'or': {
        const cs = n.children.map((c) => this.node(c));
        if (cs.length === 2) {
          const [a, b] = cs as [Pred, Pred];
          return (ctx) => a(ctx) || b(ctx);
        }
        return (ctx) => {
          for (const c of cs) if (c(ctx)) return true;
          return false;
        };
      }
      case 'not': {
        const c = this.node(n.child);
        return (ctx) => !c(ctx);
      }
      case 'macro':
        return this.fail(
          n.pos,
          `'${n.name}' is neither a field nor a known macro (Falco macros are not supported; ` +
            `field names have a dot, and scapkit replay -l lists them)`,
        );
      case 'check':
        return this.check(n);
    }
  }

  // ------------------------------------------------------------------------------------------------
  // Operands

  private operand(o: Operand): OperandAccessor {
    if (o.kind === 'field') return this.field(o);
    const t = applyTransformer(o.transformer, this.operand(o.operand));
    return typeof t === 'string' ? this.fail(o.pos, t) : t;
  }

  private field(f: FieldOperand): OperandAccessor {
    const written = f.arg !== undefined ? `${f.name}[${f.arg}]` : f.name;
    const compiled = this.resolve(f, written);
    this.resolved.set(f, compiled);
    if (!this.fields.includes(written)) this.fields.push(written);
    const multi = compiled.multi === true && typeof compiled.values === 'function';
    // The field's own functions, bound rather than wrapped: a call site that reads one field (a filter's
    // check, a line of a generated rules program) then calls one function, which the JIT can inline.
    const values = multi
      ? (compiled.values as NonNullable<CompiledField['values']>).bind(compiled)
      : (ctx: EvalContext): FieldValue[] | undefined => {
          const v = compiled.get(ctx);
          return v === undefined ? undefined : [v];
        };
    const constant = this.constants.get(f);
    const own = compiled.get.bind(compiled);
    const get = constant ? () => constant.value : this.shared ? this.shared.field(written, own) : own;
    const acc: OperandAccessor = { name: written, type: compiled.type, multi, get, values };
    if (compiled.checkValue) acc.checkValue = (v) => compiled.checkValue?.(v);
    return acc;
  }

  /**
   * Resolves a field; a dotted argument (`evt.arg.fd`, `evt.type.is.open`) is split from the longest
   * field-name prefix the resolver knows, as libs' filterchecks do.
   */
  private resolve(f: FieldOperand, written: string): CompiledField {
    const attempts: [string, string | undefined][] = [[f.name, f.arg]];
    if (f.arg === undefined) {
      const parts = f.name.split('.');
      for (let k = parts.length - 1; k >= 2; k--) {
        attempts.push([parts.slice(0, k).join('.'), parts.slice(k).join('.')]);
      }
    }
    let other: unknown;
    for (const [name, arg] of attempts) {
      try {
        return arg === undefined ? this.resolver.resolve(name) : this.resolver.resolve(name, arg);
      } catch (e) {
        // A plain "unknown field" means: try the next split. Anything else (the registry's
        // FieldArgumentError extends UnknownFieldError with its own message) says what is wrong with a
        // field that does exist, which is worth more than "unknown field".
        const unknown =
          e instanceof UnknownFieldError && e.message === new UnknownFieldError(e.field).message;
        if (!unknown && other === undefined) other = e;
      }
    }
    if (other !== undefined) {
      // The registry's messages already name the field; others get it prepended.
      const msg = other instanceof Error ? other.message : String(other);
      return this.fail(f.pos, msg.includes(f.name) ? msg : `field '${written}': ${msg}`);
    }
    throw new FilterSyntaxError(
      this.text,
      f.pos,
      `unknown field '${written}' (scapkit replay -l lists the fields)`,
      written,
    );
  }

  // ------------------------------------------------------------------------------------------------
  // Checks

  private check(c: CheckExpr): Pred {
    const parts = this.checkParts(c);
    if (typeof parts === 'function') return parts;
    const { acc, test } = parts;
    if (test === undefined) return (ctx) => acc.get(ctx) !== undefined;
    return this.apply(acc, test, undefined);
  }

  /**
   * A check of one single-valued operand as its parts: the operand and the test of its value (undefined
   * for `exists`); the check is `value !== undefined && test(value)`. Other checks (multi-valued
   * fields, field against field) as their predicate.
   */
  checkParts(c: CheckExpr): { acc: OperandAccessor; test: Test | undefined } | Pred {
    const acc = this.operand(c.left);
    if (c.op === 'exists') {
      if (acc.multi) {
        return (ctx) => {
          const vs = acc.values(ctx);
          return vs !== undefined && vs.length > 0;
        };
      }
      return { acc, test: undefined };
    }
    const op = canonicalOperator(c.op);
    if (!operatorAllows(op, acc.type)) {
      return this.fail(c.opPos, `'${c.op}' is not supported for ${typeLabel(acc.type)} field '${acc.name}'`);
    }
    const right = c.right;
    if (right === undefined) return this.fail(c.opPos, `'${c.op}' needs a value`);
    if (right.kind === 'listref') {
      return this.fail(
        right.pos,
        `'${right.name}' is not a list: Falco lists are not supported, write the values as (a, b, …)`,
      );
    }
    if (right.kind === 'field' || right.kind === 'transformer') return this.fieldVsField(c, op, acc, right);
    if (acc.checkValue) {
      for (const item of right.kind === 'list' ? right.items : [right]) {
        const why = acc.checkValue(item.value);
        if (why !== undefined) this.fail(item.pos, why);
      }
    }

    if (c.modifier !== undefined) {
      const items = right.kind === 'list' ? right.items : [right];
      const tests = items.map((item) => valueTest(acc, op, item, this.failer));
      const test = modifierTest(c.modifier, tests);
      return acc.multi ? this.apply(acc, test, undefined) : { acc, test };
    }

    if (operatorInfo(op)?.grammar === 'list') {
      const list: ListNode =
        right.kind === 'list' ? right : { kind: 'list', items: [right], pos: right.pos, end: right.end };
      const test = lengthGuarded(op, acc.type, list, listTest(acc, op, list, this.failer));
      return acc.multi ? this.apply(acc, test, undefined) : { acc, test };
    }
    if (right.kind !== 'value') return this.fail(right.pos, `'${c.op}' takes one value, not a list`);
    const test = valueTest(acc, op, right, this.failer);
    if (!acc.multi) return { acc, test };
    // For multi-valued fields `!=` means "no value is equal", like fd.ip/fd.port/fd.net in libs.
    const neq = acc.multi && op === '!=' ? valueTest(acc, '=', right, this.failer) : undefined;
    return this.apply(acc, test, neq);
  }

  /** Applies a value test to the field's value (any of its values for multi fields). */
  private apply(acc: OperandAccessor, test: Test, eqForNe: Test | undefined): Pred {
    if (!acc.multi) {
      return (ctx) => {
        const v = acc.get(ctx);
        return v !== undefined && test(v);
      };
    }
    if (eqForNe) {
      return (ctx) => {
        const vs = acc.values(ctx);
        if (vs === undefined || vs.length === 0) return false;
        for (let i = 0; i < vs.length; i++) {
          const v = vs[i];
          if (v !== undefined && eqForNe(v)) return false;
        }
        return true;
      };
    }
    return (ctx) => {
      const vs = acc.values(ctx);
      if (vs === undefined) return false;
      for (let i = 0; i < vs.length; i++) {
        const v = vs[i];
        if (v !== undefined && test(v)) return true;
      }
      return false;
    };
  }

  /** Field compared with another field (`proc.name = val(proc.pname)`). */
  private fieldVsField(c: CheckExpr, op: string, acc: OperandAccessor, right: Operand): Pred {
    const racc = this.operand(right);
    if (operatorInfo(op)?.rhsField !== true || acc.type === 'ipnet') {
      return this.fail(c.opPos, `'${c.op}' cannot compare a field with another field`);
    }
    if (racc.type !== acc.type) {
      return this.fail(
        right.pos,
        `'${acc.name}' has type ${acc.type} while the right-hand side '${racc.name}' has type ${racc.type}`,
      );
    }
    const cmp = pairCompare(acc.type, op === 'in' || op === 'intersects' ? '=' : op);
    if (!acc.multi && !racc.multi) {
      return (ctx) => {
        const a = acc.get(ctx);
        if (a === undefined) return false;
        const b = racc.get(ctx);
        return b !== undefined && cmp(a, b);
      };
    }
    // Lists on either side: any pair satisfies (`!=`: no pair is equal).
    const eq = op === '!=' ? pairCompare(acc.type, '=') : undefined;
    return (ctx) => {
      const as = acc.values(ctx);
      const bs = racc.values(ctx);
      if (!as || !bs || as.length === 0 || bs.length === 0) return false;
      for (const a of as) {
        for (const b of bs) {
          if (a === undefined || b === undefined) continue;
          if (eq ? eq(a, b) : cmp(a, b)) return !eq;
        }
      }
      return eq !== undefined;
    };
  }

  /** `fail` as a function value, for the value tests. */
  private readonly failer = (pos: number, reason: string): never => this.fail(pos, reason);

  private fail(pos: number, reason: string): never {
    throw new FilterSyntaxError(this.text, pos, reason);
  }
}
