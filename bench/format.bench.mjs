// The scapkit trace format: write and read N synthetic events (default 10 million) of realistic sizes and
// mix, and set zstd (native; pure-JS decoding) and LZ4 (native and pure TypeScript) beside gzip -6
// (node:zlib) on the same raw events.
// Build first: `pnpm exec tsc -b packages/scap-format`. Run: `node bench/format.bench.mjs [events]`.
//
// Mix (exit events as the probe writes them, 80-byte snaplen): read 30% and write 20% (res, 80-byte data,
// fd, size: 134 bytes), open 10% (fd, a path, flags, mode, dev, ino: ~100 bytes), close 15% (46 bytes),
// generic syscalls 25% (34 bytes). Buffers hold text and binary snippets with small variations.
import { gunzipSync, gzipSync } from 'node:zlib';
import {
  createLz4Codec,
  createZstdCodec,
  EventBatchBuilder,
  EventView,
  MemorySink,
  readScapkit,
  ScapkitWriter,
} from '../packages/scap-format/dist/index.js';
import {
  bestLz4Codec,
  DEFAULT_ZSTD_LEVEL,
  nativeLz4Codec,
  nativeZstdCodec,
} from '../packages/scap-format/dist/node/index.js';

const N = Number(process.argv[2] ?? 10_000_000);
const BATCH = 4096;
const POOL = 64; // distinct batches, reused in turn: the events differ within a chunk, as in a real capture

let seed = 12345;
const rnd = () => {
  seed ^= seed << 13;
  seed ^= seed >>> 17;
  seed ^= seed << 5;
  return (seed >>> 0) / 4294967296;
};
const enc = new TextEncoder();
const SNIPPETS = [
  'GET /api/v1/orders?page=2 HTTP/1.1\r\nHost: shop.internal\r\nUser-Agent: curl/8.5.0\r\n',
  '{"level":"info","ts":1732406400.123,"msg":"request served","status":200,"bytes":5123}\n',
  '2024-11-24T00:00:00.123Z INFO  [worker-3] processed batch id=88231 items=512 in 3ms\n',
  'HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 5123\r\n\r\n',
].map((s) => enc.encode(s));
const PATHS = [
  '/etc/ld.so.cache',
  '/usr/lib/x86_64-linux-gnu/libc.so.6',
  '/proc/self/status',
  '/var/log/app/app.log',
  '/tmp/.X11-unix/X0',
  '/sys/fs/cgroup/cpu.max',
].map((s) => enc.encode(`${s}\0`));

function payload(n) {
  const out = new Uint8Array(n);
  if (rnd() < 0.2) {
    for (let i = 0; i < n; i++) out[i] = (rnd() * 256) | 0; // binary (TLS, protobuf)
  } else {
    const s = SNIPPETS[(rnd() * SNIPPETS.length) | 0];
    const shift = (rnd() * 8) | 0;
    for (let i = 0; i < n; i++) out[i] = s[(i + shift) % s.length];
    out[(rnd() * n) | 0] = 0x30 + ((rnd() * 10) | 0);
  }
  return out;
}

