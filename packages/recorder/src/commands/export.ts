// `scapkit export -r IN -w OUT --format scap|scapkit|jsonl`: converts between sysdig's .scap format and
// scapkit's; `--format parquet` writes tables for SQL engines (./parquet-export.ts).

import { createReplayPipeline, type TimeRange } from '@scapkit/replay';
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
import { RECORDER_VERSION } from '../version.js';
import { codecFromFlag } from './codec.js';

interface ExportArgs extends TimeRangeArgs {
  read: string[];
  write: string;
  format: 'scap' | 'scapkit' | 'jsonl' | 'parquet';
  codec?: CodecName;
  'exclude-users': boolean;
  hostname?: string;
  append?: boolean;
  force?: boolean;
  from?: string;
  to?: string;
}

export function exportCommand(setCode: (c: number) => void): CommandModule<object, ExportArgs> {
  return {
    command: 'export',
    describe:
      'convert a capture: to a sysdig .scap (--format scap), a scapkit trace (--format scapkit), JSON lines (--format jsonl), or traces to Parquet tables in a directory (--format parquet)',
    builder: (y) =>
      y
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
      const input = await openInput(args.read[0]!, args);
      const sink = await createFileSink(args.write);
      const range = input.timeRange;
      // -E: every table of the input but users and groups, which are left empty.
      const tables = (md: CaptureMetadata): CaptureMetadata =>
        args['exclude-users'] ? { ...md, users: [], groups: [] } : md;
      async function* records(): AsyncGenerator<CaptureRecord> {
        for await (const rec of input.records()) {
          yield rec.kind === 'metadata' ? { kind: 'metadata', metadata: tables(rec.metadata) } : rec;
        }
      }
      let events = 0;
      if (args.format === 'jsonl') {
        // The same objects as `replay -j`, one per line.
        const enc = new TextEncoder();
        let parts: string[] = [];
        let size = 0;
        const pipeline = createReplayPipeline({
          json: true,
          timeRange: range,
          write: (line) => {
            parts.push(line, '\n');
            size += line.length + 1;
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
        events = pipeline.ctx.num;
      } else {
        // A range keeps the events inside it, and starts from the tables the reader started from.
        async function* inRange(): AsyncGenerator<CaptureRecord> {
          for await (const rec of records()) {
            if (!range) yield rec;
            else if (rec.kind === 'events') {
              const kept = eventsInRange(rec.batch, range);
              if (kept.count > 0) yield { kind: 'events', batch: kept };
            } else if (rec.kind === 'checkpoint') {
              if (!rec.checkpoint.damage)
                yield { kind: 'metadata', metadata: tables(rec.checkpoint.metadata()) };
            } else yield rec;
          }
        }
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
              if (!rec.checkpoint.damage) await writer!.checkpoint(tables(rec.checkpoint.metadata()));
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

/** The events of `batch` inside `range`, as a batch over the same bytes. */
function eventsInRange(batch: EventBatch, range: TimeRange): EventBatch {
  const dv = new DataView(batch.data.buffer, batch.data.byteOffset, batch.data.byteLength);
  const offsets = new Uint32Array(batch.count);
  let n = 0;
  for (let i = 0; i < batch.count; i++) {
    const ts = dv.getBigUint64(batch.offsets[i]!, true);
    if (ts >= range.fromNs && ts <= range.toNs) offsets[n++] = batch.offsets[i]!;
  }
  return { data: batch.data, offsets, count: n };
}
