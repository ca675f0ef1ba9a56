// The human report of a load: Falco's summary line per file (`rules.yaml: Ok`, `Ok, with warnings`,
// `Invalid`), then each error or warning as `file:line:column: error CODE (description) in rule 'x':
// message` — 1-based line and column, as editors count them (Falco's JSON keeps its 0-based ones) — with
// the line of the file and a caret under the column.
import { type Context, codeString, type LoadError, type LoadResult, type LoadWarning } from './result.js';

export function summaryLine(r: LoadResult): string {
  if (!r.successful) return `${r.name}: Invalid`;
  return r.warnings.length > 0 ? `${r.name}: Ok, with warnings` : `${r.name}: Ok`;
}

/** The item a context is about: `rule 'x'`, `macro 'y'`, `exception 'z'` (the innermost named one). */
function itemOf(ctx: Context): string {
  const named = [...ctx.locations].reverse().find((l) => l.itemName !== '');
  return named ? `${named.itemType} '${named.itemName}'` : '';
}

/** One error or warning, with its snippet (`snippet` gives the line and caret, as the engine does). */
export function formatProblem(
  kind: 'error' | 'warning',
  p: LoadError | LoadWarning,
  snippet: (ctx: Context) => string,
): string[] {
  const pos = p.context.last.position;
  const item = itemOf(p.context);
  const head =
    `${pos.name}:${pos.line + 1}:${pos.column + 1}: ${kind} ${p.code} (${codeString(p.code)})` +
    `${item ? ` in ${item}` : ''}${p.message ? `: ${p.message}` : ''}`;
  const snip = snippet(p.context)
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => `    ${l}`);
  return [head, ...(snip[0]?.startsWith('    <') ? [] : snip)];
}

/** Every error, then every warning, of `r`. */
export function formatResult(
  r: LoadResult,
  snippet: (ctx: Context) => string,
): { errors: string[]; warnings: string[] } {
  return {
    errors: r.errors.flatMap((e) => formatProblem('error', e, snippet)),
    warnings: r.warnings.flatMap((w) => formatProblem('warning', w, snippet)),
  };
}
