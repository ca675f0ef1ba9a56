// The contract between fields (what an event and the state know) and their consumers (the filter
// compiler, the -p formatter, JSON output, chisels). A field is resolved once, at compile time, into an
// accessor; evaluating it per event allocates nothing beyond the value it returns.

import type { ByteWriter } from '../render/byte-writer.js';

/**
 * How a field's value compares and prints. Comparison follows the type: numbers numerically (a filter
 * value is parsed as a number once), strings as strings, ipaddr/ipnet by address, bytes with memcmp.
 */
export type FieldType =
  | 'string' // CHARBUF / FSPATH: a JS string
  | 'int' // any integer type that fits in a double (INT*, UINT32, PID, FD, ERRNO, PORT, …): a JS number
  | 'uint64' // UINT64 values that may exceed 2^53 (evt.rawtime, …): a bigint
  | 'double'
  | 'bool' // printed true/false; a filter value of true/false (or 1/0)
  | 'ipaddr' // printed dotted/colon form; the value is a string in that form
  | 'ipnet' // filter-only network match (fd.net); the value is the address string
  | 'bytes' // BYTEBUF: a Uint8Array (evt.buffer)
  | 'reltime' // ns as a number
  | 'abstime'; // ns since the epoch as a bigint

/** A field's value for one event; `undefined` means the field has no value here (printed `<NA>`). */
export type FieldValue = string | number | bigint | boolean | Uint8Array | undefined;

/** Per-event evaluation context, owned by the pipeline and reused from event to event. */
export interface EvalContext {
  /** Opaque to filters: fields know what is inside. */
  readonly [key: string]: unknown;
}

export interface CompiledField {
  /** Full field name as written, argument included (`proc.aname[2]`, `evt.arg.fd`). */
  readonly name: string;
  readonly type: FieldType;
  /** Fields that yield several values (`proc.aname` without index, `fd.types`): filters test any/all. */
  readonly multi?: boolean;
  /** Only valid in filters (fd.ip, fd.port, fd.net match either endpoint). */
  readonly filterOnly?: boolean;
  /**
   * How text output prints the value when it is not the type's default: 'padded9' zero-pads an integer
   * to 9 digits (the nanosecond parts evt.rawtime.ns, evt.latency.ns …, sysdig's PF_10_PADDED_DEC);
   * 'hex' prints an integer in upper-case hexadecimal (fd.dev, sysdig's PF_HEX).
   */
  readonly display?: 'padded9' | 'hex';
  /**
   * Why a filter value can never be one of this field's values, checked when the filter is compiled
   * (libs' validate_filter_value: `evt.type=opne` is "unknown event type opne"); undefined when it can.
   */
  checkValue?(value: string): string | undefined;
  /** The value for the current event. For `multi` fields, `values` is used instead. */
  get(ctx: EvalContext): FieldValue;
  /**
   * For a field whose value an event's type alone can decide (evt.type, evt.is_io …): the value every
   * event of `type` has (undefined: none has a value, as evt.res of an enter event), or null where more
   * than the type decides (a generic event's evt.type). Filters use it to learn, once, which event types
   * they can match.
   */
  byEventType?(type: number): FieldValue | null;
  /**
   * For a string field whose text an output line can take without a string being built (evt.info): writes
   * the text of the current event into `w` as `get` would give it; false (nothing written) where the
   * field has no value.
   */
  write?(ctx: EvalContext, w: ByteWriter): boolean;
  /** All values (multi fields); undefined when none. */
  values?(ctx: EvalContext): FieldValue[] | undefined;
}

export interface FieldInfo {
  name: string;
  type: FieldType;
  description: string;
  /** Whether the field takes an argument: `[n]`, `.name`, or both. */
  arg?: 'none' | 'optional' | 'required';
  filterOnly?: boolean;
  /** Why no trace gives the field a useful value (see FieldDef.unanswered). */
  unanswered?: string;
  /** The event parameter the value comes from (see FieldDef.fromParam). */
  fromParam?: { readonly events: readonly string[]; readonly param: string };
}

/** Resolves field names; implemented by the field registry, used by the filter compiler and formatters. */
export interface FieldResolver {
  /**
   * Compiles `name` with its optional argument (`proc.aname[2]` → name `proc.aname`, arg `2`;
   * `evt.arg.fd` → name `evt.arg`, arg `fd`). Throws UnknownFieldError for a field it does not know.
   */
  resolve(name: string, arg?: string): CompiledField;
  /**
   * The type of the event `ctx` holds, for a resolver whose contexts are events (the registry's): a
   * compiled filter then runs, per event, only what the event's type leaves of it (compileFilterAst).
   */
  eventType?(ctx: EvalContext): number;
  /** Every field known, for `scapkit replay -l`. */
  list(): readonly FieldInfo[];
}

export class UnknownFieldError extends Error {
  override readonly name = 'UnknownFieldError';
  constructor(readonly field: string) {
    super(`unknown field '${field}' (scapkit replay -l lists the fields)`);
  }
}
