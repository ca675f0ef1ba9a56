// Holds every events column against `scapkit replay -p %field` on every row of a capture: the built CLI
// prints all the fields in one run (fields separated by \x1f, rows ended by \x1e), toArrow builds the
// columns, and one test per column compares them row by row. The args map is held against
// `%evt.arg[N]` (values, in order) and `%evt.info` (its keys are the names info prints).
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { EVENT_COLUMNS, toArrow, UNKNOWN_HOST } from '@scapkit/columnar';
import { openCaptureFile } from '@scapkit/scap-format/node';
import type { RecordBatch } from 'apache-arrow';
import { beforeAll, describe, expect, it } from 'vitest';

export const repo = fileURLToPath(new URL('../../../../', import.meta.url));
export const bin = join(repo, 'packages/recorder/bin/scapkit.js');

export function scapkit(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [bin, ...args],
      { env: { ...process.env, TZ: 'UTC' }, maxBuffer: 1 << 30 },
      (err, stdout, stderr) => {
        resolve({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, stdout, stderr });
      },
    );
  });
}

/** How many parameters of each event the args check compares with %evt.arg[N]. */
const ARGS_CHECKED = 8;
const US = '\u001f';
const RS = '\u001e';

const FIELD_COLUMNS = EVENT_COLUMNS.filter((c) => c.field !== undefined && c.kind !== 'map');

/** The text `replay -p` prints for a column's value. */
function asText(v: unknown): string {
  if (v === null || v === undefined) return '<NA>';
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  return String(v);
}

export function describeColumnsAgainstReplay(name: string, capture: () => string): void {
  describe(`${name}: every events column equals replay -p %field on every row`, () => {
    let printed: string[][] = [];
    let rows: Record<string, unknown>[] = [];
    let lines = 0;
    const argIdx = (i: number) => FIELD_COLUMNS.length + 1 + i;

    beforeAll(async () => {
      const fields = [...FIELD_COLUMNS.map((c) => `%${c.field}`), '%evt.num'];
      for (let i = 0; i < ARGS_CHECKED; i++) fields.push(`%evt.arg[${i}]`);
      const r = await scapkit(['replay', '-r', capture(), '-p', `*${fields.join(US)}${RS}`]);
      expect(r.stderr).toBe('');
      printed = r.stdout
        .split(`${RS}\n`)
        .filter((l) => l !== '')
        .map((l) => l.split(US));
      const torn = printed.find((p) => p.length !== fields.length);
      if (torn)
        throw new Error(
          `a line of replay -p does not split into ${fields.length} fields: ${JSON.stringify(torn)}`,
        );
      lines = printed.length;
      const batches: RecordBatch[] = [];
      for await (const b of toArrow(openCaptureFile(capture()), { batchSize: 4096 })) batches.push(b);
      rows = batches.flatMap((b) => {
        // Timestamps as the exact ns (Arrow's row objects give them as float ms).
        const ts = b.getChild('ts')!.data[0]!.values as BigInt64Array;
        return b.toArray().map((row, i) => ({ ...(row.toJSON() as Record<string, unknown>), ts: ts[i] }));
      });
      // Rows are sorted by ts inside each batch; replay prints in file order: line them up by evt.num.
      const byNum = new Map(printed.map((p) => [p[FIELD_COLUMNS.length]!, p]));
      printed = rows.map((row) => byNum.get(String(row.evt_num))!);
    });

    it('has one row per event replay prints', () => {
      expect(rows.length).toBe(lines);
      expect(printed.every((p) => p !== undefined)).toBe(true);
    });

    FIELD_COLUMNS.forEach((col, ci) => {
      it(`${col.name} = %${col.field}`, () => {
        const bad: string[] = [];
        rows.forEach((row, r) => {
          let want = printed[r]![ci]!;
          if (col.name === 'host' && want === '<NA>') want = UNKNOWN_HOST;
          const got = asText(row[col.name]);
          if (got !== want && bad.length < 5)
            bad.push(`evt.num ${row.evt_num}: column '${got}', replay '${want}'`);
        });
        expect(bad).toEqual([]);
      });
    });

    it('capture_id is one 16-hex-digit id for the whole capture', () => {
      const ids = new Set(rows.map((r) => r.capture_id));
      expect(ids.size).toBe(rows.length === 0 ? 0 : 1);
      if (rows.length === 0) return;
      expect([...ids][0]).toMatch(/^[0-9a-f]{16}$/);
    });

    it('args = evt.arg[N] in order, keyed by the names evt.info prints', () => {
      const bad: string[] = [];
      const infoCol = FIELD_COLUMNS.findIndex((c) => c.name === 'info');
      rows.forEach((row, r) => {
        const p = printed[r]!;
        const entries = [...((row.args as Iterable<[string, string]> | null) ?? [])].map(([key, value]) => ({
          key,
          value,
        }));
        const info = p[infoCol]!;
        let at = 0;
        entries.forEach((e, i) => {
          if (i < ARGS_CHECKED && e.value !== p[argIdx(i)] && bad.length < 5)
            bad.push(`evt.num ${row.evt_num} arg ${i}: '${e.value}' vs '${p[argIdx(i)]}'`);
          // Each key starts info or follows a space, after the previous key.
          const space = info.indexOf(` ${e.key}=`, at);
          const k = at === 0 && info.startsWith(`${e.key}=`) ? 0 : space < 0 ? -1 : space + 1;
          if (k < 0 && bad.length < 5)
            bad.push(`evt.num ${row.evt_num}: key '${e.key}' not in info '${info}'`);
          at = k + 1;
        });
        if (
          entries.length > 0 &&
          entries.length < ARGS_CHECKED &&
          p[argIdx(entries.length)] !== '<NA>' &&
          bad.length < 5
        )
          bad.push(
            `evt.num ${row.evt_num}: ${entries.length} entries but evt.arg[${entries.length}] is '${p[argIdx(entries.length)]}'`,
          );
      });
      expect(bad).toEqual([]);
    });
  });
}
