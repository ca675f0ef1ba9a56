// End-to-end tests of the built `scapkit` binary against the real captures in ../shared/captures and
// what sysdig 0.29.3 printed for them. Needs the build (`npm test` runs it first).
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { SK, walkScapkit } from '../../../fuzz/lib/walk.mjs';
import { CAPTURES_DIR } from '../../../test/support/captures.mjs';
import { HAVE_SYSDIG } from '../../../test/support/machine.mjs';

const repo = fileURLToPath(new URL('../../../', import.meta.url));
const bin = join(repo, 'packages/recorder/bin/scapkit.js');
const captures = CAPTURES_DIR;
const haveCaptures = existsSync(captures);

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

export function scapkit(args: string[], env: NodeJS.ProcessEnv = {}): Promise<Run> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [bin, ...args],
      { env: { ...process.env, TZ: 'UTC', ...env }, maxBuffer: 1 << 28 },
      (err, stdout, stderr) => {
        const code = err ? (typeof err.code === 'number' ? err.code : 1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

function sourcesEventCounts(): Map<string, number> {
  const md = readFileSync(join(captures, 'SOURCES.md'), 'utf8');
  const rows = md.split('\n').filter((l) => /^\| \S+\.scap \|/.test(l));
  const header = md
    .split('\n')
    .find((l) => l.startsWith('| file |'))!
    .split('|')
    .map((s) => s.trim());
  const col = header.indexOf('events');
  return new Map(
    rows.map((r) => {
      const cells = r.split('|').map((s) => s.trim());
      return [cells[1]!, Number(cells[col])];
    }),
  );
}

const tmp = () => mkdtempSync(join(tmpdir(), 'scapkit-cli-'));

/** `scapkit export` of curl_google.scap to a scapkit trace at `trace`, with any further flags. */
const exportScapkit = (trace: string, ...flags: string[]) =>
  scapkit(['export', '-r', join(captures, 'curl_google.scap'), '-w', trace, '--format', 'scapkit', ...flags]);

describe.skipIf(!haveCaptures)('scapkit CLI on real captures', () => {
  it('info --json reports the event count of every capture given in SOURCES.md', async () => {
    const counts = sourcesEventCounts();
    expect(counts.size).toBe(17);
    for (const [file, events] of counts) {
      const r = await scapkit(['info', '--json', join(captures, file)]);
      expect(r.code, `${file}: ${r.stderr}`).toBe(0);
      const info = JSON.parse(r.stdout);
      expect(info.format).toBe('sysdig');
      expect(info.events, file).toBe(events);
      for (const k of ['version', 'threads', 'fds', 'firstTs', 'lastTs', 'drops'])
        expect(info, `${file} ${k}`).toHaveProperty(k);
    }
  });

  it('replay prints what sysdig -r printed, and honours a filter, -p, -j and -n', async () => {
    const expected = readFileSync(join(captures, 'expected/connect_localhost.default.txt'), 'utf8');
    const r = await scapkit(['replay', '-r', join(captures, 'connect_localhost.scap')]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe(expected);

    const tsv = readFileSync(join(captures, 'expected/cat_write.filters.tsv'), 'utf8').trim().split('\n');
    const [filter, n, nums] = tsv.find((l) => l.startsWith('evt.type in (open'))!.split('\t');
    const f = await scapkit(['replay', '-r', join(captures, 'cat_write.scap'), '-p', '%evt.num', filter!]);
    expect(f.code, f.stderr).toBe(0);
    expect(f.stdout.trim().split('\n')).toEqual(nums!.split(',').filter(Boolean));
    expect(Number(n)).toBe(f.stdout.trim().split('\n').length);

    const j = await scapkit(['replay', '-r', join(captures, 'cat_write.scap'), '-j', '-n', '140']);
    const jsonl = readFileSync(join(captures, 'expected/cat_write.jsonl'), 'utf8').split('\n');
    const lines = j.stdout.trim().split('\n');
    expect(lines.length).toBeGreaterThan(0);
    expect(lines).toEqual(jsonl.slice(0, lines.length));
    expect(JSON.parse(lines.at(-1)!)['evt.num']).toBeLessThanOrEqual(140);
  });

  it('runs a chisel (-c) like sysdig, and lists them (-cl)', async () => {
    const sections = readFileSync(join(captures, 'expected/connect_localhost.chisels.txt'), 'utf8').split(
      /^### /m,
    );
    const expected = sections
      .find((s) => s.startsWith('-c topscalls'))!
      .split('\n')
      .slice(1)
      .join('\n');
    const r = await scapkit(['replay', '-r', join(captures, 'connect_localhost.scap'), '-c', 'topscalls']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout.trim()).toBe(expected.trim());
    const list = await scapkit(['replay', '-cl']);
    expect(list.code).toBe(0);
    expect(list.stdout).toMatch(/topfiles_bytes/);
    const bad = await scapkit([
      'replay',
      '-r',
      join(captures, 'connect_localhost.scap'),
      '-c',
      'no_such_chisel',
    ]);
    expect(bad.code).toBe(2);
  });

  it.skipIf(!HAVE_SYSDIG)(
    "runs a user's chisel module (-c ./file.mjs), with and without the bundle's code cache",
    async () => {
      // The example of packages/replay/docs/chisels.md: successful opens per process.
      const docs = readFileSync(join(repo, 'packages/replay/docs/chisels.md'), 'utf8');
      const source = docs.slice(docs.indexOf('// opens-by-proc.mjs'), docs.indexOf('\n};\n') + 3);
      const dir = tmp();
      const file = join(dir, 'opens-by-proc.mjs');
      writeFileSync(file, source);
      const capture = join(captures, 'capture.scap');
      // What sysdig counts with the chisel's filter.
      const names = await new Promise<string>((resolve, reject) =>
        execFile(
          'sysdig',
          ['-r', capture, '-p', '%proc.name', 'evt.type=open and evt.dir=< and evt.failed=false'],
          { maxBuffer: 1 << 26 },
          (err, stdout) => (err ? reject(err) : resolve(stdout)),
        ),
      );
      const counts = new Map<string, number>();
      for (const n of names.split('\n').filter(Boolean)) counts.set(n, (counts.get(n) ?? 0) + 1);
      const expected = [...counts].filter(([, c]) => c >= 5).map(([n, c]) => `${n} ${c}`);
      expect(expected.length).toBeGreaterThan(1);
      for (const env of [{}, { SCAPKIT_CODE_CACHE: '0' }, { SCAPKIT_BUNDLE: '0' }]) {
        const r = await scapkit(['replay', '-r', capture, '-c', file, '5'], env);
        expect(r.code, r.stderr).toBe(0);
        expect(r.stderr).toBe('');
        expect(r.stdout.trim().split('\n').sort()).toEqual(expected.sort());
      }
    },
  );

  it('runs its bundle written in ASCII and read as Latin-1: a µ in a regular expression still matches', async () => {
    const bundle = join(repo, 'packages/recorder/dist/bundle/cli.cjs');
    if (existsSync(bundle)) expect(readFileSync(bundle).every((b) => b < 0x80)).toBe(true);
    const golden = join(repo, 'packages/scap-format/test/golden/checkpoint.scapkit');
    const range = (from: string, to: string) =>
      scapkit(['replay', '-r', golden, '-p', '%evt.num', '--from', from, '--to', to]);
    const us = await range('+20µs', '+30µs');
    expect(us.code, us.stderr).toBe(0);
    expect(us.stdout.trim().split('\n').length).toBeGreaterThan(5);
    expect(us.stdout).toBe((await range('+20000ns', '+30000ns')).stdout);
  });

  it('stops quietly when the reader of its output goes away (| head)', async () => {
    const { spawn } = await import('node:child_process');
    const child = spawn(process.execPath, [bin, 'replay', '-r', join(captures, 'capture.scap')], {
      env: { ...process.env, TZ: 'UTC' },
    });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    await new Promise<void>((resolve) => child.stdout.once('data', () => resolve()));
    child.stdout.destroy();
    const code = await new Promise<number | null>((resolve) => child.on('exit', (c) => resolve(c)));
    expect(stderr).toBe('');
    expect(code).toBe(0);
  });

  it('answers bad usage with exit 2 and a message that says what is wrong', async () => {
    const bad = await scapkit(['replay', '-r', join(captures, 'cat_write.scap'), 'proc.name = ']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/position/);
    const unknown = await scapkit(['replay', '-r', join(captures, 'cat_write.scap'), 'proc.nmae=cat']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/proc\.nmae/);
    // An unknown field in -p (the fast path), in -p with -j (yargs), or a cut-short token: the same.
    for (const flags of [
      ['-p', '%proc.nmae'],
      ['-j', '-p', '%proc.nmae'],
      ['-p', '%evt.arg['],
    ]) {
      const p = await scapkit(['replay', '-r', join(captures, 'cat_write.scap'), ...flags]);
      expect(p.code, flags.join(' ')).toBe(2);
      expect(p.stderr).toMatch(
        /^scapkit: bad output format \(-p\): .*(%proc\.nmae'?: unknown field|unterminated)/,
      );
      expect(p.stderr).not.toMatch(/internal error|\n\s+at /);
    }
    const noFile = await scapkit(['replay']);
    expect(noFile.code).toBe(2);
    const missing = await scapkit(['info', '/nonexistent/trace.scap']);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/nonexistent\/trace\.scap/);
  });

  it('export to scapkit replays the same; a cut trace exits 3 and recover makes it whole', async () => {
    const dir = tmp();
    const trace = join(dir, 'cw.scapkit');
    const e = await exportScapkit(trace);
    expect(e.code, e.stderr).toBe(0);
    expect(statSync(trace).mode & 0o777).toBe(0o600);
    const expected = readFileSync(join(captures, 'expected/curl_google.default.txt'), 'utf8');
    const full = await scapkit(['replay', '-r', trace]);
    expect(full.code, full.stderr).toBe(0);
    expect(full.stdout).toBe(expected);

    const cut = join(dir, 'cut.scapkit');
    writeFileSync(cut, readFileSync(trace));
    truncateSync(cut, Math.floor(statSync(trace).size * 0.6));
    const r = await scapkit(['replay', '-r', cut]);
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/cut short/);
    expect(expected.startsWith(r.stdout)).toBe(true);
    const info = await scapkit(['info', cut]);
    expect(info.code).toBe(3);

    const fixed = join(dir, 'fixed.scapkit');
    const rec = await scapkit(['recover', cut, fixed]);
    expect(rec.code).toBe(3);
    const again = await scapkit(['replay', '-r', fixed]);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toBe(r.stdout);
  });

  it('--codec picks the chunk compression: every chunk is stored with it and replays the same', async () => {
    const dir = tmp();
    const expected = readFileSync(join(captures, 'expected/curl_google.default.txt'), 'utf8');
    const ids = { none: 0, lz4: 1, zstd: 2 } as const;
    const sizes: Record<string, number> = {};
    for (const [codec, id] of Object.entries(ids)) {
      const trace = join(dir, `cw.${codec}.scapkit`);
      const e = await exportScapkit(trace, '--codec', codec);
      expect(e.code, e.stderr).toBe(0);
      // The codec byte of each chunk record, read by the fuzzer's independent record walker.
      const chunks = walkScapkit(new Uint8Array(readFileSync(trace))).filter((r) => r.type === SK.CHUNK);
      expect(chunks.length).toBeGreaterThan(0);
      const bytes = readFileSync(trace);
      expect(new Set(chunks.map((r) => bytes[r.bodyStart]))).toEqual(new Set([id]));
      sizes[codec] = bytes.length;
      const r = await scapkit(['replay', '-r', trace]);
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout).toBe(expected);
    }
    expect(sizes.zstd).toBeLessThan(sizes.lz4!);
    expect(sizes.lz4).toBeLessThan(sizes.none!);
    const bad = await exportScapkit(join(dir, 'x'), '--codec', 'gzip');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/codec/);
  });

  it('export --format jsonl writes what sysdig -j prints', async () => {
    const out = join(tmp(), 'cw.jsonl');
    const r = await scapkit([
      'export',
      '-r',
      join(captures, 'open-multiple-files.scap'),
      '-w',
      out,
      '--format',
      'jsonl',
    ]);
    expect(r.code, r.stderr).toBe(0);
    expect(readFileSync(out, 'utf8')).toBe(
      readFileSync(join(captures, 'expected/open-multiple-files.jsonl'), 'utf8'),
    );
  });

  // What a filtered trace keeps (src/capture-filter.ts) is enough for every state field of the events that
  // match: replay of the filtered export prints what replay of the whole capture prints for the filter.
  // Only `switch` events differ: their `next` names a process the filtered trace does not hold.
  it('export FILTER keeps every state field of the matching events, on every capture', async () => {
    const dir = tmp();
    const fmt =
      '*%evt.time %evt.type %evt.dir %thread.tid %proc.name %proc.pname %proc.args %proc.cwd %proc.aname[2] %fd.num %fd.name %fd.type %fd.cip %fd.sport %user.name %container.id %evt.args';
    const filters = [
      'evt.type=read',
      'fd.type=file',
      'evt.type in (open,openat,connect,accept,sendto)',
      'container.id!=host',
    ];
    // Every filter on the small captures; capture.scap (146k events, containers) with one.
    const cases: (readonly [string, string])[] = [
      'curl_google',
      'connect_localhost',
      'single_ipv6_conn',
      '502Error',
    ].flatMap((c) => filters.map((f) => [c, f] as const));
    cases.push(['capture', 'proc.name=curl']);
    let compared = 0;
    for (const [capture, filter] of cases) {
      const out = join(dir, `${capture}.scapkit`);
      const e = await scapkit([
        'export',
        '-r',
        join(captures, `${capture}.scap`),
        '-w',
        out,
        '--format',
        'scapkit',
        filter,
      ]);
      expect(e.code, e.stderr).toBe(0);
      const lines = async (file: string) =>
        (await scapkit(['replay', '-r', file, '-p', fmt, filter])).stdout
          .split('\n')
          .filter((l) => !/^\S+ switch /.test(l));
      const want = await lines(join(captures, `${capture}.scap`));
      expect(await lines(out), `${capture}: ${filter}`).toEqual(want);
      compared += want.length;
    }
    expect(compared).toBeGreaterThan(10_000);
  }, 600_000);

  // An export of a time range starts from the tables a reader has when the range begins (not from those
  // the read started at: a thread cloned in between was <NA>), with or without a filter.
  it('export --from/--to [FILTER] replays as replay --from/--to [FILTER] prints', async () => {
    const dir = tmp();
    const cap = join(captures, 'curl_google.scap');
    const range = ['--from', '17:35:48.519000000', '--to', '17:35:48.6'];
    const fmt = '*%evt.time %evt.type %thread.tid %proc.name %proc.pname %fd.num %fd.name %evt.args';
    for (const filter of [[], ['fd.type=file']]) {
      const want = await scapkit(['replay', '-r', cap, ...range, '-p', fmt, ...filter]);
      const out = join(dir, `range${filter.length}.scapkit`);
      const e = await scapkit(['export', '-r', cap, ...range, '-w', out, '--format', 'scapkit', ...filter]);
      expect(e.code, e.stderr).toBe(0);
      const got = await scapkit(['replay', '-r', out, '-p', fmt, ...filter]);
      expect(want.stdout.split('\n').length).toBeGreaterThan(50);
      expect(got.stdout).toBe(want.stdout);
    }
  });

  it.skipIf(!HAVE_SYSDIG)(
    'export with a filter: sysdig prints for the filter on the export what it printed on the original',
    async () => {
      const dir = tmp();
      const sd = (args: string[]) =>
        new Promise<string>((res) =>
          execFile('sysdig', args, { maxBuffer: 1 << 28, env: { ...process.env, TZ: 'UTC' } }, (_e, out) =>
            res(out),
          ),
        );
      const fmt = '*%evt.time %proc.name %proc.pname %evt.type %evt.args %fd.name';
      for (const [capture, filter] of [
        ['cat_write.scap', 'evt.type=mmap'],
        ['curl_google.scap', 'fd.type=unix'],
      ] as const) {
        const out = join(dir, `${capture}.filtered`);
        const e = await scapkit([
          'export',
          '-r',
          join(captures, capture),
          '-w',
          out,
          '--format',
          'scap',
          filter,
        ]);
        expect(e.code, e.stderr).toBe(0);
        const theirs = await sd(['-r', join(captures, capture), '-p', fmt, filter]);
        expect(theirs.split('\n').length).toBeGreaterThan(10);
        expect(await sd(['-r', out, '-p', fmt, filter])).toBe(theirs);
        // Fewer events than the original: the filter left some out.
        const all = await sd(['-r', join(captures, capture), '-p', '%evt.num']);
        const kept = await sd(['-r', out, '-p', '%evt.num']);
        expect(kept.split('\n').length).toBeLessThan(all.split('\n').length);
      }
      // JSON lines with a filter: what sysdig -j prints for it (evt.num of the original included).
      const jl = join(dir, 'cat.jsonl');
      const filter = 'proc.name=cat and evt.type=open';
      const j = await scapkit([
        'export',
        '-r',
        join(captures, 'cat_write.scap'),
        '-w',
        jl,
        '--format',
        'jsonl',
        filter,
      ]);
      expect(j.code, j.stderr).toBe(0);
      expect(j.stderr).toBe(`scapkit: wrote 8 events to ${jl}\n`);
      expect(readFileSync(jl, 'utf8')).toBe(await sd(['-r', join(captures, 'cat_write.scap'), '-j', filter]));
      // A bad filter is bad usage, and leaves no file.
      const bad = await scapkit([
        'export',
        '-r',
        join(captures, 'cat_write.scap'),
        '-w',
        join(dir, 'bad'),
        'proc.nmae=x',
      ]);
      expect(bad.code).toBe(2);
      expect(existsSync(join(dir, 'bad'))).toBe(false);
    },
  );

  it.skipIf(!HAVE_SYSDIG)(
    'export --format scap opens in sysdig 0.29.3, which prints what it printed for the original',
    async () => {
      const dir = tmp();
      const out = join(dir, 'export.scap');
      const e = await scapkit([
        'export',
        '-r',
        join(captures, 'syscall.scap'),
        '-w',
        out,
        '--format',
        'scap',
      ]);
      expect(e.code, e.stderr).toBe(0);
      const sysdig = (f: string) =>
        new Promise<string>((resolve, reject) =>
          execFile(
            'sysdig',
            ['-r', f],
            { env: { ...process.env, TZ: 'UTC' }, maxBuffer: 1 << 26 },
            (err, so) => (err ? reject(err) : resolve(so)),
          ),
        );
      expect(await sysdig(out)).toBe(readFileSync(join(captures, 'expected/syscall.default.txt'), 'utf8'));
    },
  );
});

