// `npm run bench columnar`: scapkit's page writer (what the export uses) and the three Parquet writers the
// issue names, on the same Arrow batches of a recording of at least 3M events (bench/columnar-trace.mjs):
// scapkit pages (src/parquet-file.ts), parquet-wasm, DuckDB's
// own COPY (the batches appended into a DuckDB table, then COPY … TO parquet) and hyparquet-writer (pure
// JavaScript, zstd through zstd-napi). Speed (CPU and wall time), size, and correctness: each file read back
// by DuckDB must hold exactly the rows of the parquet-wasm file (EXCEPT ALL both ways) and as many rows as
// the batches. The args map is left out of all three (DuckDB's chunk API and hyparquet-writer would need
// their own nested encoders for it); the export itself writes it.

import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { benchTrace, repo } from './columnar-trace.mjs';

// hyparquet-writer takes every value as a JavaScript value: more heap than Node's default for 3M+ rows.
if (!process.execArgv.some((a) => a.startsWith('--max-old-space-size'))) {
  const r = spawnSync(
    process.execPath,
    ['--max-old-space-size=12288', ...process.execArgv, ...process.argv.slice(1)],
    {
      stdio: 'inherit',
    },
  );
  process.exit(r.status ?? 1);
}

const need = createRequire(join(repo, 'packages/columnar/package.json'));
const { toArrow, EVENT_COLUMNS } = await import(join(repo, 'packages/columnar/dist/index.js'));
const { encodeParquet, encodeParquetWasm } = await import(
  join(repo, 'packages/columnar/dist/node/parquet.js')
);
// The column kinds' DuckDB types, as `scapkit query` declares them.
const { DUCKDB_TYPE } = await import(join(repo, 'packages/columnar/dist/node/query.js'));
const { openCaptureFile } = await import(join(repo, 'packages/scap-format/dist/node/index.js'));
const duck = need('@duckdb/node-api');
const bindings = createRequire(need.resolve('@duckdb/node-api'))('@duckdb/node-bindings');
const { parquetWriteBuffer } = await import(need.resolve('hyparquet-writer'));
const zstd = createRequire(join(repo, 'packages/scap-format/package.json'))('zstd-napi');

const trace = benchTrace();
if (!trace) process.exit(0);
const dir = mkdtempSync(join(tmpdir(), 'scapkit-bench-writers-'));
const columns = EVENT_COLUMNS.filter((c) => c.kind !== 'map').map((c) => c.name);
const encodings = Object.fromEntries(EVENT_COLUMNS.filter((c) => c.parquet).map((c) => [c.name, c.parquet]));

// The trace in parts of 2^20 rows, as the export writes part files: each writer writes each part, with
// the batches of one part at a time in memory.
const PART = 1 << 20;
let rows = 0;
const results = new Map();
const instance = await duck.DuckDBInstance.create(':memory:');
const conn = await instance.connect();
const defs = EVENT_COLUMNS.filter((c) => columns.includes(c.name));
let part = 0;
let batches = [];
let partRows = 0;
for await (const b of toArrow(openCaptureFile(trace), { columns })) {
  batches.push(b);
  partRows += b.numRows;
  if (partRows >= PART) await writePart();
}
if (partRows > 0) await writePart();
console.log(
  `${trace}: ${rows} events in ${part} parts, ${(statSync(trace).size / 1e6).toFixed(1)} MB (zstd trace); args left out\n`,
);

async function writePart() {
  for (const r of [
    await scapkitPages(part),
    await parquetWasm(part),
    await duckdbCopy(part),
    await hyparquet(part),
  ]) {
    const t = results.get(r.name) ?? { name: r.name, files: [], cpu: 0, wall: 0, size: 0 };
    t.files.push(r.file);
    t.cpu += r.cpu;
    t.wall += r.wall;
    t.size += r.size;
    results.set(r.name, t);
  }
  rows += partRows;
  part++;
  batches = [];
  partRows = 0;
}

function cpu() {
  const c = process.cpuUsage();
  return (c.user + c.system) / 1000;
}
async function timed(name, fn) {
  const c0 = cpu();
  const w0 = performance.now();
  const file = await fn();
  return { name, file, cpu: cpu() - c0, wall: performance.now() - w0, size: statSync(file).size };
}

