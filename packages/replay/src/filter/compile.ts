// Compiles a filter into closures, once: fields are resolved through the FieldResolver, every value is
// parsed for the field's type (numbers, bigints, booleans, addresses, networks, byte strings, glob and
// regex matchers, sets, path-prefix sets), and operators a type does not support are refused, all at
// compile time and reported as FilterSyntaxError pointing at the field, operator or value. Evaluating a
// compiled filter allocates nothing itself (exceptions: transformers build their result, and a field
// compared with a multi-valued field, or with icontains, builds a small array or string).
//
// Semantics (libs HEAD filter_compare.cpp / sinsp_filtercheck.cpp, checked against sysdig 0.29.3):
// - a field without a value makes every comparison false, `!=` included (`fd.name != x` matches only
//   events that have an fd.name; verified: 27 events on cat_write.scap, the same as `fd.name exists`);
//   `not` is the way to include them;
// - multi-valued fields (`proc.aname`, `fd.ip`, `fd.port`, `fd.net`, `fd.types`) match when any value
//   matches; `!=` matches when no value is equal (fd.ip/fd.port/fd.net in libs: "neither endpoint");
// - strings compare as strcmp, `icontains` folds ASCII case (strcasestr), `glob` is fnmatch without
//   FNM_PATHNAME, `regex` must match the whole value, `pmatch` compares whole path components.
import {
  type CompiledField,
  type EvalContext,
  type FieldResolver,
  type FieldType,
  type FieldValue,
  UnknownFieldError,
} from '../fields/types.js';
import type { CheckExpr, FieldOperand, FilterAst, ListNode, Operand, ValueNode } from './ast.js';
import { FilterSyntaxError } from './errors.js';
import { type EventTypeSet, filterEventTypes } from './event-types.js';
import { GlobMatcher } from './glob.js';
import { parseFilter } from './parser.js';
import {
  bytesEndWith,
  bytesEqual,
  bytesInclude,
  bytesStartWith,
  type IpAddr,
  type IpNet,
  includesAsciiCI,
  latin1,
  lowerAsciiString,
  PathPrefixSet,
  parseBigValue,
  parseBoolValue,
  parseDoubleValue,
  parseHexBytes,
  parseIntValue,
  parseIpValue,
  parseNetValue,
  prefixEqual,
  readIp,
  utf8Bytes,
  wordsEqual,
} from './values.js';

export interface CompiledFilter {
  /** The filter as given. */
  readonly text: string;
  /** Whether the event in `ctx` passes. */
  match(ctx: EvalContext): boolean;
  /** The fields the filter reads, as written (`proc.aname[2]`, `evt.arg.fd`), each once. */
  readonly fields: string[];
  /** The event types it can match (filterEventTypes): for the others, `match` is false. */
  readonly eventTypes: EventTypeSet;
}

type Pred = (ctx: EvalContext) => boolean;
type Test = (v: FieldValue) => boolean;

/** A resolved operand: a field, or a transformer over one. */
interface Accessor {
  name: string;
  type: FieldType;
  multi: boolean;
  get(ctx: EvalContext): FieldValue;
  values(ctx: EvalContext): FieldValue[] | undefined;
}

/** Parses and compiles `text`. Throws FilterSyntaxError for every problem with the filter. */
export function compileFilter(text: string, resolver: FieldResolver): CompiledFilter {
  return compileFilterAst(parseFilter(text), text, resolver);
}

/** Compiles an AST parsed from `text` (positions in errors refer to `text`). */
export function compileFilterAst(ast: FilterAst, text: string, resolver: FieldResolver): CompiledFilter {
  const c = new Compiler(text, resolver);
  const match = c.node(ast);
  return { text, match, fields: c.fields, eventTypes: filterEventTypes(ast, (f) => c.resolved.get(f)) };
}

const NUMERIC: ReadonlySet<FieldType> = new Set(['int', 'uint64', 'double', 'reltime', 'abstime']);

