// Arrow RecordBatches to a Parquet file, page by page from the batches' own buffers: the builders already
// hold what Parquet stores (dictionary codes and their values, UTF-8 bytes and offsets, 64-bit words,
// validity bitmaps), so a column chunk is those buffers re-laid as pages (no value becomes a JavaScript
// value, nothing is hashed again) and compressed by the function the caller gives (zstd in Node). One row
// group per batch, one data page per column chunk (data page v1):
//  - dictionary columns: a PLAIN dictionary page (the batch's dictionary) and RLE_DICTIONARY codes;
//  - int64/timestamp: DELTA_BINARY_PACKED for the columns asked ('delta': ts, evt_num); the other integer
//    columns (int32 too) RLE_DICTIONARY while a row group has few distinct values (IntDictionary), else PLAIN;
//  - bool, utf8: PLAIN (DELTA_LENGTH_BYTE_ARRAY made the text columns 5-20% larger after zstd);
//  - map<utf8, utf8>: the standard three-level MAP group (key_value.key, key_value.value), as utf8.
// The page headers are Thrift (compact protocol) written here; the footer, by hyparquet-writer's serializer.

import { type Data, type RecordBatch, type Schema, Type } from 'apache-arrow';
import { ByteWriter } from 'hyparquet-writer/src/bytewriter.js';
import { writeMetadata } from 'hyparquet-writer/src/metadata.js';

export interface ParquetFileOptions {
  /** Compresses a page of a column (its top-level name) (zstd); the identity when absent (UNCOMPRESSED). */
  compress?: (raw: Uint8Array, column: string) => Uint8Array;
  /** Key/value metadata of the file. */
  metadata?: ReadonlyMap<string, string>;
  /** Columns (top-level names) not dictionary-encoded: 'delta' (DELTA_BINARY_PACKED int64) or 'plain'. */
  encodings?: Readonly<Record<string, 'delta' | 'plain'>>;
  createdBy?: string;
}

/** How a column is stored (what its Arrow type is). */
export type ColumnSpecKind = 'timestamp' | 'int64' | 'int32' | 'bool' | 'utf8' | 'dictionary' | 'map';

/** A top-level column: its name, whether it may be null, its kind. */
export interface ColumnSpec {
  name: string;
  nullable: boolean;
  kind: ColumnSpecKind;
}

/**
 * A column's buffers as the encoder reads them: an Arrow Data's fields (offset: of the first row in the
 * validity bitmap; values and valueOffsets start at the first row), plain enough to be posted to a worker.
 */
export interface ColumnBuffers {
  length: number;
  nullCount: number;
  offset: number;
  nullBitmap: Uint8Array | undefined;
  values: Int32Array | BigInt64Array | Uint8Array | undefined;
  valueOffsets: Int32Array | undefined;
  children: ColumnBuffers[];
  dictionary: ColumnBuffers | undefined;
}

/** A batch as the encoder reads it: its rows and its columns' buffers, in schema order. */
export interface BatchBuffers {
  rows: number;
  columns: ColumnBuffers[];
}

/** The column specs of an Arrow schema; throws for a type the encoder does not write. */
export function columnSpecs(schema: Schema): ColumnSpec[] {
  return schema.fields.map((f) => {
    const t = f.type;
    let kind: ColumnSpecKind;
    if (t.typeId === Type.Timestamp) kind = 'timestamp';
    else if (t.typeId === Type.Int) kind = (t as { bitWidth: number }).bitWidth === 64 ? 'int64' : 'int32';
    else if (t.typeId === Type.Bool) kind = 'bool';
    else if (t.typeId === Type.Utf8) kind = 'utf8';
    else if (t.typeId === Type.Dictionary) kind = 'dictionary';
    else if (t.typeId === Type.Map) kind = 'map';
    else throw new Error(`Parquet: column ${f.name} has an unsupported Arrow type ${t}`);
    return { name: f.name, nullable: f.nullable, kind };
  });
}

function buffersOf(d: Data): ColumnBuffers {
  const dict = d.dictionary?.data[0];
  return {
    length: d.length,
    nullCount: d.nullCount,
    offset: d.offset,
    nullBitmap: d.nullCount > 0 ? d.nullBitmap : undefined,
    values: d.values as ColumnBuffers['values'],
    valueOffsets: d.valueOffsets as Int32Array | undefined,
    children: d.children.map(buffersOf),
    dictionary: dict ? buffersOf(dict) : undefined,
  };
}

/** A RecordBatch's buffers (the batch is one chunk per column, as the builders make it). */
export function batchBuffers(batch: RecordBatch): BatchBuffers {
  return {
    rows: batch.numRows,
    columns: batch.schema.fields.map((f, i) => {
      const chunks = batch.getChildAt(i)?.data;
      const d = chunks?.[0];
      if (!d || chunks.length !== 1) throw new Error(`Parquet: column ${f.name} is not one chunk`);
      return buffersOf(d);
    }),
  };
}

/** The ArrayBuffers under a batch's buffers, each once: what posting the batch can transfer instead of copy. */
export function bufferList(batch: BatchBuffers): ArrayBuffer[] {
  const out = new Set<ArrayBuffer>();
  const add = (d: ColumnBuffers): void => {
    for (const a of [d.nullBitmap, d.values, d.valueOffsets]) if (a) out.add(a.buffer as ArrayBuffer);
    for (const c of d.children) add(c);
    if (d.dictionary) add(d.dictionary);
  };
  for (const c of batch.columns) add(c);
  return [...out];
}

type FileMetaData = Parameters<typeof writeMetadata>[1];
type SchemaElement = FileMetaData['schema'][number];
type ColumnChunk = FileMetaData['row_groups'][number]['columns'][number];
type Encoding = NonNullable<ColumnChunk['meta_data']>['encodings'][number];

const TWO32 = 4294967296;

