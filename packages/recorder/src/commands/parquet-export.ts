// `scapkit export -r TRACE [-r TRACE]... --format parquet -w DIR`: the traces as Parquet tables (events,
// processes, connections, files) in a hive layout, through @scapkit/columnar's exporter.
import { setFlagsFromString } from 'node:v8';
import { OutputDirNotEmptyError, ParquetExporter } from '@scapkit/columnar/node';
import { detachOnce, HEAP_FLAGS_KEY } from '@scapkit/scap-format/node';
import { openInput, type TimeRangeArgs } from '../capture-input.js';
import { CliError, EXIT, UsageError } from '../exit.js';

export interface ParquetExportArgs extends TimeRangeArgs {
  read: string[];
  write: string;
  hostname?: string;
  append?: boolean;
  force?: boolean;
}

/**
 * The export's heap flags, in place of bin/scapkit.js's: the young generation may grow (V8's growth factor)
 * instead of staying at 1 MiB per semi-space. An export's rows allocate more short-lived objects per event
 * than a replay does, and with 1 MiB the main thread spent 15-30% more CPU building them (300k events of
 * work.scap in process, interleaved, best of 3: 3.6 against 3.0 us per row). The old generation may grow
 * to three times its live size before a full collection (200%, where the CLI keeps 10%): V8 counts the
 * ArrayBuffers that arrive on a thread (a batch's, about 18 MB, moved to the encoding thread and back) as
 * old-generation growth, and with 10% the slack (V8 adds 8 MiB and the young generation's size) was less
 * than one batch, so both threads ran a full collection for almost every batch. work5s.scap, perf by
 * thread, interleaved, load 10-12: main 45 full collections and the encoder 31 at 10%, 14 and 5 at 200%;
 * V8's platform threads 2.9-3.0 CPU-s against 1.7-1.9, the whole export 11.4 against 10.2 CPU-s; peak
 * RSS 420 against 475 MB (the whole work.scap: 559 MB, reading into reused batch buffers below, against 499
 * before both). Memory stays bounded: the live heaps are 10-40 MB.
 */
const EXPORT_HEAP_FLAGS = ['--semi-space-growth-factor=2', '--heap-growing-percent=200'];

/** Puts the export's heap flags in force: `export --format parquet`, and `query` on a trace named directly. */
export function useExportHeapFlags(): void {
  // Set again by whoever starts a worker thread (keepHeapFlags), which resets V8's flags.
  (globalThis as Record<symbol, unknown>)[HEAP_FLAGS_KEY] = EXPORT_HEAP_FLAGS;
  for (const f of EXPORT_HEAP_FLAGS) setFlagsFromString(f);
}

export async function runParquetExport(args: ParquetExportArgs, setCode: (c: number) => void): Promise<void> {
  if (args.append && args.force) throw new UsageError('--append and --force exclude each other');
  useExportHeapFlags();
  // Batches move to the Parquet encoder by transfer: a buffer detached now, not in the middle of the export
  // (that would throw away this thread's optimized code: detachOnce).
  detachOnce();
  if (args.hostname !== undefined && args.hostname.trim() === '')
    throw new UsageError('--hostname needs a name');
  let exporter: ParquetExporter;
  try {
    exporter = await ParquetExporter.open({
      dir: args.write,
      hostname: args.hostname,
      mode: args.append ? 'append' : args.force ? 'force' : 'new',
    });
  } catch (e) {
    if (e instanceof OutputDirNotEmptyError) throw new CliError(e.message, EXIT.USAGE);
    throw e;
  }
  let total = 0;
  for (const path of args.read) {
    // The shared input: --from/--to (read from the checkpoint before them), progress, the cut-file note.
    // Reused batch buffers: a batch's rows are built before the next is read. (Batches a reader lets go of
    // only when collected cost 1.02 GB of peak RSS on work.scap, 559 MB this way.)
    const input = await openInput(path, { ...args, reuseBatchBuffers: true });
    try {
      const range = input.timeRange;
      const r = await exporter.exportCapture(
        input.records(),
        range ? { from: range.fromNs, to: range.toNs + 1n } : undefined,
      );
      total += r.events;
      const lost = input.truncation?.trailingBytes ?? 0;
      setCode(
        input.finish({
          cut: () =>
            `(${r.events} events) was exported; the ${lost} bytes after the last complete record were lost`,
        }),
      );
    } finally {
      await input.close();
    }
  }
  await exporter.close();
  process.stderr.write(
    `scapkit: wrote ${total} events from ${args.read.length} trace${args.read.length === 1 ? '' : 's'} ` +
      `into ${exporter.written.length} Parquet files under ${args.write}\n`,
  );
}
