// The one error the filter language raises: syntax errors from the parser and semantic errors from the
// compiler (unknown field, value that does not fit the field's type, operator the type does not support)
// alike, so that callers (CLI, chisels) need a single catch and can always point at the offending text.

/** A filter that cannot be parsed or compiled. `position` is a 0-based offset into `filter`. */
export class FilterSyntaxError extends Error {
  override readonly name = 'FilterSyntaxError';
  /** The reason alone, without the position or the excerpt (the message has both). */
  readonly reason: string;

  constructor(
    readonly filter: string,
    readonly position: number,
    reason: string,
    /** The field name, when the error is that no field has it (Falco rules may skip such a rule). */
    readonly unknownField?: string,
  ) {
    super(formatFilterError(filter, position, reason));
    this.reason = reason;
  }
}

/**
 * `filter syntax error at position 12: expected a value after '='` followed by the filter line that
 * holds the position and a caret under it. Only that line is shown: filters written over several lines
 * (Falco rules) would otherwise put the caret under the wrong text.
 */
export function formatFilterError(filter: string, position: number, reason: string): string {
  const pos = Math.max(0, Math.min(position, filter.length));
  let lineStart = pos;
  while (lineStart > 0 && filter[lineStart - 1] !== '\n' && filter[lineStart - 1] !== '\r') lineStart--;
  let lineEnd = pos;
  while (lineEnd < filter.length && filter[lineEnd] !== '\n' && filter[lineEnd] !== '\r') lineEnd++;
  // Tabs and other control characters would shift the caret on a terminal; show them as spaces.
  const line = filter.slice(lineStart, lineEnd).replace(/[\x00-\x1f\x7f]/g, ' ');
  return (
    `filter syntax error at position ${position}: ${reason}\n` +
    `  ${line}\n` +
    `  ${' '.repeat(pos - lineStart)}^`
  );
}
