// The differential check's native-vs-export comparison (differential/differential.mjs) on two hand-made
// prints: an fd of a type sysdig 0.29.3's fd list lacks, found open by the capture's /proc scan, is written
// by the export as a type 0.29.3 has (differences-from-sysdig.md, "The export for sysdig 0.29.3": bpf,
// userfaultfd, io_uring, pidfd → unsupported, memfd → file). Exactly that is allowed, nothing near it.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
// @ts-expect-error: a plain ES module shared with bench/differential.bench.mjs
import { compareNativeWithExport, SEP, STATE_FIELDS } from './differential/differential.mjs';

const tmp = mkdtempSync(join(tmpdir(), 'scapkit-differential-compare-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const fields = STATE_FIELDS as string[];
/** One printed line: a node process closing fd 97, with the columns given. */
function line(num: number, cols: Record<string, string>): string {
  const base: Record<string, string> = {
    'evt.num': String(num),
    'evt.type': 'close',
    'evt.dir': '>',
    'thread.tid': '7974',
    'proc.pid': '7974',
    'proc.ppid': '1',
    'proc.name': 'node',
    'fd.num': '97',
    'fd.typechar': 'b',
    'fd.name': '',
  };
  return fields.map((f) => cols[f] ?? base[f] ?? '<NA>').join(SEP);
}

async function compare(native: Record<string, string>, exported: Record<string, string>) {
  const a = join(tmp, 'native.txt');
  const b = join(tmp, 'export.txt');
  writeFileSync(a, `${line(1, {})}\n${line(2, native)}\n`);
  writeFileSync(b, `${line(1, {})}\n${line(3, exported)}\n`);
  return compareNativeWithExport(a, b);
}

describe('native trace vs its export: fd types 0.29.3 lacks', () => {
  it.each([
    ['b', 'X'],
    ['r', 'X'],
    ['P', 'X'],
    ['u', 'X'],
    ['m', 'f'],
  ])('%s in the native trace, %s in the export: allowed', async (ours, theirs) => {
    const r = await compare({ 'fd.typechar': ours }, { 'fd.typechar': theirs });
    expect(r.total).toBe(2);
    expect(r.identical).toBe(1);
    expect(r.allowedBy.get('export-downgrades-fd-types')).toBe(1);
  });

  it.each([
    ['b', 'f'], // not what the export writes for a bpf fd
    ['f', 'X'], // a file keeps its type
    ['u', 'f'],
  ])('%s in the native trace, %s in the export: a difference', async (ours, theirs) => {
    const r = await compare({ 'fd.typechar': ours }, { 'fd.typechar': theirs });
    expect(r.allowed).toBe(0);
    expect(r.byColumn.get('fd.typechar')).toBe(1);
  });

  it('a downgraded type with another column differing too: a difference', async () => {
    const r = await compare({ 'fd.typechar': 'b' }, { 'fd.typechar': 'X', 'fd.name': 'anon_inode:bpf-prog' });
    expect(r.allowed).toBe(0);
    expect(r.byColumn.get('fd.name')).toBe(1);
  });
});
