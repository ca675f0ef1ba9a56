// bench/replay.bench.mjs's decode floor: read a scapkit trace and touch nothing but the batch sizes:
// CRC32C, decompression and framing of every chunk, on a worker pool with a thread per core (nothing else
// runs here, so every core decodes; a replay's pool leaves one core to the consumer) or inline.
// Prints: raw event bytes, events, wall ms, CPU ms of the decoding (every thread of the process, start-up
// excluded), and that CPU by thread (from /proc, Linux: 10 ms ticks): the main thread (reading, framing of
// records, handing chunks to the pool and taking batches back, or decoding inline), the pool's workers
// (their boot included) and the rest (V8's GC and compiler threads, libuv's file reads).
// Usage: node bench/replay-decode.mjs FILE workers|workers1|inline|floor [js-crc]
// (workers1: a pool of one worker, what a replay has on two cores; workers: a worker per core).
// (js-crc: the TypeScript CRC32C instead of the native one, inline only: what the native one saves).
// `floor`: the hardware's part, one core, the file already in memory: native zstd decompression of every
// chunk into one reused buffer and nothing else (zstdMs), then CRC32C + decompression + framing of every
// chunk in a loop (ms, cpuMs), no reader, no queue, no thread.
import { readdirSync, readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';

/** utime + stime (ms) of each thread of this process by thread id ({} where /proc is missing). */
function threadCpu() {
  const out = {};
  try {
    for (const tid of readdirSync('/proc/self/task')) {
      const s = readFileSync(`/proc/self/task/${tid}/stat`, 'utf8');
      const f = s.slice(s.lastIndexOf(')') + 2).split(' ');
      out[tid] = (Number(f[11]) + Number(f[12])) * 10;
    }
  } catch {}
  return out;
}

const dist = (p) => new URL(`../packages/scap-format/dist/${p}`, import.meta.url).href;
const { readScapkit } = await import(dist('index.js'));
const { DecodePool, fileByteSource, installedNativeCodecs, openCaptureFile } = await import(
  dist('node/index.js')
);
const [file, how, crc] = process.argv.slice(2);
if (crc === 'js-crc') {
  const { installCrc32c, crc32cPortable } = await import(dist('crc32c.js'));
  installedNativeCodecs();
  installCrc32c(crc32cPortable);
}
if (how === 'floor') {
  const { readFileSync } = await import('node:fs');
  const { createRequire } = await import('node:module');
  const { decodeChunk, parseChunkHeader, parseFooterBody, parseTrailer } = await import(
    dist('scapkit/records.js')
  );
  const { DEFAULT_LIMITS, TRAILER_SIZE } = await import(dist('scapkit/constants.js'));
  const { codecTable } = await import(dist('codec/index.js'));
  const f = new Uint8Array(readFileSync(file));
  const t = parseTrailer(f.subarray(f.length - TRAILER_SIZE), f.length - TRAILER_SIZE);
  const footer = parseFooterBody(f.subarray(t.footerOffset + 5, t.footerOffset + t.footerLength), 0, false);
  const chunks = footer.chunks.map((c) => {
    const body = f.subarray(c.offset + 5, c.offset + c.recordLength);
    return { c, body, h: parseChunkHeader(body, c.offset, DEFAULT_LIMITS) };
  });
  const z = new (createRequire(dist('index.js'))('zstd-napi/binding').DCtx)();
  const into = { data: new ArrayBuffer(64 << 20), offsets: new ArrayBuffer(16 << 20) };
  const raw = new Uint8Array(into.data);
  const codecs = codecTable(installedNativeCodecs());
  const cpu = (c) => (c.user + c.system) / 1000;
  let c0 = process.cpuUsage();
  for (const { body, h } of chunks) z.decompress(raw.subarray(0, h.rawLength), body.subarray(36));
  const zstdMs = cpu(process.cpuUsage(c0));
  let bytes = 0;
  let events = 0;
  const t0 = performance.now();
  c0 = process.cpuUsage();
  for (const { c, body, h } of chunks) {
    const b = decodeChunk(body, h, c.offset, codecs, true, into);
    bytes += b.data.byteLength;
    events += b.count;
  }
  const cpuMs = cpu(process.cpuUsage(c0));
  console.log(JSON.stringify({ bytes, events, ms: performance.now() - t0, cpuMs, zstdMs }));
  process.exit(0);
}
const pool = how.startsWith('workers')
  ? new DecodePool({ size: how === 'workers1' ? 1 : availableParallelism() })
  : undefined;
const stream = pool
  ? readScapkit(fileByteSource(file), {
      codecs: installedNativeCodecs(),
      chunkDecoder: pool,
      reuseBatchBuffers: true,
    })
  : openCaptureFile(file, { workers: false, reuseBatchBuffers: true });
const before = threadCpu(); // threads started later are the pool's workers
const t0 = performance.now();
const c0 = process.cpuUsage();
let bytes = 0;
let events = 0;
for await (const r of stream) {
  if (r.kind !== 'events') continue;
  bytes += r.batch.data.byteLength;
  events += r.batch.count;
}
const ms = performance.now() - t0;
const c = process.cpuUsage(c0);
const threads = { mainMs: 0, workersMs: 0, otherMs: 0 };
for (const [tid, cpu] of Object.entries(threadCpu())) {
  const was = before[tid];
  if (tid === String(process.pid)) threads.mainMs = cpu - (was ?? 0);
  else if (was === undefined) threads.workersMs += cpu;
  else threads.otherMs += cpu - was;
}
console.log(JSON.stringify({ bytes, events, ms, cpuMs: (c.user + c.system) / 1000, threads }));
await pool?.close();
