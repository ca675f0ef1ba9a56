// Arrow RecordBatches to Parquet bytes: scapkit's page writer (../parquet-file.ts: the batches' buffers laid
// out as pages, zstd through the native codec), one row group per batch (each batch is sorted by ts), the
// schema version in the key/value metadata. parquet-wasm (arrow-rs in WebAssembly), the writer before it,
// stays as `encodeParquetWasm` for bench/columnar-writers.bench.mjs, which compares the writers; the
// README's "Choosing the Parquet writer" says why this one.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { keepHeapFlags, nativeZstdCodec } from '@scapkit/scap-format/node';
import { type RecordBatch, type Schema, Table, tableToIPC } from 'apache-arrow';
// The Node build of parquet-wasm: CommonJS, its .wasm read synchronously when the module loads.
import * as pw from 'parquet-wasm';
import { batchBufferPool } from '../buffer-pool.js';
import {
  batchBuffers,
  bufferList,
  type ColumnSpec,
  columnSpecs,
  ParquetFileEncoder,
} from '../parquet-file.js';
import { SCHEMA_VERSION, SCHEMA_VERSION_KEY } from '../schema.js';

export interface ParquetOptions {
  /** parquet-wasm only: rows per row group (the largest batch by default). */
  rowGroupSize?: number;
  /** More key/value metadata (the schema version is always there). */
  metadata?: Record<string, string>;
  /** Columns not dictionary-encoded: 'delta' (DELTA_BINARY_PACKED) or 'plain'; by column name. */
  encodings?: Readonly<Record<string, 'delta' | 'plain'>>;
  /**
   * One zstd level for every column's pages (by default ZSTD_LEVEL, and COLUMN_ZSTD_LEVELS for the columns
   * it names; bench/columnar-encode.mjs compares them).
   */
  zstdLevel?: number;
}

/**
 * zstd level of the pages. bench/columnar-encode.mjs (the page writer alone), 1,048,576 rows of
 * bench-data/work5s.scap: level 6 0.70 CPU-us/row and 7.35 B/row; 5 0.64 and 7.51; 4 0.52 and 7.90; 3 0.47
 * and 7.99; 2 0.45 and 8.55. Most of the difference is the `info` column (40 of the 57 MB of raw pages; 22%
 * larger at level 3): level 6 for it (COLUMN_ZSTD_LEVELS) and 3 for the rest is 0.53 against 0.655 us/row
 * and 7.60 B/row against 7.35 (interleaved, load 10, 2026-12-08; with `args` at 6 as well 0.60 and 7.50).
 * The whole of bench-data/work.scap at level 3 everywhere was 1.50x the trace (the target's limit), at 6
 * everywhere 1.37x.
 */
const ZSTD_LEVEL = 3;
const COLUMN_ZSTD_LEVELS: Readonly<Record<string, number>> = { info: 6 };

/** The Parquet file holding `batches` (one schema), as bytes: one row group per batch. */
export function encodeParquet(batches: readonly RecordBatch[], opts: ParquetOptions = {}): Uint8Array {
  const first = batches[0];
  if (!first) throw new Error('Parquet: no batches');
  const enc = beginParquetFile(columnSpecs(first.schema), opts);
  for (const b of batches) enc.rowGroup(batchBuffers(b));
  return enc.finish();
}

function keyValues(opts: ParquetOptions): Map<string, string> {
  return new Map([[SCHEMA_VERSION_KEY, String(SCHEMA_VERSION)], ...Object.entries(opts.metadata ?? {})]);
}

/** The same file written by parquet-wasm (the writer before; kept for the writers' bench). */
export function encodeParquetWasm(batches: readonly RecordBatch[], opts: ParquetOptions = {}): Uint8Array {
  const rowGroup = opts.rowGroupSize ?? Math.max(1, ...batches.map((b) => b.numRows));
  let props = new pw.WriterPropertiesBuilder()
    .setCompression(pw.Compression.ZSTD)
    .setDictionaryEnabled(true)
    .setMaxRowGroupSize(rowGroup)
    .setKeyValueMetadata(keyValues(opts))
    .setCreatedBy('scapkit (parquet-wasm)');
  for (const [col, enc] of Object.entries(opts.encodings ?? {})) {
    props = props.setColumnDictionaryEnabled(col, false);
    if (enc === 'delta') props = props.setColumnEncoding(col, pw.Encoding.DELTA_BINARY_PACKED);
  }
  // writeParquet takes the wasm table (and frees it).
  const ipc = tableToIPC(new Table(batches as RecordBatch[]), 'stream');
  return pw.writeParquet(pw.Table.fromIPCStream(ipc), props.build());
}

/** A part file being encoded: its batches go to the encoder as they come, end() gives the file's bytes. */
export interface ParquetPart {
  /**
   * Encodes `batch` as the file's next row group (on the worker: posted, encoded meanwhile). `handOver`:
   * the batch's buffers are the caller's to give (nothing else uses them, the batch included, after this):
   * they are moved to the worker instead of copied.
   */
  add(batch: RecordBatch, handOver?: boolean): void;
  /** The file's bytes, once every batch added is encoded. */
  end(): Promise<Uint8Array>;
}

