// Syscall-tracing overhead, all in one run: a syscall storm (getppid; 1-byte read/write /dev/zero ->
// /dev/null; open/close) timed in ns per syscall untraced, traced by scapkit's probe (events consumed in
// this Node process; also with enterEvents: false, which removes the enter-event programs), by a minimal
// reference probe (bench/minimal-probe: one 24-byte ring-buffer record per syscall exit), by the same
// reference probe doing the user- and kernel-memory reads scapkit's events need (`--work=data,file`: the
// read/write data up to the snaplen, the open path, the new file's inode: what the floor is for events
// with those parameters), for open/close by the reference probe plus an empty program on openat's enter
// tracepoint (`--enter-tp`: what the kernel's tracepoint path costs before any program of scapkit's runs),
// by `strace -f -o /dev/null`, and by a bpftrace one-liner when bpftrace is
// installed (tracefs is mounted if needed). Then the rate at which scapkit delivers events to JavaScript.
// Needs root and a built probe (`npm run build`). PROBE_BENCH_MODES=getppid,rw limits the storms.
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
const REPEAT = Number(process.env.PROBE_BENCH_REPEAT ?? 5);
const best = (xs) => Math.min(...xs);
const median = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1];

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
    const late = setTimeout(() => {
      p.kill('SIGKILL');
      reject(new Error(`${cmd} was not ready after 60 s: ${out.slice(-300)}`));
    }, 60_000);
    const onData = (d) => {
      out += d;
      if (readyPattern.test(out)) {
        clearTimeout(late);
        resolve(async () => {
          const done = new Promise((r) => p.on('exit', r));
          p.kill('SIGINT');
          // A tracer that does not leave on SIGINT (bpftrace once stalled after attaching) is killed:
          // the bench must not hang.
          const kill = setTimeout(() => p.kill('SIGKILL'), 10_000);
          await done;
          clearTimeout(kill);
          return out;
        });
      }
    };
    p.stdout.on('data', onData);
    p.stderr.on('data', onData);
    p.on('error', reject);
    p.on('exit', (code) => {
      clearTimeout(late);
      reject(new Error(`${cmd} exited ${code} before it was ready: ${out.slice(-300)}`));
    });
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

async function withMinimal(fn, args = []) {
  const stop = await startTracer(MINIMAL, args, /ready/);
  try {
    return await fn();
  } finally {
    await stop();
  }
}

// bpftrace and the reference probe's --enter-tp need tracefs (scapkit's loader mounts it too).
if (!existsSync('/sys/kernel/tracing/events'))
  spawnSync('mount', ['-t', 'tracefs', 'nodev', '/sys/kernel/tracing']);
