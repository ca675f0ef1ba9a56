// Test helpers: run an example in-process, ask Debian's sysdig 0.29.3 for the golden output, and read the
// independent facts of the shared captures (SOURCES.md). Goldens never come from scapkit's own code.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { CAPTURES_DIR } from '../../test/support/captures.mjs';
import { SYSDIG } from '../../test/support/machine.mjs';
import type { Output } from '../cli.js';

export const CAPTURES = CAPTURES_DIR;
export const capture = (name: string) => `${CAPTURES}/${name}`;

/** Runs an example's main() and returns what it wrote. */
export async function run(
  main: (args: string[], out: Output) => Promise<void>,
  args: string[],
): Promise<string> {
  let text = '';
  await main(args, { write: (s: string) => (text += s) });
  return text;
}

/** What sysdig prints on stdout (TZ=UTC, as the shared expected/ outputs were made). */
export function sysdig(args: string[]): string {
  if (!existsSync(SYSDIG)) throw new Error(`${SYSDIG} is missing: scripts/setup.sh installs sysdig`);
  return execFileSync(SYSDIG, args, {
    env: { ...process.env, TZ: 'UTC' },
    encoding: 'utf8',
    maxBuffer: 256 << 20,
    stdio: ['ignore', 'pipe', 'ignore'], // sysdig logs its start-up on stderr
  });
}

/** Non-empty lines (sysdig's last line has no newline). */
export const lines = (s: string) => s.split('\n').filter((l) => l.length > 0);

/** The "events" column of SOURCES.md (event blocks counted by an independent walker) for a capture. */
export function sourcesEventCount(name: string): number {
  const md = readFileSync(`${CAPTURES}/SOURCES.md`, 'utf8');
  const header = md.split('\n').find((l) => l.startsWith('| file |'));
  const row = md.split('\n').find((l) => l.startsWith(`| ${name} |`));
  if (!header || !row) throw new Error(`SOURCES.md has no row for ${name}`);
  const cols = header.split('|').map((c) => c.trim());
  const cells = row.split('|').map((c) => c.trim());
  const n = Number(cells[cols.indexOf('events')]);
  if (!Number.isInteger(n)) throw new Error(`SOURCES.md: no event count for ${name}`);
  return n;
}