/** A growable byte buffer: a page's raw bytes, a page header. */
export class Bytes {
  buf = new Uint8Array(1 << 16);
  view = new DataView(this.buf.buffer);
  n = 0;
  reset(): void {
    this.n = 0;
  }
  ensure(extra: number): void {
    if (this.n + extra <= this.buf.length) return;
    const b = new Uint8Array(Math.max(this.buf.length * 2, this.n + extra));
    b.set(this.buf.subarray(0, this.n));
    this.buf = b;
    this.view = new DataView(b.buffer);
  }
  u8(v: number): void {
    this.ensure(1);
    this.buf[this.n++] = v;
  }
  u32(v: number): void {
    this.ensure(4);
    this.view.setUint32(this.n, v, true);
    this.n += 4;
  }
  varint(v: number): void {
    this.ensure(10);
    while (v >= 0x80) {
      this.buf[this.n++] = (v & 0x7f) | 0x80;
      v = Math.floor(v / 128);
    }
    this.buf[this.n++] = v;
  }
  /** A safe integer, zigzag varint (the delta blocks' minimum: no BigInt on the way). */
  zigzag(v: number): void {
    this.varint(v >= 0 ? v * 2 : -v * 2 - 1);
  }
  /** An int64, zigzag varint (Thrift/delta headers). */
  zigzag64(v: bigint): void {
    let z = BigInt.asUintN(64, (v << 1n) ^ (v >> 63n));
    this.ensure(10);
    while (z >= 0x80n) {
      this.buf[this.n++] = Number(z & 0x7fn) | 0x80;
      z >>= 7n;
    }
    this.buf[this.n++] = Number(z);
  }
  bytes(src: Uint8Array): void {
    this.ensure(src.length);
    this.buf.set(src, this.n);
    this.n += src.length;
  }
  /** Reserves a 4-byte length, returns where; `endLength` fills it with the bytes written since. */
  beginLength(): number {
    this.ensure(4);
    this.n += 4;
    return this.n;
  }
  endLength(start: number): void {
    this.view.setUint32(start - 4, this.n - start, true);
  }
}

/**
 * The RLE/bit-packed hybrid encoding of `values[0, count)` (each < 2^width, width <= 32): runs of 8 or
 * more equal values as RLE runs, the rest in bit-packed groups of 8. (One element type, Int32Array, keeps
 * this and `pack` monomorphic: with levels in a Uint8Array as well they were 18% of the encoding thread
 * in a one-off profile; bench/columnar-encode.mjs measures the page writer as a whole.)
 */
function rleHybrid(out: Bytes, values: Int32Array, count: number, width: number): void {
  const byteWidth = (width + 7) >> 3;
  let i = 0;
  let packedStart = -1;
  while (i < count) {
    const v = values[i] ?? 0;
    let end = i + 1;
    while (end < count && values[end] === v) end++;
    const run = end - i;
    if (run >= 8 && (packedStart < 0 || (i - packedStart) % 8 === 0)) {
      if (packedStart >= 0) {
        flushPacked(out, values, packedStart, i, width);
        packedStart = -1;
      }
      out.varint(run * 2);
      out.ensure(byteWidth);
      for (let k = 0; k < byteWidth; k++) out.buf[out.n++] = (v >>> (k * 8)) & 0xff;
      i = end;
    } else {
      if (packedStart < 0) packedStart = i;
      // Whole groups of 8 stay bit-packed; a run may start at the next group boundary.
      i += 8 - ((i - packedStart) % 8);
      if (i > count) i = count;
    }
  }
  if (packedStart >= 0) flushPacked(out, values, packedStart, count, width);
}

/** values[from, end) as one bit-packed run of whole groups of 8 (zeros past `end`). */
function flushPacked(out: Bytes, values: Int32Array, from: number, end: number, width: number): void {
  const groups = Math.ceil((end - from) / 8);
  out.varint((groups << 1) | 1);
  out.ensure(groups * width + 8);
  out.n = pack(out.buf, out.n, values, from, end, groups * 8, width);
}

/** Whether row i of a column (its Data) is valid. */
function isValid(d: ColumnBuffers, i: number): boolean {
  const bm = d.nullBitmap;
  if (d.nullCount === 0 || !bm || bm.length === 0) return true;
  const j = d.offset + i;
  return ((bm[j >> 3] ?? 0) & (1 << (j & 7))) !== 0;
}

/**
 * A flat optional column's definition levels (1 valid, 0 null) as RLE/bit-packed, length-prefixed. The
 * levels are the validity bitmap itself (bit-packing of width 1 is LSB first, as Arrow's bitmap is): a
 * byte-aligned bitmap is read a byte (8 levels) at a time, its all-valid and all-null stretches written as
 * RLE runs, the mixed bytes copied as bit-packed groups; no level is looked at one by one.
 */
function defLevels(out: Bytes, d: ColumnBuffers, scratch: Int32Array): void {
  const start = out.beginLength();
  const n = d.length;
  const bm = d.nullBitmap;
  if (d.nullCount === 0 || !bm) {
    out.varint(n * 2);
    out.u8(1);
  } else if (d.offset % 8 === 0) bitmapLevels(out, bm, d.offset >> 3, n);
  else {
    for (let i = 0; i < n; i++) scratch[i] = isValid(d, i) ? 1 : 0;
    rleHybrid(out, scratch, n, 1);
  }
  out.endLength(start);
}

/** Levels of width 1 from the bitmap bytes from `first` on, `n` of them (see defLevels). */
function bitmapLevels(out: Bytes, bm: Uint8Array, first: number, n: number): void {
  const bytes = (n + 7) >> 3;
  let j = 0;
  let packedStart = -1;
  while (j < bytes) {
    const b = levelByte(bm, first, j, n);
    if (b === 0 || b === fullByte(j, n)) {
      // A stretch of whole bytes of one level: an RLE run when it holds 16 levels or more.
      let end = j + 1;
      while (end < bytes && levelByte(bm, first, end, n) === (b === 0 ? 0 : fullByte(end, n))) end++;
      if (end - j >= 2) {
        if (packedStart >= 0) copyLevelBytes(out, bm, first, packedStart, j, n);
        packedStart = -1;
        out.varint((Math.min(n, end * 8) - j * 8) * 2);
        out.u8(b === 0 ? 0 : 1);
        j = end;
        continue;
      }
    }
    if (packedStart < 0) packedStart = j;
    j++;
  }
  if (packedStart >= 0) copyLevelBytes(out, bm, first, packedStart, bytes, n);
}

