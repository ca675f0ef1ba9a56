// The scapkit command line: one yargs module per command in ./commands. Flags follow sysdig's where sysdig
// has one. Human messages go to stderr, data to stdout; exit codes: 0 ok, 1 error, 2 bad usage, 3 data lost.
import yargs from 'yargs';
import { exportCommand } from './commands/export.js';
import { infoCommand } from './commands/info.js';
import { recordCommand } from './commands/record.js';
import { recoverCommand } from './commands/recover.js';
import { replayCommand } from './commands/replay.js';
import { EXIT, reportError, UsageError } from './exit.js';

export async function main(argv: string[]): Promise<number> {
  let code: number = EXIT.OK;
  const setCode = (c: number) => {
    code = Math.max(code, c);
  };
  const parser = yargs(argv)
    .scriptName('scapkit')
    .usage(
      '$0 <command> [options]\n\nRecord system calls with eBPF, replay and query traces (scapkit or sysdig/Falco .scap).',
    )
    .command(recordCommand(setCode))
    .command(replayCommand(setCode))
    .command(infoCommand(setCode))
    .command(recoverCommand(setCode))
    .command(exportCommand(setCode))
    .demandCommand(1, 'name a command: record, replay, info, recover or export')
    .strict()
    .recommendCommands()
    .help()
    .alias('h', 'help')
    .version(false)
    .wrap(Math.min(110, process.stdout.columns || 100))
    .exitProcess(false)
    .fail((msg, err) => {
      throw err ?? new UsageError(msg);
    });
  try {
    await parser.parseAsync();
  } catch (err) {
    setCode(reportError(err));
  }
  return code;
}
