// Column builders: one preallocated buffer per column, filled row by row for a whole batch and turned into
// Arrow Data at its end without copying (Arrow's own Builder API costs a call chain and a hash per value).
// Strings go straight into UTF-8 byte buffers; low-cardinality strings into dictionary codes. A batch whose
// rows arrive out of timestamp order is finished through a permutation (`order`), so every batch, and so
// every Parquet row group, is sorted by ts. A finished column's buffers come from the batch buffer pool
// (buffer-pool.ts), so that an export, which gives them back once encoded, allocates no new ones.

import { ByteWriter } from '@scapkit/replay';
import {
  Bool,
  type Data,
  type DataType,
  Dictionary,
  Field,
  Int32,
  Int64,
  Map_,
  makeData,
  Struct,
  Timestamp,
  TimeUnit,
  Utf8,
  Vector,
} from 'apache-arrow';
import { batchBufferPool as pool } from './buffer-pool.js';

const TWO32 = 4294967296;

/** One column of a batch under construction. */
export interface ColumnBuilder {
  readonly type: DataType;
  /** The column's Data for rows [0, length), in `order` when given (row i of the result is row order[i]). */
  finish(length: number, order: Int32Array | undefined): Data;
  /** Forgets the rows (and the dictionary) of the last batch. */
  reset(): void;
}

/**
 * A validity bitmap; `nulls` counts the rows marked null. Every row of a batch is written once, and most
 * are valid: the bits start set (at each reset), so that a valid row costs nothing and a null clears its
 * bit. (BoolBuilder keeps its values in one too: true until cleared.)
 */
class Validity {
  bits: Uint8Array;
  nulls = 0;
  constructor(capacity: number) {
    this.bits = new Uint8Array((capacity + 7) >> 3).fill(0xff);
  }
  none(row: number): void {
    this.clear(row);
    this.nulls++;
  }
  isValid(row: number): boolean {
    return ((this.bits[row >> 3] ?? 0) & (1 << (row & 7))) !== 0;
  }
  /** Clears the bit of `row` (a false value, not a null). */
  clear(row: number): void {
    const i = row >> 3;
    this.bits[i] = (this.bits[i] ?? 0) & ~(1 << (row & 7));
  }
  /** The bitmap for Arrow (undefined when no row is null), permuted by `order`. */
  bitmap(length: number, order: Int32Array | undefined): Uint8Array | undefined {
    if (this.nulls === 0) return undefined;
    if (!order) return pool.copyUint8(this.bits, (length + 7) >> 3);
    return permuteBits(this, order, length);
  }
  reset(): void {
    this.bits.fill(0xff);
    this.nulls = 0;
  }
}

/** 64-bit integers written as two 32-bit words (no bigint on the hot path). */
export class Int64Builder implements ColumnBuilder {
  readonly type: DataType;
  private readonly words: Int32Array;
  private readonly validity: Validity;
  constructor(capacity: number, timestamp = false) {
    this.type = timestamp ? new Timestamp(TimeUnit.NANOSECOND) : new Int64();
    this.words = new Int32Array(capacity * 2);
    this.validity = new Validity(capacity);
  }
  /** An integer exactly representable as a double (|v| < 2^53). */
  setNumber(row: number, v: number): void {
    const hi = Math.floor(v / TWO32);
    this.words[row * 2] = v - hi * TWO32;
    this.words[row * 2 + 1] = hi;
  }
  setBigInt(row: number, v: bigint): void {
    this.words[row * 2] = Number(BigInt.asIntN(32, v));
    this.words[row * 2 + 1] = Number(BigInt.asIntN(32, v >> 32n));
  }
  /** An unsigned 64-bit value from its high and low 32-bit words (event timestamps). */
  setWords(row: number, hi: number, lo: number): void {
    this.words[row * 2] = lo;
    this.words[row * 2 + 1] = hi;
  }
  setNull(row: number): void {
    this.words[row * 2] = 0;
    this.words[row * 2 + 1] = 0;
    this.validity.none(row);
  }
  /** The value at `row` as a double (exact below 2^53), for sorting and partitioning. */
  hi(row: number): number {
    return this.words[row * 2 + 1] ?? 0;
  }
  lo(row: number): number {
    return (this.words[row * 2] ?? 0) >>> 0;
  }
  finish(length: number, order: Int32Array | undefined): Data {
    const words = pool.int32(length * 2);
    if (order) {
      const src = this.words;
      for (let i = 0; i < length; i++) {
        const j = order[i] ?? 0;
        words[i * 2] = src[j * 2] ?? 0;
        words[i * 2 + 1] = src[j * 2 + 1] ?? 0;
      }
    } else words.set(this.words.subarray(0, length * 2));
    return makeData({
      type: this.type as Int64,
      length,
      nullCount: this.validity.nulls,
      nullBitmap: this.validity.bitmap(length, order),
      data: new BigInt64Array(words.buffer, words.byteOffset, length),
    });
  }
  reset(): void {
    this.validity.reset();
  }
}