/** The bits of levels [8j, 8j + 8) all set: 0xff, or fewer bits in the last byte of `n` levels. */
function fullByte(j: number, n: number): number {
  return n - j * 8 >= 8 ? 0xff : (1 << (n - j * 8)) - 1;
}

/** Byte j of the levels (the bitmap's byte, its bits past the n levels cleared). */
function levelByte(bm: Uint8Array, first: number, j: number, n: number): number {
  return (bm[first + j] ?? 0) & fullByte(j, n);
}

/** Level bytes [from, to) as one bit-packed run. */
function copyLevelBytes(
  out: Bytes,
  bm: Uint8Array,
  first: number,
  from: number,
  to: number,
  n: number,
): void {
  out.varint(((to - from) << 1) | 1);
  out.ensure(to - from);
  for (let k = from; k < to; k++) out.buf[out.n++] = levelByte(bm, first, k, n);
}

/** Parquet's Encoding enum: the values the pages here use. */
const ENCODING_ID: Readonly<Record<string, number>> = {
  PLAIN: 0,
  RLE: 3,
  DELTA_BINARY_PACKED: 5,
  RLE_DICTIONARY: 8,
};

/** Thrift compact protocol: a field header (delta from the previous field id, type) and an i32 value. */
const I32 = 5;
const STRUCT = 12;
function i32Field(out: Bytes, delta: number, v: number): void {
  out.u8((delta << 4) | I32);
  out.zigzag(v);
}

/**
 * A PageHeader in Thrift's compact protocol, as hyparquet-writer's serializer writes it (the test holds the
 * two byte for byte): type, both sizes, then a DataPageHeader (num_values, encoding, RLE levels) or, for a
 * PLAIN dictionary page (`encoding` undefined), a DictionaryPageHeader. Written here because the generic
 * serializer (an object per page, enum names looked up) was recompiled again and again on the encoding thread.
 */
export function pageHeader(
  out: Bytes,
  uncompressed: number,
  compressed: number,
  numValues: number,
  encoding: Encoding | undefined,
): void {
  i32Field(out, 1, encoding === undefined ? 2 : 0); // type: DICTIONARY_PAGE 2, DATA_PAGE 0
  i32Field(out, 1, uncompressed);
  i32Field(out, 1, compressed);
  if (encoding === undefined) {
    out.u8((4 << 4) | STRUCT); // field 7: dictionary_page_header
    i32Field(out, 1, numValues);
    i32Field(out, 1, ENCODING_ID.PLAIN ?? 0);
  } else {
    out.u8((2 << 4) | STRUCT); // field 5: data_page_header
    i32Field(out, 1, numValues);
    const id = ENCODING_ID[encoding];
    if (id === undefined) throw new Error(`Parquet: no page encoding ${encoding} here`);
    i32Field(out, 1, id);
    i32Field(out, 1, ENCODING_ID.RLE ?? 3);
    i32Field(out, 1, ENCODING_ID.RLE ?? 3);
  }
  out.u8(0); // the inner struct's stop
  out.u8(0); // the header's stop
}

interface Leaf {
  path: string[];
  element: SchemaElement;
}

/** The Parquet schema elements of a top-level Arrow field, and its leaves. */
function schemaOf(f: ColumnSpec, elements: SchemaElement[], leaves: Leaf[]): void {
  const repetition = f.nullable ? 'OPTIONAL' : 'REQUIRED';
  const leaf = (e: SchemaElement, path = [f.name]): void => {
    elements.push(e);
    leaves.push({ path, element: e });
  };
  switch (f.kind) {
    case 'timestamp':
      leaf({
        name: f.name,
        type: 'INT64',
        repetition_type: repetition,
        // Arrow's Timestamp(ns) without a zone, as arrow-rs writes it: DuckDB reads TIMESTAMP_NS.
        logical_type: { type: 'TIMESTAMP', isAdjustedToUTC: false, unit: 'NANOS' },
      });
      return;
    case 'int64':
    case 'int32':
      leaf({
        name: f.name,
        type: f.kind === 'int64' ? 'INT64' : 'INT32',
        repetition_type: repetition,
      });
      return;
    case 'bool':
      leaf({ name: f.name, type: 'BOOLEAN', repetition_type: repetition });
      return;
    case 'utf8':
    case 'dictionary':
      leaf({
        name: f.name,
        type: 'BYTE_ARRAY',
        repetition_type: repetition,
        converted_type: 'UTF8',
        logical_type: { type: 'STRING' },
      });
      return;
    case 'map': {
      elements.push(
        {
          name: f.name,
          repetition_type: repetition,
          num_children: 1,
          converted_type: 'MAP',
          logical_type: { type: 'MAP' },
        },
        { name: 'key_value', repetition_type: 'REPEATED', num_children: 2 },
      );
      const str = { type: 'BYTE_ARRAY', converted_type: 'UTF8', logical_type: { type: 'STRING' } } as const;
      leaf({ name: 'key', repetition_type: 'REQUIRED', ...str }, [f.name, 'key_value', 'key']);
      leaf({ name: 'value', repetition_type: 'OPTIONAL', ...str }, [f.name, 'key_value', 'value']);
      return;
    }
    default:
      throw new Error(`Parquet: column ${f.name} of kind ${f.kind} is not written here`);
  }
}

