// sysdig's everyday flags (src/flags.ts) against what Debian's sysdig 0.29.3 printed for the same
// arguments: fixtures/sysdig-flags/cases.json lists the cases, make-goldens.mjs beside it ran sysdig and
// wrote the goldens. The CLI's main() runs in this process (its stdout handed to a collector), so every
// case goes through what a user types: the argument splitting, the fast path or yargs, the printer.
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { afterAll, describe, expect, test } from 'vitest';
import { walkSysdig } from '../../../fuzz/lib/walk.mjs';
import { CAPTURES_DIR } from '../../../test/support/captures.mjs';
import { HAVE_SYSDIG } from '../../../test/support/machine.mjs';
import { KNOWN_DIFFERENCES } from '../../replay/test/support/sysdig-differences.js';
import { fastReplayArgs, main } from '../src/cli.js';
import { PRINT_FLAGS, REPLAY_FLAGS, splitGluedValues } from '../src/flags.js';
import { setStdout, TextOutput } from '../src/output.js';

process.env.TZ = 'UTC';

const repo = fileURLToPath(new URL('../../../', import.meta.url));
const fixtures = fileURLToPath(new URL('./fixtures/sysdig-flags/', import.meta.url));
const captures = CAPTURES_DIR;
const haveCaptures = existsSync(captures);
const bin = join(repo, 'packages/recorder/bin/scapkit.js');

interface Case {
  name: string;
  args: string[];
  on: string | string[];
  stderr?: boolean;
}
interface Manifest {
  sets: Record<string, string[]>;
  cases: Case[];
  exportE: string[];
}
const manifest = JSON.parse(readFileSync(join(fixtures, 'cases.json'), 'utf8')) as Manifest;
const capturesOf = (on: Case['on']) => [...new Set([on].flat().flatMap((n) => manifest.sets[n] ?? [n]))];
const cap = (name: string) => join(captures, `${name}.scap`);

/** A golden file, gunzipped when it is stored as .gz. */
function golden(file: string): string {
  const p = join(fixtures, file);
  return existsSync(p) ? readFileSync(p, 'utf8') : gunzipSync(readFileSync(`${p}.gz`)).toString('utf8');
}

interface Run {
  code: number;
  stdout: string;
  stderr: string;
  /** The writes stdout received. */
  chunks: number;
}

/** `scapkit ARGS` in this process: main() with stdout and stderr collected. */
async function scapkit(args: string[]): Promise<Run> {
  const out: Buffer[] = [];
  const err: string[] = [];
  setStdout(
    new Writable({
      write(chunk: Buffer, _enc, cb) {
        out.push(Buffer.from(chunk));
        cb();
      },
    }),
  );
  const stderrWrite = process.stderr.write;
  process.stderr.write = ((s: string | Uint8Array) => {
    err.push(typeof s === 'string' ? s : Buffer.from(s).toString('utf8'));
    return true;
  }) as typeof process.stderr.write;
  try {
    const code = await main(args);
    return { code, stdout: Buffer.concat(out).toString('utf8'), stderr: err.join(''), chunks: out.length };
  } finally {
    process.stderr.write = stderrWrite;
    setStdout(undefined);
  }
}

/** The built CLI in a process of its own (bundle, code cache and fast path as users run them). */
function scapkitBin(args: string[]): Promise<Omit<Run, 'chunks'>> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [bin, ...args],
      { env: { ...process.env, TZ: 'UTC' }, maxBuffer: 1 << 28 },
      (e, stdout, stderr) => {
        resolve({ code: e ? (typeof e.code === 'number' ? e.code : 1) : 0, stdout, stderr });
      },
    );
  });
}

/**
 * Documented differences (differences-from-sysdig.md) that only captures beyond the ten reference ones
 * show, as rewrites of sysdig's line; each must rewrite a line of the goldens it names (`CAPTURE.CASE`).
 */
const MORE_DIFFERENCES = [
  {
    id: 'renamed-generic-syscalls (section 4)',
    appliesTo: ['run_as_user_0_container.pc', 'run_as_user_0_container.pk'],
    rewrite: (l: string) => l.replace(/ ([<>]) sigreturn( |$)/, ' $1 rt_sigreturn$2'),
  },
];

