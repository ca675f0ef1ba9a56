// `npm run bench viewer`: the viewer in headless Chromium on a scapkit recording of at least 3M events
// (recorded here by `scapkit record` running a mixed workload, kept in bench/out/ between runs; recording
// needs root). Prints, against `scapkit replay -c topfiles_bytes` on the same trace (one pass with state,
// native codecs: the work the viewer's first pass does, and more):
//   - when the complete overview appears (Performance API mark, from navigation start; target ≤ 5 s),
//     and when the first partial one does (tiles filling in while the first pass reads);
//   - frames while the event list scrolls (requestAnimationFrame intervals; target: under 16.7 ms),
//     and the worker's time to answer a page of rows from the middle of the trace.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const repo = fileURLToPath(new URL('..', import.meta.url));
const cli = join(repo, 'packages/recorder/bin/scapkit.js');
const out = join(repo, 'bench/out');
const trace = join(out, 'viewer-3m.scap');
const EVENTS = 3_300_000;
const CHROMIUM = '/usr/bin/chromium';
if (!existsSync(CHROMIUM)) {
  console.log(`skipped: ${CHROMIUM} is missing (apt-get install chromium)`);
  process.exit(0);
}

if (!existsSync(trace)) {
  if (process.getuid?.() !== 0) {
    console.log(`skipped: ${trace} is missing and recording it needs root`);
    process.exit(0);
  }
  mkdirSync(out, { recursive: true });
  // A mixed workload until EVENTS events: file reads, an archive, short-lived processes, python.
  const workload = [
    'for i in $(seq 1 40); do',
    '  find /usr/lib -type f 2>/dev/null | head -4000 | xargs cat > /dev/null 2>&1',
    '  tar cf /dev/null /usr/share/doc 2>/dev/null',
    '  for j in $(seq 1 100); do /bin/true; done',
    '  python3 -c \'import json,os; [json.dumps(os.listdir("/usr/share")) for _ in range(200)]\'',
    'done',
  ].join('\n');
  console.log(`recording ${EVENTS} events into ${trace} …`);
  execFileSync(
    process.execPath,
    [cli, 'record', '-w', trace, '-n', String(EVENTS), '-M', '300', '-q', '--', 'sh', '-c', workload],
    {
      stdio: 'inherit',
    },
  );
}

const info = JSON.parse(execFileSync(process.execPath, [cli, 'info', trace, '--json'], { encoding: 'utf8' }));
// What the model worker keeps: the decoded events (bytes and offsets), as the reader hands them over.
const { openCaptureFile } = await import(
  pathToFileURL(join(repo, 'packages/scap-format/dist/node/index.js')).href
);
let kept = 0;
for await (const r of openCaptureFile(trace))
  if (r.kind === 'events') kept += r.batch.data.byteLength + r.batch.offsets.byteLength;
console.log(
  `${trace}: ${Number(info.events).toLocaleString('en-US')} events, ${info.format} ${info.version}; ` +
    `the model worker keeps ${(kept / 2 ** 20).toFixed(0)} MiB of decoded events`,
);

// The peer: one pass with state over the same trace.
function replayPeer() {
  const t = process.hrtime.bigint();
  const r = spawnSync(
    '/usr/bin/time',
    ['-f', '%U %S', process.execPath, cli, 'replay', '-r', trace, '-c', 'topfiles_bytes'],
    {
      stdio: ['ignore', 'ignore', 'pipe'],
      encoding: 'utf8',
    },
  );
  const ms = Number(process.hrtime.bigint() - t) / 1e6;
  const [u, s] = r.stderr.trim().split('\n').at(-1).split(' ').map(Number);
  return { ms, cpu: (u + s) * 1000 };
}

const { buildViewerPage } = await import(pathToFileURL(join(repo, 'packages/viewer/scripts/build.mjs')).href);
const { startViewerServer } = await import(
  pathToFileURL(join(repo, 'packages/viewer/dist/server/index.js')).href
);
const { chromium } = await import(
  pathToFileURL(join(repo, 'packages/viewer/node_modules/playwright-core/index.mjs')).href
);

