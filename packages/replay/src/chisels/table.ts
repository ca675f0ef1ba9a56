// sysdig's table_generator.lua, the engine behind topscalls, topfiles_*, topprocs_*, topconns, fdbytes_by:
// group events by one or more key fields, sum a value field, print the top N rows under a fixed-width
// header. Rows are kept in nested Maps (one level per key field), so an event whose group exists already
// allocates nothing. Ties: sysdig sorts with table.sort over a LuaJIT hash table, so rows with the same value
// come out in an order that changes from run to run; here they keep the order their group first appeared
// in (a stable sort), which is one of sysdig's possible orders.
import type { CompiledField, FieldValue } from '../fields/types.js';
import { fieldText } from '../output/format.js';
import {
  extendString,
  formatBytes,
  formatTimeInterval,
  latin1,
  luaFixed,
  luaNumber,
  luaPrefix,
  luaString,
} from './text.js';
import type { ChiselEndInfo, ChiselEnv, ChiselHandlers, ChiselOut } from './types.js';

export type ValueUnits = 'none' | 'bytes' | 'time' | 'timepct';

export interface TableSpec {
  /** Key fields, outermost first (table_generator's `keys`). */
  readonly keys: readonly string[];
  /** Column titles of the keys (`keydescs`). */
  readonly keyDescs: readonly string[];
  /** The field summed per group (`value`). */
  readonly value: string;
  /** Title of the value column (`valuedesc`). */
  readonly valueDesc: string;
  /** The chisel's filter (`filter`); none when empty. */
  readonly filter?: string;
  /** Rows printed; 0 prints all (`top_number`). */
  readonly top: number;
  readonly units: ValueUnits;
}

/** A group: its key values, as printed, and the running sum. */
export interface Row {
  readonly keys: readonly string[];
  value: number;
}

const WIDTH = 20;
export const RULE = '-'.repeat(80);

/** The value as a Lua number, or undefined when Lua would not add it (nil, not a number). */
export function numericValue(v: FieldValue): number | undefined {
  if (typeof v === 'number') return v;
  if (typeof v === 'bigint') return Number(v);
  return undefined;
}

/**
 * A field value as a Lua chisel prints it after evt.field: numbers through Lua's tostring, times and the
 * rest as sysdig's formatter renders them (evt.time is a time of day), byte buffers raw.
 */
export function keyText(f: CompiledField, v: Exclude<FieldValue, undefined>): string {
  if (typeof v === 'number') return luaNumber(v);
  if (v instanceof Uint8Array) return latin1(v);
  return fieldText(f, v);
}

/** A Map key for a value: byte buffers by content (Lua keys them as strings), the rest as they are. */
function mapKey(v: FieldValue): unknown {
  return v instanceof Uint8Array ? latin1(v) : v;
}

/**
 * A GroupTable's rows as ChiselParts hands them over, in first-seen order: each row's Map keys (`at`), its
 * key texts and its sum.
 */
export interface GroupTablePart {
  readonly at: readonly (readonly unknown[])[];
  readonly keys: readonly (readonly string[])[];
  readonly values: readonly number[];
}

/** Groups rows by key values with one Map level per key; insertion order is first-seen order. */
export class GroupTable {
  readonly rows: Row[] = [];
  /** Each row's Map keys, one per level (by the index of its row). */
  private at: unknown[][] = [];
  private root = new Map<unknown, unknown>();
  private readonly depth: number;
  /** This event's Map keys, reused from event to event. */
  private readonly scratch: unknown[];

  constructor(depth: number) {
    this.depth = depth;
    this.scratch = new Array(depth).fill(undefined);
  }

  /**
   * Adds `value` to the group of the key values `vals` (this event's, read by `fields`, none undefined). A
   * group seen before costs Map lookups only; a new one reads its keys as text once.
   */
  add(fields: readonly CompiledField[], vals: readonly FieldValue[], value: number): void {
    const at = this.scratch;
    for (let i = 0; i < this.depth; i++) at[i] = mapKey(vals[i]);
    const level = this.lastLevel(at);
    const row = level.get(at[this.depth - 1]) as Row | undefined;
    if (row !== undefined) {
      row.value += value;
      return;
    }
    const keys = fields
      .slice(0, this.depth)
      .map((f, i) => keyText(f, vals[i] as Exclude<FieldValue, undefined>));
    this.newRow(level, at.slice(), keys, value);
  }