function addEvent(b, ts, tid, type, params) {
  let len = 26 + 2 * params.length;
  for (const p of params) len += p.length;
  const at = b.reserve(len, tid & 7, 0);
  const dv = b.view;
  dv.setBigUint64(at, ts, true);
  dv.setBigInt64(at + 8, BigInt(tid), true);
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
const i64 = (v) => {
  const b = new Uint8Array(8);
  new DataView(b.buffer).setBigInt64(0, BigInt(v), true);
  return b;
};
const u32 = (v) => Uint8Array.of(v & 255, (v >>> 8) & 255, (v >>> 16) & 255, v >>> 24);
const u16 = (v) => Uint8Array.of(v & 255, v >>> 8);

function makeBatch(k) {
  const b = new EventBatchBuilder(BATCH * 128);
  let ts = 1732406400000000000n + BigInt(k) * 10_000_000n;
  for (let i = 0; i < BATCH; i++) {
    ts += BigInt(1 + ((rnd() * 4000) | 0));
    const tid = 1000 + ((rnd() * 40) | 0);
    const fd = 3 + ((rnd() * 20) | 0);
    const r = rnd();
    if (r < 0.3) addEvent(b, ts, tid, 7, [i64(80), payload(80), i64(fd), u32(4096)]);
    else if (r < 0.5) addEvent(b, ts, tid, 9, [i64(80), payload(80), i64(fd), u32(80)]);
    else if (r < 0.6)
      addEvent(b, ts, tid, 3, [
        i64(fd),
        PATHS[(rnd() * PATHS.length) | 0],
        u32(0x80000),
        u32(0),
        u32(0x803),
        i64(131000 + fd),
      ]);
    else if (r < 0.75) addEvent(b, ts, tid, 5, [i64(0), i64(fd)]);
    else addEvent(b, ts, tid, 1, [u16(39 + ((rnd() * 5) | 0)), u16(39)]);
  }
  return b.take();
}

const fmt = (x) =>
  x >= 1e6 ? `${(x / 1e6).toFixed(2)}M` : x >= 1e3 ? `${(x / 1e3).toFixed(1)}k` : x.toFixed(1);
const mb = (b) => `${(b / 1048576).toFixed(1)} MiB`;
const line = (name, events, ms, extra = '') =>
  console.log(
    `${name.padEnd(44)} ${fmt((events / ms) * 1000).padStart(8)} events/s  ${ms.toFixed(0).padStart(6)} ms ${extra}`,
  );

const pool = Array.from({ length: POOL }, (_, k) => makeBatch(k));
const batches = Math.ceil(N / BATCH);
const events = batches * BATCH;
const rawBytes = pool.reduce((n, b) => n + b.data.length, 0) * (batches / POOL);
console.log(
  `${fmt(events)} events, ${mb(rawBytes)} raw (${(rawBytes / events).toFixed(1)} bytes/event framed), native LZ4: ${nativeLz4Codec() ? 'yes' : 'no'}, native zstd: ${nativeZstdCodec() ? 'yes' : 'no'}`,
);

async function write(codec, nBatches) {
  const sink = new MemorySink();
  const w = new ScapkitWriter(sink, { recorderVersion: 'bench' }, { codec });
  const t = performance.now();
  for (let i = 0; i < nBatches; i++) await w.writeBatch(pool[i % POOL]);
  await w.close();
  return { ms: performance.now() - t, bytes: sink.bytes(), w };
}

globalThis.gc?.();
const native = await write(bestLz4Codec(), batches);
line(
  'write, native LZ4 (1 MiB chunks)',
  events,
  native.ms,
  `${(native.bytes.length / events).toFixed(2)} bytes/event on disk, ${mb(native.bytes.length)}`,
);
const tsBatches = Math.max(1, Math.floor(batches / 5));
const pure = await write(createLz4Codec(), tsBatches);
line(
  `write, pure-TS LZ4 (${fmt(tsBatches * BATCH)} events)`,
  tsBatches * BATCH,
  pure.ms,
  `${(pure.bytes.length / (tsBatches * BATCH)).toFixed(2)} bytes/event on disk`,
);

const zstdNative = nativeZstdCodec();
const zstd = zstdNative ? await write(zstdNative, batches) : undefined;
if (zstd) {
  line(
    `write, native zstd -${DEFAULT_ZSTD_LEVEL} (1 MiB chunks)`,
    events,
    zstd.ms,
    `${(zstd.bytes.length / events).toFixed(2)} bytes/event on disk, ${mb(zstd.bytes.length)}`,
  );
}

async function* slices(bytes, step = 1 << 20) {
  for (let p = 0; p < bytes.length; p += step) yield bytes.subarray(p, p + step);
}

async function read(bytes, codecs, decodeParams) {
  const view = new EventView();
  let n = 0;
  let sum = 0;
  const t = performance.now();
  for await (const rec of readScapkit(slices(bytes), { codecs })) {
    if (rec.kind !== 'events') continue;
    const b = rec.batch;
    for (let i = 0; i < b.count; i++) {
      view.at(b, i);
      sum += view.type + view.tsLo + view.len;
      if (decodeParams) {
        const w = view.paramLength(0);
        sum += w === 8 ? view.paramI64(0) : w === 2 ? view.paramU16(0) : 0;
        sum += view.paramLength(1) + (view.paramLength(1) ? view.paramU8(1) : 0);
      }
    }
    n += b.count;
  }
  const ms = performance.now() - t;
  if (n !== events && (bytes === native.bytes || bytes === zstd?.bytes)) {
    throw new Error(`read ${n} events, wrote ${events}`);
  }
  return { ms, n, sum };
}

const nativeCodecs = nativeLz4Codec() ? [nativeLz4Codec()] : [];
globalThis.gc?.();
let r = await read(native.bytes, nativeCodecs, false);
line('read raw (headers via EventView), native LZ4', r.n, r.ms);
r = await read(native.bytes, nativeCodecs, true);
line('read + two params per event, native LZ4', r.n, r.ms);
r = await read(pure.bytes, [], false);
line('read raw, pure-TS LZ4 decoder', r.n, r.ms);
if (zstd) {
  globalThis.gc?.();
  r = await read(zstd.bytes, [zstdNative], false);
  line('read raw, native zstd', r.n, r.ms);
  // The pure decoder (fzstd) on a fifth of the events: what a browser, or an install without the native
  // module, gets.
  const part = await write(zstdNative, tsBatches);
  r = await read(part.bytes, [], false);
  line(`read raw, pure-JS zstd decoder (${fmt(r.n)} events)`, r.n, r.ms);
}

// Codecs alone on the same raw chunks (the pool's batches as 1 MiB-ish chunks): LZ4 vs gzip -6.
const chunks = pool.map((b) => b.data);
const poolRaw = chunks.reduce((n, c) => n + c.length, 0);
const reps = Math.max(1, Math.round(batches / POOL));
function codecRun(name, compress, decompress) {
  let size = 0;
  let t = performance.now();
  const out = [];
  for (let k = 0; k < reps; k++)
    for (const c of chunks) {
      const z = compress(c);
      if (k === 0) out.push(z);
      size += z.length;
    }
  const cms = performance.now() - t;
  t = performance.now();
  for (let k = 0; k < reps; k++) for (let i = 0; i < out.length; i++) decompress(out[i], chunks[i].length);
  const dms = performance.now() - t;
  const total = poolRaw * reps;
  console.log(
    `${name.padEnd(16)} ratio ${(total / size).toFixed(2).padStart(5)}  ${(size / events).toFixed(2).padStart(6)} bytes/event  compress ${(total / 1048576 / (cms / 1000)).toFixed(0).padStart(5)} MiB/s (${cms.toFixed(0)} ms)  decompress ${(total / 1048576 / (dms / 1000)).toFixed(0).padStart(5)} MiB/s (${dms.toFixed(0)} ms)`,
  );
  return { size, cms, dms };
}
console.log(`\ncodecs alone on the same ${mb(poolRaw * reps)} of raw events:`);
const n = nativeLz4Codec();
const lzN = n
  ? codecRun(
      'lz4 native',
      (c) => n.compress(c),
      (z, l) => n.decompress(z, l),
    )
  : undefined;
const ts = createLz4Codec();
const lzT = codecRun(
  'lz4 pure-TS',
  (c) => ts.compress(c),
  (z, l) => ts.decompress(z, l),
);
const zs = {};
if (zstdNative) {
  for (const level of [1, 3, 6]) {
    const c = nativeZstdCodec({ level });
    zs[level] = codecRun(
      `zstd -${level} native`,
      (x) => c.compress(x),
      (z, l) => c.decompress(z, l),
    );
  }
  const pz = createZstdCodec();
  const dz = nativeZstdCodec({ level: DEFAULT_ZSTD_LEVEL });
  const frames = chunks.map((c) => dz.compress(c));
  const t = performance.now();
  for (let i = 0; i < frames.length; i++) pz.decompress(frames[i], chunks[i].length);
  const ms = performance.now() - t;
  console.log(
    `${'zstd pure-JS'.padEnd(16)} decompress ${(poolRaw / 1048576 / (ms / 1000)).toFixed(0).padStart(5)} MiB/s (${ms.toFixed(0)} ms, fzstd, one pass over the pool)`,
  );
}
const gz = codecRun(
  'gzip -6',
  (c) => gzipSync(c, { level: 6 }),
  (z) => gunzipSync(z),
);
const best = lzN ?? lzT;
console.log(
  `gzip -6 vs LZ4${lzN ? ' native' : ''}: ${(best.size / gz.size).toFixed(2)}x smaller files, ${(gz.cms / best.cms).toFixed(1)}x slower to compress, ${(gz.dms / best.dms).toFixed(1)}x slower to decompress`,
);
const zd = zs[DEFAULT_ZSTD_LEVEL];
if (zd) {
  console.log(
    `zstd -${DEFAULT_ZSTD_LEVEL} vs gzip -6: ${(zd.size / gz.size).toFixed(2)}x the bytes, ${(gz.cms / zd.cms).toFixed(1)}x faster to compress, ${(gz.dms / zd.dms).toFixed(1)}x faster to decompress; vs LZ4: ${(zd.size / best.size).toFixed(2)}x the bytes, ${(zd.cms / best.cms).toFixed(2)}x the compress time`,
  );
}
