// bench/replay.bench.mjs's decode floor: read a scapkit trace and touch nothing but the batch sizes:
// CRC32C, decompression and framing of every chunk, on a worker pool with a thread per core (nothing else
// runs here, so every core decodes; a replay's pool leaves one core to the consumer) or inline.
// Prints: raw event bytes, events, wall ms. Usage: node bench/replay-decode.mjs FILE workers|inline [js-crc]
// (js-crc: the TypeScript CRC32C instead of the native one, inline only: what the native one saves).
import { availableParallelism } from 'node:os';

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
const pool = how === 'workers' ? new DecodePool({ size: availableParallelism() }) : undefined;
const stream = pool
  ? readScapkit(fileByteSource(file), {
      codecs: installedNativeCodecs(),
      chunkDecoder: pool,
      reuseBatchBuffers: true,
    })
  : openCaptureFile(file, { workers: false, reuseBatchBuffers: true });
const t0 = performance.now();
let bytes = 0;
let events = 0;
for await (const r of stream) {
  if (r.kind !== 'events') continue;
  bytes += r.batch.data.byteLength;
  events += r.batch.count;
}
console.log(JSON.stringify({ bytes, events, ms: performance.now() - t0 }));
await pool?.close();
