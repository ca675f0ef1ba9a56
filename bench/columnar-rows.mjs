// Where the export's main thread goes, column by column: `node bench/columnar-rows.mjs [TRACE] [EVENTS]`
// (default /work/bench-data/work.scap or SCAPKIT_BENCH_TRACE, its first 300,000 events). The events are read and
// decoded into memory first; then the Pipeline with the events sink runs over them in this process, once
// per column set, interleaved, three rounds, and the best CPU time per row of each is printed against the
// peer: the state engine with the ts column alone. No Parquet encoding (its own thread in the export) and no
// reading or decoding are counted. Run after `pnpm exec tsc -b` (it imports the packages' dist).
import { join } from 'node:path';
import { repo } from './columnar-trace.mjs';

const trace = process.argv[2] ?? process.env.SCAPKIT_BENCH_TRACE ?? '/work/bench-data/work.scap';
const limit = Number(process.argv[3] ?? 300_000);
const ROUNDS = 3;

const { openCaptureFile } = await import(join(repo, 'packages/scap-format/dist/node/index.js'));
const { Pipeline, createFieldRegistry } = await import(join(repo, 'packages/replay/dist/index.js'));
const { EventBatchBuilder, CaptureTables, EVENT_COLUMNS } = await import(
  join(repo, 'packages/columnar/dist/index.js')
);

const records = [];
let seen = 0;
for await (const rec of openCaptureFile(trace, { workers: false })) {
  if (rec.kind === 'events') {
    if (seen >= limit) continue;
    const b = rec.batch;
    const k = Math.min(b.count, limit - seen);
    seen += k;
    records.push({
      kind: 'events',
      batch: { data: b.data.slice(), offsets: b.offsets.slice(0, k), count: k },
    });
  } else if (rec.kind !== 'stats') records.push(rec);
}

const THREAD = ['pid', 'ppid', 'vpid', 'proc_name', 'proc_exe', 'proc_exepath', 'proc_args', 'proc_cwd',
  'proc_pname', 'uid', 'user_name', 'gid', 'container_id', 'container_name', 'container_image']; // biome-ignore format: a list
const FD = ['fd_num', 'fd_type', 'fd_name', 'fd_l4proto', 'fd_cip', 'fd_cport', 'fd_sip', 'fd_sport'];
const EVT = ['evt_num', 'host', 'capture_id', 'cpu', 'type', 'dir', 'category', 'tid', 'res', 'failed',
  'latency_ns', 'bytes']; // biome-ignore format: a list
/** [name, columns (undefined: all), with the processes/connections/files tables] */
const SETS = [
  ['state + ts (the peer)', ['ts'], false],
  ['+ thread columns', ['ts', ...THREAD], false],
  ['+ fd columns', ['ts', ...FD], false],
  ['+ the other event columns', ['ts', ...EVT], false],
  ['+ info', ['ts', 'info'], false],
  ['+ args', ['ts', 'args'], false],
  ['+ info and args', ['ts', 'info', 'args'], false],
  ['+ the tables', ['ts'], true],
  ['every column and the tables (export)', undefined, true],
];
if (EVENT_COLUMNS.length !== 1 + THREAD.length + FD.length + EVT.length + 2)
  throw new Error('a column is missing from the sets above');

const best = new Map();
for (let round = 0; round < ROUNDS; round++) {
  for (const [name, columns, withTables] of SETS) {
    const registry = createFieldRegistry();
    const tables = withTables ? new CaptureTables(registry) : undefined;
    let rows = 0;
    const sink = new EventBatchBuilder({ registry, tables, columns }, (b) => {
      rows += b.numRows;
    });
    const pipeline = new Pipeline({ sink });
    const c0 = process.cpuUsage();
    for (const rec of records) pipeline.push(rec);
    sink.end();
    tables?.finish();
    const c = process.cpuUsage(c0);
    const us = (c.user + c.system) / rows;
    best.set(name, Math.min(best.get(name) ?? Number.POSITIVE_INFINITY, us));
  }
}
const peer = best.get(SETS[0][0]);
console.log(`${trace}: first ${seen} events, best of ${ROUNDS} interleaved rounds, CPU us per row\n`);
for (const [name] of SETS) {
  const us = best.get(name);
  const extra = name === SETS[0][0] ? '' : ` (+${(us - peer).toFixed(2)})`;
  console.log(`${name.padEnd(40)} ${us.toFixed(2).padStart(6)}  ${(us / peer).toFixed(2)}x the peer${extra}`);
}