describe('scapkit --version', () => {
  it("prints the published package's version, as sysdig --version prints its own; exit 0, with or without a command", async () => {
    const { version } = JSON.parse(readFileSync(join(repo, 'packages/recorder/package.json'), 'utf8'));
    for (const args of [['--version'], ['replay', '--version']]) {
      const r = await scapkit(args);
      expect(r.code, args.join(' ')).toBe(0);
      expect(r.stdout.trim()).toBe(`scapkit version ${version}`);
    }
  });
});

describe('scapkit on files that are not captures', () => {
  const dir = mkdtempSync(join(tmpdir(), 'scapkit-notcapture-'));
  const empty = join(dir, 'empty.scap');
  const text = join(dir, 'notes.txt');
  writeFileSync(empty, '');
  writeFileSync(text, 'hello, not a capture\n');

  it('an empty file is said to be empty, not cut short, and recover is not offered (exit 1)', async () => {
    for (const args of [
      ['replay', '-r', empty],
      ['info', empty],
      ['replay', '-r', empty, '-c', 'topscalls'],
    ]) {
      const r = await scapkit(args);
      expect(r.code, args.join(' ')).toBe(1);
      expect(r.stderr).toBe(
        `scapkit: ${empty}: empty: there is no capture in it. ` +
          'scapkit reads scapkit traces and sysdig/Falco .scap captures (gzip or not).\n',
      );
    }
    const rec = await scapkit(['recover', empty, join(dir, 'out.scap')]);
    expect(rec.code).toBe(1);
    expect(rec.stderr).toBe(`scapkit: ${empty} is empty: nothing to recover.\n`);
  });

  it('a file that is not a capture names its first bytes and is not offered recover (exit 1)', async () => {
    for (const args of [
      ['replay', '-r', text],
      ['info', text],
      ['export', '-r', text, '-w', join(dir, 'x')],
    ]) {
      const r = await scapkit(args);
      expect(r.code, args.join(' ')).toBe(1);
      expect(r.stderr).toMatch(
        new RegExp(`^scapkit: ${text}: not a capture: it starts with bytes 68 65 6c 6c`),
      );
      expect(r.stderr).not.toMatch(/recover|cut short|internal error/);
    }
  });
});