/** Operators each type supports (libs flt_is_comparable); `exists` is always allowed. */
const ALLOWED: Record<FieldType, ReadonlySet<string>> = {
  string: new Set([
    '=',
    '!=',
    '<',
    '<=',
    '>',
    '>=',
    'contains',
    'icontains',
    'startswith',
    'endswith',
    'glob',
    'iglob',
    'regex',
    'in',
    'intersects',
    'pmatch',
  ]),
  int: new Set(['=', '!=', '<', '<=', '>', '>=', 'in', 'intersects']),
  uint64: new Set(['=', '!=', '<', '<=', '>', '>=', 'in', 'intersects']),
  double: new Set(['=', '!=', '<', '<=', '>', '>=', 'in', 'intersects']),
  reltime: new Set(['=', '!=', '<', '<=', '>', '>=', 'in', 'intersects']),
  abstime: new Set(['=', '!=', '<', '<=', '>', '>=', 'in', 'intersects']),
  bool: new Set(['=', '!=', 'in', 'intersects']),
  ipaddr: new Set(['=', '!=', 'in', 'intersects']),
  ipnet: new Set(['=', '!=', 'in', 'intersects']),
  bytes: new Set([
    '=',
    '!=',
    'contains',
    'startswith',
    'endswith',
    'bcontains',
    'bstartswith',
    'in',
    'intersects',
  ]),
};

/** Operators that may compare a field with another field (libs refuses pmatch and regex; glob needs a fixed pattern). */
const RHS_FIELD_OPS: ReadonlySet<string> = new Set([
  '=',
  '!=',
  '<',
  '<=',
  '>',
  '>=',
  'contains',
  'icontains',
  'startswith',
  'endswith',
  'in',
  'intersects',
]);

function typeLabel(t: FieldType): string {
  if (NUMERIC.has(t)) return 'numeric';
  if (t === 'ipaddr' || t === 'ipnet') return 'IP address and network';
  if (t === 'bytes') return 'buffer';
  return t === 'bool' ? 'boolean' : 'string';
}

function isTrue(v: FieldValue): boolean {
  return v === true || v === 1;
}

class Compiler {
  readonly fields: string[] = [];

  /** The field each field operand resolved to (filterEventTypes reads them). */
  readonly resolved = new Map<FieldOperand, CompiledField>();

  constructor(
    private readonly text: string,
    private readonly resolver: FieldResolver,
  ) {}

