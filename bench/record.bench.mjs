// `scapkit record -w` under a syscall storm, against `strace -f -o FILE` on the same storm, in one run.
// The storm (bench/minimal-probe/storm.c, `rw`: 1-byte read of /dev/zero, write to /dev/null, raw
// syscalls) runs pinned to CPU 0 for RECORD_BENCH_SECONDS (default 10); the recorder is free to use the
// other core. Printed: events/s written, drops, the recorder's CPU (utime+stime of its process from
// /proc/PID/stat, sampled every 100 ms: its threads, not the storm it spawned), bytes per event on disk;
// then the recording exported to sysdig's format and gzip -6'd (what `sysdig -z` stores: libscap writes
// gzip at zlib's default level, 6), bytes per event compared.
//
// Also: the same storm recorded without the live state engine (SCAPKIT_RECORD_LIVE_STATE=0: what it costs
// per event), and the start-up of `record -- CMD` (exec to the first event recorded, and to CMD's exec),
// against a bare `node -e 0` and the probe's load alone.
//
// Targets (issue "scapkit record: the recorder for production boxes"): no drop at 1M events/s with the
// default buffers; the recorder under half a core at that rate; bytes/event <= gzip -6 of the same
// events in sysdig's format; recording within 1 s of the exec (issue #17). The recording uses the recorder's default codec (zstd when its native module
// is installed), or RECORD_BENCH_CODEC=zstd|lz4|none; the same events are re-encoded with the other codecs
// (`scapkit export --format scapkit --codec ...`) so every codec is compared on one recording. RECORD_BENCH_PROFILE=1 also profiles the recorder (V8 sampling profiler,
// started 2 s in: `node --cpu-prof` sends SIGPROF from the start, and a signal during BPF verification
// fails the load with EAGAIN) and prints its top functions; the profile is kept in bench/out/record/.
import { spawn, spawnSync } from 'node:child_process';
import {
  createReadStream,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
} from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createGzip } from 'node:zlib';

const here = (p) => fileURLToPath(new URL(p, import.meta.url));
const SECONDS = Number(process.env.RECORD_BENCH_SECONDS ?? 10);
const CODEC = process.env.RECORD_BENCH_CODEC;
const OUT = here('./out/record/');
const STORM = here('./out/minimal-probe/storm');
const SCAPKIT = here('../packages/recorder/bin/scapkit.js');
const CLK_TCK = 100;
const HUGE = '1000000000000'; // iterations: the storm runs until it is stopped

if (process.getuid?.() !== 0) {
  console.log('record.bench: skipped, needs root (BPF)');
  process.exit(0);
}
if (spawnSync('make', ['-s', '-C', here('./minimal-probe')], { stdio: 'inherit' }).status !== 0) {
  console.error('record.bench: building bench/minimal-probe (the storm) failed');
  process.exit(1);
}
if (!existsSync(SCAPKIT.replace('bin/scapkit.js', 'dist/cli.js'))) {
  console.error('record.bench: build first (pnpm exec tsc -b)');
  process.exit(1);
}
rmSync(OUT, { recursive: true, force: true });
mkdirSync(OUT, { recursive: true });

/** utime+stime of a process (all its threads, not its children), in seconds; undefined once it is gone. */
function cpuSeconds(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(f[11]) + Number(f[12])) / CLK_TCK; // fields 14 and 15 of proc(5)
  } catch {
    return undefined;
  }
}

/** Spawns a command, samples its CPU every 100 ms, resolves with exit code, output and the last sample. */
function runSampled(cmd, args, opts = {}) {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const p = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'], ...opts });
    let stdout = '';
    let stderr = '';
    p.stdout.on('data', (d) => (stdout += d));
    p.stderr.on('data', (d) => (stderr += d));
    let cpu = 0;
    const timer = setInterval(() => {
      cpu = cpuSeconds(p.pid) ?? cpu;
    }, 100);
    p.on('error', reject);
    p.on('exit', (code, signal) => {
      clearInterval(timer);
      resolve({ code, signal, stdout, stderr, cpu, wallS: (performance.now() - started) / 1000, pid: p.pid });
    });
  });
}

