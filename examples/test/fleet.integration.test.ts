// examples/fleet: the README's fleet questions (questions.sql) over one Parquet directory holding several
// hosts, answered by DuckDB (`scapkit query`'s engine) and checked against answers computed from
// `scapkit replay` on each trace; then by Apache Spark (fleet.py, local[2]) when pyspark can be installed,
// checked against DuckDB's. The hosts: three shared captures (curl to an external address, containers
// writing files, a listening socket). It reads no recording of its own, so it runs without root too; it is
// an integration test because it installs what Spark needs.
import { execFile, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { QuerySession } from '@scapkit/columnar/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CAPTURES_DIR } from '../../test/support/captures.mjs';

const repo = fileURLToPath(new URL('../../', import.meta.url));
const bin = join(repo, 'packages/recorder/bin/scapkit.js');
const captures = CAPTURES_DIR;
const work = mkdtempSync(join(tmpdir(), 'scapkit-fleet-questions-'));
const fleet = join(work, 'fleet');
afterAll(() => rmSync(work, { recursive: true, force: true }));

function scapkit(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [bin, ...args],
      { env: { ...process.env, TZ: 'UTC' }, maxBuffer: 1 << 30 },
      (e, stdout, stderr) =>
        resolve({ code: e ? (typeof e.code === 'number' ? e.code : 1) : 0, stdout, stderr }),
    );
  });
}

/** The questions of questions.sql, for the whole time range. */
function questions(): Map<string, string> {
  const text = readFileSync(join(repo, 'examples/fleet/questions.sql'), 'utf8');
  const out = new Map<string, string>();
  for (const block of text.split(/^-- name: /m).slice(1)) {
    const [name, ...body] = block.split('\n');
    const sql = body
      .filter((l) => !l.startsWith('--'))
      .join('\n')
      .trim()
      .replace(/;$/, '');
    out.set(
      name!.trim(),
      sql
        // biome-ignore lint/suspicious/noTemplateCurlyInString: questions.sql's placeholders
        .replaceAll('${FROM}', "TIMESTAMP '1970-01-01 00:00:00'")
        // biome-ignore lint/suspicious/noTemplateCurlyInString: questions.sql's placeholders
        .replaceAll('${TO}', "TIMESTAMP '2100-01-01 00:00:00'"),
    );
  }
  return out;
}

/** The hosts of the fleet: host name → trace. */
const hosts = new Map<string, string>([
  ['web-1', join(captures, 'curl_google.scap')],
  ['k8s-1', join(captures, 'capture.scap')],
  ['db-1', join(captures, 'single_ipv6_conn.scap')],
]);

async function replayLines(trace: string, format: string, filter: string): Promise<string[][]> {
  const r = await scapkit(['replay', '-r', trace, '-p', format, filter]);
  if (r.code !== 0) throw new Error(`replay failed: ${r.stderr}`);
  return r.stdout
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => l.split('\t'));
}

const PRIVATE = /^(127\.|10\.|192\.168\.|172\.(1\d|2\d|3\d)\.|::1$|fe80:|fd[0-9a-f]*:|0\.0\.0\.0$)/;

/** Each question's answer computed from replay, in the shape (and order) of the SQL's key columns. */
const fromReplay: Record<string, (host: string, trace: string) => Promise<string[][]>> = {
  async curl_to_external(host, trace) {
    const counts = new Map<string, number>();
    for (const [sip] of await replayLines(
      trace,
      '%fd.sip',
      'proc.name=curl and evt.type=connect and evt.dir=<',
    )) {
      if (sip && sip !== '<NA>' && !PRIVATE.test(sip)) counts.set(sip, (counts.get(sip) ?? 0) + 1);
    }
    return [...counts].sort().map(([a, n]) => [host, a, String(n)]);
  },
  async top_files_written_per_container(host, trace) {
    const sums = new Map<string, Map<string, number>>();
    const lines = await replayLines(
      trace,
      '%container.id\t%fd.name\t%evt.buflen',
      'fd.type=file and evt.is_io_write=true',
    );
    for (const [cid, path, n] of lines) {
      if (n === '<NA>' || Number(n) <= 0) continue;
      const m = sums.get(cid!) ?? new Map<string, number>();
      m.set(path!, (m.get(path!) ?? 0) + Number(n));
      sums.set(cid!, m);
    }
    const out: string[][] = [];
    for (const cid of [...sums.keys()].sort()) {
      const top = [...sums.get(cid)!].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).slice(0, 3);
      for (const [p, n] of top) out.push([host, cid, p, String(n)]);
    }
    return out;
  },
  async web_servers_spawning_shells(host, trace) {
    const filter =
      'proc.name in (sh, bash, dash, zsh, ash, ksh) and ' +
      '(proc.pname in (nginx, httpd, apache2, lighttpd, caddy) or (proc.pname startswith python and proc.pcmdline contains http.server))';
    const pids = new Set((await replayLines(trace, '%proc.pid', filter)).map(([p]) => p!));
    return [...pids].sort((a, b) => Number(a) - Number(b)).map((p) => [host, p]);
  },
  async new_listening_ports(host, trace) {
    const ports = new Set(
      (await replayLines(trace, '%fd.sport', 'evt.type=listen and evt.dir=< and evt.rawres=0')).map(
        ([p]) => p!,
      ),
    );
    return [...ports]
      .filter((p) => p !== '<NA>')
      .sort((a, b) => Number(a) - Number(b))
      .map((p) => [host, p]);
  },
};

