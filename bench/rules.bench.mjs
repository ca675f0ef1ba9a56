// `npm run bench rules`: what judging a trace with rules costs over reading it. On a scapkit recording of
// at least 3M events (recorded here with the real probe while tar reads /usr/share and /usr/lib, which
// opens, reads and closes every file there, then dd copies a byte at a time; kept in bench/.cache), the
// CPU time (user + sys) of
//   - `scapkit replay -r TRACE 'proc.name=nosuchprocess'` (a plain filtered replay: every event read and
//     through the state engine, nothing printed), and
//   - `scapkit detect -r TRACE` with scapkit's default ruleset, and with Falco's stock ruleset (when it
//     loads: it needs the container plugin's fields),
// interleaved, best of BENCH_RUNS (3), and the ratio detect / replay. The issue's bound: the stock ruleset
// adds at most 50% (ratio ≤ 1.5). Then what loading the stock ruleset costs on its own: `scapkit detect
// --validate` of it, less the same command on a one-list file (Node's and the CLI's start-up).
// SCAPKIT_RULES_TRACE=FILE: another recording (e.g. /work/bench-data/work.scap, the replay bench's).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = fileURLToPath(new URL('..', import.meta.url));
const cli = join(repo, 'packages/recorder/bin/scapkit.js');
const cache = join(repo, 'bench/.cache');
// $SCAPKIT_RULES_TRACE: another recording (the 9.47M-event mixed one of packages/rules/README.md).
const trace = process.env.SCAPKIT_RULES_TRACE ?? join(cache, 'rules-3m.scap');
const stock = join(repo, '../shared/reference/falco/falco_rules.yaml');
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const EVENTS = 3_200_000;

if (!existsSync(trace)) {
  if (process.getuid?.() !== 0) {
    console.log(`skipped: ${trace} is missing and recording it needs root (the probe)`);
    process.exit(0);
  }
  mkdirSync(cache, { recursive: true });
  console.log(`recording ${EVENTS} events into ${trace} (tar of /usr/share and /usr/lib, then dd)…`);
  const work = `tar -cf /dev/null /usr/share /usr/lib 2>/dev/null; dd if=/dev/zero of=/dev/null bs=1 count=${EVENTS} 2>/dev/null`;
  const r = spawnSync(
    process.execPath,
    [cli, 'record', '-q', '-w', trace, '-n', String(EVENTS), '--', 'sh', '-c', work],
    {
      stdio: ['ignore', 'inherit', 'inherit'],
    },
  );
  if (r.status !== 0 && r.status !== 3) {
    console.log(`recording failed (exit ${r.status})`);
    process.exit(1);
  }
}

/**
 * CPU ms (user + sys) and peak RSS of `scapkit ARGS`, from GNU time; output to /dev/null. Serial replay
 * (SCAPKIT_SEGMENTS=0), as detect reads: on an idle machine replay would otherwise split the trace over
 * segment workers, which costs it more CPU and would flatter the ratio.
 */
function measure(args) {
  const r = spawnSync('/usr/bin/time', ['-f', '%M %U %S', process.execPath, cli, ...args], {
    env: { ...process.env, TZ: 'UTC', SCAPKIT_SEGMENTS: '0' },
    stdio: ['ignore', 'ignore', 'pipe'],
    encoding: 'utf8',
  });
  if (r.status !== 0) return { error: `exit ${r.status}: ${r.stderr.split('\n').slice(-6).join('\n')}` };
  const lines = r.stderr.trim().split('\n');
  const [rss, user, sys] = lines.at(-1).split(' ').map(Number);
  return { cpu: (user + sys) * 1000, rss, stderr: lines.slice(0, -1).join('\n') };
}

const info = spawnSync(process.execPath, [cli, 'info', trace, '--json'], { encoding: 'utf8' });
const events = JSON.parse(info.stdout).events;
console.log(
  `trace: ${trace}, ${events} events, ${(statSync(trace).size / 2 ** 20).toFixed(0)} MiB; best of ${RUNS}, CPU time`,
);

const cases = [
  { name: 'replay (filter matching nothing)', args: ['replay', '-r', trace, 'proc.name=nosuchprocess'] },
  { name: 'detect, default ruleset', args: ['detect', '-r', trace] },
  { name: 'detect, Falco stock ruleset', args: ['detect', '-r', trace, '--rules', stock] },
];
const best = new Map(cases.map((c) => [c.name, { cpu: Number.POSITIVE_INFINITY, rss: 0 }]));
for (let i = 0; i < RUNS; i++) {
  for (const c of cases) {
    const m = measure(c.args);
    const b = best.get(c.name);
    if (m.error) {
      b.error = m.error;
      continue;
    }
    b.cpu = Math.min(b.cpu, m.cpu);
    b.rss = Math.max(b.rss, m.rss);
    if (i === 0 && c.name.startsWith('detect')) b.alerts = /Events detected: (\d+)/.exec(m.stderr)?.[1];
  }
}
const base = best.get(cases[0].name);
for (const c of cases) {
  const b = best.get(c.name);
  if (b.error) {
    console.log(`${c.name.padEnd(34)} did not run: ${b.error}`);
    continue;
  }
  const ratio = b.cpu / base.cpu;
  console.log(
    `${c.name.padEnd(34)} ${b.cpu.toFixed(0).padStart(7)} ms CPU  ${(b.rss / 1024).toFixed(0).padStart(5)} MiB peak` +
      `${c === cases[0] ? '' : `  ratio ${ratio.toFixed(2)}x (+${((ratio - 1) * 100).toFixed(0)}%)${b.alerts !== undefined ? `, ${b.alerts} alerts` : ''}`}`,
  );
}

// Loading alone: the stock file against a file with one list, interleaved, best of RUNS.
const tmp = mkdtempSync(join(tmpdir(), 'rules-bench-'));
const minimal = join(tmp, 'one-list.yaml');
writeFileSync(minimal, '- list: one\n  items: [a]\n');
let stockLoad = Number.POSITIVE_INFINITY;
let minLoad = Number.POSITIVE_INFINITY;
for (let i = 0; i < RUNS * 2; i++) {
  stockLoad = Math.min(stockLoad, measure(['detect', '--validate', stock]).cpu ?? Number.POSITIVE_INFINITY);
  minLoad = Math.min(minLoad, measure(['detect', '--validate', minimal]).cpu ?? Number.POSITIVE_INFINITY);
}
rmSync(tmp, { recursive: true, force: true });
console.log(
  `loading the stock ruleset (detect --validate, less a one-list file): ${(stockLoad - minLoad).toFixed(0)} ms CPU ` +
    `(${stockLoad.toFixed(0)} - ${minLoad.toFixed(0)})`,
);
