// How a field class declares its fields: name, type, description, whether it takes an argument, and a
// factory that turns an argument into the accessor. The registry (registry.ts) gathers the classes.
import type { ByteWriter } from '../render/byte-writer.js';
import type { EvalContext, FieldType, FieldValue } from './types.js';

export interface Accessor {
  get(ctx: EvalContext): FieldValue;
  values?(ctx: EvalContext): FieldValue[] | undefined;
  /** A type that depends on the argument (evt.rawarg.NAME takes its parameter's type). */
  type?: FieldType;
  /** See CompiledField.byEventType. */
  byEventType?(type: number): FieldValue | null;
  /** See CompiledField.write. */
  write?(ctx: EvalContext, w: ByteWriter): boolean;
}

export interface FieldDef {
  readonly name: string;
  readonly type: FieldType;
  readonly description: string;
  readonly arg?: 'none' | 'optional' | 'required';
  readonly filterOnly?: boolean;
  readonly multi?: boolean;
  readonly display?: 'padded9' | 'hex';
  /**
   * Why no trace can give this field a useful value (a rule that tests it would never fire): reported
   * when such a rule is loaded. Absent for fields a trace answers.
   */
  readonly unanswered?: string;
  /**
   * The event parameter the field's value comes from (`flags` of execve's exit for
   * proc.is_exe_upper_layer): a trace whose events of those names lack it cannot answer the field.
   */
  readonly fromParam?: { readonly events: readonly string[]; readonly param: string };
  /** See CompiledField.checkValue. */
  readonly checkValue?: (value: string) => string | undefined;
  /** Builds the accessor; throws an Error with a message for a bad argument. */
  make(arg: string | undefined): Accessor;
}

/** A field without argument whose accessor is a plain function. */
export function simple(
  name: string,
  type: FieldType,
  description: string,
  get: (ctx: EvalContext) => FieldValue,
  byEventType?: (type: number) => FieldValue | null,
): FieldDef {
  const acc: Accessor = byEventType ? { get, byEventType } : { get };
  return { name, type, description, arg: 'none', make: () => acc };
}

/** A field whose value a process gets from a parameter of its execve/execveat exit event. */
export function fromExec(def: FieldDef, param: string): FieldDef {
  return { ...def, fromParam: { events: ['execve', 'execveat'], param } };
}
