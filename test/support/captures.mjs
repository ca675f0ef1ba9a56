// Where the shared captures are, for every test, benchmark, fuzz target and golden generator: the
// SCAPKIT_CAPTURES environment variable, else ../shared/captures beside the repository. Defined once here.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository's root. */
export const REPO = fileURLToPath(new URL('../../', import.meta.url));

/** The folder of the shared sysdig/Falco captures. */
export const CAPTURES_DIR = process.env.SCAPKIT_CAPTURES ?? join(REPO, '../shared/captures');

/** What sysdig 0.29.3 prints for ten of them (`../shared/captures/README.md`). */
export const EXPECTED_DIR = join(CAPTURES_DIR, 'expected');

/** The path of one capture, by file name. */
export function capturePath(name) {
  return join(CAPTURES_DIR, name);
}

/** Whether the shared captures are there (a checkout without them skips the tests that read them). */
export const HAVE_CAPTURES = existsSync(CAPTURES_DIR);
