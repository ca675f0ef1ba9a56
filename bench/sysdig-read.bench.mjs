// Raw read of a sysdig capture (gzip included) by readSysdigCapture against `sysdig -r FILE -p%evt.num`
// in the same run. Our side is timed in-process (import excluded); sysdig's as a whole process, and also
// minus its start-up cost measured on the smallest capture, so the ratio is not flattered by start-up.
// Build first: pnpm exec tsc -b packages/scap-format
import { spawnSync } from 'node:child_process';
import { createReadStream, existsSync } from 'node:fs';
import { readSysdigCapture } from '../packages/scap-format/dist/index.js';
import { CAPTURES_DIR } from '../test/support/captures.mjs';

const dir = `${CAPTURES_DIR}/`;
if (!existsSync(`${dir}capture.scap`)) {
  console.error(`capture.scap not found in ${CAPTURES_DIR} (set SCAPKIT_CAPTURES)`);
  process.exit(1);
}
const FILE = process.argv[2] ?? `${dir}capture.scap`;
const SMALL = `${dir}cat_write.scap`;
const RUNS = Number(process.env.RUNS ?? 5);
const SYSDIG = '/usr/bin/sysdig';

async function ours() {
  const t0 = performance.now();
  let events = 0;
  for await (const r of readSysdigCapture(createReadStream(FILE, { highWaterMark: 1 << 20 }))) {
    if (r.kind === 'events') events += r.batch.count;
  }
  return { ms: performance.now() - t0, events };
}

function sysdig(file) {
  const t0 = performance.now();
  const r = spawnSync(SYSDIG, ['-r', file, '-p%evt.num'], {
    stdio: ['ignore', 'ignore', 'ignore'],
    env: { ...process.env, TZ: 'UTC' },
  });
  if (r.status !== 0) throw new Error(`sysdig exited with ${r.status}`);
  return performance.now() - t0;
}

const median = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
await ours(); // warm-up: JIT, DecompressionStream
const oursMs = [];
let events = 0;
for (let i = 0; i < RUNS; i++) {
  globalThis.gc?.();
  const r = await ours();
  oursMs.push(r.ms);
  events = r.events;
}
console.log(
  `scapkit readSysdigCapture  ${FILE.split('/').pop()}: ${events} events, median ${median(oursMs).toFixed(1)} ms of ${RUNS} (min ${Math.min(...oursMs).toFixed(1)})`,
);

if (!existsSync(SYSDIG)) {
  console.log(`${SYSDIG} missing: no peer to compare against`);
  process.exit(0);
}
const sdMs = [];
const sdStart = [];
for (let i = 0; i < RUNS; i++) {
  sdMs.push(sysdig(FILE));
  sdStart.push(sysdig(SMALL));
}
const full = median(sdMs);
const start = median(sdStart);
console.log(
  `sysdig -r FILE -p%evt.num > /dev/null: median ${full.toFixed(1)} ms (start-up, on cat_write.scap: ${start.toFixed(1)} ms)`,
);
console.log(
  `ratio sysdig/scapkit: ${(full / median(oursMs)).toFixed(2)}x whole process, ${((full - start) / median(oursMs)).toFixed(2)}x start-up excluded`,
);
