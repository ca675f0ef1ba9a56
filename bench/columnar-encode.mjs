// Where the export's encoding thread goes: `node bench/columnar-encode.mjs [TRACE] [BATCHES] [LEVELS]`
// (default /work/bench-data/work.scap or SCAPKIT_BENCH_TRACE, its first 16 batches of 65,536 events; zstd
// levels: `default` (the export's: level 3, `info` at 6), 6 and 3, each one level for every column). The batches are built first, as the export builds them (every column); then the page
// writer encodes them as part files in this process, once per zstd level, interleaved, three rounds, and the
// best thread CPU time per row and the bytes per row of each are printed. No reading, state or rows are
// counted (the main thread's: bench/columnar-rows.mjs). Run after `pnpm exec tsc -b` (it imports dist).

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repo } from './columnar-trace.mjs';

const trace = process.argv[2] ?? process.env.SCAPKIT_BENCH_TRACE ?? '/work/bench-data/work.scap';
const limit = Number(process.argv[3] ?? 16);
const levels = (process.argv[4] ?? 'default,6,3').split(',').map((l) => (l === 'default' ? l : Number(l)));
const ROUNDS = 3;

const { openCaptureFile } = await import(join(repo, 'packages/scap-format/dist/node/index.js'));
const { toArrow, EVENT_COLUMNS } = await import(join(repo, 'packages/columnar/dist/index.js'));
const { batchBuffers, columnSpecs } = await import(join(repo, 'packages/columnar/dist/parquet-file.js'));
const { beginParquetFile } = await import(join(repo, 'packages/columnar/dist/node/parquet.js'));

const encodings = Object.fromEntries(EVENT_COLUMNS.filter((c) => c.parquet).map((c) => [c.name, c.parquet]));
const batches = [];
let specs;
for await (const b of toArrow(openCaptureFile(trace))) {
  specs ??= columnSpecs(b.schema);
  batches.push(batchBuffers(b));
  if (batches.length >= limit) break;
}
const rows = batches.reduce((s, b) => s + b.rows, 0);
/** This thread's CPU time in us (schedstat: ns on CPU). */
const cpu = () => Number(readFileSync('/proc/thread-self/schedstat', 'utf8').split(' ')[0]) / 1000;

const best = new Map();
for (let round = 0; round < ROUNDS; round++) {
  for (const level of levels) {
    const t0 = cpu();
    const enc = beginParquetFile(specs, { encodings, ...(level === 'default' ? {} : { zstdLevel: level }) });
    for (const b of batches) enc.rowGroup(b);
    const bytes = enc.finish().length;
    const us = (cpu() - t0) / rows;
    const prev = best.get(level);
    if (!prev || us < prev.us) best.set(level, { us, bytes });
  }
}
console.log(`${rows} rows of ${trace}, best of ${ROUNDS} (thread CPU)`);
for (const [level, { us, bytes }] of best)
  console.log(
    `zstd ${level}: ${us.toFixed(3)} CPU-us/row, ${(bytes / rows).toFixed(2)} B/row, ${bytes} bytes`,
  );