/** Encodes one Parquet file at a time from batches' buffers (one schema): begin, a row group per batch, finish. */
export class ParquetFileEncoder {
  private readonly page = new Bytes();
  private readonly head = new Bytes();
  private scratch = new Int32Array(0);
  private codes = new Int32Array(0);
  /** A map column's repetition and two definition levels (three runs of its entries), reused. */
  private mapLevels = new Int32Array(0);
  private readonly chunks: Uint8Array[] = [];
  private offset = 4;
  private readonly dictionary = new ByteDictionary();
  private readonly intDictionary = new IntDictionary();
  private readonly compress: (raw: Uint8Array, column: string) => Uint8Array;
  /** The top-level column being written (what `compress` is told). */
  private columnName = '';
  private readonly codec: 'ZSTD' | 'UNCOMPRESSED';
  /** The file begun and not finished yet. */
  private file:
    | {
        specs: readonly ColumnSpec[];
        elements: SchemaElement[];
        leaves: Leaf[];
        rowGroups: FileMetaData['row_groups'];
        rows: number;
      }
    | undefined;

  constructor(private readonly opts: ParquetFileOptions = {}) {
    this.compress = opts.compress ?? ((raw) => raw.slice());
    this.codec = opts.compress ? 'ZSTD' : 'UNCOMPRESSED';
  }

  /**
   * Starts a file of `specs`: row groups are then encoded one by one as their batches come (rowGroup),
   * so that only the compressed pages are held until finish() lays out the file.
   */
  begin(specs: readonly ColumnSpec[]): void {
    const elements: SchemaElement[] = [{ name: 'schema', num_children: specs.length }];
    const leaves: Leaf[] = [];
    for (const f of specs) schemaOf(f, elements, leaves);
    this.chunks.length = 0;
    this.chunks.push(new TextEncoder().encode('PAR1'));
    this.offset = 4;
    this.file = { specs, elements, leaves, rowGroups: [], rows: 0 };
  }

  /** Encodes one batch as the next row group of the file begun. */
  rowGroup(batch: BatchBuffers): void {
    const file = this.file;
    if (!file) throw new Error('Parquet: a row group before begin()');
    if (batch.rows === 0) return;
    const { specs, leaves } = file;
    const n = batch.rows;
    if (this.scratch.length < n) this.scratch = new Int32Array(n);
    if (this.codes.length < n) this.codes = new Int32Array(n);
    const start = this.offset;
    const columns: ColumnChunk[] = [];
    let leaf = 0;
    for (const [i, f] of specs.entries()) {
      const d = batch.columns[i];
      if (!d) throw new Error(`Parquet: a batch without column ${f.name}`);
      this.columnName = f.name;
      const at = (k: number): Leaf => {
        const l = leaves[k];
        if (!l) throw new Error(`Parquet: column ${f.name} has no leaf ${k}`);
        return l;
      };
      if (f.kind === 'map') {
        columns.push(...this.mapColumn(d, at(leaf), at(leaf + 1)));
        leaf += 2;
      } else columns.push(this.column(d, f, at(leaf++)));
    }
    file.rowGroups.push({
      columns,
      total_byte_size: BigInt(this.offset - start),
      num_rows: BigInt(n),
      file_offset: BigInt(start),
      total_compressed_size: BigInt(this.offset - start),
    });
    file.rows += n;
  }

  /** The file begun, with every row group given since, as bytes. */
  finish(): Uint8Array {
    const file = this.file;
    if (!file) throw new Error('Parquet: finish() before begin()');
    this.file = undefined;
    const meta: FileMetaData = {
      version: 1,
      schema: file.elements,
      num_rows: BigInt(file.rows),
      row_groups: file.rowGroups,
      key_value_metadata: [...(this.opts.metadata ?? new Map())].map(([key, value]) => ({ key, value })),
      created_by: this.opts.createdBy ?? 'scapkit',
      metadata_length: 0,
    };
    const footer = new ByteWriter(1 << 14);
    writeMetadata(footer, meta);
    footer.appendBytes(new TextEncoder().encode('PAR1'));
    this.chunks.push(footer.getBytes());
    const out = new Uint8Array(this.chunks.reduce((s, c) => s + c.length, 0));
    let p = 0;
    for (const c of this.chunks) {
      out.set(c, p);
      p += c.length;
    }
    this.chunks.length = 0;
    return out;
  }

  /**
   * Compresses the page buffer and appends header and body; returns the bytes appended (both sizes).
   * `encoding` is the data page's (undefined: a PLAIN dictionary page).
   */
  private emitPage(
    numValues: number,
    encoding: Encoding | undefined,
  ): {
    compressed: number;
    uncompressed: number;
  } {
    const raw = this.page.buf.subarray(0, this.page.n);
    const body = this.compress(raw, this.columnName);
    const h = this.head;
    h.reset();
    pageHeader(h, raw.length, body.length, numValues, encoding);
    this.chunks.push(h.buf.slice(0, h.n), body);
    const size = h.n + body.length;
    this.offset += size;
    return { compressed: size, uncompressed: h.n + raw.length };
  }

  /** The page buffer as a data page of `numValues` values (levels RLE). */
  private emitDataPage(numValues: number, encoding: Encoding): { compressed: number; uncompressed: number } {
    return this.emitPage(numValues, encoding);
  }

  /** The page buffer as a PLAIN dictionary page of `numValues` values. */
  private emitDictionaryPage(numValues: number): { compressed: number; uncompressed: number } {
    return this.emitPage(numValues, undefined);
  }

  private chunk(
    leaf: Leaf,
    encodings: Encoding[],
    numValues: number,
    dataOffset: number,
    dictOffset: number | undefined,
    sizes: { compressed: number; uncompressed: number },
  ): ColumnChunk {
    return {
      file_offset: BigInt(dictOffset ?? dataOffset),
      meta_data: {
        type: leaf.element.type ?? 'BYTE_ARRAY',
        encodings,
        path_in_schema: leaf.path,
        codec: this.codec,
        num_values: BigInt(numValues),
        total_uncompressed_size: BigInt(sizes.uncompressed),
        total_compressed_size: BigInt(sizes.compressed),
        data_page_offset: BigInt(dataOffset),
        ...(dictOffset !== undefined ? { dictionary_page_offset: BigInt(dictOffset) } : {}),
      },
    };
  }

