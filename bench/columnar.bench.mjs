// `npm run bench columnar`: the Parquet export and SQL over a fleet, on a recording of at least 3M events
// (bench/columnar-trace.mjs), each against its peer in the same run:
//  - export: `scapkit export --format parquet` (state resolved, every column) against `scapkit replay -p`
//    printing the same fields (the same state and field work, text instead of columns); events/s of each;
//  - size: the Parquet tables against the zstd trace they come from;
//  - a selective query over a fleet of at least 10M events (the trace exported under several host names):
//    DuckDB (query time alone, and the whole `scapkit query` command) against `scapkit replay` with the
//    same filter over each trace.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { benchTrace, cli, eventCount, repo } from './columnar-trace.mjs';

const trace = benchTrace();
if (!trace) process.exit(0);
const events = eventCount(trace);
const { EVENT_COLUMNS } = await import(join(repo, 'packages/columnar/dist/index.js'));
const { QuerySession } = await import(join(repo, 'packages/columnar/dist/node/index.js'));
const work = mkdtempSync(join(tmpdir(), 'scapkit-bench-columnar-'));

/** Runs argv (stdout to /dev/null); wall ms, CPU ms (user + sys) and peak RSS (MiB) from GNU time. */
function measure(argv) {
  const t0 = process.hrtime.bigint();
  const r = spawnSync('/usr/bin/time', ['-f', '%M %U %S', ...argv], {
    env: { ...process.env, TZ: 'UTC' },
    stdio: ['ignore', 'ignore', 'pipe'],
    encoding: 'utf8',
  });
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  if (r.status !== 0) throw new Error(`${argv.join(' ')} failed (${r.status}): ${r.stderr}`);
  const [rss, user, sys] = r.stderr.trim().split('\n').at(-1).split(' ').map(Number);
  return { ms, cpu: (user + sys) * 1000, rss: rss / 1024 };
}

function du(dir) {
  let n = 0;
  for (const f of readdirSync(dir, { recursive: true })) {
    const s = statSync(join(dir, f));
    if (s.isFile()) n += s.size;
  }
  return n;
}

const mega = (n) => (n / 1e6).toFixed(2);
console.log(
  `${trace}: ${events} events, ${(statSync(trace).size / 1e6).toFixed(1)} MB; load ${readLoad()}\n`,
);

// Export against replay -p of the same fields.
const out = join(work, 'one');
const exp = measure([process.execPath, cli, 'export', '-r', trace, '--format', 'parquet', '-w', out]);
const fields = EVENT_COLUMNS.filter((c) => c.field && c.kind !== 'map').map((c) => `%${c.field}`);
const rep = measure([process.execPath, cli, 'replay', '-r', trace, '-p', `*${fields.join('\t')}`]);
console.log('export                                      wall ms   CPU ms   M events/s (wall)   peak MiB');
for (const [name, r] of [
  ['scapkit export --format parquet', exp],
  [`scapkit replay -p (the ${fields.length} fields)`, rep],
]) {
  console.log(
    `${name.padEnd(42)} ${r.ms.toFixed(0).padStart(8)} ${r.cpu.toFixed(0).padStart(8)} ${mega(events / (r.ms / 1000)).padStart(19)} ${r.rss.toFixed(0).padStart(10)}`,
  );
}
// The target, 1M events/s of wall time, on this VM's cores: at most `cores` us of CPU per event when every
// core works for the export. On a busy machine the wall time says more about the others than about the
// export: the CPU figure is the one to compare between runs.
const cores = availableParallelism();
const wallRate = events / (exp.ms / 1000);
const cpuPerEvent = (exp.cpu * 1000) / events;
console.log(
  `export/replay wall: ${(exp.ms / rep.ms).toFixed(2)}x, CPU: ${(exp.cpu / rep.cpu).toFixed(2)}x\n` +
    `export: ${mega(wallRate)} M events/s wall = ${(wallRate / 1e6).toFixed(2)}x the target (>= 1M events/s): ` +
    `${wallRate >= 1e6 ? 'met' : 'NOT met'}; ${cpuPerEvent.toFixed(2)} CPU-us/event, the target on ${cores} cores ` +
    `<= ${cores.toFixed(1)}: ${(cores / cpuPerEvent).toFixed(2)}x (load ${readLoad()})`,
);

