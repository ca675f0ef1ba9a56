// `npm run bench state`: what the state engine costs per event (StateEngine.process), in CPU ns, on a trace
// held in memory, against its peer in the same run: a loop that only positions the event view and reads
// the event type (the floor any per-event work starts from). Rounds alternate engine and floor so load on
// the machine hits both alike; the median of each is printed with their ratio.
//
// The trace: $SCAPKIT_STATE_TRACE (for instance a 9.5M-event `scapkit record -w big.scap -- work.sh`), else a
// mixed workload recorded here for $SCAPKIT_STATE_SECONDS seconds (default 15; needs root and BTF).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = fileURLToPath(new URL('..', import.meta.url));
const cli = join(repo, 'packages/recorder/bin/scapkit.js');
const { openCaptureFile } = await import(join(repo, 'packages/scap-format/dist/node/index.js'));
const { EventView } = await import(join(repo, 'packages/scap-format/dist/index.js'));
const { StateEngine } = await import(join(repo, 'packages/replay/dist/index.js'));
const ROUNDS = Number(process.env.BENCH_RUNS ?? 5);

let trace = process.env.SCAPKIT_STATE_TRACE;
let scratch;
if (!trace) {
  if (process.getuid?.() !== 0) {
    console.log('skipped: set SCAPKIT_STATE_TRACE to a trace, or run as root to record one');
    process.exit(0);
  }
  scratch = mkdtempSync(join(tmpdir(), 'scapkit-state-bench-'));
  trace = join(scratch, 'mixed.scap');
  const seconds = Number(process.env.SCAPKIT_STATE_SECONDS ?? 15);
  // Directory walks and file reads, archives, short-lived processes: the events state follows most.
  const work = `end=$((SECONDS+${seconds}))
( while [ $SECONDS -lt $end ]; do find /usr/lib -type f 2>/dev/null | head -3000 | xargs cat > /dev/null 2>&1; done ) &
( while [ $SECONDS -lt $end ]; do tar cf - /usr/share/doc 2>/dev/null > /dev/null; done ) &
( while [ $SECONDS -lt $end ]; do sh -c 'id; date' > /dev/null; done ) &
wait`;
  const r = spawnSync(process.execPath, [cli, 'record', '-q', '-w', trace, '--', 'bash', '-c', work], {
    stdio: 'inherit',
  });
  if (r.status !== 0 && r.status !== 3) throw new Error(`recording failed (${r.status})`);
}
if (!existsSync(trace)) throw new Error(`${trace} does not exist`);

// Every batch copied out of the reader (it reuses its buffers), metadata records kept in order.
const records = [];
let events = 0;
for await (const r of openCaptureFile(trace)) {
  if (r.kind === 'metadata') records.push(r);
  else if (r.kind === 'events') {
    const b = r.batch;
    records.push({
      kind: 'events',
      batch: { data: b.data.slice(), offsets: b.offsets.slice(0, b.count), count: b.count },
    });
    events += b.count;
  }
}

const cpuNs = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) * 1000;
};

function engineRound() {
  const engine = new StateEngine();
  const v = new EventView();
  const t0 = cpuNs();
  for (const r of records) {
    if (r.kind === 'metadata') engine.reset(r.metadata);
    else for (let i = 0; i < r.batch.count; i++) engine.process(v.at(r.batch, i));
  }
  return (cpuNs() - t0) / events;
}

function floorRound() {
  const v = new EventView();
  let sum = 0;
  const t0 = cpuNs();
  for (const r of records) {
    if (r.kind !== 'events') continue;
    for (let i = 0; i < r.batch.count; i++) sum += v.at(r.batch, i).type;
  }
  const ns = (cpuNs() - t0) / events;
  if (sum < 0) console.log(sum); // keeps the loop from being optimized away
  return ns;
}

const median = (a) => a.slice().sort((x, y) => x - y)[a.length >> 1];
engineRound(); // warm-up
const engine = [];
const floor = [];
for (let k = 0; k < ROUNDS; k++) {
  floor.push(floorRound());
  engine.push(engineRound());
}
console.log(`${trace}: ${events.toLocaleString('en')} events, ${ROUNDS} rounds (CPU time, median)`);
console.log(
  `StateEngine.process   ${median(engine).toFixed(1).padStart(7)} ns/event  (rounds ${engine.map((x) => x.toFixed(0)).join(' ')})`,
);
console.log(`floor (view + type)   ${median(floor).toFixed(1).padStart(7)} ns/event`);
console.log(`ratio engine/floor    ${(median(engine) / median(floor)).toFixed(1).padStart(7)}x`);
if (scratch) rmSync(scratch, { recursive: true, force: true });
