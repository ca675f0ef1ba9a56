// `npm run bench viewer`: `scapkit view` on a scapkit recording of at least 3M events (recorded here by
// `scapkit record` running a mixed workload, kept in bench/out/ between runs; recording needs root; or
// BENCH_TRACE=/tmp/big/big.scap), driven by headless Chromium. Prints, against `scapkit replay -p %evt.num`
// of the same trace in the same run (one pass with state through the same read path, every event
// printed: the floor of any one-pass tool on this trace):
//   - when the complete overview appears: from starting `scapkit view` to the page's Performance API
//     mark (target ≤ 5 s), its ratio to the replay's wall time, and when the first partial overview shows;
//   - the server's CPU time (user + system, all its threads) when the overview appears (sampled every
//     20 ms, the sample at the page's mark), against the replay's CPU time to its exit: a number the
//     machine's load moves less than wall times;
//   - the server's peak and final RSS (VmHWM, VmRSS) against the replay's peak RSS;
//   - frames while the event list scrolls (requestAnimationFrame intervals; target: under 16.7 ms), the
//     page's own work per scroll step, and the time to the rows of the middle of the trace (the server
//     replays from its snapshot before them).
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { CHROMIUM, CHROMIUM_LAUNCH, HAVE_CHROMIUM } from '../test/support/chromium.mjs';

