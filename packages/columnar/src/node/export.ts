// Parquet export in a hive layout: DIR/<table>/host=H/date=YYYY-MM-DD/part-NNNN.parquet for the tables
// events, processes, connections and files. Each capture runs once through the Pipeline with the events
// sink and the tables beside it; batches are routed to their partition and written as part files of up to
// `partRows` rows. Part files are written under a temporary name and linked into place without replacing
// anything: `--append` only ever adds files.
import { link, mkdir, readdir, rm, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createFieldRegistry, Pipeline } from '@scapkit/replay';
import { type CaptureRecord, type CaptureStream, ScapTruncatedError } from '@scapkit/scap-format';
import type { RecordBatch } from 'apache-arrow';
import { DEFAULT_BATCH_SIZE, EventBatchBuilder } from '../events.js';
import { EVENT_COLUMNS } from '../schema.js';
import { CaptureTables, type TableName } from '../tables.js';
import { rowFilter, type TimeRange } from '../to-arrow.js';
import { ParquetEncoder, type ParquetPart } from './parquet.js';

/** The events columns the schema asks to encode otherwise than by dictionary. */
const EVENT_ENCODINGS = Object.fromEntries(
  EVENT_COLUMNS.filter((c) => c.parquet).map((c) => [c.name, c.parquet!] as const),
);
const TABLE_ENCODINGS = { first_seen: 'delta' } as const;
/** Batches posted to the encoder and not encoded yet, at most, before the reading waits. */
const QUEUED_BATCHES = 4;

/** The tables of an export, each a directory under DIR. */
export const TABLES = ['events', 'processes', 'connections', 'files'] as const;
export type ExportTable = (typeof TABLES)[number];

export interface ParquetExportOptions extends TimeRange {
  /** The output directory. */
  dir: string;
  /** The host name of every row (and partition), instead of each trace's own. */
  hostname?: string;
  /** 'new' (default) refuses a directory that exists and is not empty; 'append' adds files; 'force' replaces the tables. */
  mode?: 'new' | 'append' | 'force';
  /** Rows per part file (default 1,048,576). */
  partRows?: number;
  /** Rows per batch and row group (default 65,536). */
  batchSize?: number;
  /** A sysdig filter on the events rows. */
  filter?: string;
}

/** The output directory exists, is not empty, and neither --append nor --force was given. */
export class OutputDirNotEmptyError extends Error {
  override readonly name = 'OutputDirNotEmptyError';
  constructor(readonly dir: string) {
    super(
      `${dir} exists and is not empty: --append adds new part files to it (nothing is rewritten), ` +
        '--force replaces its events, processes, connections and files tables',
    );
  }
}

export interface CaptureExportResult {
  /** Event rows written. */
  events: number;
  /** Set when the capture was cut: every complete event before the cut was exported. */
  cut?: ScapTruncatedError;
}

