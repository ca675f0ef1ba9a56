// `npm run soak -- --minutes N`: a long recording of a mixed workload (a syscall storm, process churn,
// loopback network traffic) with rotation. Prints the recorder's memory every 10 s (it must stay flat),
// then events, drops, and whether every file reads back whole. A benchmark, not a test: run it by hand
// or on a schedule; it needs root.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const { values } = parseArgs({
  options: { minutes: { type: 'string', default: '5' }, keep: { type: 'boolean', default: false } },
});
const minutes = Number(values.minutes);
const repo = fileURLToPath(new URL('..', import.meta.url));
const cli = join(repo, 'packages/recorder/bin/scapkit.js');
const dir = mkdtempSync(join(tmpdir(), 'scapkit-soak-'));

// The jobs end with the workload whichever way it ends (the recorder stops it with SIGTERM at -M).
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
    cli,
    'record',
    '-q',
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
  {
    stdio: ['ignore', 'inherit', 'pipe'],
  },
);
let stderr = '';
rec.stderr.on('data', (d) => (stderr += d));

const rssKb = (pid) => {
  try {
    return Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0);
  } catch {
    return 0;
  }
};
const samples = [];
const t0 = Date.now();
const timer = setInterval(() => {
  const kb = rssKb(rec.pid);
  if (!kb) return;
  samples.push(kb);
  console.log(
    `${((Date.now() - t0) / 1000).toFixed(0).padStart(5)} s  recorder RSS ${(kb / 1024).toFixed(1)} MiB`,
  );
}, 10_000);

const code = await new Promise((resolve) => rec.on('exit', (c) => resolve(c)));
clearInterval(timer);
console.log(`\nrecorder exit code ${code}`);
console.log(stderr.trim());

const files = readdirSync(dir)
  .filter((f) => f.startsWith('soak.scap'))
  .sort();
let whole = 0;
let events = 0;
let drops = 0;
for (const f of files) {
  const r = spawnSync(process.execPath, [cli, 'info', '--json', join(dir, f)], { encoding: 'utf8' });
  if (r.status === 0 || r.status === 3) {
    const info = JSON.parse(r.stdout);
    events += info.events;
    drops += info.drops;
    if (!info.truncated) whole++;
  }
  console.log(`${f}: info exit ${r.status}`);
}
const first = samples.slice(0, Math.max(1, Math.floor(samples.length / 4)));
const last = samples.slice(-Math.max(1, Math.floor(samples.length / 4)));
const avg = (a) => a.reduce((x, y) => x + y, 0) / a.length / 1024;
console.log(
  `\n${files.length} files kept, ${whole} read back whole; ${events} events in them, ${drops} dropped (by footer)`,
);
if (samples.length) {
  console.log(
    `recorder RSS: first quarter ${avg(first).toFixed(1)} MiB, last quarter ${avg(last).toFixed(1)} MiB, ` +
      `max ${(Math.max(...samples) / 1024).toFixed(1)} MiB (growth ratio ${(avg(last) / avg(first)).toFixed(2)})`,
  );
}
if (!values.keep) rmSync(dir, { recursive: true, force: true });
else console.log(`files kept in ${dir}`);
process.exit(whole === files.length && files.length > 0 ? 0 : 1);
