// Syscall-tracing overhead, all in one run: a syscall storm (getppid; 1-byte read/write /dev/zero ->
// /dev/null; open/close) timed in ns per syscall untraced, traced by scapkit's probe (events consumed in
// this Node process; also with enterEvents: false, which removes the sys_enter program), by a minimal
// reference probe (bench/minimal-probe: one 24-byte ring-buffer record per syscall exit), by
// `strace -f -o /dev/null`, and by a bpftrace one-liner when bpftrace is installed (tracefs is mounted
// if needed). Then the rate at which scapkit delivers events to JavaScript. Needs root and a built probe
// (`npm run build`). PROBE_BENCH_MODES=getppid,rw limits the storms.
//
// Targets: scapkit's added cost <= 1.25x the minimal probe's; >= 50x less than strace's; >= 2M events/s
// delivered to JS without drops.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import os from 'node:os';
import { fileURLToPath } from 'node:url';

const here = (p) => fileURLToPath(new URL(p, import.meta.url));
const OUT = here('./out/minimal-probe/');
const STORM = `${OUT}storm`;
const MINIMAL = `${OUT}minimal`;

if (process.getuid?.() !== 0) {
  console.log('probe.bench: skipped, needs root (BPF)');
  process.exit(0);
}
const mk = spawnSync('make', ['-s', '-C', here('./minimal-probe')], { stdio: 'inherit' });
if (mk.status !== 0) {
  console.error('probe.bench: building bench/minimal-probe failed');
  process.exit(1);
}
const { openProbe } = await import('../packages/bpf-probe/dist/index.js');

const MODES = [
  ['getppid', 500_000],
  ['rw', 200_000],
  ['openclose', 100_000],
].filter(([m]) => !process.env.PROBE_BENCH_MODES || process.env.PROBE_BENCH_MODES.split(',').includes(m));
// Rounds interleave the tracers, and each keeps its best round: on a shared machine the noise only ever
// adds time, so the minimum is the closest to each tracer's own cost.
const REPEAT = 5;
const best = (xs) => Math.min(...xs);

function run(cmd, args) {
  return new Promise((resolve, reject) => {
    const p = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    p.stdout.on('data', (d) => (out += d));
    p.on('error', reject);
    p.on('exit', (code) => (code === 0 ? resolve(out) : reject(new Error(`${cmd} exited ${code}`))));
  });
}
const storm = async (mode, n, wrap = []) => {
  const out = await run(
    wrap[0] ?? STORM,
    wrap.length ? [...wrap.slice(1), STORM, mode, String(n)] : [mode, String(n)],
  );
  return Number(out.trim().split('\n').at(-1));
};

/** Starts a tracer process and resolves once it printed `readyPattern`; returns a stop function. */
function startTracer(cmd, args, readyPattern) {
  return new Promise((resolve, reject) => {
    const p = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    const onData = (d) => {
      out += d;
      if (readyPattern.test(out)) {
        resolve(async () => {
          const done = new Promise((r) => p.on('exit', r));
          p.kill('SIGINT');
          await done;
          return out;
        });
      }
    };
    p.stdout.on('data', onData);
    p.stderr.on('data', onData);
    p.on('error', reject);
    p.on('exit', (code) =>
      reject(new Error(`${cmd} exited ${code} before it was ready: ${out.slice(-300)}`)),
    );
  });
}

async function withScapkit(fn, options = {}) {
  const probe = openProbe(options);
  let events = 0;
  const reading = (async () => {
    for await (const b of probe) events += b.count;
  })();
  try {
    return await fn();
  } finally {
    await probe.close();
    await reading;
    const s = probe.stats();
    if (s.dropsBuffer + s.dropsOther)
      console.log(`  (scapkit dropped ${s.dropsBuffer + s.dropsOther} of ${s.seen})`);
    if (events !== s.delivered)
      console.log(`  (scapkit: ${events} events reached JS of ${s.delivered} delivered)`);
  }
}

async function withMinimal(fn) {
  const stop = await startTracer(MINIMAL, [], /ready/);
  try {
    return await fn();
  } finally {
    await stop();
  }
}