  private column(d: ColumnBuffers, f: ColumnSpec, leaf: Leaf): ColumnChunk {
    const page = this.page;
    const n = d.length;
    const optional = f.nullable;
    const valid = d.length - d.nullCount;
    if (f.kind === 'dictionary') {
      // The dictionary page: the batch's dictionary values, PLAIN.
      const dict = d.dictionary;
      if (!dict) throw new Error(`Parquet: column ${f.name} has no dictionary`);
      page.reset();
      plainByteArrays(page, dict, dict.length);
      const dictOffset = this.offset;
      const ds = this.emitDictionaryPage(dict.length);
      page.reset();
      if (optional) defLevels(page, d, this.scratch);
      const codes = d.nullCount > 0 ? validCodes(d, this.codes) : (d.values as Int32Array);
      const width = Math.max(1, 32 - Math.clz32(Math.max(0, dict.length - 1)));
      page.u8(width);
      rleHybrid(page, codes, valid, width);
      const dataOffset = this.offset;
      const s = this.emitDataPage(n, 'RLE_DICTIONARY');
      return this.chunk(leaf, ['PLAIN', 'RLE', 'RLE_DICTIONARY'], n, dataOffset, dictOffset, {
        compressed: ds.compressed + s.compressed,
        uncompressed: ds.uncompressed + s.uncompressed,
      });
    }
    page.reset();
    if (optional) defLevels(page, d, this.scratch);
    let encoding: Encoding = 'PLAIN';
    switch (f.kind) {
      case 'timestamp':
      case 'int64':
      case 'int32': {
        const wide = f.kind !== 'int32';
        const v = d.values as BigInt64Array | Int32Array;
        const words = wide ? new Int32Array(v.buffer, v.byteOffset, n * 2) : (v as Int32Array);
        const asked = this.opts.encodings?.[f.name];
        if (asked === undefined && f.kind !== 'timestamp') {
          const chunk = this.intDictionaryColumn(d, words, wide, leaf);
          if (chunk) return chunk;
        }
        if (wide && asked === 'delta' && d.nullCount === 0) {
          const mark = page.n;
          if (deltaBinaryPacked(page, words, n)) encoding = 'DELTA_BINARY_PACKED';
          else page.n = mark;
        }
        if (encoding === 'PLAIN') plainInts(page, d, words, wide ? 2 : 1);
        break;
      }
      case 'bool':
        plainBools(page, d);
        break;
      case 'utf8':
        plainByteArrays(page, d, n);
        break;
      default:
        throw new Error(`Parquet: column ${f.name} of kind ${f.kind} is not written here`);
    }
    const dataOffset = this.offset;
    const s = this.emitDataPage(n, encoding);
    return this.chunk(leaf, [encoding, 'RLE'], n, dataOffset, undefined, s);
  }

  /**
   * An integer column by dictionary (a PLAIN page of its distinct values, RLE_DICTIONARY codes), when it
   * has few distinct values for its rows (pids, tids, uids, cpus, fds: long runs of one value, which the
   * RLE codes hold in a few bytes where PLAIN spends 8 a row before zstd); undefined when it has more.
   */
  private intDictionaryColumn(
    d: ColumnBuffers,
    words: Int32Array,
    wide: boolean,
    leaf: Leaf,
  ): ColumnChunk | undefined {
    const n = d.length;
    const dict = this.intDictionary.build(d, words, wide, n, Math.max(16, n >> INT_DICTIONARY_SHARE));
    if (!dict) return undefined;
    const page = this.page;
    page.reset();
    this.intDictionary.writePlain(page, wide);
    const dictOffset = this.offset;
    const ds = this.emitDictionaryPage(dict.size);
    page.reset();
    if (leaf.element.repetition_type === 'OPTIONAL') defLevels(page, d, this.scratch);
    const width = Math.max(1, 32 - Math.clz32(Math.max(0, dict.size - 1)));
    page.u8(width);
    rleHybrid(page, dict.codes, dict.count, width);
    const dataOffset = this.offset;
    const s = this.emitDataPage(n, 'RLE_DICTIONARY');
    return this.chunk(leaf, ['PLAIN', 'RLE', 'RLE_DICTIONARY'], n, dataOffset, dictOffset, {
      compressed: ds.compressed + s.compressed,
      uncompressed: ds.uncompressed + s.uncompressed,
    });
  }

  /** A map<utf8, utf8> column: its key and value leaves, with repetition and definition levels. */
  private mapColumn(d: ColumnBuffers, keyLeaf: Leaf, valueLeaf: Leaf): ColumnChunk[] {
    const n = d.length;
    const offsets = d.valueOffsets as Int32Array;
    const entries = d.children[0];
    const keys = entries?.children[0];
    const vals = entries?.children[1];
    if (!keys || !vals) throw new Error('Parquet: a map column without keys and values');
    const levels = mapLevelCount(offsets, n);
    if (this.mapLevels.length < levels * 3) this.mapLevels = new Int32Array(levels * 4);
    const rep = this.mapLevels.subarray(0, levels);
    const keyDef = this.mapLevels.subarray(levels, levels * 2);
    const valueDef = this.mapLevels.subarray(levels * 2, levels * 3);
    mapLevels(d, vals, offsets, rep, keyDef, valueDef);
    const out: ColumnChunk[] = [];
    for (const [leaf, child, isValue] of [
      [keyLeaf, keys, false],
      [valueLeaf, vals, true],
    ] as const) {
      const page = this.page;
      const first = offsets[0] ?? 0;
      const last = offsets[n] ?? 0;
      // Parameter names and many values repeat: by dictionary when it stays small, as arrow-rs does.
      const dict = this.dictionary.build(child, first, last);
      let dictOffset: number | undefined;
      let dictSizes = { compressed: 0, uncompressed: 0 };
      if (dict) {
        page.reset();
        this.dictionary.writePlain(page, child);
        dictOffset = this.offset;
        dictSizes = this.emitDictionaryPage(dict.size);
      }
      page.reset();
      let start = page.beginLength();
      rleHybrid(page, rep, levels, 1);
      page.endLength(start);
      start = page.beginLength();
      rleHybrid(page, isValue ? valueDef : keyDef, levels, 2);
      page.endLength(start);
      if (dict) {
        const width = Math.max(1, 32 - Math.clz32(Math.max(0, dict.size - 1)));
        page.u8(width);
        rleHybrid(page, dict.codes, dict.count, width);
      } else plainByteArraysRange(page, child, first, last);
      const dataOffset = this.offset;
      const s = this.emitDataPage(levels, dict ? 'RLE_DICTIONARY' : 'PLAIN');
      out.push(
        this.chunk(
          leaf,
          dict ? ['PLAIN', 'RLE', 'RLE_DICTIONARY'] : ['PLAIN', 'RLE'],
          levels,
          dataOffset,
          dictOffset,
          {
            compressed: dictSizes.compressed + s.compressed,
            uncompressed: dictSizes.uncompressed + s.uncompressed,
          },
        ),
      );
    }
    return out;
  }
}