const fmt = (n, d = 0) => n.toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d });

// --- scapkit record ------------------------------------------------------------------------------------
const trace = `${OUT}storm.scap`;
const PROFILE = process.env.RECORD_BENCH_PROFILE ? `${OUT}recorder.cpuprofile` : undefined;
/** The CLI under a profiler that starts once the probe is loaded. */
const profiled = (args) => [
  '--input-type=module',
  '-e',
  `import { Session } from 'node:inspector/promises';
import { writeFileSync } from 'node:fs';
const { main } = await import(${JSON.stringify(SCAPKIT.replace('bin/scapkit.js', 'dist/cli.js'))});
const s = new Session();
s.connect();
setTimeout(async () => { await s.post('Profiler.enable'); await s.post('Profiler.start'); }, 2000).unref();
const code = await main(${JSON.stringify(args)});
try { const { profile } = await s.post('Profiler.stop'); writeFileSync(${JSON.stringify(PROFILE)}, JSON.stringify(profile)); } catch {}
process.exitCode = code;`,
];
const recordArgs = [
  'record',
  '-q',
  '-w',
  trace,
  '-M',
  String(SECONDS),
  ...(CODEC ? ['--codec', CODEC] : []),
  '--',
  'taskset',
  '-c',
  '0',
  STORM,
  'rw',
  HUGE,
];
const rec = await runSampled(process.execPath, PROFILE ? profiled(recordArgs) : [SCAPKIT, ...recordArgs]);
if (rec.code !== 0 && rec.code !== 3) {
  console.error(`record.bench: scapkit record exited ${rec.code}\n${rec.stderr}`);
  process.exit(1);
}
const info = JSON.parse(
  spawnSync(process.execPath, [SCAPKIT, 'info', '--json', trace], { maxBuffer: 1 << 26 }).stdout,
);
const st = info.stats;
const drops = Object.values(st.drops).reduce((a, b) => a + b, 0);
const spanS = Number(BigInt(info.lastTs) - BigInt(info.firstTs)) / 1e9;
const stormEvents = (info.eventsByType['<read'] ?? 0) + (info.eventsByType['<write'] ?? 0);
const diskBytes = statSync(trace).size;
const CODEC_NAMES = ['none', 'lz4', 'zstd'];
/** The codec of the file's first chunk record (codec byte of the first record of type 3). */
function chunkCodecOf(path) {
  const b = readFileSync(path);
  for (let p = 16; p + 6 <= b.length; p += 5 + b.readUInt32LE(p + 1)) {
    if (b[p] === 3) return CODEC_NAMES[b[p + 5]] ?? `codec ${b[p + 5]}`;
  }
  return 'no chunk';
}
const traceCodec = chunkCodecOf(trace);
const recCores = rec.cpu / spanS;

console.log(
  `storm: read+write of 1 byte, pinned to CPU 0, ${SECONDS} s; the recorder records the whole machine`,
);
console.log(
  `scapkit record -w (default 8 MiB ring per CPU, snaplen 80, codec ${CODEC ?? 'default'}: ${traceCodec} chunks):`,
);
console.log(
  `  events written   ${fmt(st.eventsWritten)} in ${spanS.toFixed(2)} s = ${fmt(st.eventsWritten / spanS)} events/s (storm read/write: ${fmt(stormEvents / spanS)}/s)`,
);
console.log(
  `  seen by kernel   ${fmt(st.eventsSeen)}; drops ${fmt(drops)} (${((100 * drops) / Math.max(1, st.eventsSeen)).toFixed(3)} %) ${JSON.stringify(st.drops)}`,
);
console.log(
  `  recorder CPU     ${rec.cpu.toFixed(2)} s user+sys over ${spanS.toFixed(2)} s = ${recCores.toFixed(2)} cores`,
);
console.log(
  `  on disk          ${fmt(diskBytes)} bytes = ${(diskBytes / st.eventsWritten).toFixed(2)} bytes/event`,
);