/** The columns of each answer compared with replay's (timestamps and names the SQL adds are left out). */
const KEY_COLUMNS: Record<string, string[]> = {
  curl_to_external: ['host', 'address', 'connects'],
  top_files_written_per_container: ['host', 'container_id', 'path', 'bytes_written'],
  web_servers_spawning_shells: ['host', 'shell_pid'],
  new_listening_ports: ['host', 'port'],
};

describe('the fleet questions', () => {
  const duck = new Map<string, { columns: string[]; rows: unknown[][] }>();
  beforeAll(async () => {
    let first = true;
    for (const [host, trace] of hosts) {
      const r = await scapkit([
        'export',
        '-r',
        trace,
        '--format',
        'parquet',
        '-w',
        fleet,
        '--hostname',
        host,
        ...(first ? [] : ['--append']),
      ]);
      expect(r.code, r.stderr).toBe(0);
      first = false;
    }
    const session = await QuerySession.open({ dirs: [fleet], captures: [] });
    try {
      for (const [name, sql] of questions()) duck.set(name, await session.query(sql));
    } finally {
      await session.close();
    }
  }, 600_000);

  for (const name of Object.keys(fromReplay)) {
    it(`${name}: DuckDB's answer equals replay's`, async () => {
      const want: string[][] = [];
      for (const host of [...hosts.keys()].sort())
        want.push(...(await fromReplay[name]!(host, hosts.get(host)!)));
      const a = duck.get(name)!;
      const idx = KEY_COLUMNS[name]!.map((c) => a.columns.indexOf(c));
      const got = a.rows.map((r) => idx.map((i) => String(r[i])));
      expect(got).toEqual(want);
      // None of the shared captures has a web server starting a shell: that answer is empty on both sides.
      if (name !== 'web_servers_spawning_shells') expect(got.length).toBeGreaterThan(0);
    });
  }

  it('Spark (fleet.py, local[2]) gives the same answers as DuckDB', async (ctx) => {
    const why = sparkUnavailable();
    if (why) {
      console.warn(`Spark check skipped: ${why}`);
      ctx.skip();
    }
    const out = join(work, 'spark.json');
    const r = spawnSync('python3', [join(repo, 'examples/fleet/fleet.py'), fleet, '--json', out], {
      encoding: 'utf8',
      timeout: 600_000,
    });
    expect(r.status, r.stderr).toBe(0);
    const spark = JSON.parse(readFileSync(out, 'utf8')) as Record<string, (string | null)[][]>;
    for (const [name, a] of duck) {
      const idx = KEY_COLUMNS[name]!.map((c) => a.columns.indexOf(c));
      const key = (rows: unknown[][]) => rows.map((row) => idx.map((i) => String(row[i])));
      expect(key(spark[name]!), name).toEqual(key(a.rows));
    }
  }, 900_000);
});

/** Why Spark cannot run here (pyspark and a Java 17 runtime are installed on demand), or undefined. */
function sparkUnavailable(): string | undefined {
  const has = () => spawnSync('python3', ['-c', 'import pyspark'], { encoding: 'utf8' }).status === 0;
  if (!has()) {
    const pip = spawnSync('python3', ['-m', 'pip', 'install', '--quiet', 'pyspark'], {
      encoding: 'utf8',
      timeout: 300_000,
    });
    if (pip.status !== 0 || !has()) {
      const tail = `${pip.stderr ?? ''}${pip.error?.message ?? ''}`.trim().split('\n').slice(-2).join(' ');
      return `pyspark cannot be installed on this machine ('pip install pyspark' failed: PyPI is not reachable from here): ${tail}`;
    }
  }
  if (spawnSync('java', ['-version'], { encoding: 'utf8' }).status !== 0) {
    const apt = spawnSync(
      'apt-get',
      ['install', '-y', '-qq', '--no-install-recommends', 'openjdk-17-jre-headless'],
      { encoding: 'utf8', timeout: 600_000 },
    );
    if (apt.status !== 0)
      return `Java 17 cannot be installed (apt-get install openjdk-17-jre-headless failed): ${apt.stderr.trim().split('\n').at(-1)}`;
  }
  return undefined;
}