const tracefs = existsSync('/sys/kernel/tracing/events');
let bpftrace = spawnSync('sh', ['-c', 'command -v bpftrace']).status === 0;
if (bpftrace && !tracefs) {
  bpftrace = false;
  console.log('bpftrace: tracefs could not be mounted, skipped');
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
const medians = {};
for (const [mode, n] of MODES) {
  const r = {
    untraced: [],
    scapkit: [],
    scapkitNoEnter: [],
    minimal: [],
    minimalWork: [],
    minimalEnterTp: [],
    strace: [],
    bpftrace: [],
  };
  for (let k = 0; k < REPEAT; k++) {
    r.untraced.push(await storm(mode, n));
    r.scapkit.push(await withScapkit(() => storm(mode, n)));
    r.scapkitNoEnter.push(await withScapkit(() => storm(mode, n), { enterEvents: false }));
    r.minimal.push(await withMinimal(() => storm(mode, n)));
    if (mode !== 'getppid') r.minimalWork.push(await withMinimal(() => storm(mode, n), ['--work=data,file']));
    if (mode === 'openclose' && tracefs)
      r.minimalEnterTp.push(await withMinimal(() => storm(mode, n), ['--enter-tp']));
    if (bpftrace) r.bpftrace.push(await withBpftrace(() => storm(mode, n)));
  }
  // strace is ~100x slower per syscall: fewer iterations, once.
  r.strace.push(await storm(mode, Math.max(2000, Math.floor(n / 100)), ['strace', '-f', '-o', '/dev/null']));
  results[mode] = Object.fromEntries(
    Object.entries(r)
      .filter(([, v]) => v.length)
      .map(([k, v]) => [k, best(v)]),
  );
  // Median ratio: each round's added cost against the same round's minimal probe (strace has one round).
  const perRound = (key) =>
    r[key].length === REPEAT
      ? median(r[key].map((v, i) => (v - r.untraced[i]) / (r.minimal[i] - r.untraced[i])))
      : Number.NaN;
  medians[mode] = Object.fromEntries(Object.keys(r).map((k) => [k, perRound(k)]));
}

const TRACERS = [
  ['scapkit', 'scapkit'],
  ['scapkitNoEnter', 'scapkit, enterEvents: false'],
  ['minimal', 'minimal probe'],
  ['minimalWork', 'minimal + data/path/inode'],
  ['minimalEnterTp', 'minimal + empty openat enter tp'],
  ['bpftrace', 'bpftrace one-liner'],
  ['strace', 'strace -f'],
];
const f = (v) => (v === undefined || Number.isNaN(v) ? '-' : v.toFixed(1)).padStart(9);
for (const [mode, r] of Object.entries(results)) {
  const added = (k) => (r[k] === undefined ? Number.NaN : r[k] - r.untraced);
  console.log(
    `\n${mode}: ns per syscall (best of ${REPEAT}; ratios: best-of, then median of the per-round ratios; strace: once, fewer iterations)`,
  );
  console.log(`  ${'untraced'.padEnd(31)} ${f(r.untraced)}`);
  for (const [k, label] of TRACERS) {
    if (r[k] === undefined) continue;
    const med = medians[mode][k];
    const vsMinimal =
      k === 'minimal'
        ? ''
        : `  ${(added(k) / added('minimal')).toFixed(2)}x the minimal probe's` +
          (Number.isNaN(med) ? '' : ` (median ${med.toFixed(2)}x)`);
    console.log(`  ${label.padEnd(31)} ${f(r[k])}   adds ${f(added(k))}${vsMinimal}`);
  }
  console.log(
    `  strace adds ${(added('strace') / added('scapkit')).toFixed(0)}x what scapkit adds` +
      ` (${(added('strace') / added('scapkitNoEnter')).toFixed(0)}x without enter events)`,
  );
  if (r.minimalEnterTp !== undefined)
    console.log(
      `  an empty program on openat's enter tracepoint (where scapkit's openat enter event comes from) adds ` +
        `${(2 * (r.minimalEnterTp - r.minimal)).toFixed(0)} ns per open to the minimal probe (--enter-tp)`,
    );
  if (r.minimalWork !== undefined)
    console.log(
      `  scapkit adds ${(added('scapkit') / added('minimalWork')).toFixed(2)}x what the minimal probe adds when it also reads the data, path and inode (--work=data,file)`,
    );
}
console.log(`\nsummary (scapkit's added ns / the minimal probe's, best-of; target <= 1.25x):`);
for (const [mode, r] of Object.entries(results)) {
  const added = (k) => r[k] - r.untraced;
  console.log(
    `  ${mode.padEnd(10)} ${(added('scapkit') / added('minimal')).toFixed(2)}x (median ${medians[mode].scapkit.toFixed(2)}x); enterEvents false ${(added('scapkitNoEnter') / added('minimal')).toFixed(2)}x (median ${medians[mode].scapkitNoEnter.toFixed(2)}x)`,
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

// PROBE_BENCH_BPF_STATS=1: per-program cost (kernel.bpf_stats_enabled) per storm syscall, the probe
// recording only the storm's process (other processes' syscalls leave at the pid filter). Tail-called
// fillers count in their dispatcher's time. The kernel's clock reads around each run add to every
// program's time, and a run that is preempted counts its time off the CPU: compare programs and storms
// with each other, not with the ns per syscall above.
if (process.env.PROBE_BENCH_BPF_STATS) {
  const progs = () => JSON.parse(spawnSync('bpftool', ['prog', 'show', '--json']).stdout.toString());
  const was = spawnSync('sysctl', ['-n', 'kernel.bpf_stats_enabled']).stdout.toString().trim();
  spawnSync('sysctl', ['-q', 'kernel.bpf_stats_enabled=1']);
  console.log('\nper-program ns per storm syscall (bpf_stats; pid-filtered probe):');
  try {
    for (const [mode, n] of MODES) {
      const per = mode === 'getppid' ? 1 : 2;
      const child = spawn('sh', ['-c', `read _; exec ${STORM} ${mode} ${n}`], {
        stdio: ['pipe', 'pipe', 'inherit'],
      });
      const old = new Set(progs().map((p) => p.id));
      const probe = openProbe({ pids: [child.pid] });
      const mine = new Set(
        progs()
          .map((p) => p.id)
          .filter((id) => !old.has(id)),
      );
      const reading = (async () => {
        for await (const _ of probe);
      })();
      const snap = () =>
        new Map(
          progs()
            .filter((p) => mine.has(p.id))
            .map((p) => [p.name, p]),
        );
      const before = snap();
      const exited = new Promise((r) => child.on('exit', r));
      child.stdin.end('\n');
      await exited;
      const after = snap();
      await probe.close();
      await reading;
      const parts = [];
      for (const [name, p] of after) {
        const runs = (p.run_cnt ?? 0) - (before.get(name)?.run_cnt ?? 0);
        const ns = (p.run_time_ns ?? 0) - (before.get(name)?.run_time_ns ?? 0);
        if (runs > 100)
          parts.push(`${name} ${(ns / (n * per)).toFixed(1)} (${(ns / runs).toFixed(1)} ns/run)`);
      }
      console.log(`  ${mode.padEnd(10)} ${parts.join(', ')}`);
    }
  } finally {
    spawnSync('sysctl', ['-q', `kernel.bpf_stats_enabled=${was || 0}`]);
  }
}