let bpftrace = spawnSync('sh', ['-c', 'command -v bpftrace']).status === 0;
if (bpftrace && !existsSync('/sys/kernel/tracing/events')) {
  spawnSync('mount', ['-t', 'tracefs', 'nodev', '/sys/kernel/tracing']);
  bpftrace = existsSync('/sys/kernel/tracing/events');
  if (!bpftrace) console.log('bpftrace: tracefs could not be mounted, skipped');
}
async function withBpftrace(fn) {
  const stop = await startTracer(
    'bpftrace',
    ['-e', 'tracepoint:raw_syscalls:sys_exit { @n = count(); }'],
    /Attaching/,
  );
  try {
    return await fn();
  } finally {
    await stop();
  }
}

console.log(
  `kernel ${os.release()}, ${os.cpus().length} CPUs, load average ${os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(' ')}`,
);
const results = {};
for (const [mode, n] of MODES) {
  const r = { untraced: [], scapkit: [], scapkitNoEnter: [], minimal: [], strace: [], bpftrace: [] };
  for (let k = 0; k < REPEAT; k++) {
    r.untraced.push(await storm(mode, n));
    r.scapkit.push(await withScapkit(() => storm(mode, n)));
    r.scapkitNoEnter.push(await withScapkit(() => storm(mode, n), { enterEvents: false }));
    r.minimal.push(await withMinimal(() => storm(mode, n)));
    if (bpftrace) r.bpftrace.push(await withBpftrace(() => storm(mode, n)));
  }
  // strace is ~100x slower per syscall: fewer iterations, once.
  r.strace.push(await storm(mode, Math.max(2000, Math.floor(n / 100)), ['strace', '-f', '-o', '/dev/null']));
  results[mode] = Object.fromEntries(
    Object.entries(r)
      .filter(([, v]) => v.length)
      .map(([k, v]) => [k, best(v)]),
  );
}

const TRACERS = [
  ['scapkit', 'scapkit'],
  ['scapkitNoEnter', 'scapkit, enterEvents: false'],
  ['minimal', 'minimal probe'],
  ['bpftrace', 'bpftrace one-liner'],
  ['strace', 'strace -f'],
];
const f = (v) => (v === undefined || Number.isNaN(v) ? '-' : v.toFixed(1)).padStart(9);
for (const [mode, r] of Object.entries(results)) {
  const added = (k) => (r[k] === undefined ? Number.NaN : r[k] - r.untraced);
  console.log(`\n${mode}: ns per syscall (best of ${REPEAT}; strace: once, fewer iterations)`);
  console.log(`  ${'untraced'.padEnd(28)} ${f(r.untraced)}`);
  for (const [k, label] of TRACERS) {
    if (r[k] === undefined) continue;
    const vsMinimal =
      k === 'minimal' ? '' : `  ${(added(k) / added('minimal')).toFixed(2)}x the minimal probe's`;
    console.log(`  ${label.padEnd(28)} ${f(r[k])}   adds ${f(added(k))}${vsMinimal}`);
  }
  console.log(
    `  strace adds ${(added('strace') / added('scapkit')).toFixed(0)}x what scapkit adds` +
      ` (${(added('strace') / added('scapkitNoEnter')).toFixed(0)}x without enter events)`,
  );
}

// Delivery rate: how many events per second reach JavaScript while a storm runs, and whether any drop.
{
  const probe = openProbe({ bufferBytesPerCpu: 32 << 20 });
  let events = 0;
  const reading = (async () => {
    for await (const b of probe) events += b.count;
  })();
  const t0 = process.hrtime.bigint();
  await Promise.all([storm('getppid', 2_000_000), storm('getppid', 2_000_000)]);
  const t1 = process.hrtime.bigint();
  await probe.close();
  await reading;
  const s = probe.stats();
  const secs = Number(t1 - t0) / 1e9;
  console.log(
    `\ndelivery: ${events} events to JS in ${secs.toFixed(2)} s of storm = ${(events / secs / 1e6).toFixed(2)} M events/s; drops ${s.dropsBuffer + s.dropsOther}; seen ${s.seen}`,
  );
}
