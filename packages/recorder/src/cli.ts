// The scapkit command line: one yargs module per command in ./commands. Flags follow sysdig's where sysdig
// has one. Human messages go to stderr, data to stdout; exit codes: 0 ok, 1 error, 2 bad usage, 3 data lost.
//
// Start-up is part of every replay's wall time, so modules load lazily: a plain `scapkit replay -r FILE
// [printing flags] [filter]` is read without yargs (see fastReplayArgs) and loads only the replay module
// graph; any other command line goes to yargs, with only the named command's module loaded (all of them
// when no known command is named, so `--help` and the suggestions list every command).
import type { Argv, CommandModule } from 'yargs';
import type { ReplayArgs } from './commands/replay.js';
import { EXIT, reportError, UsageError } from './exit.js';
import {
  type FlagTable,
  flagsByArgument,
  PRINT_FLAGS,
  REPLAY_FLAGS,
  splitGluedValues,
  TIME_RANGE_FLAGS,
} from './flags.js';
import { RECORDER_VERSION } from './version.js';

type SetCode = (c: number) => void;
type CommandFactory = (setCode: SetCode) => CommandModule<object, never>;

/** Command name → loader of its module, in the order `--help` lists them. */
const COMMANDS: Record<string, () => Promise<CommandFactory>> = {
  record: async () => (await import('./commands/record.js')).recordCommand as CommandFactory,
  replay: async () => (await import('./commands/replay.js')).replayCommand as CommandFactory,
  info: async () => (await import('./commands/info.js')).infoCommand as CommandFactory,
  recover: async () => (await import('./commands/recover.js')).recoverCommand as CommandFactory,
  export: async () => (await import('./commands/export.js')).exportCommand as CommandFactory,
  detect: async () => (await import('./commands/detect.js')).detectCommand as CommandFactory,
  view: async () => (await import('./commands/view.js')).viewCommand as CommandFactory,
  query: async () => (await import('./commands/query.js')).queryCommand as CommandFactory,
};

/** The flags of each command that take sysdig-style glued values (`-pc`, `-tr`, `-n100`). */
const GLUED_VALUES: Record<string, readonly FlagTable[]> = {
  replay: [REPLAY_FLAGS, PRINT_FLAGS],
  record: [PRINT_FLAGS],
};

export async function main(args: string[]): Promise<number> {
  let code: number = EXIT.OK;
  const setCode = (c: number) => {
    code = Math.max(code, c);
  };
  const cmd = args[0];
  const glued = cmd !== undefined && Object.hasOwn(GLUED_VALUES, cmd) ? GLUED_VALUES[cmd] : undefined;
  const argv = cmd !== undefined && glued ? [cmd, ...splitGluedValues(args.slice(1), glued)] : args;
  try {
    const fast = fastReplayArgs(argv);
    if (fast) {
      const { runReplay } = await import('./commands/replay.js');
      await runReplay(fast, setCode);
      return code;
    }
    const named = argv[0] !== undefined && Object.hasOwn(COMMANDS, argv[0]) ? COMMANDS[argv[0]] : undefined;
    const [{ default: yargs }, ...factories] = await Promise.all([
      import('yargs'),
      ...(named ? [named] : Object.values(COMMANDS)).map((load) => load()),
    ]);
    let parser: Argv = yargs(argv)
      .scriptName('scapkit')
      .usage(
        '$0 <command> [options]\n\nRecord system calls with eBPF, replay and query traces (scapkit or sysdig/Falco .scap).',
      );
    for (const f of factories) parser = parser.command(f(setCode));
    parser = parser
      .demandCommand(1, 'name a command: record, replay, info, recover, export, detect, query or view')
      .strict()
      .recommendCommands()
      .help()
      .alias('h', 'help')
      // sysdig's --version (no -v: that is -v, --verbose).
      .version('version', "print scapkit's version and exit", `scapkit version ${RECORDER_VERSION}`)
      .wrap(Math.min(110, process.stdout.columns || 100))
      .exitProcess(false)
      .fail((msg, err) => {
        throw err ?? new UsageError(msg);
      });
    skipHelpCache(parser);
    await parser.parseAsync();
  } catch (err) {
    setCode(reportError(err));
  }
  return code;
}

/** The part of yargs' internal API that skipHelpCache replaces (yargs 17-18). */
interface YargsInternals {
  getInternalMethods?(): { getUsageInstance?(): { cacheHelpMessage?: () => void } | undefined };
}

/**
 * Stops yargs from rendering the help text each time it runs a command's handler: it lays out every
 * option of the command (cliui, string widths) and keeps the text in case the handler later calls
 * showHelp, 30-60 ms of every command line that goes through yargs. Nothing here shows help after a
 * handler has started (.fail throws, no handler calls showHelp) and `--help` renders the help when it
 * prints it, so the cache only costs. Should yargs rename its internals, this does nothing.
 */
export function skipHelpCache(parser: Argv): void {
  const usage = (parser as YargsInternals).getInternalMethods?.().getUsageInstance?.();
  if (usage?.cacheHelpMessage) usage.cacheHelpMessage = () => {};
}

// The replay options the fast path reads (those flags.ts marks `fast`). Anything else goes to yargs.
const FAST_OPTIONS = flagsByArgument(
  [REPLAY_FLAGS, PRINT_FLAGS, TIME_RANGE_FLAGS],
  (spec) => spec.fast === true,
);

const NUMBER_LIKE = /^\s*(0x[0-9a-f]+|[-+]?(\d+(\.\d*)?|\.\d+)(e[-+]?\d+)?)\s*$/i;

/**
 * The arguments of `replay -r FILE` with only fast flags and filter words, each option at most once,
 * read exactly as yargs reads them; undefined for any other command line (help, chisels, listings, `--`,
 * `--opt=value`, bundled flags, a value that starts with '-', a missing -r …), which yargs then handles,
 * errors included.
 */
export function fastReplayArgs(argv: readonly string[]): ReplayArgs | undefined {
  if (argv[0] !== 'replay') return undefined;
  const args: ReplayArgs = { json: false, 'display-internal': false, list: false, 'list-chisels': false };
  const set = args as unknown as Record<string, unknown>;
  const filter: string[] = [];
  const seen = new Set<string>();
  for (let i = 1, a = argv[i]; a !== undefined; a = argv[++i]) {
    if (!a.startsWith('-')) {
      // yargs turns a number-like word into a number ('1e3' → 1000): leave those to it.
      if (NUMBER_LIKE.test(a) || a === 'true' || a === 'false') return undefined;
      filter.push(a);
      continue;
    }
    const opt = FAST_OPTIONS.get(a);
    if (!opt) return undefined;
    const { key, type } = opt;
    if (seen.has(key)) return undefined;
    seen.add(key);
    if (type === 'boolean') {
      // yargs takes a following 'true' or 'false' as the flag's value.
      const next = argv[i + 1];
      if (next === 'true' || next === 'false') return undefined;
      set[key] = true;
      continue;
    }
    const value = argv[++i];
    if (value === undefined || value === '' || value.startsWith('-')) return undefined;
    if (type === 'number') {
      if (!/^[0-9]{1,15}$/.test(value)) return undefined;
      set[key] = Number(value);
    } else {
      set[key] = value;
    }
  }
  if (args.read === undefined) return undefined;
  if (filter.length > 0) args.filter = filter;
  return args;
}