// The per-value loops of a column chunk, each a small function of its own: the chunk's functions above
// run once a column, and with these loops inside them V8 compiled each of them many times over (on-stack
// replacement of each hot loop, then again after a deopt), tens of ms a time on the encoding thread (seen
// in one-off profiles; no bench isolates it).

/** The codes of a dictionary column's valid rows, into `out` (grown by the caller to the rows). */
function validCodes(d: ColumnBuffers, out: Int32Array): Int32Array {
  const codes = d.values as Int32Array;
  let k = 0;
  for (let i = 0; i < d.length; i++) if (isValid(d, i)) out[k++] = codes[i] ?? 0;
  return out;
}

/** PLAIN 32- or 64-bit integers (`stride` words a value) of an integer column's valid rows. */
function plainInts(page: Bytes, d: ColumnBuffers, words: Int32Array, stride: number): void {
  const n = d.length;
  page.ensure((n - d.nullCount) * 4 * stride);
  if (d.nullCount === 0) {
    page.buf.set(new Uint8Array(words.buffer, words.byteOffset, n * 4 * stride), page.n);
    page.n += n * 4 * stride;
    return;
  }
  const dv = page.view;
  let p = page.n;
  for (let i = 0; i < n; i++) {
    if (!isValid(d, i)) continue;
    dv.setInt32(p, words[i * stride] ?? 0, true);
    if (stride === 2) dv.setInt32(p + 4, words[i * 2 + 1] ?? 0, true);
    p += 4 * stride;
  }
  page.n = p;
}

/** PLAIN booleans (bit-packed, LSB first) of a bool column's valid rows. */
function plainBools(page: Bytes, d: ColumnBuffers): void {
  const bits = d.values as Uint8Array;
  page.ensure(((d.length - d.nullCount) >> 3) + 1);
  const b = page.buf;
  let p = page.n;
  let acc = 0;
  let k = 0;
  for (let i = 0; i < d.length; i++) {
    if (!isValid(d, i)) continue;
    const j = d.offset + i;
    if (((bits[j >> 3] ?? 0) >> (j & 7)) & 1) acc |= 1 << (k & 7);
    if ((++k & 7) === 0) {
      b[p++] = acc;
      acc = 0;
    }
  }
  if (k & 7) b[p++] = acc;
  page.n = p;
}

/** A map column's levels: one per entry, or one for a row without entries (an empty map, or a null one). */
function mapLevelCount(offsets: Int32Array, n: number): number {
  let levels = 0;
  for (let r = 0; r < n; r++) levels += Math.max(1, (offsets[r + 1] ?? 0) - (offsets[r] ?? 0));
  return levels;
}

/** A map column's repetition levels and its key and value leaves' definition levels. */
function mapLevels(
  d: ColumnBuffers,
  vals: ColumnBuffers,
  offsets: Int32Array,
  rep: Int32Array,
  keyDef: Int32Array,
  valueDef: Int32Array,
): void {
  let l = 0;
  for (let r = 0; r < d.length; r++) {
    const s = offsets[r] ?? 0;
    const e = offsets[r + 1] ?? 0;
    if (s === e) {
      const def = isValid(d, r) ? 1 : 0;
      rep[l] = 0;
      keyDef[l] = def;
      valueDef[l++] = def;
      continue;
    }
    for (let k = s; k < e; k++) {
      rep[l] = k === s ? 0 : 1;
      keyDef[l] = 2;
      valueDef[l++] = isValid(vals, k) ? 3 : 2;
    }
  }
}

/** PLAIN byte arrays (4-byte length, bytes) of a Utf8 Data's valid rows [0, n). */
function plainByteArrays(page: Bytes, d: ColumnBuffers, n: number): void {
  plainByteArraysRange(page, d, 0, n);
}

function plainByteArraysRange(page: Bytes, d: ColumnBuffers, from: number, to: number): void {
  const offsets = d.valueOffsets as Int32Array;
  const bytes = d.values as Uint8Array;
  const a = offsets[from] ?? 0;
  const z = offsets[to] ?? 0;
  page.ensure(z - a + (to - from) * 4);
  const b = page.buf;
  const dv = page.view;
  let p = page.n;
  for (let i = from; i < to; i++) {
    if (!isValid(d, i)) continue;
    const s = offsets[i] ?? 0;
    const e = offsets[i + 1] ?? 0;
    const len = e - s;
    dv.setUint32(p, len, true);
    p += 4;
    if (len < 32) for (let k = s; k < e; k++) b[p++] = bytes[k] ?? 0;
    else {
      b.set(bytes.subarray(s, e), p);
      p += len;
    }
  }
  page.n = p;
}

/** The most bytes a built dictionary holds before the column is written PLAIN instead (arrow-rs: 1 MiB). */
const DICTIONARY_LIMIT = 1 << 20;

/**
 * A dictionary of byte strings built from a Utf8 column (the map's keys and values, which arrive as bytes):
 * an open-addressing table of FNV-1a hashes, each entry checked byte by byte.
 */
class ByteDictionary {
  private slots = new Int32Array(1 << 12);
  private hashes = new Int32Array(1 << 12);
  private starts = new Int32Array(1 << 10);
  private ends = new Int32Array(1 << 10);
  codes = new Int32Array(0);