  /**
   * The rows summed since the last take, and starts over. Adding the parts of consecutive stretches of
   * events in their order (addPart) gives the rows, the order and the sums of one table over all of them:
   * the values summed are whole numbers (bytes, ns, counts), which add exactly in any grouping.
   */
  take(): GroupTablePart {
    const part = { at: this.at, keys: this.rows.map((r) => r.keys), values: this.rows.map((r) => r.value) };
    this.clear();
    return part;
  }

  /** Adds the rows of a part taken from a table over later events. */
  addPart(part: GroupTablePart): void {
    for (const [i, at] of part.at.entries()) {
      const level = this.lastLevel(at);
      const value = part.values[i] ?? 0;
      const row = level.get(at[this.depth - 1]) as Row | undefined;
      if (row !== undefined) row.value += value;
      else this.newRow(level, at, part.keys[i] ?? [], value);
    }
  }

  clear(): void {
    this.rows.length = 0;
    this.at = [];
    this.root = new Map();
  }

  /** The Map of the last level for the Map keys `at`, its parent levels made as needed. */
  private lastLevel(at: readonly unknown[]): Map<unknown, unknown> {
    let level = this.root;
    for (let i = 0; i < this.depth - 1; i++) {
      let next = level.get(at[i]) as Map<unknown, unknown> | undefined;
      if (next === undefined) {
        next = new Map();
        level.set(at[i], next);
      }
      level = next;
    }
    return level;
  }

  private newRow(
    level: Map<unknown, unknown>,
    at: readonly unknown[],
    keys: readonly string[],
    value: number,
  ) {
    const r: Row = { keys, value };
    level.set(at[this.depth - 1], r);
    this.rows.push(r);
    this.at.push(at as unknown[]);
  }
}

/** common.lua print_sorted_table, text mode: header, rule, then the top rows by value, largest first. */
export function printSortedTable(
  out: ChiselOut,
  rows: readonly Row[],
  spec: Pick<TableSpec, 'keyDescs' | 'valueDesc' | 'top' | 'units'>,
  timedeltaNs: number,
): void {
  let header = extendString(spec.valueDesc, WIDTH);
  for (const d of spec.keyDescs) header += extendString(d, WIDTH);
  out(header);
  out(RULE);
  // Stable: equal values keep first-seen order (see the header comment).
  const sorted = rows.slice().sort((a, b) => (b.value < a.value ? -1 : b.value > a.value ? 1 : 0));
  const n = spec.top === 0 ? sorted.length : Math.min(spec.top, sorted.length);
  for (const r of sorted.slice(0, n)) {
    let keystr = '';
    for (const [j, k] of r.keys.entries()) {
      keystr += j < r.keys.length - 1 ? extendString(luaPrefix(k, WIDTH), WIDTH) : k;
    }
    out(extendString(formatValue(r.value, spec.units, timedeltaNs), WIDTH) + keystr);
  }
}

function formatValue(v: number, units: ValueUnits, timedeltaNs: number): string {
  switch (units) {
    case 'none':
      return luaString(v);
    case 'bytes':
      return formatBytes(v);
    case 'time':
      return formatTimeInterval(v);
    case 'timepct':
      return timedeltaNs > 0 ? `${luaFixed((v / timedeltaNs) * 100, 2)}%` : '0.00%';
  }
}

/** Duration of the capture as on_capture_end's `delta` (last event time minus first). */
export function captureDelta(info: ChiselEndInfo): number {
  return Number(info.lastTs - info.firstTs);
}

/** A table_generator chisel: the spec's fields resolved once, rows summed per event, printed at the end. */
export function tableGenerator(spec: TableSpec, env: ChiselEnv): ChiselHandlers {
  if (spec.keys.length !== spec.keyDescs.length || spec.keys.length === 0) {
    throw new Error('table_generator: the number of keys and of key descriptions differ');
  }
  const keyFields = spec.keys.map((k) => env.field(k));
  const valueField = env.field(spec.value);
  const table = new GroupTable(keyFields.length);
  // This event's key values, in a scratch array reused from event to event.
  const vals: FieldValue[] = new Array(keyFields.length).fill(undefined);
  return {
    ...(spec.filter ? { filter: spec.filter } : {}),
    onEvent(ctx) {
      // Lua: any key without a value drops the event; only positive values are added.
      let i = 0;
      for (const f of keyFields) {
        const k = f.get(ctx);
        if (k === undefined) return;
        vals[i++] = k;
      }
      const v = numericValue(valueField.get(ctx));
      if (v === undefined || !(v > 0)) return;
      table.add(keyFields, vals, v);
    },
    onEnd(out, info) {
      printSortedTable(out, table.rows, spec, captureDelta(info));
    },
    parts: { take: () => table.take(), add: (p) => table.addPart(p as GroupTablePart) },
  };
}