/** sysdig's lines with the documented differences applied (sysdig-differences.ts, MORE_DIFFERENCES). */
function expectedLines(text: string, json: boolean, golden = ''): string[] {
  const more = MORE_DIFFERENCES.filter((d) => d.appliesTo.includes(golden));
  let rewritten = 0;
  const lines = text.split('\n').map((l) => {
    const known = KNOWN_DIFFERENCES.reduce((s, d) => d.rewrite(s, json ? 'jsonl' : 'default.txt'), l);
    const out = more.reduce((s, d) => d.rewrite(s), known);
    if (out !== known) rewritten++;
    return out;
  });
  if (more.length > 0) expect(rewritten, `stale: ${more.map((d) => d.id)} on ${golden}`).toBeGreaterThan(0);
  return lines;
}

/** Equal line for line; on a difference, the first one and how many there are. */
function expectSameLines(ours: string, expected: string[]): void {
  const got = ours.split('\n');
  const diffs: number[] = [];
  for (let i = 0; i < Math.max(got.length, expected.length); i++) if (got[i] !== expected[i]) diffs.push(i);
  if (diffs.length === 0) return;
  const i = diffs[0]!;
  expect.fail(
    `${diffs.length} line(s) differ (${got.length} lines, sysdig ${expected.length}); first at line ${i + 1}:\n` +
      `  scapkit: ${got[i]?.slice(0, 400)}\n  sysdig:  ${expected[i]?.slice(0, 400)}`,
  );
}

const tmp = mkdtempSync(join(tmpdir(), 'scapkit-flags-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe.skipIf(!haveCaptures)('replay flags print what sysdig 0.29.3 prints', () => {
  for (const c of manifest.cases) {
    for (const capture of capturesOf(c.on)) {
      test(`${capture}: ${c.args.join(' ')}`, async () => {
        const r = await scapkit(['replay', '-r', cap(capture), ...c.args]);
        expect(r.stderr.startsWith('scapkit:'), r.stderr).toBe(false);
        expect(r.code).toBe(0);
        const json = c.args.includes('-j');
        const name = `${capture}.${c.name}`;
        expectSameLines(r.stdout, expectedLines(golden(`${name}.txt`), json, name));
        if (c.stderr) {
          // -v's closing lines; the CPU time and the rate are this run's.
          const mask = (s: string) => s.replace(/Elapsed time: [\d.]+/, 'T').replace(/[\d.]+ eps/, 'R');
          expect(mask(r.stderr)).toBe(mask(golden(`${capture}.${c.name}.stderr.txt`)));
        }
      });
    }
  }

  test('-L lists the event types as sysdig -L', async () => {
    const r = await scapkit(['replay', '-L']);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(golden('list-events.txt'));
  });

  test("--list-markdown: sysdig's layout, every field of -l once, in the class sysdig puts it", async () => {
    const md = await scapkit(['replay', '--list-markdown']);
    const list = await scapkit(['replay', '-l']);
    expect(md.code).toBe(0);
    const sections = (text: string) => {
      const out: { heading: string; lines: string[] }[] = [];
      for (const l of text.split('\n')) {
        if (l.startsWith('## Field Class: ')) out.push({ heading: l, lines: [] });
        else out.at(-1)?.lines.push(l);
      }
      return out;
    };
    const ours = sections(md.stdout);
    const theirs = sections(golden('list-markdown.txt'));
    const classOf = new Map<string, string>();
    for (const s of theirs) {
      for (const l of s.lines) {
        const m = /^`([^`]+)` \| /.exec(l);
        if (m) classOf.set(m[1]!, s.heading);
      }
    }
    // Each section: blank line, description, blank line, the table header, as sysdig prints them.
    const theirHeads = new Map(theirs.map((s) => [`${s.heading}|${s.lines[1]}`, s.lines.slice(0, 5)]));
    const names: string[] = [];
    let shared = 0;
    for (const s of ours) {
      const head = theirHeads.get(`${s.heading}|${s.lines[1]}`);
      if (head) expect(s.lines.slice(0, 5)).toEqual(head);
      for (const l of s.lines.slice(5)) {
        if (l === '') continue;
        const m = /^`([^`]+)` \| [A-Z0-9_]+ \| .+$/.exec(l);
        expect(m, l).not.toBeNull();
        names.push(m![1]!);
        const theirClass = classOf.get(m![1]!);
        if (theirClass !== undefined) {
          expect(s.heading, m![1]).toBe(theirClass);
          shared++;
        }
      }
    }
    // The sections come in sysdig's order.
    const order = theirs.map((s) => s.heading);
    const positions = ours.map((s) => order.indexOf(s.heading)).filter((p) => p >= 0);
    expect(positions).toEqual([...positions].sort((a, b) => a - b));
    const listed = list.stdout
      .split('\n')
      .filter(Boolean)
      .map((l) => l.split(/\s+/)[0]!.replace(/\[ARG\??\]$/, ''));
    expect(names.sort()).toEqual(listed.sort());
    expect(shared).toBeGreaterThan(100);
  });
});

