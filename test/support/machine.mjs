// What the machine running the tests can do, decided once here: the tests that load the probe or run a
// peer tool say which of these they need (`describe.skipIf(!CAN_LOAD_PROBE)`), and their file names end in
// `.integration.test.ts` (root and BTF). CI runs as root on a kernel with BTF, so nothing is skipped there.
import { existsSync } from 'node:fs';

/** Running as root (loading BPF programs, reading every process's /proc). */
export const IS_ROOT = process.getuid?.() === 0;

/** The kernel describes its types (BTF), which the CO-RE probe needs. */
export const HAVE_BTF = existsSync('/sys/kernel/btf/vmlinux');

/** The probe can be loaded here: root and BTF. */
export const CAN_LOAD_PROBE = IS_ROOT && HAVE_BTF;

/** Debian's sysdig 0.29.3, the oracle for capture files (reads them without a driver). */
export const SYSDIG = '/usr/bin/sysdig';
export const HAVE_SYSDIG = existsSync(SYSDIG);