/** Hive's escaping of a partition value (what Spark and DuckDB read back). */
export function partitionValue(v: string): string {
  return v.replace(
    /[\u0000-\u001f"#%'*/:=?\\\u007f{[\]^]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`,
  );
}

const DAY_NS = 86_400_000_000_000n;

/** YYYY-MM-DD (UTC) of a timestamp in ns. */
function dayOf(ns: bigint): string {
  return new Date(Number(ns / DAY_NS) * 86_400_000).toISOString().slice(0, 10);
}

interface Partition {
  table: ExportTable;
  dir: string;
  /** The part file being written: its batches are encoded as they come. */
  part: ParquetPart | undefined;
  rows: number;
  /** The next part number, found from the files already there on first use. */
  next: number | undefined;
  /** The partition's part files are written one after the other, in order. */
  written: Promise<void>;
}

export class ParquetExporter {
  private readonly partitions = new Map<string, Partition>();
  private readonly partRows: number;
  private readonly pending: Promise<void>[] = [];
  private readonly encoder = new ParquetEncoder();
  private failure: unknown;
  /** Part files written, relative to the output directory. */
  readonly written: string[] = [];

  private constructor(private readonly opts: ParquetExportOptions) {
    this.partRows = opts.partRows ?? 1 << 20;
  }

  /** Checks (and with 'force' clears) the output directory, then returns an exporter into it. */
  static async open(opts: ParquetExportOptions): Promise<ParquetExporter> {
    const mode = opts.mode ?? 'new';
    let entries: string[] = [];
    try {
      entries = await readdir(opts.dir);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
    }
    if (entries.length > 0) {
      if (mode === 'new') throw new OutputDirNotEmptyError(opts.dir);
      if (mode === 'force') {
        // Only the tables this command writes: anything else the user keeps there stays.
        for (const t of TABLES) await rm(join(opts.dir, t), { recursive: true, force: true });
      }
    }
    await mkdir(opts.dir, { recursive: true });
    return new ParquetExporter(opts);
  }

  /**
   * Exports one capture (rows limited to `range`, `to` exclusive, when given; else to the options' range);
   * a cut capture exports its complete events and reports the cut.
   */
  async exportCapture(capture: CaptureStream, range?: TimeRange): Promise<CaptureExportResult> {
    const registry = createFieldRegistry();
    const tables = new CaptureTables(registry);
    const builder = new EventBatchBuilder(
      {
        hostname: this.opts.hostname,
        registry,
        batchSize: this.opts.batchSize ?? DEFAULT_BATCH_SIZE,
        tables,
      },
      (b) => this.add('events', b, 'ts'),
    );
    const pipeline = new Pipeline({ sink: builder, filter: rowFilter({ ...this.opts, ...range }, registry) });
    let cut: ScapTruncatedError | undefined;
    try {
      for await (const rec of capture as AsyncIterable<CaptureRecord>) {
        pipeline.push(rec);
        // Batches being encoded: a few behind the reading; part files being written: at most two.
        await this.encoder.ready(QUEUED_BATCHES);
        while (this.pending.length > 2) await this.pending.shift();
        if (this.failure !== undefined) throw this.failure;
      }
    } catch (e) {
      if (!(e instanceof ScapTruncatedError)) throw e;
      cut = e;
    }
    builder.end();
    const t = tables.finish();
    for (const name of ['processes', 'connections', 'files'] as const) {
      const b = t[name as TableName];
      if (b) this.add(name, b, 'first_seen');
    }
    await this.settle();
    return { events: builder.count, ...(cut ? { cut } : {}) };
  }

  /** Writes what every partition still holds; the export is complete when this resolves. */
  async close(): Promise<void> {
    for (const p of this.partitions.values()) this.flush(p);
    try {
      await this.settle();
    } finally {
      await this.encoder.close();
    }
  }

  private async settle(): Promise<void> {
    while (this.pending.length > 0) await this.pending.shift();
    if (this.failure !== undefined) throw this.failure;
  }

  /** Routes a batch (sorted by `tsColumn`) to its host and date partitions. */
  private add(table: ExportTable, batch: RecordBatch, tsColumn: string): void {
    const ts = batch.getChild(tsColumn)?.data[0]?.values;
    if (!(ts instanceof BigInt64Array)) throw new Error(`a ${table} batch without its ${tsColumn} column`);
    const host = batch.getChild('host')!.get(0) as string;
    let start = 0;
    while (start < batch.numRows) {
      const first = ts[start] ?? 0n;
      const day = dayOf(first);
      // Rows are sorted by ts: the day's rows are contiguous; find where the next day starts.
      const nextDay = (first / DAY_NS + 1n) * DAY_NS;
      let lo = start;
      let hi = batch.numRows;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if ((ts[mid] ?? 0n) < nextDay) lo = mid + 1;
        else hi = mid;
      }
      const whole = start === 0 && lo === batch.numRows;
      const part = whole ? batch : batch.slice(start, lo);
      const p = this.partition(table, host, day);
      p.part ??= this.encoder.open(part.schema, {
        encodings: table === 'events' ? EVENT_ENCODINGS : TABLE_ENCODINGS,
      });
      // A batch split between days shares its buffers between the parts: those are copied.
      p.part.add(part, whole);
      p.rows += part.numRows;
      if (p.rows >= this.partRows) this.flush(p);
      start = lo;
    }
  }

  private partition(table: ExportTable, host: string, day: string): Partition {
    const dir = join(table, `host=${partitionValue(host)}`, `date=${day}`);
    let p = this.partitions.get(dir);
    if (!p) {
      p = { table, dir, part: undefined, rows: 0, next: undefined, written: Promise.resolve() };
      this.partitions.set(dir, p);
    }
    return p;
  }

  private flush(p: Partition): void {
    if (p.rows === 0 || !p.part) return;
    const encoded = p.part.end();
    p.part = undefined;
    p.rows = 0;
    p.written = Promise.all([encoded, p.written]).then(([bytes]) => this.writePart(p, bytes));
    // Held until settle() rethrows it, so that a failure is never an unhandled rejection.
    this.pending.push(
      p.written.catch((e: unknown) => {
        this.failure ??= e;
      }),
    );
  }

  /** Writes the next part-NNNN.parquet of a partition: never over an existing file. */
  private async writePart(p: Partition, bytes: Uint8Array): Promise<void> {
    const dir = join(this.opts.dir, p.dir);
    if (p.next === undefined) {
      await mkdir(dir, { recursive: true });
      let max = -1;
      for (const f of await readdir(dir)) {
        const m = /^part-(\d+)\.parquet$/.exec(f);
        if (m) max = Math.max(max, Number(m[1]));
      }
      p.next = max + 1;
    }
    for (;;) {
      const name = `part-${String(p.next++).padStart(4, '0')}.parquet`;
      const tmp = join(dir, `.${name}.${process.pid}.tmp`);
      await writeFile(tmp, bytes, { mode: 0o644 });
      try {
        // link() fails if the name exists: a part file is never replaced, even by another export.
        await link(tmp, join(dir, name));
        this.written.push(join(p.dir, name));
        return;
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      } finally {
        await unlink(tmp);
      }
    }
  }
}