// --- the live state engine: the same storm recorded without it (SCAPKIT_RECORD_LIVE_STATE=0) -----------
// Every event written also goes through a state engine (rotated files' tables, checkpoints): this is what
// it costs, as recorder CPU per event written, with the engine and without it, on the same storm.
const plainTrace = `${OUT}storm-nostate.scap`;
const plain = await runSampled(
  process.execPath,
  [SCAPKIT, ...recordArgs.map((a) => (a === trace ? plainTrace : a))],
  {
    env: { ...process.env, SCAPKIT_RECORD_LIVE_STATE: '0' },
  },
);
const plainInfo = JSON.parse(
  spawnSync(process.execPath, [SCAPKIT, 'info', '--json', plainTrace], { maxBuffer: 1 << 26 }).stdout,
);
rmSync(plainTrace);
const nsPerEvent = (cpu, n) => (cpu * 1e9) / Math.max(1, n);
const withState = nsPerEvent(rec.cpu, st.eventsWritten);
const withoutState = nsPerEvent(plain.cpu, plainInfo.stats.eventsWritten);
const plainDrops = Object.values(plainInfo.stats.drops).reduce((a, b) => a + b, 0);
console.log('live state engine (tables of rotated files, checkpoints), same storm:');
console.log(
  `  recorder CPU per event written: ${withState.toFixed(0)} ns with it, ${withoutState.toFixed(0)} ns without ` +
    `(${(withState / withoutState).toFixed(2)}x, +${(withState - withoutState).toFixed(0)} ns/event); ` +
    `drops ${fmt(drops)} with, ${fmt(plainDrops)} without`,
);

// --- the same events in sysdig's format, gzip -6 (= sysdig -z) -----------------------------------------
const exported = `${OUT}storm.sysdig.scap`;
const ex = spawnSync(process.execPath, [SCAPKIT, 'export', '--format', 'scap', '-r', trace, '-w', exported], {
  encoding: 'utf8',
});
if (ex.status !== 0) {
  console.error(`record.bench: export failed: ${ex.stderr}`);
  process.exit(1);
}
const gzBytes = await new Promise((resolve, reject) => {
  let n = 0;
  createReadStream(exported)
    .pipe(createGzip({ level: 6 }))
    .on('data', (d) => (n += d.length))
    .on('end', () => resolve(n))
    .on('error', reject);
});
const rawSysdig = statSync(exported).size;
rmSync(exported);
console.log(
  `same events, sysdig .scap: ${(rawSysdig / st.eventsWritten).toFixed(2)} bytes/event plain, ` +
    `${(gzBytes / st.eventsWritten).toFixed(2)} bytes/event gzip -6 (sysdig -z)`,
);
console.log(
  `  scapkit (${traceCodec}) / sysdig -z: ${(diskBytes / gzBytes).toFixed(2)}x the bytes ` +
    `(${(diskBytes / st.eventsWritten).toFixed(2)} vs ${(gzBytes / st.eventsWritten).toFixed(2)} bytes/event)`,
);
// The same events re-encoded with each other codec (the export writes 1 MiB chunks, as the recorder does).
for (const codec of ['zstd', 'lz4'].filter((c) => c !== traceCodec)) {
  const again = `${OUT}storm.${codec}.scap`;
  const r = spawnSync(
    process.execPath,
    [SCAPKIT, 'export', '--format', 'scapkit', '--codec', codec, '-r', trace, '-w', again],
    { encoding: 'utf8' },
  );
  if (r.status !== 0) {
    console.log(`  re-encoding with ${codec} failed: ${r.stderr.trim()}`);
    continue;
  }
  const bytes = statSync(again).size;
  rmSync(again);
  console.log(
    `  same events as scapkit ${codec}: ${(bytes / st.eventsWritten).toFixed(2)} bytes/event, ` +
      `${(bytes / gzBytes).toFixed(2)}x sysdig -z, ${(bytes / diskBytes).toFixed(2)}x the recording (${traceCodec})`,
  );
}

