// The per-event tests of compiled checks: a filter value parsed once for the field's type (numbers,
// bigints, booleans, addresses, networks, byte strings, glob and regex matchers, sets, path-prefix sets)
// and turned into a closure over one field value. Built at compile time; calling a test allocates nothing.
//
// Semantics (libs HEAD filter_compare.cpp / sinsp_filtercheck.cpp, checked against sysdig 0.29.3): strings
// compare as strcmp, `icontains` folds ASCII case (strcasestr), `glob` is fnmatch without FNM_PATHNAME,
// `regex` must match the whole value, `pmatch` compares whole path components.
import type { RE2JS } from 're2js';
import type { FieldType, FieldValue } from '../fields/types.js';
import type { ListNode, Modifier, ValueNode } from './ast.js';
import { GlobMatcher } from './glob.js';
import { regexEngine } from './regex-engine.js';
import type { OperandAccessor } from './transformers.js';
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

/** A test of one field value. */
export type Test = (v: FieldValue) => boolean;
/** Reports a bad filter value at its position (the compiler's error; never returns). */
export type Fail = (pos: number, reason: string) => never;

function isTrue(v: FieldValue): boolean {
  return v === true || v === 1;
}

/** A test of one field value against one filter value, the value parsed for the field's type. */
export function valueTest(acc: OperandAccessor, op: string, node: ValueNode, fail: Fail): Test {
  const s = node.value;
  const type = acc.type;
  switch (type) {
    case 'string':
      return stringTest(op, s, node, fail);
    case 'int':
    case 'reltime':
    case 'double': {
      const n = type === 'double' ? parseDoubleValue(s) : parseIntValue(s);
      if (n === undefined) return fail(node.pos, `'${s}' is not a valid number for '${acc.name}'`);
      return numberTest(op, n);
    }
    case 'uint64':
    case 'abstime': {
      const b = parseBigValue(s);
      if (b === undefined) {
        return fail(node.pos, `'${s}' is not a valid unsigned 64-bit number for '${acc.name}'`);
      }
      return bigTest(op, b);
    }
    case 'bool': {
      const b = parseBoolValue(s);
      if (b === undefined) return fail(node.pos, `unrecognized boolean value '${s}' (use true or false)`);
      return op === '=' ? (v) => isTrue(v) === b : (v) => isTrue(v) !== b;
    }
    case 'ipaddr': {
      const ip = parseIpValue(s);
      if (!ip) return fail(node.pos, `'${s}' is not a valid IP address`);
      const eq = ipEqualTest([ip]);
      return op === '=' ? eq : (v) => !eq(v);
    }
    case 'ipnet': {
      const net = parseNetValue(s);
      if (!net)
        return fail(node.pos, `'${s}' is not a valid IP network (expected address/bits, e.g. 10.0.0.0/8)`);
      const inNet = netTest([net]);
      return op === '=' ? inNet : (v) => !inNet(v);
    }
    case 'bytes':
      return bytesTest(op, node, fail);
  }
}

function stringTest(op: string, s: string, node: ValueNode, fail: Fail): Test {
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
      const re = regex(node, fail);
      return (v) => re.testExact(v as string);
    }
    case 'in':
    case 'intersects':
      return (v) => v === s;
    case 'pmatch': {
      const p = new PathPrefixSet([s]);
      return (v) => p.match(v as string);
    }
    default:
      return fail(node.pos, `'${op}' is not supported for string fields`);
  }
}

function bytesTest(op: string, node: ValueNode, fail: Fail): Test {
  const binary = op === 'bcontains' || op === 'bstartswith';
  const p = binary ? parseHexBytes(node.value) : utf8Bytes(node.value);
  if (!p) return fail(node.pos, `'${node.value}' is not a hex byte string such as 0a0b (even length)`);
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
      return fail(node.pos, `'${op}' is not supported for buffer fields`);
  }
}

/** `in` / `intersects` / `pmatch` against a list: values parsed once into a Set (or address list). */
export function listTest(acc: OperandAccessor, op: string, list: ListNode, fail: Fail): Test {
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
        if (n === undefined) fail(i.pos, `'${i.value}' is not a valid number for '${acc.name}'`);
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
          fail(i.pos, `'${i.value}' is not a valid unsigned 64-bit number for '${acc.name}'`);
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
        if (b === undefined) fail(i.pos, `unrecognized boolean value '${i.value}' (use true or false)`);
        else if (b) hasTrue = true;
        else hasFalse = true;
      }
      return (v) => (isTrue(v) ? hasTrue : hasFalse);
    }
    case 'ipaddr': {
      const ips = items.map(
        (i) => parseIpValue(i.value) ?? fail(i.pos, `'${i.value}' is not a valid IP address`),
      );
      return ipEqualTest(ips);
    }
    case 'ipnet': {
      const nets = items.map(
        (i) =>
          parseNetValue(i.value) ??
          fail(i.pos, `'${i.value}' is not a valid IP network (expected address/bits)`),
      );
      return netTest(nets);
    }
    case 'bytes': {
      const tests = items.map((i) => bytesTest('=', i, fail));
      return modifierTest('anyof', tests);
    }
  }
}

/**
 * libs compiles `regex` values with RE2 and matches the whole value. RE2 (here its JavaScript port)
 * matches in time linear in the input: a pattern like `(a+)+$` cannot backtrack for ever on a crafted
 * value, and what only a backtracking engine can do (back-references, look-around) is refused at compile
 * time, as libs refuses it. The engine is loaded when a filter first uses `regex` (regex-engine.ts).
 */
function regex(node: ValueNode, fail: Fail): RE2JS {
  const engine = regexEngine();
  try {
    return engine.compile(node.value);
  } catch (e) {
    return fail(node.pos, `invalid regular expression: ${e instanceof Error ? e.message : String(e)}`);
  }
}

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
    for (const ip of ips) {
      if (ip.v4 === (kind === 4) && wordsEqual(scratch, ip.words)) return true;
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
    for (const net of nets) {
      if (net.v4 === (kind === 4) && prefixEqual(scratch, net.words, net.bits)) return true;
    }
    return false;
  };
}

/** oneof: exactly one test holds; anyof: at least one; allof: all. An empty list matches nothing. */
export function modifierTest(mod: Modifier, tests: Test[]): Test {
  if (tests.length === 0) return () => false;
  switch (mod) {
    case 'anyof':
      return (v) => {
        for (const t of tests) if (t(v)) return true;
        return false;
      };
    case 'allof':
      return (v) => {
        for (const t of tests) if (!t(v)) return false;
        return true;
      };
    case 'oneof':
      return (v) => {
        let hits = 0;
        for (const t of tests) if (t(v) && ++hits > 1) return false;
        return hits === 1;
      };
  }
}

/** Comparison of two values of the same type, for field-vs-field checks. */
export function pairCompare(type: FieldType, op: string): (a: FieldValue, b: FieldValue) => boolean {
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
