// `npm run bench replay`: `scapkit replay` against `sysdig -r`, in one run, on the job users do.
//
// 1. The real job: a mixed workload (bench/replay-workload.sh: file reads, a tar, short-lived processes)
//    recorded with `scapkit record` (default codec; REPLAY_BENCH_SECONDS, default 25, aim: 3M events or
//    more; kept in bench/out/replay/ between runs, REPLAY_BENCH_RERECORD=1 records again; needs root the
//    first time; REPLAY_BENCH_TRACE=FILE uses a scapkit trace you have instead), exported with
//    `--format scap` for sysdig (beside it in bench/out/replay/). Each case runs scapkit on the recording and
//    sysdig on the export, output to /dev/null: wall time, the ratio, events/s, peak RSS, and scapkit's CPU
//    split between its main thread and the others (decode workers, V8's GC, I/O); then the same replays
//    with segment-parallel replay forced on (SCAPKIT_SEGMENTS=1) against off (SCAPKIT_SEGMENTS=0), the
//    chisel too: wall and CPU ratios (the default takes segments only on 3 cores or more, one of them
//    free). Then --from/--to over 1% of the trace against the full filtered replay; decode + CRC
//    throughput on the worker pool; peak RSS on a quarter of the recording against the whole.
// 2. The shared capture.scap (146,038 events, a gzip sysdig file), where start-up dominates: the same
//    cases, the floor under the filter case, start-up of the bundle, and peak RSS on a 4x capture.
//
// Targets (issue #12): filter <= 0.5x sysdig, -p %evt.num <= 0.5x, default line <= 0.7x, -j <= 0.7x,
// -c topfiles_bytes <= 0.5x, --from/--to 1% <= 0.05x the full filtered replay, capture.scap filter <= 1.0x,
// decode + CRC >= 1 GB/s of event bytes on both cores, peak RSS 4x within 10%.
import { spawn, spawnSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync, gzipSync } from 'node:zlib';
import { CHECKPOINT_EVENT_BYTES } from '../packages/scap-format/dist/scapkit/constants.js';

const repo = fileURLToPath(new URL('..', import.meta.url));
const capture = join(repo, '../shared/captures/capture.scap');
const cli = join(repo, 'packages/recorder/bin/scapkit.js');
const OUT = join(repo, 'bench/out/replay');
if (!existsSync('/usr/bin/sysdig')) {
  console.log('skipped: sysdig is not installed (apt-get install sysdig)');
  process.exit(0);
}
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const BIG_RUNS = Number(process.env.REPLAY_BENCH_RUNS ?? 1);
const SECONDS = Number(process.env.REPLAY_BENCH_SECONDS ?? 25);
const HZ = 100; // clock ticks of /proc/PID/task/TID/stat (USER_HZ)

/** utime + stime (ms) of every thread of `pid`, by thread id; undefined once the process is gone. */
function threadCpu(pid) {
  try {
    const out = new Map();
    for (const tid of readdirSync(`/proc/${pid}/task`)) {
      const s = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8');
      const f = s.slice(s.lastIndexOf(')') + 2).split(' ');
      out.set(Number(tid), ((Number(f[11]) + Number(f[12])) / HZ) * 1000);
    }
    return out;
  } catch {
    return undefined;
  }
}

/**
 * Runs argv under GNU time, stdout to /dev/null: wall ms, peak RSS (KiB), CPU ms (user + sys), and, for a
 * Node child, its CPU split between the main thread and the others (sampled every 20 ms from /proc: exact
 * to about that much per thread).
 */
