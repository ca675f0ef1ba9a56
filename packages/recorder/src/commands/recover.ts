// `scapkit recover IN OUT`: rewrites a damaged or unclosed scapkit trace keeping every intact chunk.

import { stat } from 'node:fs/promises';
import { recoverScapkit } from '@scapkit/scap-format';
import { createFileSink, installedNativeCodecs } from '@scapkit/scap-format/node';
import type { CommandModule } from 'yargs';
import { openInputBytes } from '../capture-input.js';
import { CliError, EXIT } from '../exit.js';

interface RecoverArgs {
  in: string;
  out: string;
  quiet: boolean;
}

export function recoverCommand(setCode: (c: number) => void): CommandModule<object, RecoverArgs> {
  return {
    command: 'recover <in> <out>',
    describe:
      'rewrite a damaged or unclosed scapkit trace, keeping every intact chunk (exit 3 if data was lost)',
    builder: (y) =>
      y
        .positional('in', { type: 'string', demandOption: true, describe: 'the damaged trace' })
        .positional('out', {
          type: 'string',
          demandOption: true,
          describe: 'where to write the recovered trace',
        })
        .option('quiet', {
          alias: 'q',
          type: 'boolean',
          default: false,
          describe: 'no summary on stderr',
        }) as never,
    handler: async (args) => {
      const input = await openInputBytes(args.in);
      const format = input.format;
      if (format === 'sysdig') {
        throw new CliError(
          `${args.in} is a sysdig .scap capture: 'scapkit export -r ${args.in} -w OUT --format scapkit' ` +
            'converts everything complete in it into a scapkit trace.',
        );
      }
      if (format !== 'scapkit' && (await stat(args.in)).size === 0) {
        input.done();
        throw new CliError(`${args.in} is empty: nothing to recover.`);
      }
      if (format !== 'scapkit') {
        throw new CliError(
          `${args.in} does not start like a scapkit trace (its magic is missing or damaged); nothing to recover.`,
        );
      }
      const sink = await createFileSink(args.out);
      const r = await recoverScapkit(input.bytes, sink, { codecs: installedNativeCodecs() });
      input.done();
      if (!args.quiet) {
        process.stderr.write(
          `scapkit: recovered ${r.eventsKept} events in ${r.chunksKept} chunks into ${args.out}` +
            (r.lossless
              ? '; nothing was lost\n'
              : `; ${r.bytesDropped} damaged or cut bytes were left out\n`),
        );
      }
      if (!r.lossless) setCode(EXIT.DATA_LOST);
    },
  };
}
