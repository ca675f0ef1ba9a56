// `scapkit export -r IN -w OUT --format scap|scapkit`: converts between sysdig's .scap format and scapkit's.

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
import { EXIT, warn } from '../exit.js';
import { RECORDER_VERSION } from '../version.js';
import { codecFromFlag } from './codec.js';

interface ExportArgs {
  read: string;
  write: string;
  format: 'scap' | 'scapkit' | 'jsonl';
  codec?: CodecName;
  'exclude-users': boolean;
}

export function exportCommand(setCode: (c: number) => void): CommandModule<object, ExportArgs> {
  return {
    command: 'export',
    describe:
      'convert a capture: to a sysdig .scap (--format scap), a scapkit trace (--format scapkit) or JSON lines (--format jsonl)',
    builder: (y) =>
      y
        .option('read', {
          alias: 'r',
          type: 'string',
          demandOption: true,
          describe: 'input capture (either format)',
        })
        .option('write', {
          alias: 'w',
          type: 'string',
          demandOption: true,
          describe: 'output file (created 0600)',
        })
        .option('format', {
          choices: ['scap', 'scapkit', 'jsonl'] as const,
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
        }) as never,
    handler: async (args) => {
      const codec = codecFromFlag(args.codec);
      const sink = await createFileSink(args.write);
      let truncated: ScapTruncatedError | undefined;
      // A cut input still exports everything complete in it: the stream is consumed up to the error.
      async function* untilCut(): AsyncGenerator<import('@scapkit/scap-format').CaptureRecord> {
        try {
          for await (const rec of openCaptureFile(args.read)) {
            // -E: every table of the input, but users and groups, which are left empty.
            if (rec.kind === 'metadata' && args['exclude-users'])
              yield { kind: 'metadata', metadata: { ...rec.metadata, users: [], groups: [] } };
            else yield rec;
          }
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
          `${args.read} was cut short (${truncated.message}); everything complete before the cut was exported.`,
        );
        setCode(EXIT.DATA_LOST);
      }
    },
  };
}