function measure(argv, env = {}) {
  return new Promise((resolve, reject) => {
    const t0 = process.hrtime.bigint();
    const p = spawn('/usr/bin/time', ['-f', '%M %U %S', ...argv], {
      env: { ...process.env, TZ: 'UTC', ...env },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    p.stderr.on('data', (d) => (stderr += d));
    let child;
    const threads = new Map();
    const timer = setInterval(() => {
      try {
        child ??=
          Number(readFileSync(`/proc/${p.pid}/task/${p.pid}/children`, 'utf8').trim().split(' ')[0]) ||
          undefined;
      } catch {}
      if (!child) return;
      for (const [tid, ms] of threadCpu(child) ?? []) threads.set(tid, ms);
    }, 20);
    p.on('error', reject);
    p.on('exit', (code) => {
      clearInterval(timer);
      const ms = Number(process.hrtime.bigint() - t0) / 1e6;
      if (code !== 0 && code !== 3) return reject(new Error(`${argv.join(' ')} failed (${code}): ${stderr}`));
      const [rss, user, sys] = stderr.trim().split('\n').at(-1).split(' ').map(Number);
      const main = threads.get(child) ?? 0;
      const other = [...threads].reduce((s, [tid, v]) => (tid === child ? s : s + v), 0);
      resolve({ ms, rss, cpu: (user + sys) * 1000, main, other });
    });
  });
}

async function best(argv, runs = RUNS, env = {}) {
  const rs = [];
  for (let i = 0; i < runs; i++) rs.push(await measure(argv, env));
  const fastest = rs.reduce((a, b) => (b.ms < a.ms ? b : a));
  return { ...fastest, rss: Math.max(...rs.map((r) => r.rss)) };
}

const run = (args, opts = {}) => {
  const r = spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8', maxBuffer: 1 << 26, ...opts });
  if (r.status !== 0 && r.status !== 3)
    throw new Error(`scapkit ${args.join(' ')} failed (${r.status}): ${r.stderr}`);
  return r;
};
const info = (file) => JSON.parse(run(['info', '--json', file]).stdout);
const fmt = (n, d = 0) => n.toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d });
const pad = (s, n) => String(s).padStart(n);