const repo = fileURLToPath(new URL('..', import.meta.url));
const cli = join(repo, 'packages/recorder/bin/scapkit.js');
const out = join(repo, 'bench/out');
const trace = process.env.BENCH_TRACE ?? join(out, 'viewer-3m.scap');
const EVENTS = 3_300_000;
if (!HAVE_CHROMIUM) {
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
console.log(
  `${trace}: ${Number(info.events).toLocaleString('en-US')} events, ${info.format} ${info.version}`,
);

// The peer: `scapkit replay -p %evt.num`, wall time (process start to exit), CPU and peak RSS.
function replayPeer() {
  const t = process.hrtime.bigint();
  const r = spawnSync(
    '/usr/bin/time',
    ['-f', '%U %S %M', process.execPath, cli, 'replay', '-r', trace, '-p', '%evt.num'],
    { stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8' },
  );
  const ms = Number(process.hrtime.bigint() - t) / 1e6;
  const [u, s, kb] = r.stderr.trim().split('\n').at(-1).split(' ').map(Number);
  return { ms, cpu: (u + s) * 1000, rssMiB: kb / 1024 };
}

/** CPU time (user + system, every thread: the decode workers too) a process has used so far, ms. */
function cpuOf(pid) {
  const f = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // Fields after the command name (which may hold spaces), from the 3rd: utime and stime are the 14th, 15th.
  const rest = f.slice(f.lastIndexOf(')') + 2).split(' ');
  const ticks = Number(rest[11]) + Number(rest[12]);
  return (ticks * 1000) / CLK_TCK;
}
const CLK_TCK = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;

/** VmHWM and VmRSS of a process, MiB. */
function rssOf(pid) {
  const st = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (k) => Number(new RegExp(`${k}:\\s+(\\d+)`).exec(st)?.[1] ?? Number.NaN);
  return { peak: kb('VmHWM') / 1024, now: kb('VmRSS') / 1024 };
}

// BENCH_VIEW_SEGMENTS=1 or 0: the viewer's first pass on checkpoint segments (worker threads) or serial,
// whatever the machine's load (SCAPKIT_SEGMENTS for the viewer only; by default it takes the segments
// when a core is free, as `scapkit replay` does).
const VIEW_SEGMENTS = process.env.BENCH_VIEW_SEGMENTS;
const VIEW_ENV =
  VIEW_SEGMENTS === undefined ? process.env : { ...process.env, SCAPKIT_SEGMENTS: VIEW_SEGMENTS };
if (VIEW_SEGMENTS !== undefined)
  console.log(`the viewer's first pass: ${VIEW_SEGMENTS === '0' ? 'serial' : 'on checkpoint segments'}`);

/** Starts `scapkit view --no-open`; resolves with its URL, the process and when it was started. */
function startView() {
  const t0 = performance.timeOrigin + performance.now();
  const child = spawn(process.execPath, [cli, 'view', trace, '--no-open'], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: VIEW_ENV,
  });
  return new Promise((ok, fail) => {
    let outText = '';
    child.stdout.setEncoding('utf8').on('data', (d) => {
      outText += d;
      const m = /http:\/\/\S+/.exec(outText);
      if (m) ok({ url: m[0], child, t0 });
    });
    child.stderr.resume();
    child.on('exit', (code) => fail(new Error(`scapkit view exited ${code} before printing its URL`)));
  });
}

const { chromium } = await import(
  pathToFileURL(join(repo, 'packages/viewer/node_modules/playwright-core/index.mjs')).href
);
let view;
const browser = await chromium.launch(CHROMIUM_LAUNCH);
try {
  const RUNS = Number(process.env.BENCH_RUNS ?? 2);
  const overview = [];
  const overviewCpu = [];
  const partial = [];
  const tablesAt = [];
  const peers = [];
  let p;
  let rss;
  // Interleaved: a replay, then a viewer, RUNS times (the machine's load hits both alike).
  for (let i = 0; i < RUNS; i++) {
    peers.push(replayPeer());
    if (view) view.child.kill('SIGTERM');
    await p?.close();
    view = await startView();
    // The server's CPU every 20 ms: read back at the page's overview mark (a reading taken once the bench
    // sees the mark would add the tables' pass, which starts as the first pass ends).
    const cpuSamples = [];
    const sampler = setInterval(() => {
      try {
        cpuSamples.push([performance.timeOrigin + performance.now(), cpuOf(view.child.pid)]);
      } catch {}
    }, 20);
    p = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    await p.goto(view.url);
    await p.waitForSelector('#overview', { timeout: 900_000 });
    await p.waitForFunction(() => performance.getEntriesByName('scapkit:overview').length > 0);
    const at = (name) =>
      p.evaluate((n) => {
        const e = performance.getEntriesByName(n)[0];
        return e ? performance.timeOrigin + e.startTime : Number.NaN;
      }, name);
    const mark = await at('scapkit:overview');
    clearInterval(sampler);
    overview.push(mark - view.t0);
    // The last sample at or before the mark.
    overviewCpu.push(cpuSamples.filter(([t]) => t <= mark).at(-1)?.[1] ?? Number.NaN);
    await p.waitForFunction(() => performance.getEntriesByName('scapkit:tables').length > 0, null, {
      timeout: 900_000,
    });
    tablesAt.push((await at('scapkit:tables')) - view.t0);
    partial.push((await at('scapkit:overview-partial')) - view.t0);
    rss = rssOf(view.child.pid);
  }
  const peer = peers.sort((a, b) => a.ms - b.ms)[0];
  const best = Math.min(...overview);
  console.log(`read and decoded in: ${await p.getAttribute('#trace-reader', 'data-reader')}`);
  console.log('\ncase                                        scapkit view    replay -p %evt.num   ratio');
  console.log(
    `overview appears (start → tiles), ms        ${best.toFixed(0).padStart(12)}    ${peer.ms.toFixed(0).padStart(17)}   ${(best / peer.ms).toFixed(2).padStart(5)}x` +
      `   (target ≤ 5000 ms: ${best <= 5000 ? 'met' : 'missed'}; replay CPU ${peer.cpu.toFixed(0)} ms; runs ${overview.map((x) => x.toFixed(0)).join(', ')})`,
  );
  const cpu = Math.min(...overviewCpu);
  console.log(
    `CPU until the overview (server), ms         ${cpu.toFixed(0).padStart(12)}    ${peer.cpu.toFixed(0).padStart(17)}   ${(cpu / peer.cpu).toFixed(2).padStart(5)}x` +
      `   (user + system, all threads; the peer's to its exit; runs ${overviewCpu.map((x) => x.toFixed(0)).join(', ')})`,
  );
  console.log(
    `peak RSS, MiB                               ${rss.peak.toFixed(0).padStart(12)}    ${peer.rssMiB.toFixed(0).padStart(17)}   ${(rss.peak / peer.rssMiB).toFixed(2).padStart(5)}x` +
      `   (the viewer's RSS after the overview: ${rss.now.toFixed(0)} MiB)`,
  );
  console.log(
    `first overview so far (tiles filling in while the pass reads)   ${Math.min(...partial).toFixed(0)} ms from start`,
  );
  console.log(
    `the whole trace's tables (their own pass after the overview)   ${Math.min(...tablesAt).toFixed(0)} ms from start`,
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
    `rows from the middle of the trace (server: replay from the snapshot before them)   ${rowsMs.toFixed(0)} ms`,
  );
  const after = rssOf(view.child.pid);
  console.log(`server RSS after scrolling: ${after.now.toFixed(0)} MiB (peak ${after.peak.toFixed(0)} MiB)`);
  await p.close();
} finally {
  await browser.close();
  view?.child.kill('SIGTERM');
}
