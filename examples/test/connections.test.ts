// connections against sysdig: per connection, the bytes in and out that sysdig's own state engine
// attributes to it (`sysdig -r X -p '%fd.name %evt.is_io_read %evt.rawres' FILTER`, summed here).
import { describe, expect, it } from 'vitest';
import { main } from '../connections.js';
import { capture, lines, run, sysdig } from './helpers.js';

const FILTER = 'evt.is_io=true and evt.dir=< and fd.type in (ipv4, ipv6) and evt.rawres>0';

function sysdigTotals(name: string): Map<string, [number, number]> {
  const totals = new Map<string, [number, number]>();
  for (const l of lines(
    sysdig(['-r', capture(name), '-p', '%evt.is_io_read %evt.rawres %fd.name', FILTER]),
  )) {
    const [read, n, ...rest] = l.split(' ');
    const key = rest.join(' ');
    const t = totals.get(key) ?? [0, 0];
    t[read === 'true' ? 0 : 1] += Number(n);
    totals.set(key, t);
  }
  return totals;
}

describe('connections', () => {
  for (const name of ['curl_google.scap', 'single_ipv6_conn.scap']) {
    it(`sums the bytes of every connection in ${name} as sysdig does`, async () => {
      const [heading, ...rows] = lines(await run(main, [capture(name)]));
      expect(heading).toMatch(/^# In\s+Out\s+Proto\s+Process\s+Connection$/);
      const got = new Map(
        rows.map((r) => {
          const m = /^(\d+)\s+(\d+)\s+\S+\s+\S+\s+(.*)$/.exec(r)!;
          return [m[3]!, [Number(m[1]), Number(m[2])] as [number, number]] as const;
        }),
      );
      const want = sysdigTotals(name);
      expect(want.size).toBeGreaterThan(0);
      expect(got).toEqual(want);
    });
  }
});
