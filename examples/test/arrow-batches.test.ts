// arrow-batches against `scapkit replay`: the bytes each process read and wrote equal the sums of what
// `scapkit replay -p '%proc.name|%evt.io_dir|%evt.buflen' 'evt.is_io=true and evt.dir=<'` prints (sysdig
// 0.29.3 is no reference here: it matches almost none of these events with evt.is_io and evt.dir).
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { main } from '../arrow-batches.js';
import { capture, lines, run } from './helpers.js';

const bin = fileURLToPath(new URL('../../packages/recorder/bin/scapkit.js', import.meta.url));

function expected(name: string): Map<string, { read: number; written: number }> {
  const totals = new Map<string, { read: number; written: number }>();
  const printed = execFileSync(
    process.execPath,
    [
      bin,
      'replay',
      '-r',
      capture(name),
      '-p',
      '%proc.name|%evt.io_dir|%evt.buflen',
      'evt.is_io=true and evt.dir=<',
    ],
    { encoding: 'utf8', maxBuffer: 1 << 28 },
  );
  for (const l of lines(printed)) {
    const [proc, dir, n] = l.split('|');
    if (n === undefined || n === '<NA>' || n === '') continue;
    const t = totals.get(proc!) ?? { read: 0, written: 0 };
    t[dir === 'write' ? 'written' : 'read'] += Number(n);
    totals.set(proc!, t);
  }
  return totals;
}

describe('arrow-batches', () => {
  for (const name of ['cat_write.scap', 'curl_google.scap', 'capture.scap']) {
    it(`sums the bytes per process of ${name} as replay prints them`, async () => {
      const want = expected(name);
      expect(want.size).toBeGreaterThan(0);
      const got = new Map(
        lines(await run(main, [capture(name)])).map((l) => {
          const m = /^(.*?)\s+read (\d+)\s+written (\d+)$/.exec(l)!;
          return [m[1]!, { read: Number(m[2]), written: Number(m[3]) }] as const;
        }),
      );
      expect(got).toEqual(want);
    });
  }
});
