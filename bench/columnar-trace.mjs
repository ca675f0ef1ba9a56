// The trace the columnar benchmarks read: a recording of bench/columnar-workload.sh made here with the real
// probe (root and BTF needed), at least 3M events, kept in the temp directory between runs; or the trace
// SCAPKIT_BENCH_TRACE names.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repo = fileURLToPath(new URL('..', import.meta.url));
export const cli = join(repo, 'packages/recorder/bin/scapkit.js');

/** Events in a trace, from `scapkit info --json`. */
export function eventCount(path) {
  const r = spawnSync(process.execPath, [cli, 'info', path, '--json'], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`scapkit info ${path} failed: ${r.stderr}`);
  return JSON.parse(r.stdout).events;
}

/** The trace path, or undefined (with the reason printed) when none can be had here. */
export function benchTrace(minEvents = 3_000_000) {
  if (process.env.SCAPKIT_BENCH_TRACE) return process.env.SCAPKIT_BENCH_TRACE;
  const path = join(tmpdir(), 'scapkit-bench-columnar.scap');
  if (existsSync(path) && eventCount(path) >= minEvents) return path;
  if (process.getuid?.() !== 0) {
    console.log('skipped: recording the benchmark trace needs root (or set SCAPKIT_BENCH_TRACE to a trace)');
    return undefined;
  }
  for (let scale = 1; scale <= 8; scale *= 2) {
    const r = spawnSync(
      process.execPath,
      [cli, 'record', '-w', path, '-q', '--', 'sh', join(repo, 'bench/columnar-workload.sh'), String(scale)],
      { stdio: ['ignore', 'inherit', 'inherit'] },
    );
    if (r.status !== 0) throw new Error(`recording the benchmark trace failed (exit ${r.status})`);
    const n = eventCount(path);
    console.log(`recorded ${path}: ${n} events (workload scale ${scale})`);
    if (n >= minEvents) return path;
  }
  throw new Error(`the workload does not reach ${minEvents} events`);
}
