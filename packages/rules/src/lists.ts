// Falco lists: each list's items with the lists it names expanded (those defined before it), then
// substituted into conditions as text, exactly as Falco's resolve_list does it: a list's name, standing
// alone between delimiters, becomes its items joined by ", " (an item with a blank quoted), an empty list
// takes a neighbouring comma with it, and the text goes on after the substitution. Lists are used by
// every condition whatever their place in the file (there is no visibility order for them).
import type { Collector, ListInfo } from './collector.js';
import { type Context, RuleLoadError } from './result.js';
import { SourceText } from './source.js';

export interface CompiledList {
  name: string;
  items: { value: string; origin: number }[];
  used: boolean;
  context: Context;
}

/** Falco's quote_item: an item with a blank and no leading quote is double-quoted. */
export function quoteItem(e: string): string {
  return e.includes(' ') && e[0] !== '"' && e[0] !== "'" ? `"${e}"` : e;
}

/**
 * Falco's compile_list_infos. An item naming a list defined before this one is replaced by that list's
 * items (one level: the named list's items as written). Lists that name each other in a loop (a → b → a)
 * can only give nonsense once substituted: that is refused here with the chain it found.
 */
export function compileLists(col: Collector): Map<string, CompiledList> {
  checkLoops(col.lists);
  const out = new Map<string, CompiledList>();
  const used = new Set<string>();
  for (const list of col.lists.values()) {
    const items: { value: string; origin: number }[] = [];
    for (const item of list.items) {
      const ref = col.lists.get(item.value);
      if (ref && ref.index < list.visibility) {
        used.add(ref.name);
        items.push(...ref.items);
      } else {
        items.push(item);
      }
    }
    out.set(list.name, { name: list.name, items, used: false, context: list.context });
  }
  for (const n of used) {
    const l = out.get(n);
    if (l) l.used = true;
  }
  return out;
}

function checkLoops(lists: Map<string, ListInfo>): void {
  const state = new Map<string, 'visiting' | 'done'>();
  const path: string[] = [];
  const visit = (name: string): void => {
    const list = lists.get(name);
    if (!list) return;
    state.set(name, 'visiting');
    path.push(name);
    for (const item of list.items) {
      // A list that names only itself keeps its name as a value, as Falco does (`docker: [docker, …]`).
      if (item.value === name || !lists.has(item.value)) continue;
      const s = state.get(item.value);
      if (s === 'visiting') {
        const chain = [...path.slice(path.indexOf(item.value)), item.value].join(' → ');
        throw new RuleLoadError(
          'LOAD_ERR_VALIDATE',
          `List '${item.value}' refers to itself through other lists (${chain})`,
          list.context,
        );
      }
      if (s === undefined) visit(item.value);
    }
    path.pop();
    state.set(name, 'done');
  };
  for (const name of lists.keys()) if (!state.has(name)) visit(name);
}

const BLANKS = ' \t\n\r';
const DELIMS = `${BLANKS}(),=`;

/** Falco's resolve_list over `cnd`; `used` tells whether the list's name was found. */
export function resolveList(cnd: SourceText, list: CompiledList): { text: SourceText; used: boolean } {
  const name = list.name;
  if (name === '') return { text: cnd, used: false };
  let text = cnd;
  let used = false;
  let start = text.text.indexOf(name);
  while (start >= 0) {
    const s = text.text;
    let end = start + name.length;
    if (
      (start === 0 || DELIMS.includes(s.charAt(start - 1))) &&
      (end >= s.length || DELIMS.includes(s.charAt(end)))
    ) {
      // the blanks around the name go with it
      let from = start;
      while (from > 0 && BLANKS.includes(s.charAt(from - 1))) from--;
      while (end < s.length && BLANKS.includes(s.charAt(end))) end++;
      const sub = list.items.map((i) => quoteItem(i.value)).join(', ');
      // an empty list takes a comma from its left or its right
      if (sub === '') {
        if (from > 0 && s[from - 1] === ',') from--;
        else if (end < s.length && s[end] === ',') end++;
      }
      // Each substituted item keeps the place it was written (an error in it points there).
      const here = text.originAt(start);
      let insert = SourceText.synthetic(from > 0 ? ' ' : '', here);
      list.items.forEach((item, k) => {
        if (k > 0) insert = insert.concat(SourceText.synthetic(', ', here));
        insert = insert.concat(SourceText.synthetic(quoteItem(item.value), item.origin));
      });
      text = text.splice(from, end, insert.concat(SourceText.synthetic(' ', here)));
      used = true;
      start = text.text.indexOf(name, from + sub.length + 2);
      continue;
    }
    start = s.indexOf(name, start + 1);
  }
  return { text, used };
}
