// Arrow RecordBatches to Parquet bytes with parquet-wasm (arrow-rs compiled to WebAssembly): zstd, dictionary
// encoding, one row group per batch (each batch is sorted by ts), the schema version in the key/value
// metadata. The README's "Choosing the Parquet writer" says why this writer (bench/columnar.bench.mjs
// measures it against DuckDB's COPY and hyparquet-writer).
import { type RecordBatch, Table, tableToIPC } from 'apache-arrow';
// The Node build of parquet-wasm: CommonJS, its .wasm read synchronously when the module loads.
import * as pw from 'parquet-wasm';
import { SCHEMA_VERSION, SCHEMA_VERSION_KEY } from '../schema.js';

export interface ParquetOptions {
  /** Rows per row group; the batches' own size by default (one row group per batch). */
  rowGroupSize?: number;
  /** More key/value metadata (the schema version is always there). */
  metadata?: Record<string, string>;
}

/** The Parquet file holding `batches` (one schema), as bytes. */
export function encodeParquet(batches: readonly RecordBatch[], opts: ParquetOptions = {}): Uint8Array {
  const table = new Table(batches as RecordBatch[]);
  const rowGroup = opts.rowGroupSize ?? Math.max(1, ...batches.map((b) => b.numRows));
  const kv = new Map([[SCHEMA_VERSION_KEY, String(SCHEMA_VERSION)], ...Object.entries(opts.metadata ?? {})]);
  const props = new pw.WriterPropertiesBuilder()
    .setCompression(pw.Compression.ZSTD)
    .setDictionaryEnabled(true)
    .setMaxRowGroupSize(rowGroup)
    .setKeyValueMetadata(kv)
    .setCreatedBy('scapkit (parquet-wasm)')
    .build();
  // writeParquet takes the wasm table (and frees it).
  return pw.writeParquet(pw.Table.fromIPCStream(tableToIPC(table, 'stream')), props);
}
