// `scapkit record` flags that cannot work together are refused as bad usage (exit 2) before anything is
// loaded or created: no root needed to see it.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { scapkit, tempDir } from './support/cli.js';

const tmp = tempDir('scapkit-record-usage-');
afterAll(() => tmp.cleanup());

describe('scapkit record: rotation flags', () => {
  it.each([
    [['-C', '5'], /-C start new trace files: they need -w FILE/],
    [['-G', '60'], /-G start new trace files: they need -w FILE/],
    [['-e', '1000'], /-e start new trace files: they need -w FILE/],
    [['-C', '5', '-W', '3'], /-C, -W start new trace files: they need -w FILE/],
  ])('%j without -w is bad usage (it was silently ignored)', async (flags, said) => {
    const r = await scapkit(['record', ...flags, '-M', '1']);
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toMatch(said);
    expect(r.stderr).not.toMatch(/internal error/);
  });

  it.each([
    [['-W', '2'], /-W needs -C, -G or -e/],
    [['-e', '0'], /-e needs a number above 0/],
    [['-e', '2.5'], /-e needs a whole number of events/],
    [['-C', '-1'], /-C needs a number above 0/],
    [['-e', '10', '-W', '0'], /-W needs a whole number of files above 0/],
  ])('%j is bad usage, and no file is created', async (flags, said) => {
    const file = join(tmp.dir, 'x.scap');
    const r = await scapkit(['record', '-w', file, ...flags, '-M', '1']);
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toMatch(said);
    expect(existsSync(file)).toBe(false);
  });
});

describe('scapkit record: live output flags', () => {
  it('an unknown field in -p (with or without -j) is bad usage naming the field', async () => {
    for (const flags of [
      ['-p', '%proc.nmae'],
      ['-j', '-p', '%proc.nmae'],
    ]) {
      const r = await scapkit(['record', ...flags, '-M', '1']);
      expect(r.code, r.stderr).toBe(2);
      expect(r.stderr).toMatch(/bad output format \(-p\): .*'%proc\.nmae': unknown field/);
      expect(r.stderr).not.toMatch(/internal error|\n\s+at /);
    }
  });
});