export class Int32Builder implements ColumnBuilder {
  readonly type = new Int32();
  private readonly values: Int32Array;
  private readonly validity: Validity;
  constructor(capacity: number) {
    this.values = new Int32Array(capacity);
    this.validity = new Validity(capacity);
  }
  set(row: number, v: number): void {
    this.values[row] = v;
  }
  setNull(row: number): void {
    this.values[row] = 0;
    this.validity.none(row);
  }
  finish(length: number, order: Int32Array | undefined): Data {
    const values = order ? permute(this.values, order, length) : pool.copyInt32(this.values, length);
    return makeData({
      type: this.type,
      length,
      nullCount: this.validity.nulls,
      nullBitmap: this.validity.bitmap(length, order),
      data: values,
    });
  }
  reset(): void {
    this.validity.reset();
  }
}

export class BoolBuilder implements ColumnBuilder {
  readonly type = new Bool();
  private readonly bits: Validity;
  private readonly validity: Validity;
  constructor(capacity: number) {
    this.bits = new Validity(capacity);
    this.validity = new Validity(capacity);
  }
  set(row: number, v: boolean): void {
    if (!v) this.bits.clear(row);
  }
  setNull(row: number): void {
    this.bits.clear(row);
    this.validity.none(row);
  }
  finish(length: number, order: Int32Array | undefined): Data {
    const data = order
      ? permuteBits(this.bits, order, length)
      : pool.copyUint8(this.bits.bits, (length + 7) >> 3);
    return makeData({
      type: this.type,
      length,
      nullCount: this.validity.nulls,
      nullBitmap: this.validity.bitmap(length, order),
      data,
    });
  }
  reset(): void {
    this.bits.reset();
    this.validity.reset();
  }
}

/**
 * UTF-8 strings back to back with their offsets (Arrow's Utf8 layout). The bytes are a ByteWriter, so that
 * text rendered by replay (evt.info) is written straight into the column.
 */