const tmp = mkdtempSync(join(tmpdir(), 'scapkit-viewer-bench-'));
const page = await buildViewerPage(join(tmp, 'web'));
const server = await startViewerServer({ trace, page });
const browser = await chromium.launch({
  executablePath: CHROMIUM,
  args: [
    '--headless',
    '--no-sandbox',
    '--disable-gpu',
    '--disable-quic',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
  ],
});
try {
  const RUNS = Number(process.env.BENCH_RUNS ?? 2);
  const overview = [];
  const partial = [];
  let p;
  for (let i = 0; i < RUNS; i++) {
    await p?.close();
    p = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    await p.goto(server.url);
    await p.waitForSelector('#overview', { timeout: 600_000 });
    await p.waitForFunction(() => performance.getEntriesByName('scapkit:overview').length > 0);
    overview.push(await p.evaluate(() => performance.getEntriesByName('scapkit:overview')[0].startTime));
    partial.push(
      await p.evaluate(
        () => performance.getEntriesByName('scapkit:overview-partial')[0]?.startTime ?? Number.NaN,
      ),
    );
  }
  const peer = [replayPeer(), replayPeer()].sort((a, b) => a.ms - b.ms)[0];
  const reader = await p.getAttribute('#trace-reader', 'data-reader');
  console.log(
    `read and decoded in: ${reader === 'worker' ? 'a reader worker beside the model worker' : 'the model worker'}`,
  );
  const best = Math.min(...overview);
  console.log('\ncase                                     viewer ms    replay -c topfiles_bytes ms   ratio');
  console.log(
    `overview appears (navigation → tiles)    ${best.toFixed(0).padStart(9)}    ${peer.ms.toFixed(0).padStart(27)}   ${(best / peer.ms).toFixed(2).padStart(5)}x` +
      `   (target ≤ 5000 ms: ${best <= 5000 ? 'met' : 'missed'}; replay CPU ${peer.cpu.toFixed(0)} ms)`,
  );

  // Scrolling: the events list, scrolled by 3 rows a frame for 240 frames, from the middle of the trace.
  await p.click('[data-tab="events"]');
  await p.waitForSelector('#events .ev[data-num]');
  const rowsMs = await p.evaluate(async () => {
    const v = document.getElementById('events');
    v.scrollTop = v.scrollHeight / 2;
    const t = performance.now();
    await new Promise((ok) => {
      const check = () =>
        document.querySelector('#events .ev[data-num]') &&
        !document.querySelector('#events .ev:not([data-num])')
          ? ok()
          : requestAnimationFrame(check);
      requestAnimationFrame(check);
    });
    return performance.now() - t;
  });
  const frames = await p.evaluate(
    () =>
      new Promise((ok) => {
        const v = document.getElementById('events');
        const deltas = [];
        let last = performance.now();
        let n = 0;
        const step = (now) => {
          deltas.push(now - last);
          last = now;
          v.scrollTop += 60;
          if (++n < 240) requestAnimationFrame(step);
          else ok(deltas.slice(1));
        };
        requestAnimationFrame(step);
      }),
  );
  // The page's own work per scroll step (scroll handler, preact's render, style and layout), each step
  // timed on its own: less at the mercy of other processes than frame intervals are.
  const work = await p.evaluate(
    () =>
      new Promise((ok) => {
        const v = document.getElementById('events');
        const layer = v.querySelector('.ev-layer');
        const times = [];
        let n = 0;
        const step = () => {
          const t = performance.now();
          v.scrollTop += 60;
          v.dispatchEvent(new Event('scroll'));
          // preact renders in a microtask: measure after it, with layout forced.
          queueMicrotask(() =>
            queueMicrotask(() => {
              void layer.offsetHeight;
              times.push(performance.now() - t);
              if (++n < 240) requestAnimationFrame(step);
              else ok(times);
            }),
          );
        };
        requestAnimationFrame(step);
      }),
  );
  work.sort((a, b) => a - b);
  const w = (x) => work[Math.min(work.length - 1, Math.floor(x * work.length))];
  frames.sort((a, b) => a - b);
  const q = (x) => frames[Math.min(frames.length - 1, Math.floor(x * frames.length))];
  const over = frames.filter((d) => d > 16.7 + 2).length;
  console.log(
    `scroll the event list (${frames.length} frames, 3 rows each)   frame interval p50 ${q(0.5).toFixed(1)} ms, ` +
      `p95 ${q(0.95).toFixed(1)} ms, max ${frames.at(-1).toFixed(1)} ms; ${over} frames over 16.7 ms`,
  );
  console.log(
    `page work per scroll step (handler + render + layout)   p50 ${w(0.5).toFixed(2)} ms, p95 ${w(0.95).toFixed(2)} ms, ` +
      `max ${work.at(-1).toFixed(2)} ms; ${work.filter((d) => d > 16.7).length} steps over 16.7 ms`,
  );
  console.log(
    `first overview so far (tiles filling in while the pass reads)   ${Math.min(...partial).toFixed(0)} ms`,
  );
  console.log(
    `rows from the middle of the trace (worker: replay from the checkpoint before them)   ${rowsMs.toFixed(0)} ms`,
  );
  await p.close();
} finally {
  await browser.close();
  await server.close();
  rmSync(tmp, { recursive: true, force: true });
}
