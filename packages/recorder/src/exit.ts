// Exit codes and the one place that turns an error into a message a user can act on.
import {
  NotACaptureError,
  ScapDecodeWorkerError,
  ScapFormatError,
  ScapTruncatedError,
} from '@scapkit/scap-format';

export const EXIT = { OK: 0, ERROR: 1, USAGE: 2, DATA_LOST: 3 } as const;

/** Wrong flags or arguments: printed with a pointer to --help, exit 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/** A failure already explained to the user, with its exit code. */
export class CliError extends Error {
  override readonly name = 'CliError';
  constructor(
    message: string,
    readonly exitCode: number = EXIT.ERROR,
  ) {
    super(message);
  }
}

export function warn(msg: string): void {
  process.stderr.write(`scapkit: ${msg}\n`);
}

/** Prints `err` for a human and returns the exit code it deserves. */
export function reportError(err: unknown): number {
  if (err instanceof UsageError) {
    warn(`${err.message}\n(see scapkit --help, or scapkit <command> --help)`);
    return EXIT.USAGE;
  }
  if (err instanceof CliError) {
    warn(err.message);
    return err.exitCode;
  }
  if (err instanceof NotACaptureError) {
    // Not a damaged trace: `recover` has nothing to work with, so it is not offered.
    warn(
      `${err.path ? `${err.path}: ` : ''}${err.message}. ` +
        'scapkit reads scapkit traces and sysdig/Falco .scap captures (gzip or not).',
    );
    return EXIT.ERROR;
  }
  if (err instanceof ScapTruncatedError) {
    warn(
      `${err.message}: the file ends in the middle of a record; everything before it was read. ` +
        `'scapkit recover IN OUT' rewrites it whole.`,
    );
    return EXIT.DATA_LOST;
  }
  if (err instanceof ScapDecodeWorkerError) {
    warn(
      `${err.message}: the events before that chunk were read. This is no fault of the file; ` +
        'running the command again usually goes through.',
    );
    return EXIT.ERROR;
  }
  if (err instanceof ScapFormatError) {
    warn(
      `${err.message}: this is not a valid capture, or it is damaged. ` +
        `'scapkit recover IN OUT' keeps every intact part of a scapkit trace.`,
    );
    return EXIT.ERROR;
  }
  const e = err as NodeJS.ErrnoException;
  if (e?.name === 'FilterSyntaxError' || e?.name === 'UnknownFieldError') {
    warn(e.message);
    return EXIT.USAGE;
  }
  // A -p format (also with -j) that names a field that does not exist or is cut short: bad usage, like a
  // filter's unknown field (it was an "internal error" with a stack trace).
  if (e?.name === 'FormatError') {
    warn(`bad output format (-p): ${e.message} (scapkit replay -l lists the fields)`);
    return EXIT.USAGE;
  }
  if (e && typeof e.code === 'string' && e.syscall) {
    warn(`${e.path ?? ''}${e.path ? ': ' : ''}${e.message}`);
    return EXIT.ERROR;
  }
  warn(`internal error: ${e?.stack ?? String(err)}`);
  return EXIT.ERROR;
}
