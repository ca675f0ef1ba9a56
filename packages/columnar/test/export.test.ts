// `scapkit export --format parquet` and `scapkit query` through the built CLI, on the shared captures:
// the hive layout, what DuckDB reads back (row counts equal to replay's, sorted row groups, zstd,
// dictionaries, the schema version), repeatable exports, --append/--force, a cut trace, bad SQL.
import {
  copyFileSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  statSync,
  truncateSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { SCHEMA_VERSION } from '@scapkit/columnar';
import { QuerySession } from '@scapkit/columnar/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { capturePath as cap } from '../../../test/support/captures.mjs';
import { scapkit } from './support/replay-columns.js';

const work = mkdtempSync(join(tmpdir(), 'scapkit-columnar-'));

function files(dir: string): string[] {
  return (readdirSync(dir, { recursive: true }) as string[])
    .filter((f) => f.endsWith('.parquet'))
    .map((f) => relative(dir, join(dir, f)))
    .sort();
}

async function sql(q: string, dirs: string[]): Promise<unknown[][]> {
  const s = await QuerySession.open({ dirs, captures: [] });
  try {
    return (await s.query(q)).rows;
  } finally {
    await s.close();
  }
}

async function replayCount(path: string): Promise<number> {
  const r = await scapkit(['replay', '-r', path, '-p', '%evt.num']);
  return r.stdout.split('\n').filter((l) => l !== '').length;
}

describe('export --format parquet', () => {
  const out = join(work, 'two');
  let run: Awaited<ReturnType<typeof scapkit>>;
  beforeAll(async () => {
    run = await scapkit([
      'export', '-r', cap('curl_google.scap'), '-r', cap('run_as_user_0_container.scap'), '--format', 'parquet', '-w', out,
    ]); // biome-ignore format: one command line
  });
  afterAll(() => {});

  it('writes DIR/<table>/host=H/date=YYYY-MM-DD/part-NNNN.parquet', () => {
    expect(run.stderr).toMatch(/wrote \d+ events from 2 traces/);
    expect(run.code).toBe(0);
    const written = files(out);
    expect(written).toContain('events/host=ip-10-0-0-79/date=2018-08-17/part-0000.parquet');
    for (const f of written)
      expect(f).toMatch(
        /^(events|processes|connections|files)\/host=[^/]+\/date=\d{4}-\d\d-\d\d\/part-\d{4}\.parquet$/,
      );
    expect(new Set(written.map((f) => f.split('/')[0]))).toEqual(
      new Set(['events', 'processes', 'connections', 'files']),
    );
  });

  it('holds as many events per host as replay prints', async () => {
    const rows = await sql('select host, count(*) from events group by host order by host', [out]);
    const want = [
      ['ip-10-0-0-79', String(await replayCount(cap('curl_google.scap')))],
      [(rows[1] as string[])[0], String(await replayCount(cap('run_as_user_0_container.scap')))],
    ];
    expect(rows).toEqual(want);
  });

  it('sorts every row group by ts, compresses with zstd, dictionary-encodes, and stores the schema version', async () => {
    const meta = await sql(
      `select file_name, row_group_id, compression, encodings from parquet_metadata('${out}/events/**/*.parquet') where path_in_schema in ('ts', 'proc_name')`,
      [out],
    );
    expect(meta.length).toBeGreaterThan(0);
    for (const [, , compression] of meta as string[][]) expect(compression).toBe('ZSTD');
    expect(meta.some((m) => String(m[3]).includes('RLE_DICTIONARY'))).toBe(true);
    const unsorted = await sql(
      `select count(*) from (select ts < lag(ts) over (partition by filename, rg order by rn) as back from
         (select ts, filename, file_row_number // 65536 as rg, file_row_number as rn
            from read_parquet('${out}/events/**/*.parquet', filename = true, file_row_number = true))) where back`,
      [out],
    );
    expect(unsorted).toEqual([['0']]);
    const kv = await sql(
      `select distinct decode(value) from parquet_kv_metadata('${out}/events/**/*.parquet') where decode(key) = 'scapkit.schema_version'`,
      [out],
    );
    expect(kv).toEqual([[String(SCHEMA_VERSION)]]);
  });

  it('gives the same rows when the same traces are exported again', async () => {
    const again = join(work, 'two-again');
    const r = await scapkit([
      'export',
      '-r',
      cap('curl_google.scap'),
      '-r',
      cap('run_as_user_0_container.scap'),
      '--format',
      'parquet',
      '-w',
      again,
    ]);
    expect(r.code).toBe(0);
    const q = (d: string) =>
      `select * exclude (args), args::varchar from read_parquet('${d}/events/**/*.parquet') order by capture_id, evt_num`;
    expect(await sql(q(again), [again])).toEqual(await sql(q(out), [out]));
    for (const t of ['processes', 'connections', 'files']) {
      const qt = (d: string) => `select * from read_parquet('${d}/${t}/**/*.parquet') order by all`;
      expect(await sql(qt(again), [again])).toEqual(await sql(qt(out), [out]));
    }
  });

  it('refuses a directory that is not empty, adds files with --append, replaces the tables with --force', async () => {
    const before = files(out);
    const refused = await scapkit(['export', '-r', cap('sample.scap'), '--format', 'parquet', '-w', out]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/exists and is not empty: --append .* --force/);
    expect(files(out)).toEqual(before);

    const stamp = new Map(before.map((f) => [f, statSync(join(out, f)).mtimeMs]));
    const appended = await scapkit([
      'export',
      '-r',
      cap('curl_google.scap'),
      '--format',
      'parquet',
      '-w',
      out,
      '--append',
    ]);
    expect(appended.code).toBe(0);
    const after = files(out);
    expect(after).toContain('events/host=ip-10-0-0-79/date=2018-08-17/part-0001.parquet');
    for (const [f, t] of stamp) expect(statSync(join(out, f)).mtimeMs).toBe(t);
    expect(after.length).toBeGreaterThan(before.length);

    writeFileSync(join(out, 'NOTES.txt'), 'mine');
    const forced = await scapkit([
      'export',
      '-r',
      cap('sample.scap'),
      '--format',
      'parquet',
      '-w',
      out,
      '--force',
    ]);
    expect(forced.code).toBe(0);
    expect(files(out).every((f) => !f.includes('ip-10-0-0-79'))).toBe(true);
    expect(readFileSync(join(out, 'NOTES.txt'), 'utf8')).toBe('mine');
  });

  it('sets the host with --hostname and limits rows with --from/--to', async () => {
    const d = join(work, 'host');
    // curl_google.scap's events run from 17:35:48.5146 to 17:35:48.5883 UTC, most of them in the first 5 ms.
    const r = await scapkit([
      'export', '-r', cap('curl_google.scap'), '--format', 'parquet', '-w', d, '--hostname', 'web-1',
      '--from', '2018-08-17T17:35:48.515Z', '--to', '2018-08-17T17:35:48.518Z',
    ]); // biome-ignore format: one command line
    expect(r.code).toBe(0);
    expect(files(d)[0]).toMatch(/^[a-z]+\/host=web-1\//);
    const [[n, lo, hi]] = (await sql(
      "select count(*), min(ts) >= '2018-08-17 17:35:48.515', max(ts) < '2018-08-17 17:35:48.518' from events",
      [d],
    )) as unknown[][] as [[string, boolean, boolean]];
    expect(Number(n)).toBeGreaterThan(0);
    expect([lo, hi]).toEqual([true, true]);
    const filtered = await scapkit(['replay', '-r', cap('curl_google.scap'), '-p', '%evt.rawtime']);
    const inRange = filtered.stdout
      .split('\n')
      .filter((l) => l !== '')
      .map(BigInt)
      .filter((t) => t >= 1534527348515000000n && t < 1534527348518000000n).length;
    expect(Number(n)).toBe(inRange);
  });

  it('exports the complete events of a cut trace and exits 3 saying what was lost', async () => {
    const cut = join(work, 'cut.scap');
    copyFileSync(cap('connect_localhost.scap'), cut);
    truncateSync(cut, statSync(cut).size - 100);
    const d = join(work, 'cut');
    const r = await scapkit(['export', '-r', cut, '--format', 'parquet', '-w', d]);
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(
      /cut short: .*Every event complete before the cut \(\d+ events\) was exported; the \d+ bytes after the last complete record were lost/,
    );
    const printed = await scapkit(['replay', '-r', cut, '-p', '%evt.num']);
    expect(printed.code).toBe(3);
    const n = printed.stdout.split('\n').filter((l) => l !== '').length;
    expect(await sql('select count(*) from events', [d])).toEqual([[String(n)]]);
  });
});

describe('query', () => {
  it('reads traces named directly as the same tables as their export', async () => {
    const d = join(work, 'q');
    expect((await scapkit(['export', '-r', cap('sample.scap'), '--format', 'parquet', '-w', d])).code).toBe(
      0,
    );
    const q =
      'select proc_name, type, count(*) as n from events group by all order by n desc, proc_name, type limit 8';
    const fromTrace = await scapkit(['query', q, cap('sample.scap'), '--json']);
    const fromDir = await scapkit(['query', q, d, '--json']);
    expect(fromTrace.code).toBe(0);
    expect(fromTrace.stdout).toBe(fromDir.stdout);
    const first = JSON.parse(fromTrace.stdout.split('\n')[0]!);
    expect(Object.keys(first)).toEqual(['proc_name', 'type', 'n']);
  });

  it('prints CSV and an aligned table', async () => {
    const q =
      "select type, count(*) as n from events where type in ('mmap', 'open') group by type order by type";
    const count = async (filter: string) =>
      (await scapkit(['replay', '-r', cap('cat_write.scap'), '-p', '%evt.num', filter])).stdout
        .split('\n')
        .filter(Boolean).length;
    const mmaps = await count('evt.type=mmap');
    const opens = await count('evt.type=open');
    expect(opens).toBeGreaterThan(0);
    const csv = await scapkit(['query', q, cap('cat_write.scap'), '--csv']);
    expect(csv.stdout).toBe(`type,n\nmmap,${mmaps}\nopen,${opens}\n`);
    const table = await scapkit(['query', q, cap('cat_write.scap')]);
    const lines = table.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^type\s+n$/);
    expect(lines[1]).toMatch(/^-+ +-+$/);
    expect(lines[2]).toMatch(new RegExp(`^mmap +${mmaps}$`));
    expect(lines[2]!.length).toBe(lines[1]!.length);
  });

  it('answers a bad statement with DuckDB message and position, exit 2', async () => {
    const r = await scapkit(['query', 'select proc_nme from events', cap('cat_write.scap')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/proc_nme/);
    expect(r.stderr).toMatch(/LINE 1: select proc_nme from events\n\s+\^/);
    expect(r.stderr).not.toMatch(/at .*\.js:\d+/);
  });

  it('has the four views even when an input lacks a table', async () => {
    const r = await scapkit([
      'query',
      'select count(*) as n from connections',
      cap('cat_write.scap'),
      '--csv',
    ]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('n\n0\n');
  });
});