// --- the same with rotation: -C 10 starts a file (and a /proc snapshot) every 10 MB ----------------------
const rotDir = `${OUT}rot/`;
mkdirSync(rotDir);
const rot = await runSampled(process.execPath, [
  SCAPKIT,
  'record',
  '-w',
  `${rotDir}r.scap`,
  '-C',
  '10',
  ...recordArgs.slice(4),
]);
const rotSummary = /events: (\d+) written of (\d+) seen[^\n]*\n\s*drops:\s+(\d+)/.exec(rot.stderr);
if (!rotSummary) {
  console.error(`record.bench: scapkit record -C 10 exited ${rot.code}\n${rot.stderr}`);
  process.exit(1);
}
const rotFiles = readdirSync(rotDir).length;
rmSync(rotDir, { recursive: true });
console.log(`scapkit record -w -C 10 (a new file and /proc snapshot every 10 MB):`);
console.log(
  `  events written   ${fmt(Number(rotSummary[1]))} of ${fmt(Number(rotSummary[2]))} seen, drops ${fmt(Number(rotSummary[3]))}, ` +
    `${rotFiles} files, recorder CPU ${(rot.cpu / SECONDS).toFixed(2)} cores`,
);

// --- strace -f -o FILE on the same storm ---------------------------------------------------------------
const straceOut = `${OUT}storm.strace`;
const stormUnder = (wrap) =>
  runSampled('timeout', ['-s', 'INT', String(SECONDS), ...wrap, 'taskset', '-c', '0', STORM, 'rw', HUGE]);
const str = await stormUnder(['strace', '-f', '-o', straceOut]);
let straceLines = 0;
await new Promise((resolve, reject) => {
  createReadStream(straceOut)
    .on('data', (d) => {
      for (let i = d.indexOf(10); i !== -1; i = d.indexOf(10, i + 1)) straceLines++;
    })
    .on('end', resolve)
    .on('error', reject);
});
const straceBytes = statSync(straceOut).size;
rmSync(straceOut);
console.log(`strace -f -o FILE (one line per syscall, the storm only):`);
console.log(
  `  syscalls logged  ${fmt(straceLines)} in ${str.wallS.toFixed(2)} s = ${fmt(straceLines / str.wallS)}/s ` +
    `(scapkit: ${fmt(stormEvents / 2 / spanS)} storm syscalls/s recorded, ${(stormEvents / 2 / spanS / (straceLines / str.wallS)).toFixed(1)}x)`,
);
console.log(
  `  on disk          ${(straceBytes / Math.max(1, straceLines)).toFixed(2)} bytes/syscall, uncompressed text`,
);

