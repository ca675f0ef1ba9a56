// Field transformers (`tolower(proc.name)`, `len(fd.name)`, `basename(…)`, `b64(…)`, `toupper(…)`) and
// the accessor a compiled operand is: a field or a transformer over one. Transformers build their result
// per event (a new string); everything else reads the field as it is.
import type { EvalContext, FieldType, FieldValue } from '../fields/types.js';
import type { TransformerName } from './ast.js';

/** A resolved operand: a field, or a transformer over one. */
export interface OperandAccessor {
  /** As written, for messages: `tolower(proc.name)`. */
  name: string;
  type: FieldType;
  /** Several values per event (`proc.aname`, `fd.types`): comparisons test each. */
  multi: boolean;
  get(ctx: EvalContext): FieldValue;
  values(ctx: EvalContext): FieldValue[] | undefined;
  /** The field's check of a filter value (plain fields only; see CompiledField.checkValue). */
  checkValue?(value: string): string | undefined;
}

/**
 * `transformer(inner)`. Returns a reason instead of an accessor when the transformer does not apply to
 * the inner operand's type (the compiler turns it into an error at the transformer's position).
 */
export function applyTransformer(t: TransformerName, inner: OperandAccessor): OperandAccessor | string {
  if (t === 'val') return inner;
  if (t === 'len') {
    if (!inner.multi && inner.type !== 'string' && inner.type !== 'bytes') {
      return `len() needs a string, buffer or list field; '${inner.name}' is ${inner.type}`;
    }
    // The length of a list field is its number of values; of a string, its length in bytes.
    const get = inner.multi
      ? (ctx: EvalContext): FieldValue => inner.values(ctx)?.length
      : (ctx: EvalContext): FieldValue => {
          const v = inner.get(ctx);
          if (v === undefined) return undefined;
          return typeof v === 'string' ? utf8Length(v) : v instanceof Uint8Array ? v.length : undefined;
        };
    return { name: `len(${inner.name})`, type: 'int', multi: false, get, values: () => undefined };
  }
  if (inner.type !== 'string') return `${t}() needs a string field; '${inner.name}' is ${inner.type}`;
  const f = STRING_TRANSFORMS[t];
  const one = (v: FieldValue): FieldValue => (typeof v === 'string' ? f(v) : undefined);
  return {
    name: `${t}(${inner.name})`,
    type: 'string',
    multi: inner.multi,
    get: (ctx) => one(inner.get(ctx)),
    values: (ctx) => inner.values(ctx)?.map(one),
  };
}

const STRING_TRANSFORMS: Record<
  'tolower' | 'toupper' | 'b64' | 'basename',
  (s: string) => string | undefined
> = {
  tolower: (s) => s.toLowerCase(),
  toupper: (s) => s.toUpperCase(),
  // Invalid base64 gives no value, as libs' b64 transformer fails the extraction. atob (not Buffer)
  // keeps the package usable outside Node; it gives the bytes as a latin1 string.
  b64: (s) => (/^[A-Za-z0-9+/]*={0,2}$/.test(s) && s.length % 4 === 0 ? atob(s) : undefined),
  basename: (s) => {
    const i = s.lastIndexOf('/');
    return i < 0 ? s : s.slice(i + 1);
  },
};

/** Length in UTF-8 bytes (libs measures strings in bytes), without encoding the string. */
function utf8Length(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
      n += 4; // a surrogate pair is one 4-byte character
      i++;
    } else n += 3;
  }
  return n;
}