describe.skipIf(!haveCaptures)('bad flag values are usage errors (exit 2)', () => {
  const catWrite = () => cap('cat_write');
  test.each([
    [['-t', 'x'], '-t x: the time forms are h'],
    [['-tx'], '-t x: the time forms are h'],
    [['-A', '-x'], '-A and -x both choose how buffers print'],
    [['-x', '-b', '-j'], '-x and -b both choose how buffers print'],
    [['-p', '%evt.nosuchfield'], "invalid formatting token '%evt.nosuchfield'"],
    [['-c', 'topprocs_net', '20'], "chisel topprocs_net takes no arguments, so '20' was read as a filter"],
  ])('replay %j', async (args, message) => {
    const r = await scapkit(['replay', '-r', catWrite(), ...args]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain(message);
    expect(r.stderr).not.toContain('internal error');
  });

  test('the built CLI (fast path) reports -t x with exit 2 too', async () => {
    expect(fastReplayArgs(['replay', '-r', catWrite(), '-t', 'x'])).toBeDefined();
    const r = await scapkitBin(['replay', '-r', catWrite(), '-t', 'x']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('-t x: the time forms are h');
  });
});

describe.skipIf(!haveCaptures)('the fast path reads the flags as yargs does', () => {
  test.each([
    [['-x']],
    [['-A', '-t', 'D']],
    [['-R', '-p', '*%evt.num %fd.name %fd.sproto']],
    [['-pc']],
    [['-S', '-n', '300']],
    [['-b', '-j', '-v']],
    [['-X', '--unbuffered', 'fd.type=ipv6']],
  ])('replay -r curl_google %j', async (args) => {
    const argv = ['replay', '-r', cap('curl_google'), ...args];
    expect(fastReplayArgs(splitGluedValues(argv, [REPLAY_FLAGS, PRINT_FLAGS]))).toBeDefined();
    const fast = await scapkit(argv);
    // --progress=false is not a fast flag: the same command line through yargs.
    const slow = await scapkit([...argv, '--progress=false']);
    expect(fastReplayArgs([...argv, '--progress=false'])).toBeUndefined();
    expect(fast.code).toBe(0);
    expect(slow.code).toBe(0);
    expect(fast.stdout).toBe(slow.stdout);
    expect(fast.stdout.length).toBeGreaterThan(1000);
  });

  test('glued values are split as getopt does, the word after -p is left whole', () => {
    const tables = [{ print: { alias: 'p', type: 'string', describe: '' } }] as const;
    expect(splitGluedValues(['-pc', '-x'], tables)).toEqual(['-p', 'c', '-x']);
    expect(splitGluedValues(['-p', '-pk'], tables)).toEqual(['-p', '-pk']);
    expect(splitGluedValues(['-p=%evt.num', '--', '-pc'], tables)).toEqual(['-p=%evt.num', '--', '-pc']);
  });

  test('the built CLI prints -pc and -x as sysdig', async () => {
    for (const [args, file] of [
      [['-pc'], 'privileged.pc.txt'],
      [['-x'], 'cat_write.hex.txt'],
    ] as const) {
      const capture = file.split('.')[0]!;
      const r = await scapkitBin(['replay', '-r', cap(capture), ...args]);
      expect(r.code).toBe(0);
      expectSameLines(r.stdout, expectedLines(golden(file), false));
    }
  });
});

describe('on a terminal', () => {
  test('-A, -x and -X print their line breaks as such; other control characters stay escaped', async () => {
    const chunks: string[] = [];
    const sink = new Writable({
      write(chunk: Buffer, _enc, cb) {
        chunks.push(chunk.toString('utf8'));
        cb();
      },
    });
    const hex = new TextOutput(sink, { escapeControlChars: true, keepLineBreaks: true });
    hex.line('data=\n\t0x0000: 1b5b 3331 6d  .[31m\x1b[31m');
    await hex.flush();
    const plain = new TextOutput(sink, { escapeControlChars: true });
    plain.line('name=a\nb');
    await plain.flush();
    expect(chunks.join('')).toBe('data=\n\t0x0000: 1b5b 3331 6d  .[31m\\x1b[31m\nname=a\\x0ab\n');
  });
});

describe.skipIf(!haveCaptures)('--unbuffered', () => {
  test('writes each line as it is printed; without it, lines are gathered into few writes', async () => {
    const un = await scapkit(['replay', '-r', cap('curl_google'), '--unbuffered']);
    const buffered = await scapkit(['replay', '-r', cap('curl_google')]);
    const lines = un.stdout.split('\n').length - 1;
    expect(lines).toBe(1221);
    expect(un.chunks).toBe(lines);
    expect(buffered.stdout).toBe(un.stdout);
    expect(buffered.chunks).toBeLessThan(lines / 50);
  });
});

describe.skipIf(!haveCaptures)('export -E leaves the user and group tables out, as sysdig -E -w', () => {
  const UL_BLOCKS = new Set([0x206, 0x220, 0x8012abcd]);
  const metaBlocks = (file: string) => [
    ...new Set(
      walkSysdig(new Uint8Array(readFileSync(file)))
        .filter((b) => !b.isEvent)
        .map((b) => b.type),
    ),
  ];

  for (const capture of manifest.exportE) {
    test(capture, async () => {
      const withE = join(tmp, `${capture}.E.scap`);
      const without = join(tmp, `${capture}.scap`);
      expect(
        (await scapkit(['export', '-r', cap(capture), '-w', withE, '--format', 'scap', '-E'])).code,
      ).toBe(0);
      expect((await scapkit(['export', '-r', cap(capture), '-w', without, '--format', 'scap'])).code).toBe(0);
      // What sysdig drops with -E: the user list blocks, nothing else.
      const [sysdigE, sysdig0] = golden(`${capture}.E.blocks.txt`)
        .trim()
        .split('\n')
        .map((l) => l.split(': ')[1]!.split(' ').map(Number));
      const dropped = sysdig0!.filter((t) => !sysdigE!.includes(t));
      expect(dropped.length).toBeGreaterThan(0);
      expect(dropped.every((t) => UL_BLOCKS.has(t))).toBe(true);
      const ours0 = metaBlocks(without);
      const oursE = metaBlocks(withE);
      expect(ours0.some((t) => UL_BLOCKS.has(t))).toBe(true);
      expect(oursE).toEqual(ours0.filter((t) => !UL_BLOCKS.has(t)));
      if (HAVE_SYSDIG) {
        // sysdig reads the export: the same uids, and no names for them.
        const fmt = ['-p', '*%evt.num %user.uid %user.name %group.name'];
        const read = (f: string) =>
          new Promise<string[]>((resolve, reject) =>
            execFile('sysdig', ['-r', f, ...fmt], { maxBuffer: 1 << 28 }, (e, out) =>
              e ? reject(e) : resolve(out.split('\n').filter(Boolean)),
            ),
          );
        const [e, n] = await Promise.all([read(withE), read(without)]);
        expect(e.length).toBe(n.length);
        expect(n.some((l) => !l.endsWith('<NA> <NA>'))).toBe(true);
        for (let i = 0; i < e.length; i++) {
          const [num, uid] = n[i]!.split(' ');
          expect(e[i]).toBe(`${num} ${uid} <NA> <NA>`);
        }
      }
    });
  }
});