// scapkit's page writer: what the export writes (zstd, dictionaries, delta ts/evt_num, a row group per batch).
function scapkitPages(part) {
  return timed('scapkit pages', () => {
    const file = join(dir, `scapkit-${part}.parquet`);
    writeFileSync(file, encodeParquet(batches, { encodings }));
    return file;
  });
}

// parquet-wasm: the same settings.
function parquetWasm(part) {
  return timed('parquet-wasm', () => {
    const file = join(dir, `parquet-wasm-${part}.parquet`);
    writeFileSync(file, encodeParquetWasm(batches, { encodings }));
    return file;
  });
}

// DuckDB: the batches into a table through data chunks (numbers copied a vector at a time, strings one
// value at a time: the node API has no other way in), then DuckDB's COPY with zstd.
function duckdbCopy(part) {
  return timed('DuckDB COPY', async () => {
    await conn.run(
      `CREATE OR REPLACE TABLE ev (${defs.map((c) => `"${c.name}" ${DUCKDB_TYPE[c.kind]}`).join(', ')})`,
    );
    const appender = await conn.createAppender('ev');
    const chunk = duck.DuckDBDataChunk.create(defs.map((c) => duck[DUCKDB_TYPE[c.kind]]));
    const STEP = 2048;
    for (const b of batches) {
      const cols = defs.map((c) => {
        const data = b.getChild(c.name).data[0];
        const strings = c.kind === 'dictionary' ? data.dictionary.toArray() : undefined;
        return { c, data, strings, text: c.kind === 'utf8' ? b.getChild(c.name).toArray() : undefined };
      });
      for (let start = 0; start < b.numRows; start += STEP) {
        const n = Math.min(STEP, b.numRows - start);
        cols.forEach(({ c, data, strings, text }, ci) => {
          const vec = bindings.data_chunk_get_vector(chunk.chunk, ci);
          const valid = (i) =>
            data.nullBitmap === undefined ||
            data.nullCount === 0 ||
            ((data.nullBitmap[i >> 3] >> (i & 7)) & 1) === 1;
          if (c.kind === 'int64' || c.kind === 'timestamp' || c.kind === 'int32') {
            const w = c.kind === 'int32' ? 4 : 8;
            bindings.copy_data_to_vector(
              vec,
              0,
              data.values.buffer,
              data.values.byteOffset + start * w,
              n * w,
            );
          } else if (c.kind === 'bool') {
            const bytes = new Uint8Array(n);
            for (let i = 0; i < n; i++) bytes[i] = (data.values[(start + i) >> 3] >> ((start + i) & 7)) & 1;
            bindings.copy_data_to_vector(vec, 0, bytes.buffer, 0, n);
          } else {
            for (let i = 0; i < n; i++) {
              if (!valid(start + i)) continue;
              bindings.vector_assign_string_element(
                vec,
                i,
                strings ? strings[data.values[start + i]] : text[start + i],
              );
            }
          }
          // Every row's validity, copied in (vector_get_validity hands out a copy): a chunk keeps its mask
          // from one append to the next.
          const mask = new Uint8Array(STEP / 8);
          for (let i = 0; i < n; i++) if (valid(start + i)) mask[i >> 3] |= 1 << (i & 7);
          bindings.vector_ensure_validity_writable(vec);
          bindings.copy_data_to_vector_validity(vec, 0, mask.buffer, 0, mask.length);
        });
        chunk.rowCount = n;
        appender.appendDataChunk(chunk);
        chunk.reset();
      }
    }
    appender.closeSync();
    const file = join(dir, `duckdb-${part}.parquet`);
    await conn.run(
      `COPY (SELECT * FROM ev) TO '${file}' (FORMAT parquet, COMPRESSION zstd, ROW_GROUP_SIZE 65536, KV_METADATA {'scapkit.schema_version': '1'})`,
    );
    return file;
  });
}

