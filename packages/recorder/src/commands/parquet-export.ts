// `scapkit export -r TRACE [-r TRACE]... --format parquet -w DIR`: the traces as Parquet tables (events,
// processes, connections, files) in a hive layout, through @scapkit/columnar's exporter.
import { OutputDirNotEmptyError, ParquetExporter } from '@scapkit/columnar/node';
import { openCaptureFile } from '@scapkit/scap-format/node';
import { CliError, EXIT, UsageError, warn } from '../exit.js';

export interface ParquetExportArgs {
  read: string[];
  write: string;
  hostname?: string;
  append?: boolean;
  force?: boolean;
  from?: string;
  to?: string;
}

/**
 * A --from/--to value: ns since the epoch (digits), or a date and time Date.parse reads
 * (`2024-05-01T12:00:00Z`; without a zone it is local time), to the millisecond.
 */
export function parseTimeBound(flag: string, s: string | undefined): bigint | undefined {
  if (s === undefined) return undefined;
  if (/^\d+$/.test(s)) return BigInt(s);
  const ms = Date.parse(s);
  if (Number.isNaN(ms)) {
    throw new UsageError(
      `--${flag} '${s}': give ns since the epoch or a date and time (2024-05-01T12:00:00Z)`,
    );
  }
  return BigInt(ms) * 1_000_000n;
}

export async function runParquetExport(args: ParquetExportArgs, setCode: (c: number) => void): Promise<void> {
  if (args.append && args.force) throw new UsageError('--append and --force exclude each other');
  if (args.hostname !== undefined && args.hostname.trim() === '')
    throw new UsageError('--hostname needs a name');
  const from = parseTimeBound('from', args.from);
  const to = parseTimeBound('to', args.to);
  if (from !== undefined && to !== undefined && to <= from) throw new UsageError('--to must be after --from');
  let exporter: ParquetExporter;
  try {
    exporter = await ParquetExporter.open({
      dir: args.write,
      hostname: args.hostname,
      mode: args.append ? 'append' : args.force ? 'force' : 'new',
      from,
      to,
    });
  } catch (e) {
    if (e instanceof OutputDirNotEmptyError) throw new CliError(e.message, EXIT.USAGE);
    throw e;
  }
  let total = 0;
  for (const path of args.read) {
    const r = await exporter.exportCapture(openCaptureFile(path));
    total += r.events;
    if (r.cut) {
      warn(
        `${path} is cut short: ${r.cut.message}. Its ${r.events} complete events were exported; ` +
          `the ${r.cut.trailingBytes} bytes after the last complete record were lost ` +
          `('scapkit recover' rewrites a scapkit trace whole).`,
      );
      setCode(EXIT.DATA_LOST);
    }
  }
  await exporter.close();
  process.stderr.write(
    `scapkit: wrote ${total} events from ${args.read.length} trace${args.read.length === 1 ? '' : 's'} ` +
      `into ${exporter.written.length} Parquet files under ${args.write}\n`,
  );
}
