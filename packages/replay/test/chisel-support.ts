// Test support for the chisel tests: run a chisel over a shared capture, run sysdig's own chisel for ground
// truth, and compare two table_generator outputs with the one documented allowance (order among ties).
import { execFileSync } from 'node:child_process';
import { createReadStream } from 'node:fs';
import { readSysdigCapture } from '@scapkit/scap-format';
import { HAVE_SYSDIG, SYSDIG } from '../../../test/support/machine.mjs';
import { loadChisel, runChisel } from '../src/chisels/index.js';
import { createFieldRegistry } from '../src/fields/registry.js';
import { CAPTURES } from './support/replay-capture.js';

export { HAVE_SYSDIG, SYSDIG };

if (!HAVE_SYSDIG) {
  console.warn(`${SYSDIG} is missing: the chisel comparisons that run sysdig are skipped (CI installs it)`);
}

/** Runs chisel `name` (with `args`) over CAPTURES/cap.scap; returns its lines. */
export async function runOn(
  cap: string,
  name: string,
  args: string[] = [],
  filter?: string,
): Promise<string[]> {
  const registry = createFieldRegistry();
  const chisel = await loadChisel(name, args, { registry });
  const out: string[] = [];
  await runChisel(chisel, readSysdigCapture(createReadStream(`${CAPTURES}/${cap}.scap`)), {
    write: (l) => out.push(l),
    filter,
    registry,
  });
  return out;
}

/**
 * sysdig 0.29.3's output for `-c name args [filter]` (TZ=UTC), as lines without the final empty one; with
 * `raw`, sysdig runs with those arguments instead of a chisel.
 */
export function sysdigLines(
  cap: string,
  name: string,
  args: string[] = [],
  filter?: string,
  raw?: string[],
): string[] {
  // sysdig takes a chisel's arguments as one word after its name, split at spaces outside single quotes.
  const argv = ['-r', `${CAPTURES}/${cap}.scap`, ...(raw ?? ['-c', name])];
  if (args.length > 0) argv.push(args.map((a) => (/^[^\s']+$/.test(a) ? a : `'${a}'`)).join(' '));
  if (filter) argv.push(filter);
  const text = execFileSync(SYSDIG, argv, {
    env: { ...process.env, TZ: 'UTC' },
    encoding: 'utf8',
    maxBuffer: 64 << 20,
    timeout: 120_000,
  });
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  return lines;
}

/** The sections of an expected X.chisels.txt: chisel name → lines. */
export function chiselSections(text: string): Map<string, string[]> {
  const out = new Map<string, string[]>();
  let cur: string[] | undefined;
  for (const line of text.split('\n')) {
    const m = /^### -c (\S+)$/.exec(line);
    if (m) {
      cur = [];
      out.set(m[1]!, cur);
    } else if (cur) cur.push(line);
  }
  for (const v of out.values()) while (v.length > 0 && v[v.length - 1] === '') v.pop();
  return out;
}

/** Groups a table's rows (after header and rule) into runs of equal value (the first 20 columns). */
function tieGroups(rows: readonly string[]): string[][] {
  const groups: string[][] = [];
  let prev: string | undefined;
  for (const r of rows) {
    const v = r.slice(0, 20);
    if (v !== prev) groups.push([]);
    groups[groups.length - 1]!.push(r);
    prev = v;
  }
  return groups;
}

const sorted = (a: readonly string[]) => [...a].sort();

/**
 * Compares a table_generator output with sysdig's. Header, rule and row count must be identical, and the
 * rows identical group by group of equal values, where the order inside a group is free: sysdig's own order
 * there comes from LuaJIT's hash table and changes from run to run (allow-list entry "tie order", see
 * docs/chisels.md). When the row limit cuts the last group, sysdig printed an arbitrary part of it; `full`
 * (sysdig's whole table, top_number 0) then says which rows were candidates; 'unknown' (a chisel sysdig
 * cannot list whole, topprocs_cpu) accepts any rows with that value for a cut group.
 * Returns a list of problems, empty when they match.
 */
export function compareTables(
  ours: readonly string[],
  theirs: readonly string[],
  full?: readonly string[] | 'unknown',
): string[] {
  const problems: string[] = [];
  if (ours.slice(0, 2).join('\n') !== theirs.slice(0, 2).join('\n'))
    problems.push(`header: ${JSON.stringify(ours.slice(0, 2))}`);
  if (ours.length !== theirs.length)
    problems.push(`rows: ${ours.length - 2} instead of ${theirs.length - 2}`);
  const a = tieGroups(ours.slice(2));
  const b = tieGroups(theirs.slice(2));
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const ga = a[i] ?? [];
    const gb = b[i] ?? [];
    const last = i === b.length - 1;
    if (sorted(ga).join('\n') === sorted(gb).join('\n')) continue;
    if (last && full !== undefined && ga.length === gb.length) {
      const value = gb[0]!.slice(0, 20);
      if (full === 'unknown') {
        if (ga.every((r) => r.slice(0, 20) === value)) continue;
        problems.push(`cut group at ${value.trim()}: ${JSON.stringify(ga)}`);
        continue;
      }
      // A cut group: ours must be rows sysdig has at that value too.
      const candidates = new Set(full.slice(2).filter((r) => r.slice(0, 20) === value));
      const strays = ga.filter((r) => !candidates.has(r));
      if (strays.length === 0) continue;
      problems.push(`rows not in sysdig's table at ${value.trim()}: ${JSON.stringify(strays)}`);
      continue;
    }
    problems.push(`group ${i}: ours ${JSON.stringify(ga)} sysdig ${JSON.stringify(gb)}`);
  }
  return problems;
}
