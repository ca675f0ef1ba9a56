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

/** Groups rows by key values with one Map level per key; insertion order is first-seen order. */
export class GroupTable {
  readonly rows: Row[] = [];
  private root = new Map<unknown, unknown>();
  private readonly depth: number;

  constructor(depth: number) {
    this.depth = depth;
  }

  /**
   * Adds `value` to the group of the key values `vals` (this event's, read by `fields`, none undefined). A
   * group seen before costs Map lookups only; a new one reads its keys as text once.
   */
  add(fields: readonly CompiledField[], vals: readonly FieldValue[], value: number): void {
    let level = this.root;
    const last = this.depth - 1;
    for (let i = 0; i < last; i++) {
      const k = mapKey(vals[i]);
      let next = level.get(k) as Map<unknown, unknown> | undefined;
      if (next === undefined) {
        next = new Map();
        level.set(k, next);
      }
      level = next;
    }
    const k = mapKey(vals[last]);
    const row = level.get(k) as Row | undefined;
    if (row !== undefined) {
      row.value += value;
      return;
    }
    const keys = fields
      .slice(0, this.depth)
      .map((f, i) => keyText(f, vals[i] as Exclude<FieldValue, undefined>));
    const r: Row = { keys, value };
    level.set(k, r);
    this.rows.push(r);
  }

  clear(): void {
    this.rows.length = 0;
    this.root = new Map();
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
  };
}