export class Utf8Builder implements ColumnBuilder {
  readonly type = new Utf8();
  private offsets: Int32Array;
  /** The column's bytes: rows are written at `out.pos` and closed by `endRow`. */
  readonly out: ByteWriter;
  private readonly validity: Validity;
  /** Rows written so far (the map builder appends entries without a row number). */
  private count = 0;
  constructor(capacity: number, byteCapacity = capacity * 32) {
    this.offsets = new Int32Array(capacity + 1);
    this.out = new ByteWriter(byteCapacity);
    this.validity = new Validity(capacity);
  }
  get length(): number {
    return this.count;
  }
  /** Appends the next row. */
  push(s: string): void {
    this.out.str(s);
    this.endRow();
  }
  /** Appends bytes [start, end) of `src` as the next row. */
  pushBytes(src: Uint8Array, start: number, end: number): void {
    this.out.bytes(src, start, end);
    this.endRow();
  }
  /** Appends text to the row being built (closed by `endRow`), without joining strings first. */
  append(s: string): void {
    this.out.str(s);
  }
  /** Closes the row written since the last one. */
  endRow(): void {
    const row = this.count++;
    if (row + 1 >= this.offsets.length) this.growRows();
    this.offsets[row + 1] = this.out.pos;
  }
  pushNull(): void {
    const row = this.count++;
    if (row + 1 >= this.offsets.length) this.growRows();
    this.offsets[row + 1] = this.out.pos;
    this.validity.none(row);
  }
  private growRows(): void {
    const o = new Int32Array(this.offsets.length * 2);
    o.set(this.offsets);
    this.offsets = o;
    const v = new Validity(o.length);
    v.bits.set(this.validity.bits);
    this.validity.bits = v.bits;
  }
  finish(length: number, order: Int32Array | undefined): Data {
    if (length !== this.count) throw new Error(`utf8 column has ${this.count} rows, expected ${length}`);
    const size = this.out.pos;
    const src = this.out.buf;
    let offsets: Int32Array;
    let bytes: Uint8Array;
    if (!order) {
      offsets = pool.copyInt32(this.offsets, length + 1);
      bytes = pool.copyUint8(src, size);
    } else {
      offsets = pool.int32(length + 1);
      bytes = pool.uint8(size);
      offsets[0] = 0;
      let p = 0;
      for (let i = 0; i < length; i++) {
        const j = order[i] ?? 0;
        const a = this.offsets[j] ?? 0;
        const e = this.offsets[j + 1] ?? 0;
        bytes.set(src.subarray(a, e), p);
        p += e - a;
        offsets[i + 1] = p;
      }
    }
    return makeData({
      type: this.type,
      length,
      nullCount: this.validity.nulls,
      nullBitmap: this.validity.bitmap(length, order),
      valueOffsets: offsets,
      data: bytes,
    });
  }
  reset(): void {
    this.out.reset();
    this.count = 0;
    this.validity.reset();
  }
}

/** Strings as int32 codes into a dictionary built for the batch (process names, paths, types …). */
export class DictionaryBuilder implements ColumnBuilder {
  readonly type = new Dictionary(new Utf8(), new Int32());
  private readonly codes: Int32Array;
  private readonly validity: Validity;
  private readonly index = new Map<string, number>();
  private readonly values: Utf8Builder;
  /** The last value and its code: consecutive events mostly share a process, a file, a type. */
  private last: string | undefined;
  private lastCode = -1;
  constructor(capacity: number) {
    this.codes = new Int32Array(capacity);
    this.validity = new Validity(capacity);
    this.values = new Utf8Builder(1024, 16 << 10);
  }
  set(row: number, s: string): void {
    this.codes[row] = this.code(s);
  }
  /** Row `row` holds the value whose code `code` returned (in this batch). */
  setCode(row: number, code: number): void {
    this.codes[row] = code;
  }
  /** The code of `s` in this batch's dictionary (added when new); valid until `reset`. */
  code(s: string): number {
    let code: number;
    if (s === this.last) code = this.lastCode;
    else {
      const known = this.index.get(s);
      if (known === undefined) {
        code = this.index.size;
        this.index.set(s, code);
        this.values.push(s);
      } else code = known;
      this.last = s;
      this.lastCode = code;
    }
    return code;
  }
  setNull(row: number): void {
    this.codes[row] = 0;
    this.validity.none(row);
  }
  finish(length: number, order: Int32Array | undefined): Data {
    const codes = order ? permute(this.codes, order, length) : pool.copyInt32(this.codes, length);
    return this.finishCodes(codes, this.validity.nulls, this.validity.bitmap(length, order));
  }
  /** The column of `codes` (codes this builder gave in this batch) over this batch's dictionary. */
  finishCodes(codes: Int32Array, nullCount: number, nullBitmap: Uint8Array | undefined): Data {
    const dictionary = new Vector([this.values.finish(this.values.length, undefined)]);
    // (makeData's overloads do not pick the Dictionary one for a Dictionary<Utf8, Int32> instance.)
    return (makeData as (props: object) => Data)({
      type: this.type,
      length: codes.length,
      nullCount,
      nullBitmap,
      data: codes,
      dictionary,
    });
  }
  reset(): void {
    this.validity.reset();
    this.index.clear();
    this.values.reset();
    this.last = undefined;
    this.lastCode = -1;
  }
}

