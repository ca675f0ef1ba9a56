// opened-files against sysdig: the same opens, in the same order, with the same result and path as
// `sysdig -p '%evt.rawres|%evt.res|%evt.arg.name' 'proc.name=CMD and evt.type in (…) and evt.dir=<'`.
import { describe, expect, it } from 'vitest';
import { main } from '../opened-files.js';
import { capture, lines, run, sysdig } from './helpers.js';

function expected(name: string, command: string): string[] {
  const filter = `proc.name=${command} and evt.type in (open, openat, openat2, creat) and evt.dir=<`;
  return lines(sysdig(['-r', capture(name), '-p', '%evt.rawres|%evt.res|%evt.arg.name', filter])).map((l) => {
    const [raw, res, path] = l.split('|');
    // sysdig's evt.res is SUCCESS or the errno name; the example prints the fd, or -errno(NAME).
    return `${Number(raw) < 0 ? `${raw}(${res})` : raw} ${path}`;
  });
}

describe('opened-files', () => {
  for (const [name, command] of [
    ['cat_write.scap', 'cat'],
    ['curl_google.scap', 'curl'], // one open fails: ENOENT on ~/.curlrc
    ['open-multiple-files.scap', 'python'],
    ['write_tmp_test.scap', 'bash'],
  ] as const) {
    it(`lists what ${command} opened in ${name}`, async () => {
      const want = expected(name, command);
      expect(want.length).toBeGreaterThan(0);
      expect(lines(await run(main, [capture(name), command]))).toEqual(want);
    });
  }

  it('prints nothing for a command that opened nothing', async () => {
    expect(await run(main, [capture('cat_write.scap'), 'no-such-command'])).toBe('');
  });

  it('takes any command name as a literal, not as filter syntax', async () => {
    expect(await run(main, [capture('cat_write.scap'), 'cat or proc.name=bash'])).toBe('');
  });
});