/** A file encoder of `specs` with the export's settings, begun. */
export function beginParquetFile(
  specs: readonly ColumnSpec[],
  opts: ParquetOptions = {},
): ParquetFileEncoder {
  // One codec (and zstd context) per level in use.
  const codecs = new Map<number, NonNullable<ReturnType<typeof nativeZstdCodec>>>();
  const codec = (level: number) => {
    let c = codecs.get(level);
    if (!c) {
      c = nativeZstdCodec({ level });
      if (!c) throw new Error('Parquet export needs zstd-napi (the native zstd module), which does not load');
      codecs.set(level, c);
    }
    return c;
  };
  const base = codec(opts.zstdLevel ?? ZSTD_LEVEL);
  const byColumn = new Map(
    opts.zstdLevel === undefined ? Object.entries(COLUMN_ZSTD_LEVELS).map(([n, l]) => [n, codec(l)]) : [],
  );
  const enc = new ParquetFileEncoder({
    compress: (raw, column) => (byColumn.get(column) ?? base).compress(raw),
    metadata: keyValues(opts),
    encodings: opts.encodings ?? {},
    createdBy: 'scapkit',
  });
  enc.begin(specs);
  return enc;
}

/**
 * Parquet encoding on a worker thread, so that the main thread goes on reading and building batches:
 * on a two-core box the export runs at the pace of the slower of the two instead of their sum. Each batch
 * is posted as soon as it is built (its buffers moved when the caller hands them over, else copied) and
 * encoded as a row group there, so that neither thread holds more than a few batches and the compressed
 * pages of the open files; once encoded, its buffers come back to the batch buffer pool (buffer-pool.ts),
 * from which the builders take the next batches', and a file's bytes come back transferred. Where the compiled worker is not at hand (the TypeScript sources
 * under a test runner) it encodes in the calling thread.
 */
export class ParquetEncoder {
  private worker: Worker | undefined;
  private next = 0;
  private readonly waiting = new Map<number, { resolve(b: Uint8Array): void; reject(e: Error): void }>();
  private readonly inline: boolean;
  /** Batches posted and not encoded yet. */
  private queued = 0;
  private readonly drained: (() => void)[] = [];

  constructor() {
    this.inline = !existsSync(WORKER);
  }

  /** Starts a part file of `schema`'s batches. */
  open(schema: Schema, opts: ParquetOptions = {}): ParquetPart {
    const specs = columnSpecs(schema);
    if (this.inline) {
      const enc = beginParquetFile(specs, opts);
      return {
        add: (b) => enc.rowGroup(batchBuffers(b)),
        end: async () => enc.finish(),
      };
    }
    const w = this.start();
    const id = this.next++;
    w.postMessage({ op: 'open', id, specs, opts });
    return {
      add: (b, handOver) => {
        this.queued++;
        const batch = batchBuffers(b);
        w.postMessage({ op: 'group', id, batch }, handOver ? bufferList(batch) : []);
      },
      end: () =>
        new Promise((resolve, reject) => {
          this.waiting.set(id, { resolve, reject });
          w.postMessage({ op: 'end', id });
        }),
    };
  }

  /** Resolves once at most `n` batches wait to be encoded (what keeps the memory bounded). */
  async ready(n: number): Promise<void> {
    while (this.queued > n) await new Promise<void>((r) => this.drained.push(r));
  }

  private start(): Worker {
    if (this.worker) return this.worker;
    const w = new Worker(WORKER);
    // Starting a worker resets V8's flags: the program's heap flags are set again once it is up.
    keepHeapFlags(w);
    w.on('message', (m: WorkerReply) => {
      if (m.done) {
        this.queued--;
        if (m.buffers) batchBufferPool.give(m.buffers);
        for (const r of this.drained.splice(0)) r();
        return;
      }
      const p = this.waiting.get(m.id)!;
      this.waiting.delete(m.id);
      if (m.bytes) p.resolve(m.bytes);
      else p.reject(new Error(`Parquet encoding failed: ${m.error}`));
    });
    w.on('error', (e) => {
      for (const p of this.waiting.values()) p.reject(e);
      this.waiting.clear();
      this.queued = 0;
      for (const r of this.drained.splice(0)) r();
    });
    this.worker = w;
    return w;
  }

  async close(): Promise<void> {
    const w = this.worker;
    this.worker = undefined;
    if (w) await w.terminate();
  }
}

/** What the encoding thread posts: a batch encoded (its buffers back), or a file's bytes or its error. */
interface WorkerReply {
  done?: true;
  id: number;
  buffers?: ArrayBuffer[];
  bytes?: Uint8Array;
  error?: string;
}

const WORKER = fileURLToPath(new URL('./parquet-worker.js', import.meta.url));
