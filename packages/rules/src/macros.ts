// Falco macros, expanded on the parsed tree (Falco's filter_macro_resolver): every bare identifier that
// names a visible macro is replaced by a copy of that macro's tree, whose macro references are expanded in
// turn; a macro met again on its own expansion path is a reference loop. The copies keep their positions:
// each expanded macro's text is laid after the host's in the host's PositionSpace, and the copied nodes'
// offsets moved there, so an error inside an expanded macro still names the line it was written on.
import type { FilterAst, Operand } from '@scapkit/replay';
import type { PositionSpace } from './source.js';

/** A macro's condition, parsed, with the space its positions live in. */
export interface ParsedCondition {
  ast: FilterAst;
  space: PositionSpace;
}

export interface MacroProblem {
  message: string;
  /** Position in the host's space. */
  pos: number;
}

export interface MacroResolution {
  ast: FilterAst;
  /** Names of the macros expanded, once each. */
  resolved: Set<string>;
  /** The first error (a reference loop) or the first unknown macro, as Falco reports only that. */
  problem?: MacroProblem;
}

/**
 * Expands the macros of `host` (whose positions are in `space`, which grows with each expansion).
 * `lookup` gives the visible macros.
 */
export function resolveMacros(
  host: FilterAst,
  space: PositionSpace,
  lookup: (name: string) => ParsedCondition | undefined,
): MacroResolution {
  const resolved = new Set<string>();
  const errors: MacroProblem[] = [];
  const unknown: MacroProblem[] = [];
  const path: string[] = [];
  // One copy of each macro's text per host, however often the macro is used.
  const shifts = new Map<ParsedCondition, number>();

  const visit = (n: FilterAst): FilterAst => {
    switch (n.kind) {
      case 'and':
      case 'or':
        return { ...n, children: n.children.map(visit) };
      case 'not':
        return { ...n, child: visit(n.child) };
      case 'check':
        return n;
      case 'macro': {
        const m = lookup(n.name);
        if (!m) {
          unknown.push({ message: `Undefined macro '${n.name}' used in filter.`, pos: n.pos });
          return n;
        }
        if (path.includes(n.name)) {
          errors.push({ message: `reference loop in macro '${n.name}'`, pos: n.pos });
          unknown.push({ message: `Undefined macro '${n.name}' used in filter.`, pos: n.pos });
          return n;
        }
        path.push(n.name);
        let shift = shifts.get(m);
        if (shift === undefined) {
          shift = space.appendSpace(m.space);
          shifts.set(m, shift);
        }
        const out = visit(shifted(m.ast, shift));
        resolved.add(n.name);
        path.pop();
        return out;
      }
    }
  };

  const ast = visit(host);
  const problem = errors[0] ?? unknown[0];
  return problem ? { ast, resolved, problem } : { ast, resolved };
}

/** A copy of `ast` with every offset moved by `d`. */
export function shifted(ast: FilterAst, d: number): FilterAst {
  switch (ast.kind) {
    case 'and':
    case 'or':
      return { kind: ast.kind, pos: ast.pos + d, children: ast.children.map((c) => shifted(c, d)) };
    case 'not':
      return { kind: 'not', pos: ast.pos + d, child: shifted(ast.child, d) };
    case 'macro':
      return { kind: 'macro', name: ast.name, pos: ast.pos + d };
    case 'check': {
      const r = ast.right;
      let right: typeof r;
      if (r === undefined) right = undefined;
      else if (r.kind === 'value' || r.kind === 'listref') right = { ...r, pos: r.pos + d, end: r.end + d };
      else if (r.kind === 'list') {
        right = {
          kind: 'list',
          pos: r.pos + d,
          end: r.end + d,
          items: r.items.map((i) => ({ ...i, pos: i.pos + d, end: i.end + d })),
        };
      } else right = shiftOperand(r, d);
      return {
        ...ast,
        left: shiftOperand(ast.left, d),
        opPos: ast.opPos + d,
        pos: ast.pos + d,
        ...(right ? { right } : {}),
      };
    }
  }
}

function shiftOperand(o: Operand, d: number): Operand {
  if (o.kind === 'field') return { ...o, pos: o.pos + d, end: o.end + d };
  return { ...o, pos: o.pos + d, end: o.end + d, operand: shiftOperand(o.operand, d) };
}
