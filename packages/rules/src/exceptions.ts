// Rule exceptions, compiled as Falco compiles them (build_rule_exception_infos): into condition text
// appended to the rule's condition as `(condition) and not (…) and not (…)`. A single field with `in` /
// `pmatch` / `intersects` / a modifier operator compares against all the values as one list; a tuple of
// fields gives `(f1 op1 v1 and f2 op2 v2) or (…)` per value tuple, each value a list `(a, b)` when it is
// one (or, written as a string, wrapped in parentheses for a list operator), else quoted when it holds a
// blank and is not quoted already. Each piece of text keeps the place in the file it came from.
import type { ExceptionEntry, ExceptionInfo } from './collector.js';
import { isOperatorWithModifier } from './collector.js';
import { quoteItem } from './lists.js';
import { RuleLoadError } from './result.js';
import { SourceText } from './source.js';

function parenItem(e: string): string {
  return e[0] !== '(' ? `(${e})` : e;
}

/** Falco's is_operator_for_list: in, intersects, pmatch, or a string operator with a modifier. */
function isOperatorForList(op: string): boolean {
  return op === 'in' || op === 'intersects' || op === 'pmatch' || isOperatorWithModifier(op);
}

class TextBuilder {
  private out = SourceText.synthetic('');
  add(text: string, origin: number): this {
    this.out = this.out.concat(SourceText.synthetic(text, origin));
    return this;
  }
  get text(): string {
    return this.out.text;
  }
  build(): SourceText {
    return this.out;
  }
}

/**
 * The rule's condition with its exceptions appended, and the fields the exceptions compare (Falco keeps
 * them to describe the rule).
 */
export function applyExceptions(
  condition: SourceText,
  exceptions: readonly ExceptionInfo[],
): { condition: SourceText; fields: Set<string> } {
  const fields = new Set<string>();
  const start = condition.originAt(0);
  let out = SourceText.synthetic('(', start)
    .concat(condition)
    .concat(SourceText.synthetic(')', condition.originAt(condition.text.length)));
  for (const ex of exceptions) {
    const f = ex.fields as ExceptionEntry;
    const comps = ex.comps as ExceptionEntry;
    const b = new TextBuilder();
    if (!f.list) {
      const comp = comps.list ? '' : comps.item;
      let first = true;
      for (const val of ex.values) {
        if (val.list) {
          throw new RuleLoadError(
            'LOAD_ERR_VALIDATE',
            'Expected values array to contain a list of strings',
            ex.context,
          );
        }
        if (first) b.add(`(${f.item} ${comp} (`, f.origin);
        else b.add(', ', val.origin);
        first = false;
        fields.add(f.item);
        b.add(quoteItem(val.item), val.origin);
      }
      if (!first) b.add('))', f.origin);
    } else {
      b.add('(', f.origin);
      for (const values of ex.values) {
        const items = values.list ? values.items : [];
        if (f.items.length !== items.length) {
          throw new RuleLoadError(
            'LOAD_ERR_VALIDATE',
            'Fields and values lists must have equal length',
            ex.context,
          );
        }
        if (b.text !== '(') b.add(' or ', values.origin);
        b.add('(', values.origin);
        f.items.forEach((field, k) => {
          const v = items[k];
          if (v === undefined) {
            throw new RuleLoadError(
              'LOAD_ERR_VALIDATE',
              'Fields and values lists must have equal length',
              ex.context,
            );
          }
          const fieldName = field.list ? '' : field.item;
          const comp = comps.list ? comps.items[k] : undefined;
          const op = comp && !comp.list ? comp.item : '';
          let istr: string;
          if (v.list) {
            istr = `(${v.items.map((x) => (x.list ? '' : quoteItem(x.item))).join(', ')})`;
          } else {
            istr = isOperatorForList(op) ? parenItem(v.item) : quoteItem(v.item);
          }
          if (k > 0) b.add(' and ', v.origin);
          b.add(` ${fieldName}`, field.origin);
          b.add(` ${op} `, comp?.origin ?? field.origin);
          b.add(istr, v.origin);
          fields.add(fieldName);
        });
        b.add(')', values.origin);
      }
      b.add(')', f.origin);
      if (b.text === '()') continue;
    }
    if (b.text !== '') out = out.concat(SourceText.synthetic(' and not ', f.origin)).concat(b.build());
  }
  return { condition: out, fields };
}
