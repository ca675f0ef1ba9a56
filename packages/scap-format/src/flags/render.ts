// Rendering of FLAGS / ENUMFLAGS / MODE values the way libsinsp does it (event.cpp, get_param_as_str),
// checked against what sysdig 0.29.3 printed for the captures in ../shared/captures/expected.
import type { NameTable } from './table.js';
import { CHMOD_MODE } from './tables.js';

/**
 * The names of `value` in `table`, joined with `|`; '' when nothing matches (sysdig then prints the bare number).
 *
 * FLAGS (`enumerated` false), libsinsp's walk, quirks included:
 *  - entries are tried in table order; an entry matches when all its bits are still set in the value, and its
 *    bits are then removed (so O_RDWR = O_RDONLY|O_WRONLY is named once, not three times);
 *  - an entry whose value is 0 matches only when the whole value is 0 (`prot=0(PROT_NONE)`, `mode=0(F_OK)`);
 *  - the walk stops at the first entry equal to the whole value and appends it, even after other names
 *    (futex op 128 prints `FUTEX_PRIVATE_FLAG` alone: the table reaches FUTEX_PRIVATE_FLAG before FUTEX_WAIT).
 * ENUMFLAGS (`enumerated` true): the first entry equal to the value.
 */
export function renderFlags(table: NameTable, value: number, enumerated = false): string {
  const v0 = value >>> 0;
  const values = table.values;
  const names = table.names;
  if (enumerated) return names[values.indexOf(v0)] ?? '';
  let out = '';
  let rest = v0;
  for (const [i, f] of values.entries()) {
    const name = names[i] ?? '';
    if (f === v0) return out === '' ? name : `${out}|${name}`;
    if (f !== 0 && rest !== 0 && (rest & f) >>> 0 === f) {
      out = out === '' ? name : `${out}|${name}`;
      rest = (rest & ~f) >>> 0;
    }
  }
  return out;
}

/**
 * A PT_MODE value as libsinsp prints it: octal with a leading 0 (C's `%#o`: 0 prints as `0`), then the
 * permission names in parentheses when any match: `0755(S_IXOTH|S_IROTH|…)`.
 */
export function renderMode(value: number, table: NameTable = CHMOD_MODE): string {
  const v = value >>> 0;
  const octal = v === 0 ? '0' : `0${v.toString(8)}`;
  const names = renderFlags(table, v);
  return names === '' ? octal : `${octal}(${names})`;
}
