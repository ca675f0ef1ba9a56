// Time slots: the trace's time cut into at most MAX_SLOTS equal slots, each holding a row of counters
// (events by category, each tile's value). The width is not known before the end of the first pass, so it
// starts small and doubles, merging neighbouring slots, whenever an event falls past the last slot; a later
// pass is given the final width and never regrows, so its slots line up with the first pass's.

export const MAX_SLOTS = 1024;
/** The first pass starts with 1 µs slots. */
const FIRST_WIDTH_NS = 1000;

export class TimeSlots {
  /** Counters per slot, `columns` doubles each: slot s, column c at [s * columns + c]. */
  values: Float64Array;
  width: number;
  /** One past the last slot written. */
  used = 0;
  private readonly fixed: boolean;

  constructor(
    readonly columns: number,
    width?: number,
  ) {
    this.values = new Float64Array(MAX_SLOTS * columns);
    this.fixed = width !== undefined;
    this.width = width ?? FIRST_WIDTH_NS;
  }

  /** The slot of an event `rel` ns after the trace's first event (clamped to the slots there are). */
  slotOf(rel: number): number {
    let s = rel > 0 ? Math.floor(rel / this.width) : 0;
    while (s >= MAX_SLOTS) {
      if (this.fixed) return MAX_SLOTS - 1;
      this.double();
      s = Math.floor(rel / this.width);
    }
    if (s >= this.used) this.used = s + 1;
    return s;
  }

  add(slot: number, column: number, v: number): void {
    const i = slot * this.columns + column;
    this.values[i] = (this.values[i] ?? 0) + v;
  }

  private double(): void {
    const c = this.columns;
    const v = this.values;
    const half = MAX_SLOTS / 2;
    for (let s = 0; s < half; s++) {
      for (let k = 0; k < c; k++) v[s * c + k] = (v[2 * s * c + k] ?? 0) + (v[(2 * s + 1) * c + k] ?? 0);
    }
    v.fill(0, half * c);
    this.width *= 2;
    this.used = Math.ceil(this.used / 2);
  }

  /**
   * Adds another pass's slots over the same time zero (columns alike; those `skip` names left out): both
   * are brought to the wider width first, which merges neighbouring slots as growing does.
   */
  addSlots(
    o: { width: number; used: number; values: Float64Array },
    skip: (column: number) => boolean,
  ): void {
    const other = new TimeSlots(this.columns, o.width);
    other.values.set(o.values);
    other.used = o.used;
    while (this.width < other.width) this.double();
    while (other.width < this.width) other.double();
    const c = this.columns;
    for (let s = 0; s < other.used; s++) {
      for (let k = 0; k < c; k++) {
        if (skip(k)) continue;
        const i = s * c + k;
        this.values[i] = (this.values[i] ?? 0) + (other.values[i] ?? 0);
      }
    }
    if (other.used > this.used) this.used = other.used;
  }

  /** Column `column` over the slots used. */
  series(column: number): Float64Array {
    const out = new Float64Array(this.used);
    for (let s = 0; s < this.used; s++) out[s] = this.values[s * this.columns + column] ?? 0;
    return out;
  }
}
