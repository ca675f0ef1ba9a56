// to-csv against sysdig: the same rows as `sysdig -D -p '%evt.num,%evt.rawtime,%thread.tid,%evt.type,%evt.dir'`
// (-D: internal events too, as the CSV has every event), and as many rows as SOURCES.md counts events.
import { describe, expect, it } from 'vitest';
import { main } from '../to-csv.js';
import { capture, lines, run, sourcesEventCount, sysdig } from './helpers.js';

const FORMAT = '%evt.num,%evt.rawtime,%thread.tid,%evt.type,%evt.dir';

describe('to-csv', () => {
  // cat_write: gzip, old 22-byte headers; ping_sendto: section 1.2, EV_V2 blocks.
  for (const name of ['cat_write.scap', 'ping_sendto.scap']) {
    it(`writes ${name} as sysdig -D lists it`, async () => {
      const csv = lines(await run(main, [capture(name)]));
      expect(csv[0]).toBe('evt.num,ts,tid,type,dir');
      const rows = csv.slice(1);
      expect(rows).toHaveLength(sourcesEventCount(name));
      expect(rows).toEqual(lines(sysdig(['-D', '-r', capture(name), '-p', FORMAT])));
    });
  }

  it('fails with a usage error without a capture', async () => {
    await expect(run(main, [])).rejects.toThrow(/usage: to-csv/);
  });
});