/** Map<string, string>: per row, entries appended with `entry`, closed with `endRow`. */
export class StringMapBuilder implements ColumnBuilder {
  readonly type: Map_<Utf8, Utf8>;
  private readonly offsets: Int32Array;
  private readonly keys: Utf8Builder;
  private readonly vals: Utf8Builder;
  private entries = 0;
  /** The entries in the batch's order (when it has one), reused from batch to batch. */
  private entryOrder = new Int32Array(0);
  private readonly entryType: Struct;
  constructor(capacity: number) {
    this.offsets = new Int32Array(capacity + 1);
    this.keys = new Utf8Builder(capacity * 4, capacity * 16);
    this.vals = new Utf8Builder(capacity * 4, capacity * 64);
    this.entryType = new Struct([new Field('key', new Utf8(), false), new Field('value', new Utf8(), true)]);
    this.type = new Map_(new Field('entries', this.entryType, false), false) as Map_<Utf8, Utf8>;
  }
  entry(key: string, value: string): void {
    this.keys.push(key);
    this.vals.push(value);
    this.entries++;
  }
  /** An entry whose value is bytes [start, end) of `src` (UTF-8). */
  entryBytes(key: string, src: Uint8Array, start: number, end: number): void {
    this.keys.push(key);
    this.vals.pushBytes(src, start, end);
    this.entries++;
  }
  endRow(row: number): void {
    this.offsets[row + 1] = this.entries;
  }
  finish(length: number, order: Int32Array | undefined): Data {
    let offsets: Int32Array;
    let entryOrder: Int32Array | undefined;
    if (!order) offsets = pool.copyInt32(this.offsets, length + 1);
    else {
      offsets = pool.int32(length + 1);
      offsets[0] = 0;
      if (this.entryOrder.length < this.entries) this.entryOrder = new Int32Array(this.entries * 2);
      entryOrder = this.entryOrder;
      let p = 0;
      for (let i = 0; i < length; i++) {
        const j = order[i] ?? 0;
        const end = this.offsets[j + 1] ?? 0;
        for (let e = this.offsets[j] ?? 0; e < end; e++) entryOrder[p++] = e;
        offsets[i + 1] = p;
      }
    }
    const keys = this.keys.finish(this.entries, entryOrder);
    const vals = this.vals.finish(this.entries, entryOrder);
    const entries = makeData({ type: this.entryType, length: this.entries, children: [keys, vals] });
    return makeData({ type: this.type, length, nullCount: 0, valueOffsets: offsets, child: entries });
  }
  reset(): void {
    this.entries = 0;
    this.keys.reset();
    this.vals.reset();
  }
}

/** The kind of a slot column: a string column (dictionary codes) or an integer one. */
export type SlotColumnKind = 'dictionary' | 'int64' | 'int32';

/**
 * Columns whose rows repeat a few sets of values: a thread's process, user and container columns, an fd
 * entry's columns, an event kind's type and category. Each set is stored once per batch as a slot (its
 * strings as dictionary codes, its integers as two 32-bit words) and a row holds only its slot number; the
 * columns are gathered from the slots when the batch is finished, one tight loop per column instead of a
 * call per column and row.
 */
