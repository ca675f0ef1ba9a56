// `scapkit query 'SQL' [TRACE | DIR]...`: SQL through embedded DuckDB over the views events, processes,
// connections and files: Parquet export directories read in place, traces named directly exported on the
// fly. Output: an aligned table on a terminal, CSV (--csv) or JSON lines (--json).
import { isExportDir, QueryError, type QueryResult, QuerySession } from '@scapkit/columnar/node';
import { openCaptureFile } from '@scapkit/scap-format/node';
import type { CommandModule } from 'yargs';
import { CliError, EXIT, UsageError, warn } from '../exit.js';
import { TextOutput } from '../output.js';
import { useExportHeapFlags } from './parquet-export.js';

interface QueryArgs {
  sql: string;
  inputs?: string[];
  csv?: boolean;
  json?: boolean;
}

export function queryCommand(setCode: (c: number) => void): CommandModule<object, QueryArgs> {
  return {
    command: 'query <sql> [inputs..]',
    describe:
      'SQL over traces and Parquet exports (embedded DuckDB): views events, processes, connections, files',
    builder: (y) =>
      y
        .positional('sql', {
          type: 'string',
          demandOption: true,
          describe: 'the SQL (one or more statements)',
        })
        .positional('inputs', {
          type: 'string',
          array: true,
          describe: 'traces (either format) and directories written by export --format parquet',
        })
        .option('csv', { type: 'boolean', describe: 'CSV with a header line' })
        .option('json', { type: 'boolean', describe: 'one JSON object per row' })
        .check((a) => {
          if (a.csv && a.json) throw new UsageError('--csv and --json exclude each other');
          return true;
        })
        .example(
          "scapkit query 'select host, count(*) from events group by host' fleet/",
          'events per host of an export',
        ) as never,
    handler: async (args) => {
      const dirs: string[] = [];
      const captures: { path: string; open(): ReturnType<typeof openCaptureFile> }[] = [];
      for (const p of args.inputs ?? []) {
        if (await isExportDir(p)) dirs.push(p);
        // Reused batch buffers, as export's: each batch's rows are built before the next is read.
        else captures.push({ path: p, open: () => openCaptureFile(p, { reuseBatchBuffers: true }) });
      }
      // A trace named directly is exported first, with the export's heap flags.
      if (captures.length > 0) useExportHeapFlags();
      const session = await QuerySession.open({
        dirs,
        captures,
        onCapture(path, r) {
          if (!r.cut) return;
          warn(
            `${path} is cut short: ${r.cut.message}. Its ${r.events} complete events are queried; ` +
              `the ${r.cut.trailingBytes} bytes after the last complete record were lost.`,
          );
          setCode(EXIT.DATA_LOST);
        },
      });
      let result: QueryResult;
      try {
        result = await session.query(args.sql);
      } catch (e) {
        if (e instanceof QueryError) throw new CliError(e.message, EXIT.USAGE);
        throw e;
      } finally {
        await session.close();
      }
      const out = new TextOutput();
      const lines = args.csv
        ? csvLines(result)
        : args.json
          ? jsonLines(result)
          : tableLines(result, process.stdout.isTTY === true);
      for (const l of lines) {
        const wait = out.line(l);
        if (wait) await wait;
      }
      await out.flush();
    },
  };
}

function cellText(v: unknown): string {
  if (v === null || v === undefined) return '';
  return typeof v === 'string' ? v : JSON.stringify(v);
}

function csvCell(v: unknown): string {
  const s = cellText(v);
  return /[",\r\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}

export function csvLines(r: QueryResult): string[] {
  return [r.columns.map(csvCell).join(','), ...r.rows.map((row) => row.map(csvCell).join(','))];
}

export function jsonLines(r: QueryResult): string[] {
  return r.rows.map((row) =>
    JSON.stringify(Object.fromEntries(r.columns.map((c, i) => [c, row[i] ?? null]))),
  );
}

/** Columns padded to their widest cell (NULL shown as such); numbers right-aligned; a row count under it. */
export function tableLines(r: QueryResult, terminal: boolean): string[] {
  const cells = r.rows.map((row) => row.map((v) => (v === null || v === undefined ? 'NULL' : cellText(v))));
  const widths = r.columns.map((c, i) => Math.max(c.length, ...cells.map((row) => (row[i] ?? '').length)));
  const numeric = r.columns.map((_, i) => r.rows.length > 0 && r.rows.every((row) => isNumberLike(row[i])));
  const fmt = (row: string[]) =>
    row
      .map((s, i) => (numeric[i] ? s.padStart(widths[i] ?? 0) : s.padEnd(widths[i] ?? 0)))
      .join('  ')
      .trimEnd();
  const lines = [fmt(r.columns), widths.map((w) => '-'.repeat(w)).join('  '), ...cells.map(fmt)];
  if (terminal) lines.push(`(${r.rows.length} row${r.rows.length === 1 ? '' : 's'})`);
  return lines;
}

function isNumberLike(v: unknown): boolean {
  return v === null || typeof v === 'number' || (typeof v === 'string' && /^-?\d+(\.\d+)?$/.test(v));
}
