// @ts-check
// Hand-made regression inputs, for bugs the fuzzer found (or that reading the code suggested) where a
// few readable bytes say more than a minimised mutant: `node fuzz/crafted/make.mjs` (after a build)
// rewrites them into packages/scap-format/test/regressions/ with their notes. Each is a valid file
// except for the one thing it is about.
import { writeFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { loadDistDeps } from '../lib/deps-dist.mjs';
import { walkScapkit } from '../lib/walk.mjs';

const OUT = new URL('../../packages/scap-format/test/regressions/', import.meta.url).pathname;
const deps = /** @type {any} */ (await loadDistDeps());
const sf = await import(new URL('../../packages/scap-format/dist/index.js', import.meta.url).href);

/** A scapkit trace of `events` (each [type, params as byte arrays]) after `meta`. @param {any} meta @param {[number, Uint8Array[]][]} events */
async function trace(meta, events) {
  const b = new sf.EventBatchBuilder(256);
  let ts = 1_700_000_000_000_000_000n;
  for (const [type, params] of events) {
    const len = 26 + 2 * params.length + params.reduce((n, p) => n + p.length, 0);
    const at = b.reserve(len, 0, 0);
    const dv = b.view;
    dv.setBigUint64(at, ts++, true);
    dv.setBigInt64(at + 8, 42n, true);
    dv.setUint32(at + 16, len, true);
    dv.setUint16(at + 20, type, true);
    dv.setUint32(at + 22, params.length, true);
    let p = at + 26 + 2 * params.length;
    params.forEach((x, i) => {
      dv.setUint16(at + 26 + 2 * i, x.length, true);
      b.buffer.set(x, p);
      p += x.length;
    });
  }
  const sink = new sf.MemorySink();
  const w = new sf.ScapkitWriter(
    sink,
    { recorderVersion: 'crafted' },
    { codec: sf.noneCodec, clock: () => 0 },
  );
  if (meta) await w.writeMetadata(meta);
  await w.writeBatch(b.take());
  await w.close();
  return sink.bytes();
}

const emptyMeta = { threads: [], fds: new Map(), users: [], groups: [], interfaces: [], containers: [] };
const u8 = (/** @type {number[]} */ ...x) => Uint8Array.from(x);
const i64 = (/** @type {number} */ v) => {
  const b = new Uint8Array(8);
  new DataView(b.buffer).setBigInt64(0, BigInt(v), true);
  return b;
};

/** @param {string} name @param {Uint8Array} bytes @param {object} note */
function save(name, bytes, note) {
  const gz = bytes.length > 64 << 10;
  const file = `${name}.bin${gz ? '.gz' : ''}`;
  writeFileSync(OUT + file, gz ? gzipSync(bytes, { level: 9 }) : bytes);
  writeFileSync(`${OUT}${name}.json`, `${JSON.stringify({ file, ...note }, null, 2)}\n`);
  process.stdout.write(`${file}: ${bytes.length} bytes\n`);
}

const replayOpts = { pieceSize: 0, native: false, replay: 0, json: false, sniff: false, mode: 'read' };

// 1. A kill enter event (type 128: pid PID, sig SIGTYPE) whose pid parameter is 2 bytes, not 8.
save('scapkit-replay-short-pid-param', await trace(emptyMeta, [[128, [u8(7, 0), u8(9)]]]), {
  target: 'scapkit',
  format: 'scapkit',
  opts: replayOpts,
  differential: false,
  status: 'fixed',
  broke: 'RangeError@ParamRenderer.value',
  error:
    'RangeError: Offset is outside the bounds of the DataView, rendering %evt.info of an event whose PID parameter is shorter than 8 bytes (packages/replay/src/render/params.ts, ParamRenderer.value: case PT.PID / PT.PID32, and PT.FD32, read without checking plen as the other cases do)',
  found: {
    by: 'npm run fuzz (chunkEvents on sample.slim.lz4.scapkit), rebuilt by hand by fuzz/crafted/make.mjs',
    date: '2026-11-24',
  },
});

// 2. A metadata record whose thread is a map without cwd/comm/exe (msgpack shape valid, fields missing),
// and one whose fields have the wrong types. Fixed during the session: src/scapkit/metadata-wire.ts now
// fills missing fields from blankThread and checks each field's type.
save(
  'scapkit-replay-thread-without-fields',
  await trace({ ...emptyMeta, threads: [{ tid: 42, pid: 42 }] }, [[128, [i64(7), u8(9)]]]),
  {
    target: 'scapkit',
    format: 'scapkit',
    opts: replayOpts,
    differential: false,
    status: 'fixed',
    broke: 'TypeError@StateEngine.reset',
    error:
      "TypeError: Cannot read properties of undefined (reading 'endsWith') in StateEngine.reset (t.cwd.endsWith): the scapkit reader's metadataFromWire (packages/scap-format/src/scapkit/msgpack.ts) checks only that threads is a list of maps, so a ThreadInfo without its string fields reaches the state engine",
    found: {
      by: 'npm run fuzz (msgpack mutation of golden/bad-crc.scapkit), rebuilt by hand by fuzz/crafted/make.mjs',
      date: '2026-11-24',
    },
  },
);

save(
  'scapkit-replay-thread-wrong-types',
  await trace({ ...emptyMeta, threads: [{ tid: 42, pid: 42, cwd: 5, comm: [1], exe: {}, args: 'x' }] }, [
    [128, [i64(7), u8(9)]],
  ]),
  {
    target: 'scapkit',
    format: 'scapkit',
    opts: replayOpts,
    differential: false,
    status: 'fixed',
    broke: 'TypeError@StateEngine.reset (variant: fields of the wrong type)',
    error:
      'a ThreadInfo whose cwd is a number, comm an array, exe a map reached the state engine before metadata-wire checked types',
    found: { by: 'fuzz/crafted/make.mjs, a variant of the fuzzer finding above', date: '2026-11-24' },
  },
);

// 3. recover: a header, then 1 MiB where every 16th byte starts a fake metadata record reaching the end.
{
  const sink = new sf.MemorySink();
  const w = new sf.ScapkitWriter(sink, { recorderVersion: 'crafted' }, {});
  await w.close();
  const base = sink.bytes();
  const head = base.subarray(0, walkScapkit(base)[0].end);
  const b = new Uint8Array(head.length + (1 << 20));
  b.set(head);
  const dv = new DataView(b.buffer);
  for (let p = head.length; p + 16 <= b.length; p += 16) {
    b[p] = 0x02;
    dv.setUint32(p + 1, b.length - p - 5, true);
  }
  save('scapkit-recover-resync-quadratic', b, {
    target: 'scapkit',
    format: 'scapkit',
    opts: { ...replayOpts, replay: -1, mode: 'recover' },
    differential: false,
    status: 'fixed',
    broke: 'hang',
    error:
      'recoverScapkit takes ~28 s on this 1 MiB input (~130 s on 2 MiB): quadratic resynchronisation in src/scapkit/recover.ts',
    found: {
      by: 'reading src/scapkit/recover.ts; random mutation rarely builds such a tail',
      input:
        'a valid preamble and header record, then 1 MiB in which every 16th byte starts a fake record: type 0x02 (metadata), u32 body length reaching exactly the end of the file, zeros after it',
      date: '2026-11-24',
    },
  });
}
// 4. A heap bomb: a 24 KB trace whose LZ4 metadata record expands to a list of a million `{tid: 1}` maps;
// each becomes a full ThreadInfo (blankThread defaults), about 1.7 GB of heap and 12 s to read; 4 million
// (a 95 KB file) end the process with a fatal V8 out-of-memory, which no caller can catch.
{
  const sink = new sf.MemorySink();
  const w = new sf.ScapkitWriter(sink, { recorderVersion: 'crafted' }, { clock: () => 0 });
  await w.writeMetadata({ ...emptyMeta, threads: Array.from({ length: 1_000_000 }, () => ({ tid: 1 })) });
  await w.close();
  save('scapkit-metadata-heap-bomb', sink.bytes(), {
    target: 'scapkit',
    format: 'scapkit',
    opts: { ...replayOpts, replay: -1 },
    differential: false,
    status: 'fixed',
    broke: 'worker-ERR_WORKER_OUT_OF_MEMORY (or the watchdog first, on a loaded machine)',
    error:
      'readScapkit of this 24 KB file builds ~1.7 GB of heap (1M ThreadInfo objects) in ~12 s; the worker (1 GB heap limit) dies of OOM; with 4M entries (95 KB) a plain node process aborts (fatal heap out of memory)',
    found: {
      by: 'reading src/scapkit/records.ts (metadata raw length up to maxRecordBytes = 256 MiB from LZ4 at 255:1) and src/scapkit/msgpack.ts (maxArrayLength 1<<24), src/scapkit/metadata-wire.ts (blankThread per entry)',
      input:
        'a valid trace: preamble, header, one LZ4 metadata record {threads: [{tid: 1} x 1,000,000], ...}, footer, trailer',
      date: '2026-11-24',
    },
  });
}
void deps;