  private size = 0;

  /**
   * Codes for the valid rows [from, to) of `d` (writePlain then writes the dictionary page's body), or
   * undefined when the distinct values pass DICTIONARY_LIMIT bytes.
   */
  build(
    d: ColumnBuffers,
    from: number,
    to: number,
  ): { codes: Int32Array; count: number; size: number } | undefined {
    const offsets = d.valueOffsets as Int32Array;
    const bytes = d.values as Uint8Array;
    const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    if (this.codes.length < to - from) this.codes = new Int32Array(to - from);
    this.slots.fill(-1);
    let size = 0;
    let dictBytes = 0;
    let count = 0;
    for (let i = from; i < to; i++) {
      if (!isValid(d, i)) continue;
      const s = offsets[i] ?? 0;
      const e = offsets[i + 1] ?? 0;
      const h = hashBytes(dv, bytes, s, e);
      let mask = this.slots.length - 1;
      let slot = h & mask;
      let code = -1;
      for (;;) {
        const c = this.slots[slot] ?? -1;
        if (c < 0) break;
        if (this.hashes[slot] === h && same(dv, bytes, this.starts[c] ?? 0, this.ends[c] ?? 0, s, e)) {
          code = c;
          break;
        }
        slot = (slot + 1) & mask;
      }
      if (code < 0) {
        code = size++;
        dictBytes += e - s + 4;
        if (dictBytes > DICTIONARY_LIMIT) return undefined;
        if (size > this.starts.length) {
          const grow = (a: Int32Array): Int32Array<ArrayBuffer> => {
            const b = new Int32Array(a.length * 2);
            b.set(a);
            return b;
          };
          this.starts = grow(this.starts);
          this.ends = grow(this.ends);
        }
        this.starts[code] = s;
        this.ends[code] = e;
        this.slots[slot] = code;
        this.hashes[slot] = h;
        if (size * 2 > this.slots.length) {
          this.rehash();
          mask = this.slots.length - 1;
        }
      }
      this.codes[count++] = code;
    }
    this.size = size;
    return { codes: this.codes, count, size };
  }

  /** The PLAIN dictionary page body of the last build (over the same `d`): its values in code order. */
  writePlain(page: Bytes, d: ColumnBuffers): void {
    const bytes = d.values as Uint8Array;
    let total = 0;
    for (let c = 0; c < this.size; c++) total += (this.ends[c] ?? 0) - (this.starts[c] ?? 0) + 4;
    page.ensure(total);
    const b = page.buf;
    const out = page.view;
    let p = page.n;
    for (let c = 0; c < this.size; c++) {
      const s = this.starts[c] ?? 0;
      const e = this.ends[c] ?? 0;
      out.setUint32(p, e - s, true);
      p += 4;
      if (e - s < 32) for (let k = s; k < e; k++) b[p++] = bytes[k] ?? 0;
      else {
        b.set(bytes.subarray(s, e), p);
        p += e - s;
      }
    }
    page.n = p;
  }

  /** Doubles the table and re-inserts every entry (by its stored hash). */
  private rehash(): void {
    const oldSlots = this.slots;
    const oldHashes = this.hashes;
    this.slots = new Int32Array(oldSlots.length * 2).fill(-1);
    this.hashes = new Int32Array(oldSlots.length * 2);
    const mask = this.slots.length - 1;
    for (let i = 0; i < oldSlots.length; i++) {
      const c = oldSlots[i] ?? -1;
      if (c < 0) continue;
      const h = oldHashes[i] ?? 0;
      let slot = h & mask;
      while ((this.slots[slot] ?? -1) >= 0) slot = (slot + 1) & mask;
      this.slots[slot] = c;
      this.hashes[slot] = h;
    }
  }
}

/**
 * An integer column is written by dictionary while its distinct values are at most 1/2^this of its rows:
 * past that the codes' bit-packing (which zstd cannot shrink) costs more than PLAIN values compressed.
 */
const INT_DICTIONARY_SHARE = 6;

/** A dictionary of the 32- or 64-bit integers of a column: open addressing on a hash of their words. */
class IntDictionary {
  private slots = new Int32Array(1 << 10);
  private lo = new Int32Array(1 << 9);
  private hi = new Int32Array(1 << 9);
  codes = new Int32Array(0);

  private size = 0;

  /**
   * Codes for the valid rows of `d` (writePlain then writes the dictionary page's body), or undefined when
   * the column has more than `limit` distinct values.
   */
  build(
    d: ColumnBuffers,
    words: Int32Array,
    wide: boolean,
    n: number,
    limit: number,
  ): { codes: Int32Array; count: number; size: number } | undefined {
    if (this.codes.length < n) this.codes = new Int32Array(n);
    let cap = 1 << 10;
    while (cap < limit * 2) cap <<= 1;
    if (this.slots.length !== cap) {
      this.slots = new Int32Array(cap);
      this.lo = new Int32Array(cap >> 1);
      this.hi = new Int32Array(cap >> 1);
    }
    const slots = this.slots;
    slots.fill(-1);
    const mask = cap - 1;
    const los = this.lo;
    const his = this.hi;
    const codes = this.codes;
    let size = 0;
    let count = 0;
    let lastLo = 0;
    let lastHi = 0;
    let lastCode = -1;
    const nulls = d.nullCount > 0;
    for (let i = 0; i < n; i++) {
      if (nulls && !isValid(d, i)) continue;
      const lo = wide ? (words[i * 2] ?? 0) : (words[i] ?? 0);
      const hi = wide ? (words[i * 2 + 1] ?? 0) : 0;
      if (lastCode >= 0 && lo === lastLo && hi === lastHi) {
        codes[count++] = lastCode;
        continue;
      }
      let slot = (Math.imul(lo ^ Math.imul(hi, 0x85ebca6b), 0x9e3779b1) >>> 16) & mask;
      let code = -1;
      for (;;) {
        const c = slots[slot] ?? -1;
        if (c < 0) break;
        if (los[c] === lo && his[c] === hi) {
          code = c;
          break;
        }
        slot = (slot + 1) & mask;
      }
      if (code < 0) {
        if (size >= limit) return undefined;
        code = size++;
        los[code] = lo;
        his[code] = hi;
        slots[slot] = code;
      }
      codes[count++] = code;
      lastLo = lo;
      lastHi = hi;
      lastCode = code;
    }
    this.size = size;
    return { codes, count, size };
  }

