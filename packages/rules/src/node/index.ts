// @scapkit/rules/node: rules files from disk, and where scapkit's own default ruleset is. A file is read
// only up to the size the loader accepts, so a 100 MB file costs 16 MiB of reading, not its parsing.
import { open } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { RulesEngine } from '../engine.js';
import { MAX_RULES_BYTES } from '../reader.js';
import { Context, LoadResult } from '../result.js';

/** scapkit's default ruleset (rules/scapkit_rules.yaml in the package), used when no --rules is given. */
export const DEFAULT_RULES_FILE: string = fileURLToPath(
  new URL('../../rules/scapkit_rules.yaml', import.meta.url),
);

/** Reads and loads one rules file into `engine`. A file that cannot be read is LOAD_ERR_FILE_READ. */
export async function loadRulesFile(engine: RulesEngine, path: string): Promise<LoadResult> {
  let content: string;
  let size: number;
  try {
    const fh = await open(path, 'r');
    try {
      size = (await fh.stat()).size;
      const buf = Buffer.alloc(Math.min(size, MAX_RULES_BYTES + 1));
      const { bytesRead } = await fh.read(buf, 0, buf.length, 0);
      content = buf.subarray(0, bytesRead).toString('utf8');
    } finally {
      await fh.close();
    }
  } catch (e) {
    const r = new LoadResult(path);
    const err = e as NodeJS.ErrnoException;
    r.addError(
      'LOAD_ERR_FILE_READ',
      `Could not read rules file ${path}: ${err.message}`,
      Context.content(path),
    );
    return r;
  }
  return engine.loadRules(content, path, size);
}

/**
 * Loads `paths` in order into `engine`, as Falco loads several rules files; stops at the first file that
 * does not load. Returns the result of each file read.
 */
export async function loadRulesFiles(engine: RulesEngine, paths: readonly string[]): Promise<LoadResult[]> {
  const out: LoadResult[] = [];
  for (const p of paths) {
    const r = await loadRulesFile(engine, p);
    out.push(r);
    if (!r.successful) break;
  }
  return out;
}