// ---- 1. the real job ---------------------------------------------------------------------------------
async function realJob() {
  mkdirSync(OUT, { recursive: true });
  const given = process.env.REPLAY_BENCH_TRACE;
  const trace = given ?? join(OUT, 'work.scap');
  if (!given && (!existsSync(trace) || process.env.REPLAY_BENCH_RERECORD)) {
    if (process.getuid?.() !== 0) {
      console.log(`the real job: skipped, recording the workload needs root (or a cached ${trace})`);
      return;
    }
    console.log(`recording the workload for ${SECONDS} s (bench/replay-workload.sh) …`);
    rmSync(trace, { force: true });
    const r = spawnSync(
      process.execPath,
      [
        cli,
        'record',
        '-q',
        '-w',
        trace,
        '--',
        'bash',
        join(repo, 'bench/replay-workload.sh'),
        String(SECONDS),
      ],
      { encoding: 'utf8', stdio: ['ignore', 'ignore', 'pipe'] },
    );
    if (r.status !== 0 && r.status !== 3) throw new Error(`scapkit record failed (${r.status}): ${r.stderr}`);
  }
  const meta = info(trace);
  const stem = given ? basename(given, '.scap') : 'work';
  const sysdigFile = join(OUT, `${stem}-sysdig.scap`);
  if (!existsSync(sysdigFile) || statSync(sysdigFile).mtimeMs < statSync(trace).mtimeMs) {
    run(['export', '-r', trace, '-w', sysdigFile, '--format', 'scap']);
  }
  const first = BigInt(meta.firstTs);
  const last = BigInt(meta.lastTs);
  const span = last - first;
  const events = meta.events;
  console.log(
    `recording: ${fmt(events)} events over ${fmt(Number(span) / 1e9, 1)} s, ${fmt(statSync(trace).size / 2 ** 20)} MiB ` +
      `, ${meta.checkpoints.length} checkpoints; sysdig export ` +
      `${fmt(statSync(sysdigFile).size / 2 ** 20)} MiB; ${availableParallelism()} cores; best of ${BIG_RUNS}`,
  );
  if (events < 3_000_000)
    console.log(`  (fewer than 3M events: raise REPLAY_BENCH_SECONDS and REPLAY_BENCH_RERECORD=1)`);
  const filter = 'evt.type=openat and proc.name=python3';
  const cases = [
    { name: 'selective filter', args: [filter], target: 0.5 },
    { name: '-p %evt.num', args: ['-p', '%evt.num'], target: 0.5 },
    { name: 'default line', args: [], target: 0.7 },
    { name: '-j', args: ['-j'], target: 0.7 },
    { name: '-c topfiles_bytes', args: ['-c', 'topfiles_bytes'], target: 0.5 },
  ];
  // The CPU ratio (user + sys, both processes) is what to read on a busy machine: wall time there also
  // counts waiting for a core, which a process with more threads does more of.
  console.log(
    'case                  scapkit ms  sysdig ms   ratio target   scapkit ev/s  RSS MiB (sysdig)   CPU main / other ms   CPU ratio',
  );
  const results = {};
  const serial = {};
  const segmented = {};
  for (const c of cases) {
    const ours = await best([process.execPath, cli, 'replay', '-r', trace, ...c.args], BIG_RUNS);
    const theirs = await best(['sysdig', '-r', sysdigFile, ...c.args], BIG_RUNS);
    results[c.name] = ours;
    const ratio = ours.ms / theirs.ms;
    console.log(
      `${c.name.padEnd(20)} ${pad(fmt(ours.ms), 11)} ${pad(fmt(theirs.ms), 10)} ${pad(ratio.toFixed(2), 7)}x ${pad(`${c.target}x`, 6)} ` +
        `${ratio <= c.target ? ' ' : '!'} ${pad(fmt(events / (ours.ms / 1000)), 12)} ${pad(fmt(ours.rss / 1024), 7)} (${fmt(theirs.rss / 1024)})` +
        `${pad(fmt(ours.main), 13)} / ${pad(fmt(ours.other), 6)} ${pad((ours.cpu / theirs.cpu).toFixed(2), 10)}x`,
    );
    // The same replay with the segments off (serial state, filter and output; decoding still on the pool)
    // and forced on (the default takes them only on 3 cores or more with one free: segment-replay.ts).
    // topfiles_bytes too: a table chisel's sums join from the segments (ChiselParts).
    serial[c.name] = await best([process.execPath, cli, 'replay', '-r', trace, ...c.args], BIG_RUNS, {
      SCAPKIT_SEGMENTS: '0',
    });
    segmented[c.name] = await best([process.execPath, cli, 'replay', '-r', trace, ...c.args], BIG_RUNS, {
      SCAPKIT_SEGMENTS: '1',
    });
  }
  // Segment-parallel replay (a worker per core, each a segment between two checkpoints) against the serial
  // one: wall time is what it buys on idle cores, CPU time what it costs (each worker warms up, loads its
  // checkpoint's tables, and renders into buffers the main thread then writes).
  console.log(
    '\nsegments vs serial     wall ms (serial)        ratio   CPU ms (serial)         ratio   CPU main / other (serial)   RSS MiB (serial)',
  );
  for (const [name, s] of Object.entries(serial)) {
    const p = segmented[name];
    console.log(
      `${name.padEnd(20)} ${pad(fmt(p.ms), 8)} (${pad(fmt(s.ms), 8)}) ${pad((p.ms / s.ms).toFixed(2), 8)}x ` +
        `${pad(fmt(p.cpu), 8)} (${pad(fmt(s.cpu), 8)}) ${pad((p.cpu / s.cpu).toFixed(2), 8)}x ` +
        `${pad(fmt(p.main), 8)} / ${pad(fmt(p.other), 6)} (${fmt(s.main)} / ${fmt(s.other)}) ` +
        `${pad(fmt(p.rss / 1024), 8)} (${fmt(s.rss / 1024)})`,
    );
  }

  // --from/--to over 1% of the trace, in its middle, against the full filtered replay.
  const range = (at) => {
    const from = first + (span * BigInt(Math.round(at * 1000))) / 1000n;
    return ['--from', String(from), '--to', String(from + span / 100n)];
  };
  const full = results['selective filter'];
  const rangeCases = [['the recording', trace, meta.checkpoints.length]];
  // The checkpoint interval bounds what a range costs (up to one interval of state-only replay before
  // it): also copies with the recorder's default (one every 10 s or 32 MiB of events, whichever first)
  // and with one a second.
  for (const seconds of [10, 1]) {
    // Named by the volume rule too: a copy a writer with another rule made is not reused.
    const copy = join(OUT, `${stem}-cp${seconds}s-${CHECKPOINT_EVENT_BYTES >> 20}mib.scap`);
    if (!existsSync(copy) || statSync(copy).mtimeMs < statSync(trace).mtimeMs) {
      run([
        'export',
        '-r',
        trace,
        '-w',
        copy,
        '--format',
        'scapkit',
        '--checkpoint-seconds',
        String(seconds),
      ]);
    }
    const what = `re-exported, a checkpoint every ${seconds} s or ${CHECKPOINT_EVENT_BYTES >> 20} MiB of events`;
    rangeCases.push([what, copy, info(copy).checkpoints.length]);
  }
  // What bounds a range on a trace of this length: the command's start-up (the same filter on a 345-event
  // capture, best of 5), which the ratio counts in full; printed beside it, the range's time above it
  // against the full replay's time above it.
  const startup = await best(
    [process.execPath, cli, 'replay', '-r', join(repo, '../shared/captures/cat_write.scap'), filter],
    5,
  );
  for (const [what, file, n] of rangeCases) {
    for (const at of [0.5, 0.9]) {
      const r = await best([process.execPath, cli, 'replay', '-r', file, ...range(at), filter], BIG_RUNS);
      const ratio = r.ms / full.ms;
      console.log(
        `--from/--to 1% at ${at * 100}%, ${what} (${n} checkpoints): ${fmt(r.ms)} ms = ${ratio.toFixed(3)}x ` +
          `the full filtered replay (target <= 0.05x)${ratio <= 0.05 ? '' : ' !'}; CPU ${fmt(r.cpu)} ms = ` +
          `${(r.cpu / full.cpu).toFixed(3)}x; above start-up (${fmt(startup.ms)} ms) ` +
          `${((r.ms - startup.ms) / (full.ms - startup.ms)).toFixed(3)}x`,
      );
    }
  }

  // Decode + CRC on the worker pool (both cores), and inline on the main thread.
  // On a busy machine the wall figure counts the time the threads waited for a core: the CPU figure
  // (user + sys of the whole process, start-up included) says what the decoding costs.
  // `inline, js-crc`: with the TypeScript CRC32C instead of the native one (@node-rs/crc32). First the
  // floor: what native zstd alone, and decoding with nothing around it, cost a core here. `workers1`: a
  // pool of one worker, what a replay has on two cores. CPU by thread: main / the pool's workers (their
  // boot included) / V8's and libuv's threads.
  for (const how of ['floor', 'workers', 'workers1', 'inline', 'inline, js-crc']) {
    const r = spawnSync(
      '/usr/bin/time',
      ['-f', '%U %S', process.execPath, join(repo, 'bench/replay-decode.mjs'), trace, ...how.split(', ')],
      { encoding: 'utf8' },
    );
    const d = JSON.parse(r.stdout);
    const [user, sys] = r.stderr.trim().split('\n').at(-1).split(' ').map(Number);
    const cpu = (user + sys) * 1000;
    const perCpu = (ms) => fmt(d.bytes / 1e9 / (ms / 1000), 2);
    if (how === 'floor') {
      console.log(
        `decode floor, one core, in memory: native zstd alone ${fmt(d.zstdMs)} ms CPU = ${perCpu(d.zstdMs)} GB ` +
          `per CPU-second; CRC32C + zstd + framing in a loop ${fmt(d.cpuMs)} ms = ${perCpu(d.cpuMs)} GB per ` +
          'CPU-second (two cores at most twice that)',
      );
      continue;
    }
    console.log(
      `decode + CRC32C + framing, ${how}: ${fmt(d.bytes / 2 ** 20)} MiB of event bytes in ${fmt(d.ms)} ms = ` +
        `${fmt(d.bytes / 1e9 / (d.ms / 1000), 2)} GB/s${how === 'workers' ? ' (target >= 1 GB/s)' : ''}; ` +
        `CPU ${fmt(cpu)} ms (decoding ${fmt(d.cpuMs)}; main / workers / other ${fmt(d.threads.mainMs)} / ` +
        `${fmt(d.threads.workersMs)} / ${fmt(d.threads.otherMs)}), ${perCpu(cpu)} GB per CPU-second (decoding ` +
        `${perCpu(d.cpuMs)})`,
    );
  }

  // Peak RSS does not grow with the length: a quarter of the recording against the whole.
  const quarter = join(OUT, `${stem}-quarter.scap`);
  if (!existsSync(quarter) || statSync(quarter).mtimeMs < statSync(trace).mtimeMs) {
    run(['export', '-r', trace, '-w', quarter, '--format', 'scapkit', '--to', `+${span / 4n / 1000n}us`]);
  }
  // The quarter may fall under the size from which workers start: both runs decode on them, and both
  // replay serially (the quarter may hold no checkpoint to cut it at; segments add a bounded window of
  // their own, the same at any length).
  const q = await best([process.execPath, cli, 'replay', '-r', quarter, '-p', '%evt.num'], BIG_RUNS, {
    SCAPKIT_WORKERS: '1',
    SCAPKIT_SEGMENTS: '0',
  });
  const w = serial['-p %evt.num'];
  const growth = w.rss / q.rss;
  console.log(
    `peak RSS, -p %evt.num: a quarter of the recording ${fmt(q.rss / 1024)} MiB, the whole ${fmt(w.rss / 1024)} MiB: ` +
      `${growth.toFixed(2)}x (target: within 10%)${growth <= 1.1 ? '' : ' !'}`,
  );
}