// Size against the trace.
const parquetBytes = du(out);
const eventsBytes = du(join(out, 'events'));
const ratio = parquetBytes / statSync(trace).size;
console.log(
  `\nsize: Parquet ${(parquetBytes / 1e6).toFixed(1)} MB (events ${(eventsBytes / 1e6).toFixed(1)} MB, ` +
    `${(eventsBytes / events).toFixed(1)} B/event), zstd trace ${(statSync(trace).size / 1e6).toFixed(1)} MB: ` +
    `${ratio.toFixed(2)}x (target <= 1.5): ${ratio <= 1.5 ? 'met' : 'NOT met'}`,
);
// Where the events bytes go: each column's compressed size, from the Parquet footers.
const sizes = await QuerySession.open({ dirs: [out], captures: [] });
const byColumn = await sizes.query(
  `select split_part(path_in_schema, ', ', 1) as col, sum(total_compressed_size) as bytes from parquet_metadata('${join(out, 'events', '**', '*.parquet')}') group by col order by bytes desc`,
);
// The writer's peer: DuckDB's own Parquet writer (its threads, zstd) on the same events rows, read back
// from the export: CPU of the re-encoding alone against the whole export (state, columns and encoding).
const copyTo = join(work, 'duckdb-copy.parquet');
const c0 = process.cpuUsage();
const w0 = performance.now();
await sizes.query(
  `copy (select * exclude (host, date) from read_parquet('${join(out, 'events', '**', '*.parquet')}', hive_partitioning = true)) to '${copyTo}' (format parquet, compression zstd)`,
);
const cu = process.cpuUsage(c0);
const duckCpu = (cu.user + cu.system) / 1000;
console.log(
  `DuckDB COPY of the same rows (Parquet read back and written again): ${(performance.now() - w0).toFixed(0)} ms wall, ` +
    `${duckCpu.toFixed(0)} ms CPU, ${mega(events / (duckCpu / 1000))} M events/CPU-s; ` +
    `export CPU / DuckDB COPY CPU: ${(exp.cpu / duckCpu).toFixed(2)}x; ` +
    `1M events/s on this VM's ${availableParallelism()} cores needs <= ${availableParallelism().toFixed(1)} us CPU/event, ` +
    `the export took ${((exp.cpu * 1000) / events).toFixed(1)} us`,
);
await sizes.close();
console.log(
  `  events ${(eventsBytes / statSync(trace).size).toFixed(2)}x the trace, other tables ${((parquetBytes - eventsBytes) / 1e6).toFixed(1)} MB; ` +
    `events columns: ${byColumn.rows.map(([c, b]) => `${c} ${(Number(b) / 1e6).toFixed(1)} MB`).join(', ')}`,
);

// A fleet of at least 10M events: the trace exported under several host names into one directory.
const hosts = Math.max(1, Math.ceil(10_000_000 / events));
const fleet = join(work, 'fleet');
for (let i = 0; i < hosts; i++) {
  const args = ['export', '-r', trace, '--format', 'parquet', '-w', fleet, '--hostname', `bench-${i}`];
  measure([process.execPath, cli, ...args, ...(i > 0 ? ['--append'] : [])]);
}
const total = hosts * events;
const sql =
  "select host, count(*) as n from events where proc_name = 'curl' and type = 'connect' group by host";
const session = await QuerySession.open({ dirs: [fleet], captures: [] });
let queryMs = Number.POSITIVE_INFINITY;
let answer;
for (let i = 0; i < 3; i++) {
  const t0 = performance.now();
  answer = await session.query(sql);
  queryMs = Math.min(queryMs, performance.now() - t0);
}
await session.close();
const command = measure([process.execPath, cli, 'query', sql, fleet, '--csv']);
let replayMs = 0;
for (let i = 0; i < hosts; i++) {
  replayMs += measure([
    process.execPath,
    cli,
    'replay',
    '-r',
    trace,
    '-p',
    '%evt.num',
    'proc.name=curl and evt.type=connect',
  ]).ms;
}
const per10M = (ms) => (ms * 1e7) / total;
console.log(
  `\nselective query over ${hosts} hosts, ${total} events (${answer.rows.map((r) => r.join('=')).join(', ')}):\n` +
    `  DuckDB, the query alone (best of 3)   ${queryMs.toFixed(0).padStart(7)} ms = ${per10M(queryMs).toFixed(0)} ms per 10M events (target <= 1000): ${per10M(queryMs) <= 1000 ? 'met' : 'NOT met'}\n` +
    `  scapkit query (the whole command)     ${command.ms.toFixed(0).padStart(7)} ms = ${per10M(command.ms).toFixed(0)} ms per 10M events\n` +
    `  scapkit replay with the same filter   ${replayMs.toFixed(0).padStart(7)} ms (each trace once)\n` +
    `  replay/query: ${(replayMs / queryMs).toFixed(1)}x (query alone), ${(replayMs / command.ms).toFixed(1)}x (whole command)`,
);
rmSync(work, { recursive: true, force: true });

function readLoad() {
  try {
    return spawnSync('cat', ['/proc/loadavg'], { encoding: 'utf8' }).stdout.split(' ').slice(0, 3).join(' ');
  } catch {
    return '?';
  }
}