// --- start-up: from the exec of `scapkit record -- CMD` to the first event recorded, and to CMD's ----------
// Five runs of `record -q -w F -- true`, medians. The peer: `node -e 0` (a bare Node start on this box) and
// the probe's own load and attach (openProbe in a fresh Node, from its call to its return).
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const startups = [];
for (let i = 0; i < 5; i++) {
  const f = `${OUT}startup.scap`;
  const execNs = BigInt(Date.now()) * 1_000_000n;
  const r = spawnSync(process.execPath, [SCAPKIT, 'record', '-q', '-w', f, '--', 'true'], {
    encoding: 'utf8',
  });
  if (r.status !== 0) {
    console.error(`record.bench: start-up run exited ${r.status}: ${r.stderr}`);
    process.exit(1);
  }
  const first = BigInt(
    JSON.parse(spawnSync(process.execPath, [SCAPKIT, 'info', '--json', f], { maxBuffer: 1 << 26 }).stdout)
      .firstTs,
  );
  const cmd = spawnSync(
    process.execPath,
    [SCAPKIT, 'replay', '-r', f, '-p', '%evt.rawtime', 'proc.name=true and evt.type=execve and evt.dir=<'],
    { encoding: 'utf8' },
  ).stdout.split('\n')[0];
  startups.push({ first: Number(first - execNs) / 1e6, cmd: Number(BigInt(cmd) - execNs) / 1e6 });
  rmSync(f);
}
const nodeStart = [];
for (let i = 0; i < 5; i++) {
  const t = performance.now();
  spawnSync(process.execPath, ['-e', '0']);
  nodeStart.push(performance.now() - t);
}
const probeLoad = [];
for (let i = 0; i < 3; i++) {
  const r = spawnSync(
    process.execPath,
    [
      '--input-type=module',
      '-e',
      `const m = await import(${JSON.stringify(here('../packages/bpf-probe/dist/index.js'))}); const t = performance.now(); const p = m.openProbe(); console.log(performance.now() - t); await p.close();`,
    ],
    { encoding: 'utf8' },
  );
  probeLoad.push(Number(r.stdout.trim()));
}
const firstMs = median(startups.map((s) => s.first));
const cmdMs = median(startups.map((s) => s.cmd));
console.log('start-up of `scapkit record -q -w F -- true` (median of 5):');
console.log(
  `  exec to first event recorded ${firstMs.toFixed(0)} ms, to CMD's exec ${cmdMs.toFixed(0)} ms; ` +
    `node -e 0 ${median(nodeStart).toFixed(0)} ms, openProbe alone ${median(probeLoad).toFixed(0)} ms ` +
    `(first event at ${(firstMs / median(nodeStart)).toFixed(1)}x a bare Node start)`,
);

// --- targets ---------------------------------------------------------------------------------------------
const rate = st.eventsWritten / spanS;
const verdict = (ok) => (ok ? 'met' : 'MISSED');
console.log('targets:');
console.log(
  `  no drop at >= 1M events/s:          ${verdict(drops === 0 && rate >= 1e6)} (${fmt(rate)} events/s, ${fmt(drops)} drops)`,
);
console.log(
  `  recorder < 0.5 core at that rate:    ${verdict(recCores < 0.5)} (${recCores.toFixed(2)} cores)`,
);
console.log(
  `  recording within 1 s of the exec:    ${verdict(firstMs <= 1000)} (${firstMs.toFixed(0)} ms to the first event)`,
);
console.log(
  `  bytes/event <= sysdig -z:            ${verdict(diskBytes <= gzBytes)} (${traceCodec}: ${(diskBytes / st.eventsWritten).toFixed(2)} vs ${(gzBytes / st.eventsWritten).toFixed(2)}, ${(diskBytes / gzBytes).toFixed(2)}x)`,
);
rmSync(trace);

if (PROFILE && existsSync(PROFILE)) {
  // Self time by function, from the samples: where the recorder's JavaScript thread spends its time.
  const prof = JSON.parse(readFileSync(PROFILE, 'utf8'));
  const byId = new Map(prof.nodes.map((n) => [n.id, n]));
  const self = new Map();
  const dt = prof.timeDeltas ?? [];
  prof.samples.forEach((id, i) => {
    const n = byId.get(id);
    const cf = n.callFrame;
    const key = `${cf.functionName || '(anonymous)'} ${cf.url.split('/').slice(-2).join('/')}:${cf.lineNumber + 1}`;
    self.set(key, (self.get(key) ?? 0) + (dt[i] ?? 0));
  });
  const totalUs = [...self.values()].reduce((a, b) => a + b, 0);
  console.log(`recorder profile (JS thread, ${(totalUs / 1e6).toFixed(2)} s sampled), top self time:`);
  for (const [k, us] of [...self].sort((a, b) => b[1] - a[1]).slice(0, 12)) {
    console.log(`  ${((100 * us) / totalUs).toFixed(1).padStart(5)} %  ${k}`);
  }
}
