// `scapkit export -r IN -w OUT --format scap|scapkit|jsonl [filter]`: converts between sysdig's .scap format
// and scapkit's, or to JSON lines; `--format parquet` writes tables for SQL engines (./parquet-export.ts).
// A filter keeps what a capture filter keeps (@scapkit/replay's CaptureFilter) in a capture, and the
// matching events in JSON lines (as `replay -j FILTER` prints them).

import { CaptureFilter, createReplayPipeline, StateEngine, type TimeRange } from '@scapkit/replay';
import {
  type CaptureRecord,
  type CaptureStats,
  CODEC_NAMES,
  type CodecName,
  EventView,
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
  hostname?: string;
  append?: boolean;
  force?: boolean;
  from?: string;
  to?: string;
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
      const filterText = joinFilter(args.filter);
      // Compiled before anything is opened: a bad filter is bad usage, and creates no file.
      const capture = filterText && args.format !== 'jsonl' ? new CaptureFilter(filterText) : undefined;
      const input = await openInput(args.read[0]!, args);
      const range = input.timeRange;
      // The first record is read before the output is created: a file that is no capture leaves none.
      const source = input.records()[Symbol.asyncIterator]();
      const first = await source.next();
      async function* records(): AsyncGenerator<CaptureRecord> {
        if (!first.done) yield first.value;
        for (let r = await source.next(); !r.done; r = await source.next()) yield r.value;
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
        const inRange = () => (range ? cutToRange(kept, range) : kept);
        if (args.format === 'scap') {
          events = (await writeSysdigCapture(inRange(), sink)).events;
        } else {
          let writer: ScapkitWriter | undefined;
          let stats: CaptureStats | undefined;
          for await (const rec of inRange()) {
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
              await writer!.writeBatch(rec.batch);
            } else if (rec.kind === 'checkpoint') {
              // The same events before it, so the same tables: carried over unless damaged.
              if (!rec.checkpoint.damage) await writer!.checkpoint(rec.checkpoint.metadata());
            } else stats = rec.stats;
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
 * The records of a time range as a capture of its own: the header, the tables as a reader of `records` has
 * them when the range begins (a state engine runs over what comes before it), the events inside the range,
 * and the statistics. The tables a range read started from (a checkpoint) and those at the range's start
 * differ by every state event between the two: writing the checkpoint's as the export's first tables lost
 * them (a thread cloned in between was <NA> in the export).
 */
async function* cutToRange(
  records: AsyncIterable<CaptureRecord>,
  range: TimeRange,
): AsyncGenerator<CaptureRecord> {
  const engine = new StateEngine();
  const view = new EventView();
  let seen = 0;
  let started = false;
  for await (const rec of records) {
    if (rec.kind === 'header' || rec.kind === 'stats') yield rec;
    else if (rec.kind === 'metadata') {
      if (started) yield rec;
      else engine.reset(rec.metadata);
    } else if (rec.kind === 'checkpoint') {
      // One that accounts for events not read: the read started there (see Pipeline.push).
      const c = rec.checkpoint;
      if (!started && !c.damage && c.eventsBefore > seen) {
        engine.reset(c.metadata());
        seen = c.eventsBefore;
      }
    } else {
      const b = rec.batch;
      seen += b.count;
      const offsets = new Uint32Array(b.count);
      let n = 0;
      for (let i = 0; i < b.count; i++) {
        view.at(b, i);
        const ts = (BigInt(view.tsHi) << 32n) | BigInt(view.tsLo);
        if (ts > range.toNs) continue;
        if (ts < range.fromNs) {
          if (!started) engine.process(view);
          continue;
        }
        if (!started) {
          started = true;
          yield { kind: 'metadata', metadata: engine.snapshot() };
        }
        offsets[n++] = b.offsets[i]!;
      }
      if (n > 0) yield { kind: 'events', batch: { data: b.data, offsets, count: n } };
    }
  }
}
