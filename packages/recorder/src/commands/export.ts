// `scapkit export -r IN -w OUT --format scap|scapkit|jsonl [filter]`: converts between sysdig's .scap format
// and scapkit's, or to JSON lines; `--format parquet` writes tables for SQL engines (./parquet-export.ts).
// A filter keeps what a capture filter keeps (@scapkit/replay's CaptureFilter) in a capture, and the
// matching events in JSON lines (as `replay -j FILTER` prints them). A scapkit trace gets checkpoints
// (--checkpoint-seconds). With --from/--to the output holds the events in the range and starts from the
// tables as they were just before it, so it replays as the range of the whole did.
import {
  CaptureFilter,
  CheckpointClock,
  createReplayPipeline,
  Pipeline,
  type TimeRange,
} from '@scapkit/replay';
import {
  type CaptureMetadata,
  type CaptureRecord,
  type CaptureStats,
  CODEC_NAMES,
  type CodecName,
  type EventBatch,
  ScapkitWriter,
  writeSysdigCapture,
} from '@scapkit/scap-format';
import { createFileSink } from '@scapkit/scap-format/node';
import type { CommandModule } from 'yargs';
import { openInput, TIME_RANGE_OPTIONS, type TimeRangeArgs } from '../capture-input.js';
import { UsageError } from '../exit.js';
import { joinFilter } from '../live.js';
import { RECORDER_VERSION } from '../version.js';
import { codecFromFlag } from './codec.js';

interface ExportArgs extends TimeRangeArgs {
  filter?: string[];
  read: string[];
  write: string;
  format: 'scap' | 'scapkit' | 'jsonl' | 'parquet';
  codec?: CodecName;
  'checkpoint-seconds': number;
  'exclude-users': boolean;
  hostname?: string;
  append?: boolean;
  force?: boolean;
}

export function exportCommand(setCode: (c: number) => void): CommandModule<object, ExportArgs> {
  return {
    command: 'export [filter..]',
    describe:
      'convert a capture: to a sysdig .scap (--format scap), a scapkit trace (--format scapkit), JSON lines (--format jsonl), or traces to Parquet tables in a directory (--format parquet)',
    builder: (y) =>
      y
        .positional('filter', {
          type: 'string',
          array: true,
          describe:
            'sysdig filter: a capture keeps the matching events and what they need (see record --help); JSON lines, the matching events',
        })
        .option('read', {
          alias: 'r',
          type: 'string',
          array: true,
          nargs: 1,
          demandOption: true,
          describe: 'input capture (either format); --format parquet takes several (-r A -r B)',
        })
        .option('write', {
          alias: 'w',
          type: 'string',
          demandOption: true,
          describe: 'output file (created 0600); with --format parquet, a directory',
        })
        .option('format', {
          choices: ['scap', 'scapkit', 'jsonl', 'parquet'] as const,
          default: 'scap' as const,
          describe: 'output format',
        })
        .option('codec', {
          choices: CODEC_NAMES,
          describe:
            'with --format scapkit: chunk compression (default: zstd when its native module is installed, else lz4)',
        })
        .option('checkpoint-seconds', {
          type: 'number',
          default: 10,
          describe:
            'with --format scapkit: a checkpoint every N seconds of trace time and every 32 MiB of events, for --from/--to to start from (0: none)',
        })
        .option('exclude-users', {
          alias: 'E',
          type: 'boolean',
          default: false,
          describe: "no user and group tables in the output (sysdig -E): the box's accounts stay on the box",
        })
        .options(TIME_RANGE_OPTIONS)
        .option('hostname', {
          type: 'string',
          describe: "with --format parquet: the host of every row, instead of each trace's own",
        })
        .option('append', {
          type: 'boolean',
          describe: 'with --format parquet: add part files to a directory that has some (never rewrites one)',
        })
        .option('force', {
          type: 'boolean',
          describe: 'with --format parquet: replace the tables of a directory that has some',
        })
        .check((a) => {
          if (a.format === 'parquet' && a['exclude-users'])
            throw new UsageError('-E applies to --format scap, scapkit and jsonl');
          if (a.format === 'parquet' && (a.filter?.length ?? 0) > 0)
            throw new UsageError('a filter applies to --format scap, scapkit and jsonl, not to parquet');
          if (a.format !== 'parquet') {
            if (a.read.length !== 1) throw new UsageError(`--format ${a.format} reads one capture (-r once)`);
            for (const f of ['hostname', 'append', 'force'] as const) {
              if (a[f] !== undefined) throw new UsageError(`--${f} applies to --format parquet only`);
            }
          }
          return true;
        }) as never,
    handler: async (args) => {
      if (args.format === 'parquet') {
        const { runParquetExport } = await import('./parquet-export.js');
        await runParquetExport(args, setCode);
        return;
      }
      const codec = codecFromFlag(args.codec);
      const seconds = args['checkpoint-seconds'];
      if (!(seconds >= 0)) throw new UsageError('--checkpoint-seconds takes a number of seconds (0: none)');
      const filterText = joinFilter(args.filter);
      // Compiled before anything is opened: a bad filter is bad usage, and creates no file.
      const capture = filterText && args.format !== 'jsonl' ? new CaptureFilter(filterText) : undefined;
      const [path] = args.read;
      if (path === undefined) throw new UsageError('export needs a capture to read (-r)');
      const input = await openInput(path, args);
      const range = input.timeRange;
      // -E: every table of the input but users and groups, which are left empty.
      const tables = (md: CaptureMetadata): CaptureMetadata =>
        args['exclude-users'] ? { ...md, users: [], groups: [] } : md;
      // The first record is read before the output is created: a file that is no capture leaves none.
      const source = input.records()[Symbol.asyncIterator]();
      const first = await source.next();
      const withTables = (rec: CaptureRecord): CaptureRecord =>
        rec.kind === 'metadata' ? { kind: 'metadata', metadata: tables(rec.metadata) } : rec;
      async function* records(): AsyncGenerator<CaptureRecord> {
        if (!first.done) yield withTables(first.value);
        for (let r = await source.next(); !r.done; r = await source.next()) yield withTables(r.value);
      }
      const sink = await createFileSink(args.write);
      let events = 0;
      if (args.format === 'jsonl') {
        // The same objects as `replay -j`, one per line.
        const enc = new TextEncoder();
        let parts: string[] = [];
        let size = 0;
        const pipeline = createReplayPipeline({
          json: true,
          filter: filterText,
          timeRange: range,
          write: (line) => {
            parts.push(line, '\n');
            size += line.length + 1;
            events++;
          },
        });
        for await (const rec of records()) {
          pipeline.push(rec);
          if (size >= 1 << 20) {
            await sink.write(enc.encode(parts.join('')));
            parts = [];
            size = 0;
          }
        }
        if (size) await sink.write(enc.encode(parts.join('')));
        await sink.close();
      } else {
        // A capture filter sees every event read (its state engine needs them); a range applies to what it
        // keeps, and starts from the tables a reader of that has when the range begins.
        const kept = capture ? capture.apply(records()) : records();
        async function* inRange(): AsyncGenerator<CaptureRecord> {
          if (!range) yield* kept;
          else for await (const rec of rangeOf(kept, range)) yield withTables(rec);
        }
        if (args.format === 'scap') {
          events = (await writeSysdigCapture(inRange(), sink)).events;
        } else {
          let writer: ScapkitWriter | undefined;
          let stats: CaptureStats | undefined;
          const clock = seconds > 0 ? new CheckpointClock(BigInt(Math.round(seconds * 1e9))) : undefined;
          for await (const rec of inRange()) {
            if (rec.kind !== 'events') clock?.push(rec);
            if (rec.kind === 'header') {
              const { format, version, ...rest } = rec.header;
              writer = new ScapkitWriter(
                sink,
                { ...rest, recorderVersion: RECORDER_VERSION, source: `${format} ${version}` },
                { codec },
              );
            } else if (rec.kind === 'metadata') await writer!.writeMetadata(rec.metadata);
            else if (rec.kind === 'events') {
              events += rec.batch.count;
              // Cut where a checkpoint falls due, so they come every N seconds whatever the batch sizes.
              let b = rec.batch;
              while (b.count > 0) {
                const n = clock ? clock.eventsUntilDue(b) : b.count;
                const head = { data: b.data, offsets: b.offsets.subarray(0, n), count: n };
                await writer!.writeBatch(head);
                clock?.push({ kind: 'events', batch: head });
                const due = clock?.due();
                if (due) await writer!.checkpoint(tables(due));
                b = { data: b.data, offsets: b.offsets.subarray(n, b.count), count: b.count - n };
              }
            } else if (rec.kind === 'stats') stats = rec.stats;
            // The input's checkpoints: the clock writes the output's own.
          }
          await writer?.close(stats);
        }
      }
      await input.close();
      process.stderr.write(`scapkit: wrote ${events} events to ${args.write}\n`);
      setCode(input.finish({ cut: () => 'was exported' }));
    },
  };
}

