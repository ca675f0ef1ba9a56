// NameTable: one of the driver's value→name tables (`struct ppm_name_value[]` in libs' flags_table.c).
// Values are the driver's own PPM_* encoding, not raw kernel values. Entry order matters: sysdig walks a
// table front to back when it renders a bitmask, so the order decides which names appear and in what order.

export interface NameTable {
  /** The libs name of the table (`file_flags`, `clone_flags`, …). */
  readonly name: string;
  /** Entry names, in the libs order. */
  readonly names: readonly string[];
  /** Entry values (unsigned 32-bit), parallel to `names`. */
  readonly values: readonly number[];
}

/** Builds a table from [name, value] pairs in libs order. Values are stored unsigned (1 << 31 stays positive). */
export function nameTable(name: string, entries: readonly (readonly [string, number])[]): NameTable {
  return Object.freeze({
    name,
    names: Object.freeze(entries.map((e) => e[0])),
    values: Object.freeze(entries.map((e) => e[1] >>> 0)),
  });
}

/** The same table without some entries: used to describe what an older sysdig knew. */
export function withoutNames(table: NameTable, drop: readonly string[], name = table.name): NameTable {
  const entries: [string, number][] = [];
  for (const [i, n] of table.names.entries()) {
    const v = table.values[i];
    if (v === undefined) throw new Error(`${table.name}: ${n} has no value`);
    if (!drop.includes(n)) entries.push([n, v]);
  }
  return nameTable(name, entries);
}

/** The value of entry `name` (a PPM_* constant by its libs name); throws for a name the table lacks. */
export function flagValue(table: NameTable, name: string): number {
  const v = table.values[table.names.indexOf(name)];
  if (v === undefined) throw new Error(`${table.name} has no ${name}`);
  return v;
}
