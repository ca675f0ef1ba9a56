// errno and signal names as libsinsp prints them next to a negative result (`res=-2(ENOENT)`) or a
// PT_SIGTYPE value (`sig=9(SIGKILL)`). Linux numbering (the driver passes the kernel's values through).

// Index = errno value. Holes (41, 58) are numbers Linux does not use; aliases (EWOULDBLOCK, EDEADLOCK,
// ENOTSUP) print as the primary name, as libsinsp does.
// biome-ignore format: table
const ERRNO_1_133: readonly string[] = [
  '', 'EPERM', 'ENOENT', 'ESRCH', 'EINTR', 'EIO', 'ENXIO', 'E2BIG', 'ENOEXEC', 'EBADF', 'ECHILD', 'EAGAIN',
  'ENOMEM', 'EACCES', 'EFAULT', 'ENOTBLK', 'EBUSY', 'EEXIST', 'EXDEV', 'ENODEV', 'ENOTDIR', 'EISDIR', 'EINVAL',
  'ENFILE', 'EMFILE', 'ENOTTY', 'ETXTBSY', 'EFBIG', 'ENOSPC', 'ESPIPE', 'EROFS', 'EMLINK', 'EPIPE', 'EDOM',
  'ERANGE', 'EDEADLK', 'ENAMETOOLONG', 'ENOLCK', 'ENOSYS', 'ENOTEMPTY', 'ELOOP', '', 'ENOMSG', 'EIDRM', 'ECHRNG',
  'EL2NSYNC', 'EL3HLT', 'EL3RST', 'ELNRNG', 'EUNATCH', 'ENOCSI', 'EL2HLT', 'EBADE', 'EBADR', 'EXFULL', 'ENOANO',
  'EBADRQC', 'EBADSLT', '', 'EBFONT', 'ENOSTR', 'ENODATA', 'ETIME', 'ENOSR', 'ENONET', 'ENOPKG', 'EREMOTE',
  'ENOLINK', 'EADV', 'ESRMNT', 'ECOMM', 'EPROTO', 'EMULTIHOP', 'EDOTDOT', 'EBADMSG', 'EOVERFLOW', 'ENOTUNIQ',
  'EBADFD', 'EREMCHG', 'ELIBACC', 'ELIBBAD', 'ELIBSCN', 'ELIBMAX', 'ELIBEXEC', 'EILSEQ', 'ERESTART', 'ESTRPIPE',
  'EUSERS', 'ENOTSOCK', 'EDESTADDRREQ', 'EMSGSIZE', 'EPROTOTYPE', 'ENOPROTOOPT', 'EPROTONOSUPPORT',
  'ESOCKTNOSUPPORT', 'EOPNOTSUPP', 'EPFNOSUPPORT', 'EAFNOSUPPORT', 'EADDRINUSE', 'EADDRNOTAVAIL', 'ENETDOWN',
  'ENETUNREACH', 'ENETRESET', 'ECONNABORTED', 'ECONNRESET', 'ENOBUFS', 'EISCONN', 'ENOTCONN', 'ESHUTDOWN',
  'ETOOMANYREFS', 'ETIMEDOUT', 'ECONNREFUSED', 'EHOSTDOWN', 'EHOSTUNREACH', 'EALREADY', 'EINPROGRESS', 'ESTALE',
  'EUCLEAN', 'ENOTNAM', 'ENAVAIL', 'EISNAM', 'EREMOTEIO', 'EDQUOT', 'ENOMEDIUM', 'EMEDIUMTYPE', 'ECANCELED',
  'ENOKEY', 'EKEYEXPIRED', 'EKEYREVOKED', 'EKEYREJECTED', 'EOWNERDEAD', 'ENOTRECOVERABLE', 'ERFKILL', 'EHWPOISON',
];

// Kernel-internal codes (include/linux/errno.h) that leak to user space through tracing: 512 … 530.
// biome-ignore format: table
const ERRNO_512_530: readonly string[] = [
  'ERESTARTSYS', 'ERESTARTNOINTR', 'ERESTARTNOHAND', 'ENOIOCTLCMD', 'ERESTART_RESTARTBLOCK', 'EPROBE_DEFER',
  'EOPENSTALE', 'ENOPARAM', '', 'EBADHANDLE', 'ENOTSYNC', 'EBADCOOKIE', 'ENOTSUPP', 'ETOOSMALL', 'ESERVERFAULT',
  'EBADTYPE', 'EJUKEBOX', 'EIOCBQUEUED', 'ERECALLCONFLICT',
];

/** Which libsinsp's names to use: current libs, or what Debian's sysdig 0.29.3 printed. */
export type NamesFlavor = 'head' | 'sysdig-0.29';

/**
 * The errno name of `n` (positive or negative: -2 and 2 both give 'ENOENT'), or undefined for 0 and for
 * numbers without a name. With 'sysdig-0.29', the names sysdig 0.29.3 knew: it stops at ECANCELED (125),
 * has no EPROBE_DEFER/EOPENSTALE/ENOPARAM, and calls 530 'EIOCBRETRY' (docs/flags.md).
 */
export function errnoName(n: number, flavor: NamesFlavor = 'head'): string | undefined {
  const e = n < 0 ? -n : n;
  if (e >= 1 && e <= 133) {
    if (flavor === 'sysdig-0.29' && e > 125) return undefined;
    return ERRNO_1_133[e] || undefined;
  }
  if (e >= 512 && e <= 530) {
    if (flavor === 'sysdig-0.29') {
      if (e >= 517 && e <= 520) return undefined;
      if (e === 530) return 'EIOCBRETRY';
    }
    return ERRNO_512_530[e - 512] || undefined;
  }
  return undefined;
}

// biome-ignore format: table
const SIGNALS: readonly string[] = [
  '', 'SIGHUP', 'SIGINT', 'SIGQUIT', 'SIGILL', 'SIGTRAP', 'SIGABRT', 'SIGBUS', 'SIGFPE', 'SIGKILL', 'SIGUSR1',
  'SIGSEGV', 'SIGUSR2', 'SIGPIPE', 'SIGALRM', 'SIGTERM', 'SIGSTKFLT', 'SIGCHLD', 'SIGCONT', 'SIGSTOP', 'SIGTSTP',
  'SIGTTIN', 'SIGTTOU', 'SIGURG', 'SIGXCPU', 'SIGXFSZ', 'SIGVTALRM', 'SIGPROF', 'SIGWINCH', 'SIGIO', 'SIGPWR',
  'SIGSYS',
];

/** The name of signal `n` (1 … 31, Linux numbering), or undefined (0, real-time signals). */
export function signalName(n: number): string | undefined {
  return n >= 1 && n <= 31 ? SIGNALS[n] : undefined;
}

/**
 * The signals of a PT_SIGSET mask (bit n-1 = signal n) joined with `|`, '' for an empty mask (sysdig prints
 * `sigmask=` for 0; the form for a non-empty mask is not confirmed by a sysdig output, see docs/flags.md).
 */
export function renderSigset(mask: number): string {
  let out = '';
  const m = mask >>> 0;
  for (let s = 1; s <= 31; s++) {
    if (m & (1 << (s - 1))) out += (out ? '|' : '') + SIGNALS[s];
  }
  return out;
}
