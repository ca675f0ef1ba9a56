// `npm run bench differential`: the state engine on traces scapkit records, against sysdig 0.29.3 (issue
// #17). Two recordings made with the real probe: the differential workload (packages/replay/test/
// differential/workload.sh) and the whole box for $SCAPKIT_DIFF_SECONDS seconds (default 60). Each is
// exported with `--format scap`; `scapkit replay -p STATE` is compared line by line with `sysdig -r -p STATE`
// on the export, and scapkit's replay of the native trace with its replay of the export. Prints the
// identical-line percentage (allowed sysdig defects counted as identical, and listed) by process and by
// column. Needs root, BTF and sysdig. $SCAPKIT_DIFF_KEEP=1 keeps the traces and outputs (printed path).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = fileURLToPath(new URL('..', import.meta.url));
const bin = join(repo, 'packages/recorder/bin/scapkit.js');
const workload = join(repo, 'packages/replay/test/differential/workload.sh');
const { checkTrace, formatReport, identicalPercent } = await import(
  join(repo, 'packages/replay/test/differential/differential.mjs')
);

if (process.getuid?.() !== 0) {
  console.log('skipped: recording needs root (and a kernel with BTF)');
  process.exit(0);
}
if (!existsSync('/usr/bin/sysdig')) {
  console.log('skipped: sysdig is not installed (apt-get install sysdig)');
  process.exit(0);
}
const seconds = Number(process.env.SCAPKIT_DIFF_SECONDS ?? 60);
const dir = mkdtempSync(join(tmpdir(), 'scapkit-differential-'));

function record(name, args) {
  const trace = join(dir, name, 'trace.scap');
  spawnSync('mkdir', ['-p', join(dir, name)]);
  const r = spawnSync(process.execPath, [bin, 'record', '-q', '-w', trace, ...args], { stdio: 'inherit' });
  if (r.status !== 0 && r.status !== 3)
    throw new Error(`scapkit record ${args.join(' ')} exited ${r.status}`);
  return trace;
}

const runs = [
  { name: 'workload', what: 'the differential workload', args: ['--', 'bash', workload] },
  { name: 'box', what: `the whole box for ${seconds} s`, args: ['-M', String(seconds)] },
];
const summary = [];
for (const run of runs) {
  const trace = record(run.name, run.args);
  const t0 = Date.now();
  const r = await checkTrace({ bin, trace, dir: join(dir, run.name) });
  console.log(`\n== ${run.what} (compared in ${((Date.now() - t0) / 1000).toFixed(0)} s)`);
  console.log(formatReport(r.sysdig));
  console.log(formatReport(r.native));
  summary.push(
    `${run.what.padEnd(32)} vs sysdig ${identicalPercent(r.sysdig).toFixed(3)}% of ${r.sysdig.total} lines; ` +
      `native vs export ${identicalPercent(r.native).toFixed(3)}%`,
  );
}
console.log(`\n== identical lines (target 99.9%)\n${summary.join('\n')}`);
if (process.env.SCAPKIT_DIFF_KEEP === '1') console.log(`kept in ${dir}`);
else rmSync(dir, { recursive: true, force: true });