export class SlotTable {
  /** One builder per column, in the order of the kinds given. */
  readonly columns: readonly ColumnBuilder[];
  /** Per row: its slot + 1, or 0 for a row whose every column is null. */
  private readonly rowSlots: Int32Array;
  /** Rows of this batch without a slot (null in every column). */
  private emptyRows = 0;
  /** The rows' slots in the order last asked for (`orderedBy`), made once for all the columns, in a
   * buffer reused from batch to batch. */
  private readonly orderedSlots: Int32Array;
  private orderedBy: Int32Array | undefined;
  private slots = 0;
  private capacity = 64;
  /** Per slot and column: the dictionary code (-1 null), the integer's low and high words, its validity. */
  private codes: Int32Array;
  private words: Int32Array;
  private readonly dictionaries: (DictionaryBuilder | undefined)[];
  private readonly width: number;
  constructor(rows: number, kinds: readonly SlotColumnKind[]) {
    this.rowSlots = new Int32Array(rows);
    this.orderedSlots = new Int32Array(rows);
    this.width = kinds.length;
    this.codes = new Int32Array(this.capacity * this.width);
    this.words = new Int32Array(this.capacity * this.width * 2);
    this.dictionaries = kinds.map((k) => (k === 'dictionary' ? new DictionaryBuilder(0) : undefined));
    this.columns = kinds.map((k, i) => new SlotColumn(this, i, k));
  }
  /** A new slot for this batch, every column null until set. */
  newSlot(): number {
    if (this.slots === this.capacity) {
      this.capacity *= 2;
      const codes = new Int32Array(this.capacity * this.width);
      codes.set(this.codes);
      this.codes = codes;
      const words = new Int32Array(this.capacity * this.width * 2);
      words.set(this.words);
      this.words = words;
    }
    const slot = this.slots++;
    this.codes.fill(-1, slot * this.width, (slot + 1) * this.width);
    return slot;
  }
  /** Column `column` (a string column) of `slot` holds `s` (undefined: null). */
  setString(slot: number, column: number, s: string | undefined): void {
    const d = this.dictionaries[column];
    if (d && s !== undefined) this.codes[slot * this.width + column] = d.code(s);
  }
  /** Column `column` (an integer column) of `slot` holds `v` (|v| < 2^53 for a number). */
  setInteger(slot: number, column: number, v: number | bigint): void {
    const i = slot * this.width + column;
    let lo: number;
    let hi: number;
    if (typeof v === 'number') {
      hi = Math.floor(v / TWO32);
      lo = v - hi * TWO32;
    } else {
      lo = Number(BigInt.asIntN(32, v));
      hi = Number(BigInt.asIntN(32, v >> 32n));
    }
    this.codes[i] = 0;
    this.words[i * 2] = lo;
    this.words[i * 2 + 1] = hi;
  }
  /** Row `row` (written once per batch) holds the values of `slot` (-1: null in every column). */
  setRow(row: number, slot: number): void {
    this.rowSlots[row] = slot + 1;
    if (slot < 0) this.emptyRows++;
  }
  /** The rows' slots (+ 1) for rows [0, length) in `order`. */
  private rowsIn(order: Int32Array | undefined, length: number): Int32Array {
    if (!order) return this.rowSlots;
    if (order !== this.orderedBy) {
      const rows = this.orderedSlots;
      for (let i = 0; i < length; i++) rows[i] = this.rowSlots[order[i] ?? 0] ?? 0;
      this.orderedBy = order;
    }
    return this.orderedSlots;
  }
  /**
   * Column `column` for rows [0, length) in `order`, into `out`: per row its slot's dictionary code
   * (`words` 0), its integer's low word (1) or both words (2), 0 for a null; and the validity bitmap
   * (undefined when no row is null) with its null count.
   */
  gather(
    column: number,
    length: number,
    order: Int32Array | undefined,
    out: Int32Array,
    words: 0 | 1 | 2,
  ): { nullCount: number; nullBitmap: Uint8Array | undefined } {
    // The column's value per slot first, at slot + 1 (0: the null of rows without a slot), so that the
    // loops over rows are branch-free array reads.
    const slots = this.slots;
    const width = this.width;
    const lo = new Int32Array(slots + 1);
    const hi = words === 2 ? new Int32Array(slots + 1) : lo;
    const valid = new Uint8Array(slots + 1);
    let nullSlots = 0;
    for (let s = 0, at = column; s < slots; s++, at += width) {
      const code = this.codes[at] ?? -1;
      if (code < 0) {
        nullSlots++;
        continue;
      }
      valid[s + 1] = 1;
      if (words === 0) lo[s + 1] = code;
      else lo[s + 1] = this.words[at * 2] ?? 0;
      if (words === 2) hi[s + 1] = this.words[at * 2 + 1] ?? 0;
    }
    const rows = this.rowsIn(order, length);
    if (words === 2) {
      for (let r = 0; r < length; r++) {
        const s = rows[r] ?? 0;
        out[r * 2] = lo[s] ?? 0;
        out[r * 2 + 1] = hi[s] ?? 0;
      }
    } else for (let r = 0; r < length; r++) out[r] = lo[rows[r] ?? 0] ?? 0;
    // Most columns have a value in every slot, and most tables a slot in every row: no bitmap to make.
    if (nullSlots === 0 && this.emptyRows === 0) return { nullCount: 0, nullBitmap: undefined };
    // The validity bitmap a byte (8 rows) at a time (every byte written: a pooled buffer's old bytes go).
    const bits = pool.uint8((length + 7) >> 3);
    let present = 0;
    for (let i = 0; i < length; i += 8) {
      const n = Math.min(8, length - i);
      let byte = 0;
      for (let k = 0; k < n; k++) {
        const v = valid[rows[i + k] ?? 0] ?? 0;
        byte |= v << k;
        present += v;
      }
      bits[i >> 3] = byte;
    }
    if (present === length) return { nullCount: 0, nullBitmap: undefined };
    return { nullCount: length - present, nullBitmap: bits };
  }
  dictionary(column: number): DictionaryBuilder | undefined {
    return this.dictionaries[column];
  }
  reset(): void {
    this.slots = 0;
    this.emptyRows = 0;
    this.orderedBy = undefined;
    for (const d of this.dictionaries) d?.reset();
  }
}

