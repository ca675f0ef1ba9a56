// The rules of one event type as one generated function: each rule's condition, folded for that type
// (CompiledRule.forEventType) and lowered by replay's filter compiler (lowerFilter), written out as one
// JavaScript expression per rule, in load order. Every operand is read at most once per event, into a
// local that all the rules of the type share (`fd.name` in five rules of an `openat`), and a sub-condition
// several rules contain (an expanded macro: `open_read`, `spawned_process`) is evaluated once into a local
// too. The value tests themselves (Sets, prefix tries, globs …) are the compiler's closures, each called
// from its own call site. The generated text holds only generated names and numbers: nothing of the rules
// file reaches it. Where code cannot be generated (a page whose CSP forbids it) the caller keeps the
// compiled closures.
import type { EvalContext, FieldValue, LoweredFilter } from '@scapkit/replay';
import type { CompiledRule } from './compiler.js';

/** Appends to `matches` the rules of one event type the event matches: the first only when `first`. */
export type TypeProgram = (ctx: EvalContext, matches: CompiledRule[], first: boolean) => void;

/** One rule of the type: its lowered condition for that type, or `true` when the type alone decides. */
export interface ProgramRule {
  readonly rule: CompiledRule;
  readonly condition: LoweredFilter | true;
}

/** Marks an operand not read yet for this event (no field value is this object). */
const UNREAD = Object.freeze({ unread: true });

/** The generated function for `rules` (in load order), or undefined when code cannot be generated. */
export function generateTypeProgram(rules: readonly ProgramRule[]): TypeProgram | undefined {
  const g = new Generator();
  const uses = countUses(rules);
  const exprs = rules.map((r) => (r.condition === true ? 'true' : g.expr(r.condition, uses)));
  const lines: string[] = [];
  const each = (n: number, line: (i: number) => string): void => {
    for (let i = 0; i < n; i++) lines.push(line(i));
  };
  each(g.gets.length, (i) => `const g${i} = G[${i}];`);
  each(g.tests.length, (i) => `const t${i} = T[${i}];`);
  each(g.preds.length, (i) => `const p${i} = P[${i}];`);
  each(rules.length, (i) => `const r${i} = R[${i}];`);
  lines.push('return function rulesOfType(ctx, m, first) {');
  each(g.gets.length, (i) => `  let f${i} = U;`);
  each(g.shared, (i) => `  let s${i} = 0;`);
  exprs.forEach((e, i) => {
    lines.push(`  if (${e}) { m.push(r${i}); if (first) return; }`);
  });
  lines.push('};');
  try {
    const factory = new Function('G', 'T', 'P', 'R', 'U', lines.join('\n')) as (
      ...args: unknown[]
    ) => TypeProgram;
    return factory(
      g.gets,
      g.tests,
      g.preds,
      rules.map((r) => r.rule),
      UNREAD,
    );
  } catch {
    return undefined; // no code generation here (EvalError under a CSP without 'unsafe-eval')
  }
}

/** How many times each and/or/not sub-condition occurs in the type's rules. */
function countUses(rules: readonly ProgramRule[]): Map<string, number> {
  const uses = new Map<string, number>();
  const visit = (n: LoweredFilter): void => {
    if (n.kind !== 'and' && n.kind !== 'or' && n.kind !== 'not') return;
    const k = uses.get(n.key) ?? 0;
    uses.set(n.key, k + 1);
    if (k > 0) return; // its inside is counted once: it is evaluated once
    if (n.kind === 'not') visit(n.child);
    else for (const c of n.children) visit(c);
  };
  for (const r of rules) if (r.condition !== true) visit(r.condition);
  return uses;
}

class Generator {
  readonly gets: ((ctx: EvalContext) => FieldValue)[] = [];
  readonly tests: ((v: FieldValue) => boolean)[] = [];
  readonly preds: ((ctx: EvalContext) => boolean)[] = [];
  /** Number of shared sub-condition locals. */
  shared = 0;
  private readonly operands = new Map<string, number>();
  private readonly testIds = new Map<string, number>();
  private readonly predIds = new Map<string, number>();
  private readonly sharedIds = new Map<string, number>();

  expr(n: LoweredFilter, uses: Map<string, number>): string {
    switch (n.kind) {
      case 'and':
      case 'or': {
        const inner = `(${n.children.map((c) => this.expr(c, uses)).join(n.kind === 'and' ? ' && ' : ' || ')})`;
        return this.share(n.key, inner, uses);
      }
      case 'not':
        return this.share(n.key, `!(${this.expr(n.child, uses)})`, uses);
      case 'test': {
        const f = this.operand(n.operand, n.get);
        const read = `(f${f} === U ? (f${f} = g${f}(ctx)) : f${f}) !== undefined`;
        if (n.test === undefined) return `(${read})`;
        let t = this.testIds.get(n.key);
        if (t === undefined) {
          t = this.tests.push(n.test) - 1;
          this.testIds.set(n.key, t);
        }
        return `(${read} && t${t}(f${f}))`;
      }
      case 'pred': {
        let p = this.predIds.get(n.key);
        if (p === undefined) {
          p = this.preds.push(n.pred) - 1;
          this.predIds.set(n.key, p);
        }
        return `p${p}(ctx)`;
      }
    }
  }

  /** A sub-condition several rules contain: evaluated the first time, then read from its local. */
  private share(key: string, inner: string, uses: Map<string, number>): string {
    if ((uses.get(key) ?? 0) < 2) return inner;
    let s = this.sharedIds.get(key);
    if (s === undefined) {
      s = this.shared++;
      this.sharedIds.set(key, s);
    }
    return `((s${s} === 0 ? (s${s} = (${inner}) ? 1 : 2) : s${s}) === 1)`;
  }

  private operand(key: string, get: (ctx: EvalContext) => FieldValue): number {
    let f = this.operands.get(key);
    if (f === undefined) {
      f = this.gets.push(get) - 1;
      this.operands.set(key, f);
    }
    return f;
  }
}
