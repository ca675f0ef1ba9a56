// `npm run soak -- --minutes N`: a long recording of a mixed workload (a syscall storm, process churn,
// loopback network traffic) with rotation. Samples the recorder's memory (RSS, V8 heap, external and
// ArrayBuffer memory, from inside the recorder) every --interval seconds and says whether it stayed flat,
// then events, drops, and whether every file reads back whole. A benchmark, not a test: run it by hand or
// on a schedule; it needs root. Exit 0 only when memory is flat and every file reads back whole.
//
// Flat means: after a warm-up (the first 60 s, or the first sixth of the run if that is shorter), split the
// samples in thirds; the last third must not exceed the first third by more than 20 MiB in native memory
// (rss - heapTotal - external: max and median), V8's heap (heapTotal and heapUsed: max) and external
// memory (median: spiky, batches awaiting GC). See the verdict below for why.
//
// The workload runs in its own process group, which the recorder ends at -M; this script also ends that
// group (and the recorder) if it is itself interrupted, so no storm outlives it.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const { values } = parseArgs({
  options: {
    minutes: { type: 'string', default: '5' },
    interval: { type: 'string', default: '10' },
    keep: { type: 'boolean', default: false },
  },
});
const minutes = Number(values.minutes);
const intervalS = Number(values.interval);
if (!(minutes > 0) || !(intervalS > 0)) {
  console.error('usage: node bench/soak.mjs [--minutes N] [--interval SECONDS] [--keep]');
  process.exit(2);
}
const repo = fileURLToPath(new URL('..', import.meta.url));
const cli = join(repo, 'packages/recorder/bin/scapkit.js');
const dir = mkdtempSync(join(tmpdir(), 'scapkit-soak-'));
const MiB = 1024 * 1024;

// Loaded into the recorder with --import: its main thread reports process.memoryUsage() on fd 3. Nothing
// in the recorder changes; the timer is unref'd so it never keeps the recorder alive.
const probeFile = join(dir, 'memory-probe.mjs');
writeFileSync(
  probeFile,
  `import { writeSync } from 'node:fs';
import { isMainThread } from 'node:worker_threads';
if (isMainThread) {
  const report = () => {
    try { writeSync(3, JSON.stringify({ t: Date.now(), ...process.memoryUsage() }) + '\\n'); } catch {}
  };
  setInterval(report, ${intervalS * 1000}).unref();
}
`,
);

// The jobs end with the workload whichever way it ends (the recorder stops its group at -M).
const workload = `
  trap 'kill $(jobs -p) 2>/dev/null' EXIT INT TERM
  dd if=/dev/zero of=/dev/null bs=1 count=100000000 2>/dev/null &
  ( while :; do sh -c 'true'; ls / > /dev/null; done ) &
  node -e '
    const net = require("node:net");
    const srv = net.createServer((s) => s.on("data", (d) => s.write(d))).listen(0, "127.0.0.1", () => {
      const c = net.connect(srv.address().port, "127.0.0.1");
      c.on("data", () => c.write("ping"));
      c.write("ping");
    });
  ' &
  sleep ${minutes * 60} & wait $!
  kill $(jobs -p) 2>/dev/null
`;

const rec = spawn(
  process.execPath,
  [
    '--import',
    probeFile,
    cli,
    'record',
    '-w',
    join(dir, 'soak.scap'),
    '-C',
    '64',
    '-W',
    '8',
    '-M',
    String(minutes * 60),
    '--',
    'bash',
    '-c',
    workload,
  ],
  { stdio: ['ignore', 'inherit', 'pipe', 'pipe'] },
);
let stderr = '';
rec.stderr.on('data', (d) => {
  stderr += d;
});

// The workload's process group: the recorder starts `bash` as the leader of a group of its own, so the
// group id is that bash's pid, a child of the recorder. Noted while it runs, checked after.
let workloadGroup;
const noteWorkloadGroup = () => {
  try {
    const kids = readFileSync(`/proc/${rec.pid}/task/${rec.pid}/children`, 'utf8').trim().split(/\s+/);
    if (kids[0]) workloadGroup ??= Number(kids[0]);
  } catch {}
};
const groupAlive = (g) => {
  try {
    process.kill(-g, 0);
    return true;
  } catch {
    return false;
  }
};
// The group's members that are not zombies (kill(-g, 0) also counts zombies that PID 1 has not reaped yet).
const liveMembers = (g) => {
  const out = [];
  for (const pid of readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'latin1');
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (Number(f[2]) === g && f[0] !== 'Z' && f[0] !== 'X')
        out.push(`${pid} ${stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'))} (${f[0]})`);
    } catch {}
  }
  return out;
};
// Interrupted: stop the recorder (which ends the workload's group), and kill the group directly in case
// the recorder is wedged.
const onSignal = (sig) => {
  noteWorkloadGroup();
  if (workloadGroup && groupAlive(workloadGroup)) process.kill(-workloadGroup, 'SIGKILL');
  rec.kill('SIGTERM');
  console.error(`soak: ${sig}: stopping the recorder and its workload`);
};
process.on('SIGINT', onSignal);
process.on('SIGTERM', onSignal);

