// What the viewer's tests share: the real captures, the `scapkit` CLI and sysdig as oracles, Debian's
// Chromium through playwright-core, and the page built into a temporary folder.
import { execFile } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Browser, chromium } from 'playwright-core';
import { CAPTURES_DIR, capturePath, HAVE_CAPTURES } from '../../../test/support/captures.mjs';
import { CHROMIUM_LAUNCH, HAVE_CHROMIUM } from '../../../test/support/chromium.mjs';
// @ts-expect-error: a JavaScript build script without declarations
import { buildViewerPage } from '../scripts/build.mjs';

export const repo = fileURLToPath(new URL('../../../', import.meta.url));
export const captures = CAPTURES_DIR;
export const capture = (name: string) => capturePath(name);
export const haveChromium = HAVE_CHROMIUM;
export const haveCaptures = HAVE_CAPTURES;
/** Screenshots of each view, kept as test artifacts (look at them). */
export const ARTIFACTS = join(repo, 'packages/viewer/test/artifacts');

export interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** The scapkit CLI (bin/scapkit.js), TZ=UTC. */
export function scapkit(args: string[]): Promise<Run> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [join(repo, 'packages/recorder/bin/scapkit.js'), ...args],
      { env: { ...process.env, TZ: 'UTC' }, maxBuffer: 1 << 28 },
      (err, stdout, stderr) => {
        const code = err ? (typeof err.code === 'number' ? err.code : 1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

/** stdout of a scapkit command that must succeed. */
export async function scapkitOut(args: string[]): Promise<string> {
  const r = await scapkit(args);
  if (r.code !== 0) throw new Error(`scapkit ${args.join(' ')} exited ${r.code}: ${r.stderr}`);
  return r.stdout;
}

export const lines = (s: string) => s.split('\n').filter((l) => l.length > 0);

export function launchChromium(): Promise<Browser> {
  return chromium.launch(CHROMIUM_LAUNCH);
}

export async function buildPage(dir: string): Promise<string> {
  return (await buildViewerPage(dir)) as string;
}

export function artifact(name: string): string {
  mkdirSync(ARTIFACTS, { recursive: true });
  return join(ARTIFACTS, name);
}
