// `scapkit export -r IN -w OUT --format scap|scapkit|jsonl [filter]`: converts between sysdig's .scap format
// and scapkit's, or to JSON lines. A filter keeps what a capture filter keeps (capture-filter.ts) in a
// capture, and the matching events in JSON lines (as `replay -j FILTER` prints them).

import { createReplayPipeline } from '@scapkit/replay';
import {
  type CaptureRecord,
  type CaptureStats,
  CODEC_NAMES,
  type CodecName,
  ScapkitWriter,
  ScapTruncatedError,
  writeSysdigCapture,
} from '@scapkit/scap-format';
import { createFileSink, openCaptureFile } from '@scapkit/scap-format/node';
import type { CommandModule } from 'yargs';
import { CaptureFilter } from '../capture-filter.js';
import { EXIT, warn } from '../exit.js';
import { joinFilter } from '../live.js';
import { RECORDER_VERSION } from '../version.js';
import { codecFromFlag } from './codec.js';

interface ExportArgs {
  filter?: string[];
  read: string;
  write: string;
  format: 'scap' | 'scapkit' | 'jsonl';
  codec?: CodecName;
}

export function exportCommand(setCode: (c: number) => void): CommandModule<object, ExportArgs> {
  return {
    command: 'export [filter..]',
    describe:
      'convert a capture: to a sysdig .scap (--format scap), a scapkit trace (--format scapkit) or JSON lines (--format jsonl)',
    builder: (y) =>
      y
        .positional('filter', {
          type: 'string',
          array: true,
          describe:
            'sysdig filter: a capture keeps the matching events and the state events they need; JSON lines, the matching events',
        })
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
        }) as never,
    handler: async (args) => {
      const codec = codecFromFlag(args.codec);
      const filterText = joinFilter(args.filter);
      // Compiled before anything is opened: a bad filter is bad usage, and creates no file.
      const capture = filterText && args.format !== 'jsonl' ? new CaptureFilter(filterText) : undefined;
      // JSON lines: the same objects as `replay -j`, one per line.
      let parts: string[] = [];
      let size = 0;
      let lines = 0;
      const json =
        args.format === 'jsonl'
          ? createReplayPipeline({
              json: true,
              filter: filterText,
              write: (line) => {
                parts.push(line, '\n');
                size += line.length + 1;
                lines++;
              },
            })
          : undefined;
      let truncated: ScapTruncatedError | undefined;
      // A cut input still exports everything complete in it: the stream is consumed up to the error.
      async function* untilCut(): AsyncGenerator<CaptureRecord> {
        try {
          yield* openCaptureFile(args.read);
        } catch (e) {
          if (e instanceof ScapTruncatedError) truncated = e;
          else throw e;
        }
      }
      // The input's first record is read before the output is created: a file that is not a capture
      // leaves no empty output behind.
      const input = untilCut();
      const first = await input.next();
      async function* records(): AsyncGenerator<CaptureRecord> {
        if (!first.done) yield first.value;
        yield* input;
      }
      const source = capture ? capture.apply(records()) : records();
      const sink = await createFileSink(args.write);
      let events = 0;
      if (args.format === 'scap') {
        const r = await writeSysdigCapture(source, sink);
        events = r.events;
      } else if (json) {
        const enc = new TextEncoder();
        for await (const rec of source) {
          json.push(rec);
          if (size >= 1 << 20) {
            await sink.write(enc.encode(parts.join('')));
            parts = [];
            size = 0;
          }
        }
        if (size) await sink.write(enc.encode(parts.join('')));
        await sink.close();
        events = lines;
      } else {
        let writer: ScapkitWriter | undefined;
        let stats: CaptureStats | undefined;
        for await (const rec of source) {
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