const fmt = (b) => (b / MiB).toFixed(1).padStart(7);
const samples = [];
const t0 = Date.now();
console.log('    time      rss  heapUsed  heapTotal  external  arrayBuffers   (MiB)');
createInterface({ input: rec.stdio[3] }).on('line', (line) => {
  let m;
  try {
    m = JSON.parse(line);
  } catch {
    return;
  }
  noteWorkloadGroup();
  const s = { ...m, t: (m.t - t0) / 1000 };
  samples.push(s);
  console.log(
    `${s.t.toFixed(0).padStart(6)} s ${fmt(s.rss)}  ${fmt(s.heapUsed)}   ${fmt(s.heapTotal)}   ${fmt(s.external)}      ${fmt(s.arrayBuffers)}`,
  );
});

const code = await new Promise((resolve) => rec.on('exit', (c) => resolve(c)));
process.off('SIGINT', onSignal);
process.off('SIGTERM', onSignal);
console.log(`\nrecorder exit code ${code}`);
console.log(stderr.trim());

// The recorder ended the workload's group when -M stopped it; anything left is a bug: say so, and end it.
let workloadLeft = [];
if (workloadGroup) {
  for (let i = 0; i < 50; i++) {
    workloadLeft = liveMembers(workloadGroup);
    if (!workloadLeft.length) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  if (workloadLeft.length) {
    console.log(`WARNING: the workload outlived the recorder: ${workloadLeft.join(', ')}: killing it`);
    if (groupAlive(workloadGroup)) process.kill(-workloadGroup, 'SIGKILL');
  } else {
    console.log(`the workload (process group ${workloadGroup}) ended with the recorder`);
  }
}

const files = readdirSync(dir)
  .filter((f) => f.startsWith('soak.scap'))
  .sort();
let whole = 0;
let events = 0;
// A footer's drops are the recording's so far (cumulative), not the file's: the newest file has them all.
let drops = 0;
for (const f of files) {
  const r = spawnSync(process.execPath, [cli, 'info', '--json', join(dir, f)], { encoding: 'utf8' });
  if (r.status === 0 || r.status === 3) {
    const info = JSON.parse(r.stdout);
    events += info.events;
    drops = Math.max(drops, info.drops);
    if (!info.truncated) whole++;
  }
  console.log(`${f}: info exit ${r.status}`);
}
console.log(
  `\n${files.length} files kept, ${whole} read back whole; ${events} events in them; ` +
    `${drops} dropped over the whole recording (newest footer)`,
);

// The verdict. RSS = native memory + V8's heap (heapTotal) + external memory (mostly the batches V8 has not
// collected yet), and each part is judged the way it behaves:
// - native (rss - heapTotal - external): what a native leak or malloc fragmentation grows; max and median;
// - heapTotal and heapUsed: a JavaScript leak; max (V8 grows heapTotal in steps of ~16 MiB, once);
// - external: spiky by nature (one late GC holds tens of MiB of batches): median.
// Raw RSS is printed, not judged: its maximum is the instant a GC was due. Growth is judged in MiB, not in
// percent: a leak that has already inflated a figure would otherwise widen its own allowance.
const warmupS = Math.min(60, (minutes * 60) / 6);
const steady = samples.filter((s) => s.t >= warmupS);
const ALLOWED_MIB = 20;
let flat = false;
if (steady.length < 6) {
  console.log(`memory: too few samples after the ${warmupS} s warm-up (${steady.length}) for a verdict`);
} else {
  const third = Math.floor(steady.length / 3);
  const firstThird = steady.slice(0, third);
  const lastThird = steady.slice(-third);
  const max = (a) => Math.max(...a);
  const median = (a) => {
    const b = [...a].sort((x, y) => x - y);
    return b.length % 2 ? b[b.length >> 1] : (b[b.length / 2 - 1] + b[b.length / 2]) / 2;
  };
  const minutesApart = (median(lastThird.map((s) => s.t)) - median(firstThird.map((s) => s.t))) / 60;
  const native = (s) => s.rss - s.heapTotal - s.external;
  flat = true;
  for (const [name, get, how, stat, judged] of [
    ['rss', (s) => s.rss, 'max', max, false],
    ['rss', (s) => s.rss, 'median', median, false],
    ['native', native, 'max', max, true],
    ['native', native, 'median', median, true],
    ['heapTotal', (s) => s.heapTotal, 'max', max, true],
    ['heapUsed', (s) => s.heapUsed, 'max', max, true],
    ['external', (s) => s.external, 'median', median, true],
  ]) {
    const a = stat(firstThird.map(get)) / MiB;
    const b = stat(lastThird.map(get)) / MiB;
    const ok = b <= a + ALLOWED_MIB;
    if (judged) flat &&= ok;
    console.log(
      `memory ${name.padEnd(9)} ${how.padEnd(6)}: first third ${a.toFixed(1).padStart(6)} MiB, last third ` +
        `${b.toFixed(1).padStart(6)} MiB (${b >= a ? '+' : ''}${((b - a) / minutesApart).toFixed(1)} MiB/min)` +
        `${judged ? `: ${ok ? 'flat' : 'GROWING'}` : ' (shown, not judged)'}`,
    );
  }
  console.log(
    `memory verdict: ${flat ? 'FLAT' : 'NOT FLAT'} (${steady.length} samples after a ${warmupS} s warm-up; ` +
      `flat = each judged last-third figure <= the first third's + ${ALLOWED_MIB} MiB; ` +
      'native = rss - heapTotal - external)',
  );
}
if (!values.keep) rmSync(dir, { recursive: true, force: true });
else console.log(`files kept in ${dir}`);
process.exit(flat && whole === files.length && files.length > 0 && !workloadLeft.length ? 0 : 1);
