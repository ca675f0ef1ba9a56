// The names of flag values as evt.info prints them, kept per table: a trace repeats the same few values
// of each flag parameter (open flags, mmap protections, clone flags) millions of times, so each text is
// built once by renderFlags and looked up after that.
import { type NameTable, renderFlags } from '@scapkit/scap-format';

/** Values kept per table and kind; past that, texts are built each time (a table of counters, say). */
const MAX_KEPT = 4096;

const flagSets = new WeakMap<NameTable, Map<number, string>>();
const enumValues = new WeakMap<NameTable, Map<number, string>>();

/** renderFlags(table, value, enumerated), built once per table and value. */
export function flagsText(table: NameTable, value: number, enumerated: boolean): string {
  const tables = enumerated ? enumValues : flagSets;
  let kept = tables.get(table);
  if (!kept) {
    kept = new Map();
    tables.set(table, kept);
  }
  let text = kept.get(value);
  if (text === undefined) {
    text = renderFlags(table, value, enumerated);
    if (kept.size < MAX_KEPT) kept.set(value, text);
  }
  return text;
}