  node(n: FilterAst): Pred {
    switch (n.kind) {
      case 'and': {
        const cs = n.children.map((c) => this.node(c));
        if (cs.length === 2) {
          const [a, b] = cs;
          return (ctx) => a(ctx) && b(ctx);
        }
        return (ctx) => {
          for (let i = 0; i < cs.length; i++) if (!cs[i](ctx)) return false;
          return true;
        };
      }
      case 'or': {
        const cs = n.children.map((c) => this.node(c));
        if (cs.length === 2) {
          const [a, b] = cs;
          return (ctx) => a(ctx) || b(ctx);
        }
        return (ctx) => {
          for (let i = 0; i < cs.length; i++) if (cs[i](ctx)) return true;
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

  private operand(o: Operand): Accessor {
    if (o.kind === 'field') return this.field(o);
    const inner = this.operand(o.operand);
    const t = o.transformer;
    if (t === 'val') return inner;
    if (t === 'len') {
      if (!inner.multi && inner.type !== 'string' && inner.type !== 'bytes') {
        return this.fail(
          o.pos,
          `len() needs a string, buffer or list field; '${inner.name}' is ${inner.type}`,
        );
      }
      // The length of a list field is its number of values; of a string, its length in bytes.
      const get = inner.multi
        ? (ctx: EvalContext): FieldValue => inner.values(ctx)?.length
        : (ctx: EvalContext): FieldValue => {
            const v = inner.get(ctx);
            if (v === undefined) return undefined;
            return typeof v === 'string' ? utf8Length(v) : v instanceof Uint8Array ? v.length : undefined;
          };
      return { name: `len(${inner.name})`, type: 'int', multi: false, get, values: () => undefined };
    }
    if (inner.type !== 'string') {
      return this.fail(o.pos, `${t}() needs a string field; '${inner.name}' is ${inner.type}`);
    }
    const f = STRING_TRANSFORMS[t];
    const one = (v: FieldValue): FieldValue => (typeof v === 'string' ? f(v) : undefined);
    return {
      name: `${t}(${inner.name})`,
      type: 'string',
      multi: inner.multi,
      get: (ctx) => one(inner.get(ctx)),
      values: (ctx) => inner.values(ctx)?.map(one),
    };
  }

  private field(f: FieldOperand): Accessor {
    const written = f.arg !== undefined ? `${f.name}[${f.arg}]` : f.name;
    const compiled = this.resolve(f, written);
    this.resolved.set(f, compiled);
    if (!this.fields.includes(written)) this.fields.push(written);
    const multi = compiled.multi === true && typeof compiled.values === 'function';
    const values = multi
      ? (ctx: EvalContext) => (compiled.values as NonNullable<CompiledField['values']>).call(compiled, ctx)
      : (ctx: EvalContext): FieldValue[] | undefined => {
          const v = compiled.get(ctx);
          return v === undefined ? undefined : [v];
        };
    return { name: written, type: compiled.type, multi, get: (ctx) => compiled.get(ctx), values };
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
    return this.fail(f.pos, `unknown field '${written}' (scapkit replay -l lists the fields)`);
  }

  // ------------------------------------------------------------------------------------------------
  // Checks

  private check(c: CheckExpr): Pred {
    const acc = this.operand(c.left);
    if (c.op === 'exists') {
      if (acc.multi) {
        return (ctx) => {
          const vs = acc.values(ctx);
          return vs !== undefined && vs.length > 0;
        };
      }
      return (ctx) => acc.get(ctx) !== undefined;
    }
    const op = c.op === '==' ? '=' : c.op;
    const allowed = ALLOWED[acc.type] as ReadonlySet<string> | undefined;
    if (allowed === undefined) {
      return this.fail(c.left.pos, `'${acc.name}' has a type filters cannot compare (${acc.type})`);
    }
    if (!allowed.has(op)) {
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

    if (c.modifier !== undefined) {
      const items = right.kind === 'list' ? right.items : [right];
      const tests = items.map((item) => this.valueTest(acc, op, item));
      return this.apply(acc, modifierTest(c.modifier, tests), undefined);
    }

    if (op === 'in' || op === 'intersects' || op === 'pmatch') {
      const list: ListNode =
        right.kind === 'list' ? right : { kind: 'list', items: [right], pos: right.pos, end: right.end };
      return this.apply(acc, this.listTest(acc, op, list), undefined);
    }
    if (right.kind !== 'value') return this.fail(right.pos, `'${c.op}' takes one value, not a list`);
    const test = this.valueTest(acc, op, right);
    // For multi-valued fields `!=` means "no value is equal", like fd.ip/fd.port/fd.net in libs.
    const neq = acc.multi && op === '!=' ? this.valueTest(acc, '=', right) : undefined;
    return this.apply(acc, test, neq);
  }

  /** Applies a value test to the field's value (any of its values for multi fields). */
  private apply(acc: Accessor, test: Test, eqForNe: Test | undefined): Pred {
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

  /** A test of one field value against one filter value, the value parsed for the field's type. */
  private valueTest(acc: Accessor, op: string, node: ValueNode): Test {
    const s = node.value;
    const type = acc.type;
    switch (type) {
      case 'string':
        return this.stringTest(op, s, node);
      case 'int':
      case 'reltime':
      case 'double': {
        const n = type === 'double' ? parseDoubleValue(s) : parseIntValue(s);
        if (n === undefined) return this.badValue(node, `'${s}' is not a valid number for '${acc.name}'`);
        return numberTest(op, n);
      }
      case 'uint64':
      case 'abstime': {
        const b = parseBigValue(s);
        if (b === undefined) {
          return this.badValue(node, `'${s}' is not a valid unsigned 64-bit number for '${acc.name}'`);
        }
        return bigTest(op, b);
      }
      case 'bool': {
        const b = parseBoolValue(s);
        if (b === undefined)
          return this.badValue(node, `unrecognized boolean value '${s}' (use true or false)`);
        return op === '=' ? (v) => isTrue(v) === b : (v) => isTrue(v) !== b;
      }
      case 'ipaddr': {
        const ip = parseIpValue(s);
        if (!ip) return this.badValue(node, `'${s}' is not a valid IP address`);
        const eq = ipEqualTest([ip]);
        return op === '=' ? eq : (v) => !eq(v);
      }
      case 'ipnet': {
        const net = parseNetValue(s);
        if (!net)
          return this.badValue(
            node,
            `'${s}' is not a valid IP network (expected address/bits, e.g. 10.0.0.0/8)`,
          );
        const inNet = netTest([net]);
        return op === '=' ? inNet : (v) => !inNet(v);
      }
      case 'bytes':
        return this.bytesTest(op, node);
    }
  }

  private stringTest(op: string, s: string, node: ValueNode): Test {
    const rel = relationalTest(op, s);
    if (rel) return rel;
    switch (op) {
      case 'contains':
        return (v) => (v as string).includes(s);
      case 'icontains': {
        const lower = lowerAsciiString(s);
        return (v) => includesAsciiCI(v as string, lower);
      }
      case 'startswith':
        return (v) => (v as string).startsWith(s);
      case 'endswith':
        return (v) => (v as string).endsWith(s);
      case 'glob':
      case 'iglob': {
        const g = new GlobMatcher(s, op === 'iglob');
        return (v) => g.match(v as string);
      }
      case 'regex': {
        const re = this.regex(node);
        return (v) => re.test(v as string);
      }
      case 'in':
      case 'intersects':
        return (v) => v === s;
      case 'pmatch': {
        const p = new PathPrefixSet([s]);
        return (v) => p.match(v as string);
      }
      default:
        return this.fail(node.pos, `'${op}' is not supported for string fields`);
    }
  }

  private bytesTest(op: string, node: ValueNode): Test {
    const binary = op === 'bcontains' || op === 'bstartswith';
    const p = binary ? parseHexBytes(node.value) : utf8Bytes(node.value);
    if (!p) return this.badValue(node, `'${node.value}' is not a hex byte string such as 0a0b (even length)`);
    // Fields normally give a Uint8Array; one given as a string is compared as latin1 text.
    const ps = latin1(p);
    const str = (v: FieldValue): string => (typeof v === 'string' ? v : '');
    switch (op) {
      case '=':
      case 'in':
      case 'intersects':
        return (v) => (v instanceof Uint8Array ? bytesEqual(v, p) : str(v) === ps);
      case '!=':
        return (v) => (v instanceof Uint8Array ? !bytesEqual(v, p) : str(v) !== ps);
      case 'contains':
      case 'bcontains':
        return (v) => (v instanceof Uint8Array ? bytesInclude(v, p) : str(v).includes(ps));
      case 'startswith':
      case 'bstartswith':
        return (v) => (v instanceof Uint8Array ? bytesStartWith(v, p) : str(v).startsWith(ps));
      case 'endswith':
        return (v) => (v instanceof Uint8Array ? bytesEndWith(v, p) : str(v).endsWith(ps));
      default:
        return this.fail(node.pos, `'${op}' is not supported for buffer fields`);
    }
  }

  /** `in` / `intersects` / `pmatch` against a list: values parsed once into a Set (or address list). */
  private listTest(acc: Accessor, op: string, list: ListNode): Test {
    const items = list.items;
    if (op === 'pmatch') {
      const p = new PathPrefixSet(items.map((i) => i.value));
      return (v) => typeof v === 'string' && p.match(v);
    }
    switch (acc.type) {
      case 'string': {
        const set = new Set(items.map((i) => i.value));
        return (v) => set.has(v as string);
      }
      case 'int':
      case 'reltime':
      case 'double': {
        const set = new Set<number>();
        for (const i of items) {
          const n = acc.type === 'double' ? parseDoubleValue(i.value) : parseIntValue(i.value);
          if (n === undefined) this.badValue(i, `'${i.value}' is not a valid number for '${acc.name}'`);
          else set.add(n);
        }
        return (v) => set.has(v as number);
      }
      case 'uint64':
      case 'abstime': {
        const set = new Set<bigint>();
        for (const i of items) {
          const b = parseBigValue(i.value);
          if (b === undefined)
            this.badValue(i, `'${i.value}' is not a valid unsigned 64-bit number for '${acc.name}'`);
          else set.add(b);
        }
        // A field that gives a plain number (it fits a double) is looked up as a bigint.
        return (v) =>
          typeof v === 'bigint'
            ? set.has(v)
            : typeof v === 'number' && Number.isInteger(v) && set.has(BigInt(v));
      }
      case 'bool': {
        let hasTrue = false;
        let hasFalse = false;
        for (const i of items) {
          const b = parseBoolValue(i.value);
          if (b === undefined)
            this.badValue(i, `unrecognized boolean value '${i.value}' (use true or false)`);
          else if (b) hasTrue = true;
          else hasFalse = true;
        }
        return (v) => (isTrue(v) ? hasTrue : hasFalse);
      }
      case 'ipaddr': {
        const ips = items.map(
          (i) => parseIpValue(i.value) ?? this.badValue(i, `'${i.value}' is not a valid IP address`),
        );
        return ipEqualTest(ips);
      }
      case 'ipnet': {
        const nets = items.map(
          (i) =>
            parseNetValue(i.value) ??
            this.badValue(i, `'${i.value}' is not a valid IP network (expected address/bits)`),
        );
        return netTest(nets);
      }
      case 'bytes': {
        const tests = items.map((i) => this.bytesTest('=', i));
        return modifierTest('anyof', tests);
      }
    }
  }

  /** Field compared with another field (`proc.name = val(proc.pname)`). */
  private fieldVsField(c: CheckExpr, op: string, acc: Accessor, right: Operand): Pred {
    const racc = this.operand(right);
    if (!RHS_FIELD_OPS.has(op) || acc.type === 'ipnet') {
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

  private regex(node: ValueNode): RegExp {
    try {
      return new RegExp(`^(?:${posixClassesToJs(node.value)})$`);
    } catch (e) {
      return this.badValue(node, `invalid regular expression: ${e instanceof Error ? e.message : String(e)}`);
    }
  }

  private badValue(node: ValueNode, reason: string): never {
    return this.fail(node.pos, reason);
  }

  private fail(pos: number, reason: string): never {
    throw new FilterSyntaxError(this.text, pos, reason);
  }
}

// ---------------------------------------------------------------------------------------------------
// Tests built from parsed values

/** `= != < <= > >=` against one string or number (JS compares both kinds with the same operators). */
function relationalTest<T extends string | number>(op: string, x: T): Test | undefined {
  switch (op) {
    case '=':
      return (v) => v === x;
    case '!=':
      return (v) => v !== x;
    case '<':
      return (v) => (v as T) < x;
    case '<=':
      return (v) => (v as T) <= x;
    case '>':
      return (v) => (v as T) > x;
    case '>=':
      return (v) => (v as T) >= x;
    default:
      return undefined;
  }
}

function numberTest(op: string, n: number): Test {
  return relationalTest(op, n) ?? ((v) => (v as number) >= n);
}

/**
 * uint64/abstime. JS compares a bigint with a number exactly, so these work whether the field gives a
 * bigint (as the contract says) or a number; equality is written with < and > for the same reason.
 */
function bigTest(op: string, b: bigint): Test {
  switch (op) {
    case '=':
      return (v) => !((v as bigint) < b) && !((v as bigint) > b);
    case '!=':
      return (v) => (v as bigint) < b || (v as bigint) > b;
    case '<':
      return (v) => (v as bigint) < b;
    case '<=':
      return (v) => (v as bigint) <= b;
    case '>':
      return (v) => (v as bigint) > b;
    default:
      return (v) => (v as bigint) >= b;
  }
}

/** Equal to any of `ips`. An address of the other family is never equal (libs: only `!=` holds). */
function ipEqualTest(ips: IpAddr[]): Test {
  const scratch = new Uint16Array(8);
  return (v) => {
    if (typeof v !== 'string') return false;
    const kind = readIp(v, 0, v.length, scratch);
    if (kind === 0) return false;
    for (let i = 0; i < ips.length; i++) {
      if (ips[i].v4 === (kind === 4) && wordsEqual(scratch, ips[i].words)) return true;
    }
    return false;
  };
}

/** Inside any of `nets` (same family only). */
function netTest(nets: IpNet[]): Test {
  const scratch = new Uint16Array(8);
  return (v) => {
    if (typeof v !== 'string') return false;
    const kind = readIp(v, 0, v.length, scratch);
    if (kind === 0) return false;
    for (let i = 0; i < nets.length; i++) {
      if (nets[i].v4 === (kind === 4) && prefixEqual(scratch, nets[i].words, nets[i].bits)) return true;
    }
    return false;
  };
}

/** oneof: exactly one test holds; anyof: at least one; allof: all. An empty list matches nothing. */
function modifierTest(mod: 'oneof' | 'anyof' | 'allof', tests: Test[]): Test {
  const n = tests.length;
  if (n === 0) return () => false;
  switch (mod) {
    case 'anyof':
      return (v) => {
        for (let i = 0; i < n; i++) if (tests[i](v)) return true;
        return false;
      };
    case 'allof':
      return (v) => {
        for (let i = 0; i < n; i++) if (!tests[i](v)) return false;
        return true;
      };
    case 'oneof':
      return (v) => {
        let hits = 0;
        for (let i = 0; i < n; i++) if (tests[i](v) && ++hits > 1) return false;
        return hits === 1;
      };
  }
}

/** Comparison of two values of the same type, for field-vs-field checks. */
function pairCompare(type: FieldType, op: string): (a: FieldValue, b: FieldValue) => boolean {
  if (type === 'ipaddr') {
    const sa = new Uint16Array(8);
    const sb = new Uint16Array(8);
    const eq = (a: FieldValue, b: FieldValue): boolean => {
      if (typeof a !== 'string' || typeof b !== 'string') return false;
      const ka = readIp(a, 0, a.length, sa);
      return ka !== 0 && ka === readIp(b, 0, b.length, sb) && wordsEqual(sa, sb);
    };
    return op === '!=' ? (a, b) => !eq(a, b) : eq;
  }
  if (type === 'bool') {
    return op === '!=' ? (a, b) => isTrue(a) !== isTrue(b) : (a, b) => isTrue(a) === isTrue(b);
  }
  if (type === 'bytes') {
    return (a, b) => {
      if (!(a instanceof Uint8Array) || !(b instanceof Uint8Array)) return false;
      switch (op) {
        case '=':
          return bytesEqual(a, b);
        case '!=':
          return !bytesEqual(a, b);
        case 'contains':
          return bytesInclude(a, b);
        case 'startswith':
          return bytesStartWith(a, b);
        case 'endswith':
          return bytesEndWith(a, b);
        default:
          return false;
      }
    };
  }
  // Strings and numbers (number, bigint) share JS's relational operators.
  switch (op) {
    case '=':
      return (a, b) => !((a as number) < (b as number)) && !((a as number) > (b as number));
    case '!=':
      return (a, b) => (a as number) < (b as number) || (a as number) > (b as number);
    case '<':
      return (a, b) => (a as number) < (b as number);
    case '<=':
      return (a, b) => (a as number) <= (b as number);
    case '>':
      return (a, b) => (a as number) > (b as number);
    case '>=':
      return (a, b) => (a as number) >= (b as number);
    case 'contains':
      return (a, b) => typeof a === 'string' && typeof b === 'string' && a.includes(b);
    case 'icontains':
      return (a, b) =>
        typeof a === 'string' && typeof b === 'string' && includesAsciiCI(a, lowerAsciiString(b));
    case 'startswith':
      return (a, b) => typeof a === 'string' && typeof b === 'string' && a.startsWith(b);
    case 'endswith':
      return (a, b) => typeof a === 'string' && typeof b === 'string' && a.endsWith(b);
    default:
      return () => false;
  }
}

const STRING_TRANSFORMS: Record<
  'tolower' | 'toupper' | 'b64' | 'basename',
  (s: string) => string | undefined
> = {
  tolower: (s) => s.toLowerCase(),
  toupper: (s) => s.toUpperCase(),
  // Invalid base64 gives no value, as libs' b64 transformer fails the extraction. atob (not Buffer)
  // keeps the package usable outside Node; it gives the bytes as a latin1 string.
  b64: (s) => (/^[A-Za-z0-9+/]*={0,2}$/.test(s) && s.length % 4 === 0 ? atob(s) : undefined),
  basename: (s) => {
    const i = s.lastIndexOf('/');
    return i < 0 ? s : s.slice(i + 1);
  },
};

/** Length in UTF-8 bytes (libs measures strings in bytes), without encoding the string. */
function utf8Length(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
      n += 4; // a surrogate pair is one 4-byte character
      i++;
    } else n += 3;
  }
  return n;
}

const POSIX_CLASSES: Record<string, string> = {
  alpha: 'a-zA-Z',
  digit: '0-9',
  alnum: '0-9a-zA-Z',
  upper: 'A-Z',
  lower: 'a-z',
  space: ' \\t\\n\\r\\f\\v',
  blank: ' \\t',
  punct: '!-\\/:-@\\[-`{-~',
  xdigit: '0-9A-Fa-f',
  word: '0-9A-Za-z_',
  cntrl: '\\x00-\\x1f\\x7f',
};

/** RE2's POSIX classes (`[[:alpha:]]`) do not exist in JS regexps: expand them inside brackets. */
function posixClassesToJs(re: string): string {
  return re.replace(/\[:([a-z]+):\]/g, (m, name: string) => POSIX_CLASSES[name] ?? m);
}