/**
 * The records of a range as a capture of their own: a state engine follows everything before the first
 * event in range, whose tables then become the capture's first metadata; then the events in range, and
 * the metadata records (a new section) met among them.
 */
async function* rangeOf(
  records: AsyncIterable<CaptureRecord>,
  range: TimeRange,
): AsyncGenerator<CaptureRecord> {
  const before = Pipeline.stateOnly();
  let started = false;
  for await (const rec of records) {
    if (rec.kind === 'header' || rec.kind === 'stats') yield rec;
    else if (rec.kind === 'events') {
      const b = rec.batch;
      if (!started) {
        const first = firstInRange(b, range);
        // Events before the range: state only. The rest starts the output with the tables so far.
        before.processBatch({ data: b.data, offsets: b.offsets.subarray(0, first), count: first });
        if (first === b.count) continue;
        started = true;
        yield { kind: 'metadata', metadata: before.state.snapshot() };
      }
      const kept = eventsInRange(b, range);
      if (kept.count > 0) yield { kind: 'events', batch: kept };
    } else if (!started) before.push(rec);
    else if (rec.kind === 'metadata') yield rec;
  }
}

/** Index of the first event of `batch` inside `range` (`count` when none is). */
function firstInRange(batch: EventBatch, range: TimeRange): number {
  const dv = new DataView(batch.data.buffer, batch.data.byteOffset, batch.data.byteLength);
  for (const [i, off] of batch.offsets.subarray(0, batch.count).entries()) {
    const ts = dv.getBigUint64(off, true);
    if (ts >= range.fromNs && ts <= range.toNs) return i;
  }
  return batch.count;
}

/** The events of `batch` inside `range`, as a batch over the same bytes. */
function eventsInRange(batch: EventBatch, range: TimeRange): EventBatch {
  const dv = new DataView(batch.data.buffer, batch.data.byteOffset, batch.data.byteLength);
  const offsets = new Uint32Array(batch.count);
  let n = 0;
  for (const off of batch.offsets.subarray(0, batch.count)) {
    const ts = dv.getBigUint64(off, true);
    if (ts >= range.fromNs && ts <= range.toNs) offsets[n++] = off;
  }
  return { data: batch.data, offsets, count: n };
}
