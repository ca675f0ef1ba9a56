// `scapkit export -r IN -w OUT --format scap|scapkit|jsonl`: converts between sysdig's .scap format and
// scapkit's; `--format parquet` writes tables for SQL engines (./parquet-export.ts).

import { createReplayPipeline } from '@scapkit/replay';
import {
  type CaptureStats,
  CODEC_NAMES,
  type CodecName,
  ScapkitWriter,
  ScapTruncatedError,
  writeSysdigCapture,
} from '@scapkit/scap-format';
import { createFileSink, openCaptureFile } from '@scapkit/scap-format/node';
import type { CommandModule } from 'yargs';
import { EXIT, UsageError, warn } from '../exit.js';
import { RECORDER_VERSION } from '../version.js';
import { codecFromFlag } from './codec.js';

interface ExportArgs {
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
        .option('from', {
          type: 'string',
          describe: 'with --format parquet: first event time (ns or ISO 8601)',
        })
        .option('to', {
          type: 'string',
          describe: 'with --format parquet: end time, exclusive (ns or ISO 8601)',
        })
        .check((a) => {
          if (a.format !== 'parquet') {
            if (a.read.length !== 1) throw new UsageError(`--format ${a.format} reads one capture (-r once)`);
            for (const f of ['hostname', 'append', 'force', 'from', 'to'] as const) {
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
      const read = args.read[0]!;
      const codec = codecFromFlag(args.codec);
      const sink = await createFileSink(args.write);
      let truncated: ScapTruncatedError | undefined;
      // A cut input still exports everything complete in it: the stream is consumed up to the error.
      async function* untilCut(): AsyncGenerator<import('@scapkit/scap-format').CaptureRecord> {
        try {
          yield* openCaptureFile(read);
        } catch (e) {
          if (e instanceof ScapTruncatedError) truncated = e;
          else throw e;
        }
      }
      let events = 0;
      if (args.format === 'scap') {
        const r = await writeSysdigCapture(untilCut(), sink);
        events = r.events;
      } else if (args.format === 'jsonl') {
        // The same objects as `replay -j`, one per line.
        const enc = new TextEncoder();
        let parts: string[] = [];
        let size = 0;
        const pipeline = createReplayPipeline({
          json: true,
          write: (line) => {
            parts.push(line, '\n');
            size += line.length + 1;
          },
        });
        for await (const rec of untilCut()) {
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
        let writer: ScapkitWriter | undefined;
        let stats: CaptureStats | undefined;
        for await (const rec of untilCut()) {
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
          } else stats = rec.stats;
        }
        await writer?.close(stats);
      }
      process.stderr.write(`scapkit: wrote ${events} events to ${args.write}\n`);
      if (truncated) {
        warn(
          `${read} was cut short (${truncated.message}); everything complete before the cut was exported.`,
        );
        setCode(EXIT.DATA_LOST);
      }
    },
  };
}
