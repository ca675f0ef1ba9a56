// A small FieldResolver over plain objects for the filter tests: it isolates operator semantics from the
// state engine (no kernel is mocked; the golden test runs the real pipeline on real captures).
import {
  type CompiledField,
  type EvalContext,
  type FieldInfo,
  type FieldResolver,
  type FieldType,
  type FieldValue,
  UnknownFieldError,
} from '../src/fields/types.js';
import type { FilterAst } from '../src/filter/index.js';

/** One event: field name as written (`proc.aname[2]`, `evt.arg.fd`) → value, or values for multi fields. */
export type TestEvent = Record<string, FieldValue | FieldValue[]>;

interface Def {
  type: FieldType;
  multi?: boolean;
  arg?: 'none' | 'optional' | 'required';
}

export const TEST_FIELDS: Record<string, Def> = {
  'evt.num': { type: 'uint64' },
  'evt.type': { type: 'string' },
  'evt.dir': { type: 'string' },
  'evt.rawres': { type: 'int' },
  'evt.failed': { type: 'bool' },
  'evt.latency': { type: 'reltime' },
  'evt.rawtime': { type: 'abstime' },
  'evt.buffer': { type: 'bytes' },
  'evt.arg': { type: 'string', arg: 'required' },
  'evt.type.is': { type: 'int', arg: 'required' },
  'evt.cpu': { type: 'int' },
  'proc.name': { type: 'string' },
  'proc.pname': { type: 'string' },
  'proc.pid': { type: 'int' },
  'proc.aname': { type: 'string', multi: true, arg: 'optional' },
  'proc.cpu': { type: 'double' },
  'fd.name': { type: 'string' },
  'fd.num': { type: 'int' },
  'fd.sip': { type: 'ipaddr' },
  'fd.ip': { type: 'ipaddr', multi: true },
  'fd.port': { type: 'int', multi: true },
  'fd.net': { type: 'ipnet', multi: true },
  'fd.snet': { type: 'ipnet' },
  'fd.types': { type: 'string', multi: true },
};

export class TestResolver implements FieldResolver {
  /** Every resolve call, to check that the compiler resolves once. */
  readonly calls: string[] = [];

  resolve(name: string, arg?: string): CompiledField {
    const def = TEST_FIELDS[name];
    if (!def) throw new UnknownFieldError(arg === undefined ? name : `${name}.${arg}`);
    if (arg !== undefined && (def.arg ?? 'none') === 'none') throw new UnknownFieldError(`${name}.${arg}`);
    if (arg === undefined && def.arg === 'required') throw new Error(`'${name}' needs an argument`);
    const key = arg === undefined ? name : `${name}[${arg}]`;
    this.calls.push(key);
    const multi = def.multi === true && arg === undefined;
    const read = (ctx: EvalContext) => (ctx as unknown as { ev: TestEvent }).ev[key];
    return {
      name: key,
      type: def.type,
      multi,
      get: (ctx) => {
        const v = read(ctx);
        return Array.isArray(v) ? v[0] : v;
      },
      values: multi
        ? (ctx) => {
            const v = read(ctx);
            return v === undefined ? undefined : Array.isArray(v) ? v : [v];
          }
        : undefined,
    };
  }

  list(): readonly FieldInfo[] {
    return Object.entries(TEST_FIELDS).map(([name, d]) => ({
      name,
      type: d.type,
      description: name,
      arg: d.arg,
    }));
  }
}

export function ctxOf(ev: TestEvent): EvalContext {
  return { ev } as unknown as EvalContext;
}

/** The AST without positions, for structural comparison. */
export function stripPositions(ast: unknown): unknown {
  if (Array.isArray(ast)) return ast.map(stripPositions);
  if (ast !== null && typeof ast === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(ast)) {
      if (k === 'pos' || k === 'end' || k === 'opPos' || v === undefined) continue;
      out[k] = stripPositions(v);
    }
    return out;
  }
  return ast;
}

export type { FilterAst };
