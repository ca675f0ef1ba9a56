// concatenatePaths against the cases of libs' own unit test (falcosecurity/libs,
// userspace/libsinsp/test/sinsp_utils.ut.cpp, TEST(sinsp_utils_test, concatenate_paths)): the expected
// values are libs', not this code's. Byte strings of the C++ test are decoded as UTF-8 first, as every path
// the engine sees is (invalid bytes become U+FFFD there, which libs' sanitizer does too).
import { describe, expect, it } from 'vitest';
import { concatenatePaths } from '../src/state/paths.js';

const utf8 = (bytes: number[]) => new TextDecoder().decode(new Uint8Array(bytes));
const text = (s: string) => [...Buffer.from(s, 'latin1')];
const R = '\uFFFD';

const CASES: [path1: string, path2: string, expected: string][] = [
  ['', '', ''],
  ['', '../', ''],
  ['', '..', ''],
  ['/', '../', '/'],
  ['a', '../', 'a..'],
  ['a/', '../', ''],
  ['', '/foo', '/foo'],
  ['foo/', '..//a', 'a'],
  ['/foo/', '..//a', '/a'],
  ['heolo', 'w////////////..//////.////////r.|', 'r.|'],
  ['heolo', 'w/////////////..//', ''],
  ['', './', ''],
  ['', 'dir/term', 'dir/term'],
  ['', '//dir/term', '/dir/term'],
  ['/', 'dir/term', '/dir/term'],
  ['', '///dir/term', '/dir/term'],
  ['', './dir/term', 'dir/term'],
  ['/', '//dir//////term', '/dir/term'],
  ['/', '/dir/term', '/dir/term'],
  ['../.../', 'dir/././././../../.../term/', '../.../term'],
  ['../.../', '/app/custom/dir/././././../../.../term/', '/app/.../term'],
  ['../.../', '/app/custom/dir/././././../../term/', '/app/term'],
  ['./app', 'custom/term', './appcustom/term'],
  ['/app', 'custom/term', '/appcustom/term'],
  ['app', 'custom/term', 'appcustom/term'],
  ['app/', 'custom/term', 'app/custom/term'],
  ['app/////', 'custom////term', 'app/////custom/term'],
  ['/', '/app/custom/dir/././././../../term/', '/app/term'],
  ['/', '////app', '/app'],
  ['/root/', '../😀', '/😀'],
  ['/root/', '../诶比西', '/诶比西'],
  ['/root/', '../АБВЙЛж', '/АБВЙЛж'],
  ['/root/', utf8([...text('../'), 0xff, 0xfe, ...text('/test')]), `/${R}${R}/test`],
  ['/root/', utf8([...text('../'), 0xc3, 0xa9, 0xff, ...text('/test')]), `/é${R}/test`],
  ['/root/', utf8([...text('../'), 0xc2, 0x85, ...text('/test')]), `/${R}/test`],
  ['/root/', utf8([...text('../'), 0x01, 0x1f, ...text('/test')]), `/${R}${R}/test`],
  ['/root/', utf8([...text('../'), 0xef, 0xb7, 0x90, ...text('/test')]), `/${R}/test`],
  ['/root/', utf8([...text('../'), 0xef, 0xbf, 0xbf, ...text('/test')]), `/${R}/test`],
  ['/root/', utf8([...text('../'), 0xf0, 0x9f, 0xbf, 0xbe, ...text('/test')]), `/${R}/test`],
  ['/root/', utf8([...text('../'), 0xe1, 0x80, ...text('/test')]), `/${R}/test`],
  ['/root/', utf8([...text('../'), 0xed, 0xa0, 0x80, ...text('/test')]), `/${R}${R}${R}/test`],
  ['/root/', utf8([...text('../'), 0xe0, 0x9f, 0xbf, ...text('/test')]), `/${R}${R}${R}/test`],
];

describe("concatenatePaths follows libs' concatenate_paths", () => {
  for (const [p1, p2, want] of CASES) {
    it(`${JSON.stringify(p1)} + ${JSON.stringify(p2)} → ${JSON.stringify(want)}`, () => {
      expect(concatenatePaths(p1, p2)).toBe(want);
    });
  }

  it('the paths the engine meets most: a file in the working directory, an absolute path, a dirfd', () => {
    expect(concatenatePaths('/home/u/', 'notes.txt')).toBe('/home/u/notes.txt');
    expect(concatenatePaths('/home/u/', '/etc/passwd')).toBe('/etc/passwd');
    expect(concatenatePaths('/usr/share/sysdig/', '/usr/share/sysdig/plugins/')).toBe(
      '/usr/share/sysdig/plugins',
    );
    expect(concatenatePaths('<UNKNOWN>', 'ssh_config')).toBe('<UNKNOWN>ssh_config');
    expect(concatenatePaths('/etc/ssh/', './ssh_config')).toBe('/etc/ssh/ssh_config');
  });
});

describe('concatenatePaths: the paths that take the one-pass check agree with the full sanitizer', () => {
  // Hidden names start with a dot but are not "." or "..": they must come out as they are.
  it.each([
    ['/root/', '.pyenv/versions/..x/.y', '/root/.pyenv/versions/..x/.y'],
    ['/root/', '.', '/root'],
    ['/root/', '..', '/'],
    ['/a/b/', '..', '/a'],
    ['/a/b/', 'c/..', '/a/b'],
    ['/a/b/', '.hidden/', '/a/b/.hidden'],
  ])('%j + %j → %j', (dir, path, want) => {
    expect(concatenatePaths(dir, path)).toBe(want);
  });
});
