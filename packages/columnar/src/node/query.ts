// SQL over traces and Parquet exports with embedded DuckDB: the views events, processes, connections and
// files read every named export directory in place (hive partitioning: host and date), and every trace
// named directly after it is exported to a temporary directory with the same exporter (DuckDB's Node API
// has no Arrow scan, and its arrow extension is not bundled; see the README). A table no input has is an
// empty view with the schema's columns, so every query can name all four.
import { mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import type { CaptureStream } from '@scapkit/scap-format';
import { EVENT_COLUMNS } from '../schema.js';
import { TABLE_COLUMNS } from '../tables.js';
import { type CaptureExportResult, type ExportTable, ParquetExporter, TABLES } from './export.js';

/** A statement DuckDB refused: its message, which names the position (`LINE 1: …` and a caret). */
export class QueryError extends Error {
  override readonly name = 'QueryError';
}

export interface QueryResult {
  columns: string[];
  /** Rows of JSON-ready values (64-bit integers and timestamps as strings, as DuckDB renders them). */
  rows: unknown[][];
}

/** DuckDB's type for each column kind (also the name of its type constant in @duckdb/node-api). */
export const DUCKDB_TYPE = {
  timestamp: 'TIMESTAMP_NS',
  int64: 'BIGINT',
  int32: 'INTEGER',
  bool: 'BOOLEAN',
  dictionary: 'VARCHAR',
  utf8: 'VARCHAR',
  map: 'MAP(VARCHAR, VARCHAR)',
} as const;

/** The empty relation with a table's columns (and the hive partition columns). */
function emptyRelation(table: ExportTable): string {
  const cols =
    table === 'events'
      ? EVENT_COLUMNS.map((c) => [c.name, DUCKDB_TYPE[c.kind]] as const)
      : TABLE_COLUMNS[table].map((c) => [c.name, DUCKDB_TYPE[c.kind]] as const);
  const list = [...cols, ['date', 'DATE'] as const].map(([n, t]) => `NULL::${t} AS "${n}"`).join(', ');
  return `SELECT ${list} WHERE false`;
}

function sqlString(s: string): string {
  return `'${s.replaceAll("'", "''")}'`;
}

async function hasParquet(dir: string): Promise<boolean> {
  try {
    for (const e of await readdir(dir, { recursive: true })) if (String(e).endsWith('.parquet')) return true;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
  }
  return false;
}

export interface QueryInputs {
  /** Parquet export directories (as `scapkit export --format parquet` writes them). */
  dirs: string[];
  /** Traces to read: each is exported once into a temporary directory. */
  captures: { path: string; open(): CaptureStream }[];
  /** Called with each trace's export result (a cut trace still yields its complete events). */
  onCapture?(path: string, result: CaptureExportResult): void;
}

/** A DuckDB connection with the four views over the inputs; close() removes any temporary export. */
export class QuerySession {
  private constructor(
    readonly connection: DuckDBConnection,
    private readonly instance: DuckDBInstance,
    private readonly temp: string | undefined,
  ) {}

  static async open(inputs: QueryInputs): Promise<QuerySession> {
    const dirs = [...inputs.dirs];
    let temp: string | undefined;
    if (inputs.captures.length > 0) {
      temp = await mkdtemp(join(tmpdir(), 'scapkit-query-'));
      const exporter = await ParquetExporter.open({ dir: temp, mode: 'append' });
      for (const c of inputs.captures) inputs.onCapture?.(c.path, await exporter.exportCapture(c.open()));
      await exporter.close();
      dirs.push(temp);
    }
    const instance = await DuckDBInstance.create(':memory:');
    const connection = await instance.connect();
    const session = new QuerySession(connection, instance, temp);
    try {
      for (const table of TABLES) {
        const globs: string[] = [];
        for (const d of dirs)
          if (await hasParquet(join(d, table))) globs.push(join(d, table, '**', '*.parquet'));
        const source =
          globs.length === 0
            ? emptyRelation(table)
            : `SELECT * FROM read_parquet([${globs.map(sqlString).join(', ')}], hive_partitioning = true, union_by_name = true)`;
        await connection.run(`CREATE VIEW ${table} AS ${source}`);
      }
    } catch (e) {
      await session.close();
      throw e;
    }
    return session;
  }

  /** Runs one or more statements; the last one's rows. A statement DuckDB refuses throws QueryError. */
  async query(sql: string): Promise<QueryResult> {
    let reader: Awaited<ReturnType<DuckDBConnection['runAndReadAll']>>;
    try {
      reader = await this.connection.runAndReadAll(sql);
    } catch (e) {
      throw new QueryError(e instanceof Error ? e.message : String(e));
    }
    return { columns: reader.columnNames(), rows: reader.getRowsJson() as unknown[][] };
  }

  async close(): Promise<void> {
    this.connection.closeSync();
    this.instance.closeSync();
    if (this.temp) await rm(this.temp, { recursive: true, force: true });
  }
}

/** Whether `path` names a Parquet export directory rather than a trace. */
export async function isExportDir(path: string): Promise<boolean> {
  return (await stat(path)).isDirectory();
}