// ---- 2. capture.scap ----------------------------------------------------------------------------------
async function smallCapture() {
  if (!existsSync(capture)) {
    console.log(`capture.scap cases: skipped, ${capture} is missing`);
    return;
  }
  const cases = [
    { name: 'filter matching little', args: ['proc.name=curl and evt.type=connect'] },
    { name: '-p %evt.num', args: ['-p', '%evt.num'] },
    { name: 'default line', args: [] },
  ];
  console.log(
    `\ncapture.scap (146,038 events, gzip), best of ${RUNS}; output to /dev/null (target: filter <= 1.0x)`,
  );
  console.log(
    'case                      scapkit ms   sysdig ms   time ratio   scapkit MiB   sysdig MiB   scapkit CPU ms',
  );
  for (const c of cases) {
    const ours = await best([process.execPath, cli, 'replay', '-r', capture, ...c.args]);
    const theirs = await best(['sysdig', '-r', capture, ...c.args]);
    console.log(
      `${c.name.padEnd(24)} ${pad(ours.ms.toFixed(0), 11)} ${pad(theirs.ms.toFixed(0), 11)} ` +
        `${pad((ours.ms / theirs.ms).toFixed(2), 11)}x ${pad((ours.rss / 1024).toFixed(0), 13)} ${pad((theirs.rss / 1024).toFixed(0), 12)}` +
        `${pad(ours.cpu.toFixed(0), 17)}`,
    );
  }

  // The floor under the filter case: Node, gunzip and a walk over the event headers, nothing else.
  {
    const floor = await best([process.execPath, join(repo, 'bench/replay-floor.mjs'), capture]);
    const node = await best([process.execPath, '-e', '0']);
    console.log(
      `\nfloor: node -e 0 ${node.ms.toFixed(0)} ms; node + gunzip + a walk over every event header ` +
        `(bench/replay-floor.mjs) ${floor.ms.toFixed(0)} ms`,
    );
  }

  // Start-up: the bundled CLI with its V8 code cache (scripts/bundle-cli.mjs), without the cache, and the
  // unbundled module graph, on a 345-event capture where start-up is most of the time. Interleaved, best of 10.
  {
    const small = join(repo, '../shared/captures/cat_write.scap');
    const argv = [process.execPath, cli, 'replay', '-r', small, '-p', '%evt.num'];
    const variants = [
      { name: 'bundle + code cache', env: {} },
      { name: 'bundle, no cache (SCAPKIT_CODE_CACHE=0)', env: { SCAPKIT_CODE_CACHE: '0' } },
      { name: 'unbundled (SCAPKIT_BUNDLE=0)', env: { SCAPKIT_BUNDLE: '0' } },
      { name: 'node -e 0', argv: [process.execPath, '-e', '0'], env: {} },
    ].map((v) => ({ ...v, ms: Number.POSITIVE_INFINITY }));
    for (let i = 0; i < 10; i++) {
      for (const v of variants) v.ms = Math.min(v.ms, (await measure(v.argv ?? argv, v.env)).ms);
    }
    console.log('\nstart-up, replay -r cat_write.scap -p %evt.num (best of 10, interleaved):');
    for (const v of variants) console.log(`  ${v.name.padEnd(42)} ${v.ms.toFixed(0).padStart(5)} ms`);
    console.log(
      `  the bundle and its cache save ${(variants[2].ms - variants[0].ms).toFixed(0)} ms per command ` +
        `(the cache alone ${(variants[1].ms - variants[0].ms).toFixed(0)} ms)`,
    );
  }

  // A capture four times as long: the decompressed file's sections back to back (a valid multi-section
  // capture). Peak memory is compared on the same read path (plain files, 1x against 4x).
  const dir = mkdtempSync(join(tmpdir(), 'scapkit-bench-'));
  try {
    const raw = gunzipSync(readFileSync(capture));
    const plain = join(dir, 'capture-x1.scap');
    const long = join(dir, 'capture-x4.scap');
    writeFileSync(plain, raw);
    writeFileSync(long, Buffer.concat([raw, raw, raw, raw]));
    // The filter case on the 4x capture, gzipped like the original: Node's start-up and the JIT's warm-up
    // are fixed costs, which a longer capture spreads (what a trace of production size sees).
    const longGz = join(dir, 'capture-x4.scap.gz');
    writeFileSync(longGz, gzipSync(readFileSync(long)));
    const filter = cases[0].args;
    const oursLong = await best([process.execPath, cli, 'replay', '-r', longGz, ...filter]);
    const theirsLong = await best(['sysdig', '-r', longGz, ...filter]);
    console.log(
      `\nfilter matching little, a gzip capture 4x as long (584,152 events): scapkit ${oursLong.ms.toFixed(0)} ms, ` +
        `sysdig ${theirsLong.ms.toFixed(0)} ms: ${(oursLong.ms / theirsLong.ms).toFixed(2)}x`,
    );
    const gz = await best([process.execPath, cli, 'replay', '-r', capture, '-p', '%evt.num']);
    const one = await best([process.execPath, cli, 'replay', '-r', plain, '-p', '%evt.num']);
    const four = await best([process.execPath, cli, 'replay', '-r', long, '-p', '%evt.num']);
    const ratio = four.rss / one.rss;
    console.log(
      `\npeak memory, -p %evt.num: 1x file ${(one.rss / 1024).toFixed(0)} MiB (gzip: ${(gz.rss / 1024).toFixed(0)} MiB), ` +
        `4x file ${(four.rss / 1024).toFixed(0)} MiB; time 1x ${one.ms.toFixed(0)} ms, 4x ${four.ms.toFixed(0)} ms`,
    );
    // With the bin's heap flags the old generation may still hold up to V8's minimum growing step (8 MiB) of
    // garbage above the live heap before a mark-compact: a long file's peak can exceed the 1x file's by that
    // much (~1.12-1.15), but no more however long the file (8x: ~1.17). Without them: 1.20 at 4x, 1.39 at 8x.
    const verdict =
      ratio <= 1.15
        ? 'bounded (within the 8 MiB V8 adds to the old generation before collecting)'
        : 'grows with the file (expected <= 1.15)';
    console.log(`peak RSS 4x/1x = ${ratio.toFixed(2)}: ${verdict}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (!process.env.REPLAY_BENCH_SMALL_ONLY) await realJob();
await smallCapture();
