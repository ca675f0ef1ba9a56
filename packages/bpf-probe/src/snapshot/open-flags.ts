// Kernel open flags (the octal `flags:` line of /proc/PID/fdinfo/N) to the driver's PPM_O_* encoding,
// which is what FILE_V2 fd entries and open events carry. PPM_O_* values: scap-format's FILE_FLAGS
// (falcosecurity/libs driver/ppm_events_public.h). Kernel values come from Node's fs.constants for this
// architecture; the two Node does not export (O_CLOEXEC, __O_TMPFILE) have the asm-generic values on x86,
// arm, riscv, s390 and powerpc.
import { constants } from 'node:fs';
import { FILE_FLAGS, flagValue } from '@scapkit/scap-format';

const ppm = (name: string): number => flagValue(FILE_FLAGS, `O_${name}`);
/** The PPM_O_* values, from scap-format's table of the driver's open flags. */
export const PPM_O = {
  NONE: ppm('NONE'),
  RDONLY: ppm('RDONLY'),
  WRONLY: ppm('WRONLY'),
  RDWR: ppm('RDWR'),
  CREAT: ppm('CREAT'),
  APPEND: ppm('APPEND'),
  DSYNC: ppm('DSYNC'),
  EXCL: ppm('EXCL'),
  NONBLOCK: ppm('NONBLOCK'),
  SYNC: ppm('SYNC'),
  TRUNC: ppm('TRUNC'),
  DIRECT: ppm('DIRECT'),
  DIRECTORY: ppm('DIRECTORY'),
  LARGEFILE: ppm('LARGEFILE'),
  CLOEXEC: ppm('CLOEXEC'),
  TMPFILE: ppm('TMPFILE'),
} as const;

const O_ACCMODE = 3;
const O_CLOEXEC = 0o2000000;
// O_TMPFILE is __O_TMPFILE | O_DIRECTORY: both bits must be present, O_DIRECTORY alone is not a tmpfile.
const O_TMPFILE = 0o20000000 | constants.O_DIRECTORY;
// O_SYNC is __O_SYNC | O_DSYNC: the __O_SYNC bit alone tells a full sync from a data-only one.
const O_SYNC_ONLY = constants.O_SYNC & ~constants.O_DSYNC;

/**
 * PPM_O_* flags of an open file, from the kernel's f_flags as fdinfo shows them.
 *
 * Same mapping as libscap's `open_flags_to_scap`, with two deliberate differences where libscap tests a
 * multi-bit kernel constant with `&`: O_DSYNC alone does not also set PPM_O_SYNC, and O_DIRECTORY alone
 * does not set PPM_O_TMPFILE. PPM_O_LARGEFILE is never set: on 64-bit kernels every file has O_LARGEFILE
 * forced, so it says nothing, and libscap built for a 64-bit host (where glibc's O_LARGEFILE is 0) never
 * reports it either. The kernel clears O_CREAT, O_EXCL and O_TRUNC after open, so fdinfo never has them.
 */
export function openFlagsToPpm(flags: number): number {
  let res: number;
  switch (flags & O_ACCMODE) {
    case constants.O_WRONLY:
      res = PPM_O.WRONLY;
      break;
    case constants.O_RDWR:
      res = PPM_O.RDWR;
      break;
    default:
      res = PPM_O.RDONLY;
  }
  if (flags & constants.O_CREAT) res |= PPM_O.CREAT;
  if ((flags & O_TMPFILE) === O_TMPFILE) res |= PPM_O.TMPFILE;
  if (flags & constants.O_DIRECTORY) res |= PPM_O.DIRECTORY;
  if (flags & constants.O_APPEND) res |= PPM_O.APPEND;
  if (flags & constants.O_DSYNC) res |= PPM_O.DSYNC;
  if (flags & O_SYNC_ONLY) res |= PPM_O.SYNC;
  if (flags & constants.O_EXCL) res |= PPM_O.EXCL;
  if (flags & constants.O_NONBLOCK) res |= PPM_O.NONBLOCK;
  if (flags & constants.O_TRUNC) res |= PPM_O.TRUNC;
  if (flags & constants.O_DIRECT) res |= PPM_O.DIRECT;
  if (flags & O_CLOEXEC) res |= PPM_O.CLOEXEC;
  return res;
}