  /** The PLAIN dictionary page body of the last build: its values in code order (64-bit when `wide`). */
  writePlain(page: Bytes, wide: boolean): void {
    const stride = wide ? 8 : 4;
    page.ensure(this.size * stride);
    const dv = page.view;
    let p = page.n;
    for (let c = 0; c < this.size; c++) {
      dv.setInt32(p, this.lo[c] ?? 0, true);
      if (wide) dv.setInt32(p + 4, this.hi[c] ?? 0, true);
      p += stride;
    }
    page.n = p;
  }
}

/**
 * A hash of bytes [s, e) of `buf` (`dv` over the same bytes): four bytes a step (an unaligned little-endian
 * read, which V8 compiles to one load), multiplied and folded, then the last few one by one.
 */
function hashBytes(dv: DataView, buf: Uint8Array, s: number, e: number): number {
  let h = e - s;
  let k = s;
  for (; k + 4 <= e; k += 4) {
    h = Math.imul(h ^ dv.getInt32(k, true), 0x9e3779b1);
    h ^= h >>> 15;
  }
  for (; k < e; k++) h = Math.imul(h ^ (buf[k] ?? 0), 0x01000193);
  return h ^ (h >>> 13);
}

/** Whether bytes [a, b) and [c, e) of `buf` are equal (`dv` over the same bytes). */
function same(dv: DataView, buf: Uint8Array, a: number, b: number, c: number, e: number): boolean {
  const len = b - a;
  if (len !== e - c) return false;
  let i = 0;
  for (; i + 4 <= len; i += 4) if (dv.getInt32(a + i, true) !== dv.getInt32(c + i, true)) return false;
  for (; i < len; i++) if (buf[a + i] !== buf[c + i]) return false;
  return true;
}

const BLOCK = 128;
const MINIBLOCKS = 4;
const MINI = BLOCK / MINIBLOCKS;

/**
 * DELTA_BINARY_PACKED of int64 values given as (lo, hi) word pairs; false (nothing usable written) when a
 * delta, or a block's spread of deltas, does not fit the 32-bit packing used here.
 */
function deltaBinaryPacked(page: Bytes, words: Int32Array, n: number): boolean {
  page.varint(BLOCK);
  page.varint(MINIBLOCKS);
  page.varint(n);
  const firstLo = words[0] ?? 0;
  const firstHi = words[1] ?? 0;
  page.zigzag64((BigInt(firstHi) << 32n) | BigInt(firstLo >>> 0));
  const deltas = new Float64Array(BLOCK);
  /** A miniblock's deltas less the block's minimum (each < 2^32), as packed. */
  const residuals = new Int32Array(BLOCK);
  let prevHi = firstHi;
  let prevLo = firstLo >>> 0;
  for (let i = 1; i < n; i += BLOCK) {
    const count = Math.min(BLOCK, n - i);
    let min = Number.POSITIVE_INFINITY;
    for (let k = 0; k < count; k++) {
      const j = i + k;
      const hi = words[j * 2 + 1] ?? 0;
      const lo = (words[j * 2] ?? 0) >>> 0;
      const dlt = (hi - prevHi) * TWO32 + (lo - prevLo);
      if (!Number.isSafeInteger(dlt)) return false;
      deltas[k] = dlt;
      if (dlt < min) min = dlt;
      prevHi = hi;
      prevLo = lo;
    }
    page.zigzag(min);
    const widths = [0, 0, 0, 0];
    for (let m = 0; m < MINIBLOCKS; m++) {
      let max = 0;
      for (let k = m * MINI; k < Math.min(count, (m + 1) * MINI); k++) {
        const r = (deltas[k] ?? 0) - min;
        residuals[k] = r | 0;
        if (r > max) max = r;
      }
      if (max >= TWO32) return false;
      widths[m] = max === 0 ? 0 : 32 - Math.clz32(max >>> 0);
    }
    page.ensure(MINIBLOCKS + BLOCK * 4);
    for (const w of widths) page.buf[page.n++] = w;
    for (let m = 0; m < MINIBLOCKS; m++) {
      if (m * MINI >= count) break;
      const w = widths[m] ?? 0;
      if (w === 0) continue;
      page.n = pack(page.buf, page.n, residuals, m * MINI, count, MINI, w);
    }
  }
  return true;
}

/**
 * Packs src[from + k] (each < 2^width as unsigned, width <= 32) for k in [0, total), zeros past `end`, LSB
 * first, into b at p (the caller made room); returns the position after them.
 */
function pack(
  b: Uint8Array,
  p: number,
  src: Int32Array,
  from: number,
  end: number,
  total: number,
  width: number,
): number {
  let acc = 0;
  let bits = 0;
  for (let k = 0; k < total; k++) {
    const idx = from + k;
    // Int32 throughout (a uint32 above 2^31 would be a double, and a deopt): only bytes are taken out.
    const v = idx < end ? (src[idx] ?? 0) | 0 : 0;
    acc |= v << bits;
    if (bits + width <= 32) bits += width;
    else {
      // acc is full: its 4 bytes out, then the bits of v that did not fit.
      b[p++] = acc & 0xff;
      b[p++] = (acc >>> 8) & 0xff;
      b[p++] = (acc >>> 16) & 0xff;
      b[p++] = acc >>> 24;
      acc = v >>> (32 - bits);
      bits = bits + width - 32;
    }
    while (bits >= 8) {
      b[p++] = acc & 0xff;
      acc >>>= 8;
      bits -= 8;
    }
  }
  if (bits > 0) b[p++] = acc & 0xff;
  return p;
}
