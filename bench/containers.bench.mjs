// Container lookups under load: `scapkit record` while a syscall storm runs (bench/minimal-probe/storm `rw`,
// pinned to CPU 0, as in record.bench.mjs) and a burst of 50 podman containers starts (created beforehand,
// started by one `podman start` of all 50 during the recording, which ends once they all run). Two recordings of the same load, A/B:
// with container lookups (the default) and with --no-container-lookup (the peer: the same recorder
// without them). Printed per arm: events/s written, drops, the recorder's CPU (utime+stime of its process,
// not of the podman processes it starts), containers seen and described by podman; then the ratios.
// Target (issue #19): no drop caused by the lookups, the recorder's CPU per event about the same. (The
// storm's own rate is lower with lookups when they run `podman inspect`: its processes take CPU from the
// box, not from the recorder; with podman's socket or docker's API a lookup is an HTTP request.)
//
//   npm run bench containers        (root; podman, runc, busybox-static: scripts/setup.sh installs them)
//   CONTAINERS_BENCH_BURST=50
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const here = (p) => fileURLToPath(new URL(p, import.meta.url));
const BURST = Number(process.env.CONTAINERS_BENCH_BURST ?? 50);
const OUT = here('./out/containers/');
const STORM = here('./out/minimal-probe/storm');
const SCAPKIT = here('../packages/recorder/bin/scapkit.js');
const IMAGE = 'localhost/scapkit-bench-busybox:1';
const RUN_OPTS = ['--runtime', 'runc', '--cgroup-manager', 'cgroupfs', '--network', 'none',
  '--ulimit', 'nofile=1024:1024', '--ulimit', 'nproc=1024:1024']; // biome-ignore format: flag pairs

if (process.getuid?.() !== 0) {
  console.log('containers.bench: skipped, needs root (BPF)');
  process.exit(0);
}
if (!existsSync('/usr/bin/podman') || !existsSync('/bin/busybox')) {
  console.log('containers.bench: skipped, needs podman and busybox-static (scripts/setup.sh)');
  process.exit(0);
}
if (spawnSync('make', ['-s', '-C', here('./minimal-probe')], { stdio: 'inherit' }).status !== 0) {
  console.error('containers.bench: building bench/minimal-probe (the storm) failed');
  process.exit(1);
}
rmSync(OUT, { recursive: true, force: true });
mkdirSync(`${OUT}rootfs/bin`, { recursive: true });
execFileSync('cp', ['/bin/busybox', `${OUT}rootfs/bin/busybox`]);
for (const a of ['sh', 'sleep', 'cat']) symlinkSync('busybox', `${OUT}rootfs/bin/${a}`);
writeFileSync(
  `${OUT}rootfs.tar`,
  execFileSync('tar', ['-C', `${OUT}rootfs`, '-c', '.'], { maxBuffer: 1 << 26 }),
);
execFileSync('podman', ['import', `${OUT}rootfs.tar`, IMAGE], { stdio: 'ignore' });

function cpuSeconds(pid) {
  try {
    const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(f[11]) + Number(f[12])) / 100;
  } catch {
    return undefined;
  }
}

/** One recording of storm + burst; `lookups` turns the container lookups on or off. */
async function arm(lookups, tag) {
  const names = Array.from({ length: BURST }, (_, i) => `scapkit-bench-${tag}-${process.pid}-${i}`);
  for (const n of names)
    execFileSync('podman', ['create', ...RUN_OPTS, '--name', n, IMAGE, 'sleep', '600'], { stdio: 'ignore' });
  const trace = `${OUT}${tag}.scap`;
  // The storm for the whole recording; the burst a second in, once the recording runs; the recording
  // ends with the burst (`podman start` returns when all of them run) and one more second of storm.
  const script = `taskset -c 0 ${STORM} rw 1000000000000 & S=$!; sleep 1; podman start ${names.join(' ')} >/dev/null; sleep 1; kill $S`;
  const args = [
    SCAPKIT,
    'record',
    '-w',
    trace,
    ...(lookups ? [] : ['--no-container-lookup']),
    '--',
    'sh',
    '-c',
    script,
  ];
  const p = spawn(process.execPath, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  p.stderr.on('data', (d) => (stderr += d));
  let cpu = 0;
  const timer = setInterval(() => (cpu = cpuSeconds(p.pid) ?? cpu), 100);
  const code = await new Promise((r) => p.on('exit', r));
  clearInterval(timer);
  execFileSync('podman', ['rm', '-f', '-t', '0', ...names], { stdio: 'ignore' });
  if (code !== 0 && code !== 3) throw new Error(`scapkit record exited ${code}\n${stderr}`);
  const info = JSON.parse(
    spawnSync(process.execPath, [SCAPKIT, 'info', '--json', trace], { maxBuffer: 1 << 26 }).stdout,
  );
  const st = info.stats;
  const spanS = Number(BigInt(info.lastTs) - BigInt(info.firstTs)) / 1e9;
  const m = /containers: (\d+) seen, (\d+) described/.exec(stderr);
  // Containers of the burst that the trace names (a container event or the last file's tables).
  const named = spawnSync(
    process.execPath,
    [SCAPKIT, 'replay', '-r', trace, '-p', '%container.name', 'evt.type=container'],
    { encoding: 'utf8', maxBuffer: 1 << 26 },
  ).stdout;
  return {
    rate: st.eventsWritten / spanS,
    nsPerEvent: (cpu * 1e9) / Math.max(1, st.eventsWritten),
    drops: Object.values(st.drops).reduce((a, b) => a + b, 0),
    cores: cpu / spanS,
    seen: m ? Number(m[1]) : 0,
    described: m ? Number(m[2]) : 0,
    namedEvents: names.filter((n) => named.includes(n)).length,
  };
}

const fmt = (n) => Math.round(n).toLocaleString('en-US');
const results = {};
// Interleaved A/B/A/B: the machine's load drifts; each arm's figures are the mean of its two runs.
for (const round of [1, 2]) {
  for (const [name, lookups] of [
    ['lookups', true],
    ['no-lookups', false],
  ]) {
    const r = await arm(lookups, `${name}-${round}`);
    if (!results[name]) results[name] = [];
    results[name].push(r);
  }
}
const mean = (xs, k) => xs.reduce((a, x) => a + x[k], 0) / xs.length;
console.log(`storm: read+write of 1 byte pinned to CPU 0 while a burst of ${BURST} podman containers starts`);
for (const [name, rs] of Object.entries(results)) {
  console.log(
    `  ${name.padEnd(11)} ${fmt(mean(rs, 'rate'))} events/s written, drops ${rs.map((r) => r.drops).join('+')}, ` +
      `recorder ${mean(rs, 'cores').toFixed(2)} cores (${mean(rs, 'nsPerEvent').toFixed(0)} ns CPU per event), containers seen ${rs.map((r) => r.seen).join('/')}, ` +
      `described ${rs.map((r) => r.described).join('/')}, burst containers with a container event ${rs.map((r) => r.namedEvents).join('/')}`,
  );
}
const a = results.lookups;
const b = results['no-lookups'];
console.log(
  `ratio lookups / no-lookups: events/s ${(mean(a, 'rate') / mean(b, 'rate')).toFixed(2)}x, recorder CPU per event ${(mean(a, 'nsPerEvent') / mean(b, 'nsPerEvent')).toFixed(2)}x, drops ${mean(a, 'drops')} vs ${mean(b, 'drops')}`,
);
