// syscalls-by-process against sysdig: for every process name, as many exit events as
// `sysdig -r X -p '*%proc.name' 'evt.dir=<'` prints (sysdig's own state engine names the processes).
import { describe, expect, it } from 'vitest';
import { main } from '../syscalls-by-process.js';
import { capture, lines, run, sysdig } from './helpers.js';

/** Counts by name from sysdig's one-name-per-event output. */
function sysdigCounts(name: string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const n of lines(sysdig(['-r', capture(name), '-p', '*%proc.name', 'evt.dir=<']))) {
    counts.set(n, (counts.get(n) ?? 0) + 1);
  }
  return counts;
}

/** The example's table back into a map (first line is the heading). */
function parse(out: string): Map<string, number> {
  const [heading, ...rows] = lines(out);
  expect(heading).toMatch(/^# Calls\s+Process$/);
  return new Map(
    rows.map((r) => {
      const m = /^(\d+)\s+(.*)$/.exec(r);
      if (!m) throw new Error(`bad row: ${r}`);
      return [m[2]!, Number(m[1])] as const;
    }),
  );
}

describe('syscalls-by-process', () => {
  // cat_write: one process, old enter/exit layout; run_as_user_0_container: many processes in containers,
  // 61 event types; single_ipv6_conn: threads missing from the process table (named <NA> by sysdig).
  for (const name of ['cat_write.scap', 'run_as_user_0_container.scap', 'single_ipv6_conn.scap']) {
    it(`counts ${name} as sysdig does`, async () => {
      const got = parse(await run(main, [capture(name)]));
      expect(got).toEqual(sysdigCounts(name));
      expect(got.size).toBeGreaterThan(0);
    });
  }

  it('lists the busiest process first', async () => {
    const rows = lines(await run(main, [capture('run_as_user_0_container.scap')])).slice(1);
    const n = rows.map((r) => Number(r.split(/\s+/)[0]));
    expect(n).toEqual([...n].sort((a, b) => b - a));
  });
});