// hyparquet-writer: columns as JavaScript arrays, zstd (level 3) through zstd-napi.
function hyparquet(part) {
  return timed('hyparquet-writer', () => {
    const file = join(dir, `hyparquet-${part}.parquet`);
    const columnData = defs.map((c) => {
      const data = [];
      for (const b of batches) {
        const d = b.getChild(c.name).data[0];
        const wide = c.kind === 'int64' || c.kind === 'timestamp';
        let i = 0;
        for (const v of b.getChild(c.name)) {
          // 64-bit values as the bigints the batch holds (Arrow hands timestamps out as float ms).
          data.push(v === null ? null : wide ? d.values[i] : v);
          i++;
        }
      }
      const type = {
        timestamp: 'INT64',
        int64: 'INT64',
        int32: 'INT32',
        bool: 'BOOLEAN',
        dictionary: 'STRING',
        utf8: 'STRING',
      }[c.kind];
      return { name: c.name, data, type, nullable: true };
    });
    const compressor = new zstd.Compressor();
    compressor.setParameters({ compressionLevel: 3 });
    const out = parquetWriteBuffer({
      columnData,
      codec: 'ZSTD',
      compressors: { ZSTD: (b) => compressor.compress(b) },
      rowGroupSize: 65536,
      kvMetadata: [{ key: 'scapkit.schema_version', value: '1' }],
    });
    writeFileSync(file, new Uint8Array(out));
    return file;
  });
}

// Correctness: every writer's rows equal parquet-wasm's (EXCEPT ALL both ways), and their count the batches'.
// (hyparquet-writer's files hold ts as plain INT64 nanoseconds.)
const list = (files) => `[${files.map((f) => `'${f}'`).join(', ')}]`;
const cols = (name) =>
  defs
    .map((c) =>
      c.kind === 'timestamp' && name !== 'hyparquet-writer' ? `epoch_ns("${c.name}")` : `"${c.name}"`,
    )
    .join(', ');
const pw = results.get('parquet-wasm');
const sameRows = async (r) => {
  const q = (x, y) =>
    `SELECT count(*) FROM (SELECT ${cols(x.name)} FROM read_parquet(${list(x.files)}) EXCEPT ALL SELECT ${cols(y.name)} FROM read_parquet(${list(y.files)}))`;
  return (
    (await conn.runAndReadAll(q(r, pw))).getRows()[0][0] === 0n &&
    (await conn.runAndReadAll(q(pw, r))).getRows()[0][0] === 0n
  );
};
console.log(
  'writer              CPU ms   wall ms   events/s (wall)   MB     size/trace   rows   same rows as parquet-wasm',
);
for (const r of results.values()) {
  const n = (await conn.runAndReadAll(`SELECT count(*) FROM read_parquet(${list(r.files)})`)).getRows()[0][0];
  const same = r === pw ? 'reference' : (await sameRows(r)) ? 'yes' : 'NO';
  console.log(
    `${r.name.padEnd(18)} ${r.cpu.toFixed(0).padStart(7)} ${r.wall.toFixed(0).padStart(9)} ${(rows / (r.wall / 1000)).toFixed(0).padStart(17)} ` +
      `${(r.size / 1e6).toFixed(1).padStart(6)} ${(r.size / statSync(trace).size).toFixed(2).padStart(11)}x ${String(n) === String(rows) ? 'all' : `${n}!`}   ${same}`,
  );
}
const sk = results.get('scapkit pages');
const dd = results.get('DuckDB COPY');
const hy = results.get('hyparquet-writer');
console.log(
  `\nratios against parquet-wasm (CPU): scapkit pages ${(sk.cpu / pw.cpu).toFixed(2)}x, DuckDB COPY ${(dd.cpu / pw.cpu).toFixed(2)}x, hyparquet-writer ${(hy.cpu / pw.cpu).toFixed(2)}x; ` +
    `size: scapkit pages ${(sk.size / pw.size).toFixed(2)}x, DuckDB ${(dd.size / pw.size).toFixed(2)}x, hyparquet-writer ${(hy.size / pw.size).toFixed(2)}x`,
);
conn.closeSync();
instance.closeSync();
rmSync(dir, { recursive: true, force: true });
