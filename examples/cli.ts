// What the example programs share: how they are started, how they end, how they print untrusted text. Each example exports
// `main(args, out)` so that its test runs it in-process against a real capture, and calls `runIfMain` so
// that `node examples/dist/<name>.js <capture>` runs it as a command.
import process, { argv, stderr, stdout } from 'node:process';
import { fileURLToPath } from 'node:url';
import { ScapFormatError, ScapTruncatedError } from '@scapkit/scap-format';

/** Where an example writes its data (process.stdout, or a string collector in tests). */
export interface Output {
  write(text: string): unknown;
}

/** Exit codes of every scapkit command: 0 ok, 1 error, 2 usage, 3 finished but data was lost. */
export const EXIT = { OK: 0, ERROR: 1, USAGE: 2, DATA_LOST: 3 } as const;

export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/**
 * Maps what a reader throws to a message and an exit code. A cut file is not a failure of the program:
 * everything before the cut was processed and printed, so it ends with 3 ("data lost"), not 1.
 */
export function reportError(e: unknown, log: (line: string) => void = (l) => stderr.write(`${l}\n`)): number {
  if (e instanceof UsageError) {
    log(e.message);
    return EXIT.USAGE;
  }
  if (e instanceof ScapTruncatedError) {
    log(`warning: the capture is cut: ${e.message}; the output covers the events before the cut`);
    return EXIT.DATA_LOST;
  }
  if (e instanceof ScapFormatError) {
    log(`error: not a readable capture: ${e.message}`);
    return EXIT.ERROR;
  }
  log(`error: ${e instanceof Error ? e.message : String(e)}`);
  return EXIT.ERROR;
}

/** Runs `main` when this module is the program node was started with (not when a test imports it). */
export function runIfMain(moduleUrl: string, main: (args: string[], out: Output) => Promise<void>): void {
  if (argv[1] === undefined || fileURLToPath(moduleUrl) !== argv[1]) return;
  // `… | head` closes the pipe early: that is the reader being done, not an error worth a stack trace.
  stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code !== 'EPIPE') throw e;
    process.exit(EXIT.OK);
  });
  // exitCode rather than exit(): stdout may still hold output for a slow pipe, and it must drain.
  main(argv.slice(2), stdout).then(
    () => {
      process.exitCode = EXIT.OK;
    },
    (e: unknown) => {
      process.exitCode = reportError(e);
    },
  );
}

/** Trace strings are untrusted bytes: escape control characters (newlines, terminal escapes) so a file
 *  name cannot rewrite the terminal. */
export function printable(s: string): string {
  return s.replace(
    /[\u0000-\u001f\u007f-\u009f]/g,
    (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`,
  );
}