/** One column of a SlotTable, gathered from its slots at finish. */
class SlotColumn implements ColumnBuilder {
  readonly type: DataType;
  constructor(
    private readonly table: SlotTable,
    private readonly column: number,
    private readonly kind: SlotColumnKind,
  ) {
    this.type =
      kind === 'dictionary'
        ? (table.dictionary(column)?.type ?? new Utf8())
        : kind === 'int64'
          ? new Int64()
          : new Int32();
  }
  finish(length: number, order: Int32Array | undefined): Data {
    if (this.kind === 'int64') {
      const words = pool.int32(length * 2);
      const { nullCount, nullBitmap } = this.table.gather(this.column, length, order, words, 2);
      return makeData({
        type: this.type as Int64,
        length,
        nullCount,
        nullBitmap,
        data: new BigInt64Array(words.buffer, 0, length),
      });
    }
    const values = pool.int32(length);
    const step = this.kind === 'dictionary' ? 0 : 1;
    const { nullCount, nullBitmap } = this.table.gather(this.column, length, order, values, step);
    const d = this.table.dictionary(this.column);
    if (d) return d.finishCodes(values, nullCount, nullBitmap);
    return makeData({ type: this.type as Int32, length, nullCount, nullBitmap, data: values });
  }
  reset(): void {
    // The table is reset once per batch by each of its columns: resetting it again is harmless.
    this.table.reset();
  }
}

function permute(src: Int32Array, order: Int32Array, length: number): Int32Array {
  const out = pool.int32(length);
  for (let i = 0; i < length; i++) out[i] = src[order[i] ?? 0] ?? 0;
  return out;
}

/** The bits of `bits` for rows [0, length) in `order` (bit i of the result is bit order[i]). */
function permuteBits(bits: Validity, order: Int32Array, length: number): Uint8Array<ArrayBuffer> {
  const out = pool.uint8((length + 7) >> 3).fill(0);
  for (let i = 0; i < length; i++) {
    if (bits.isValid(order[i] ?? 0)) out[i >> 3] = (out[i >> 3] ?? 0) | (1 << (i & 7));
  }
  return out;
}
