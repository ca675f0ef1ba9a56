// The packages as a user gets them (issue #18): every package of the working tree packed by pnpm (whose
// prepack builds it, scripts/prepack.mjs), the tarballs installed by npm into fresh projects outside the
// repository, and used there the way the READMEs say:
//   - a library project (@scapkit/scap-format and @scapkit/replay only): an ES module consumer in Node
//     (events per type, the process tree, a filter), a TypeScript consumer type-checked with `strict` under
//     both module resolutions, a browser consumer bundled by esbuild for the browser (a `node:` import fails
//     the build) and run in Chromium;
//   - a CLI project (@scapkit/recorder and everything it depends on) installed with no compiler on PATH,
//     as on a laptop without a BPF toolchain: npm drops the probe, `scapkit replay` and `info` work,
//     `scapkit record` says what to install.
// Expected values come from sysdig 0.29.3 (the goldens of ../shared/captures/expected), not from scapkit.
import { execFile, spawn, spawnSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PUBLISHED, packWorkspace } from '../scripts/pack.mjs';
import { CAPTURES_DIR, HAVE_CAPTURES } from './support/captures.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const captures = CAPTURES_DIR;
const requireHere = createRequire(import.meta.url);
const CHROMIUM = '/usr/bin/chromium';
// What a tarball must never hold: source maps (their sources do not ship), build caches, the probe's
// intermediate build (vmlinux.h, the per-program objects), tests.
const NEVER_SHIPPED = /\.map$|\.tsbuildinfo$|(^|\/)\.output\/|vmlinux\.h$|(^|\/)test\/|(^|\/)src\/.*\.ts$/;
// Packing builds every package and installing resolves the dependencies from the registry (npm's cache
// makes later runs quick); a guard against a hang, not a speed limit.
const SETUP_TIMEOUT = 30 * 60_000;

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

function run(cmd: string, args: string[], opts: { cwd: string; env?: NodeJS.ProcessEnv }): Promise<Run> {
  return new Promise((resolve) => {
    execFile(
      cmd,
      args,
      { cwd: opts.cwd, env: { ...process.env, TZ: 'UTC', ...opts.env }, maxBuffer: 1 << 28 },
      (err, stdout, stderr) =>
        resolve({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, stdout, stderr }),
    );
  });
}

async function npm(cwd: string, args: string[], env?: NodeJS.ProcessEnv): Promise<void> {
  const r = await run('npm', [...args, '--no-audit', '--no-fund', '--loglevel=error'], { cwd, env });
  if (r.code !== 0) throw new Error(`npm ${args.join(' ')} in ${cwd} exited ${r.code}:\n${r.stderr}`);
}

function tarList(tgz: string): string[] {
  const r = spawnSync('tar', ['tzf', tgz], { encoding: 'utf8' });
  return r.stdout
    .trim()
    .split('\n')
    .map((l) => l.replace(/^package\//, ''));
}

function tarFile(tgz: string, path: string): string {
  return spawnSync('tar', ['xzOf', tgz, `package/${path}`], { encoding: 'utf8', maxBuffer: 1 << 26 }).stdout;
}

/** sysdig's default lines of a capture: how many events of each type and direction it prints. */
function sysdigTypeCounts(name: string): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const l of readFileSync(join(captures, `expected/${name}.default.txt`), 'utf8').split('\n')) {
    const m = / \(-?\d+\) ([<>]) (\S+)/.exec(l);
    if (m) counts[`${m[1]} ${m[2]}`] = (counts[`${m[1]} ${m[2]}`] ?? 0) + 1;
  }
  return counts;
}

/** The `evt.num`s sysdig printed for a filter of X.filters.tsv. */
function sysdigMatches(name: string, filterPrefix: string): { filter: string; nums: number[] } {
  const tsv = readFileSync(join(captures, `expected/${name}.filters.tsv`), 'utf8').split('\n');
  const [filter, , nums] = tsv.find((l) => l.startsWith(filterPrefix))!.split('\t');
  return { filter: filter!, nums: nums!.split(',').filter(Boolean).map(Number) };
}

// The consumers, as a user would write them after reading docs/library.md.
const ESM_CONSUMER = `
import { compileFilter, createFieldRegistry, Pipeline } from '@scapkit/replay';
import { openCaptureFile } from '@scapkit/scap-format/node';
const [path, filterText] = process.argv.slice(2);
const fields = createFieldRegistry();
const type = fields.resolve('evt.type');
const dir = fields.resolve('evt.dir');
const num = fields.resolve('evt.num');
const filter = compileFilter(filterText, fields);
const types = {};
const matches = [];
const processes = {};
const pipeline = new Pipeline({
  sink: {
    event(ctx) {
      const key = dir.get(ctx) + ' ' + type.get(ctx);
      types[key] = (types[key] ?? 0) + 1;
      if (filter.match(ctx)) matches.push(Number(num.get(ctx)));
      const main = ctx.state.thread && ctx.state.mainThread(ctx.state.thread);
      if (main) processes[main.pid] = { ppid: main.ptid, comm: main.comm };
    },
  },
});
await pipeline.run(openCaptureFile(path));
console.log(JSON.stringify({ types, matches, processes }));
`;

const TS_CONSUMER = `
import { type EventBatch, EventView, openCapture } from '@scapkit/scap-format';
import { openCaptureFile } from '@scapkit/scap-format/node';
import { compileFilter, createFieldRegistry, Pipeline, type Thread } from '@scapkit/replay';
import { importChiselModule } from '@scapkit/replay/node';

export async function count(path: string): Promise<number> {
  let n = 0;
  const view = new EventView();
  for await (const rec of openCaptureFile(path)) {
    if (rec.kind !== 'events') continue;
    const batch: EventBatch = rec.batch;
    for (let i = 0; i < batch.count; i++) n += view.at(batch, i).type >= 0 ? 1 : 0;
  }
  return n;
}

export function threads(p: Pipeline): Thread[] {
  return [...p.state.threads.values()];
}

export const filter = compileFilter('proc.name=cat', createFieldRegistry());
export const fromBytes = (bytes: AsyncIterable<Uint8Array>) => openCapture(bytes);
export const chisels = importChiselModule;
// Wrong on purpose: each line must fail to type-check, which it cannot if the types resolved to any.
// @ts-expect-error a Pipeline's state is no string
export const wrong: string = new Pipeline({ sink: {} }).state;
// @ts-expect-error compileFilter takes the filter's text
compileFilter(42, createFieldRegistry());
`;

const BROWSER_CONSUMER = `
import { openCapture } from '@scapkit/scap-format';
import { compileFilter, createFieldRegistry, Pipeline } from '@scapkit/replay';
globalThis.countCapture = async (bytes, filterText) => {
  const fields = createFieldRegistry();
  const filter = compileFilter(filterText, fields);
  let events = 0;
  let matches = 0;
  const pipeline = new Pipeline({
    sink: { event(ctx) { events++; if (filter.match(ctx)) matches++; } },
  });
  async function* chunks() { yield new Uint8Array(bytes); }
  await pipeline.run(openCapture(chunks()));
  return { events, matches };
};
`;

describe.skipIf(!HAVE_CAPTURES)('packed packages, installed by npm in fresh projects', () => {
  let tmp: string;
  let tarballs: Map<string, string>;
  let lib: string;
  let cli: string;

  beforeAll(async () => {
    tmp = mkdtempSync(join(tmpdir(), 'scapkit-packages-'));
    tarballs = packWorkspace(root, join(tmp, 'tarballs'), () => {});

    // The library project: only what a tool that reads traces installs.
    lib = join(tmp, 'lib');
    mkdirSync(lib);
    writeFileSync(
      join(lib, 'package.json'),
      JSON.stringify({ name: 'lib-consumer', private: true, type: 'module' }),
    );
    await npm(lib, ['install', tarballs.get('@scapkit/scap-format')!, tarballs.get('@scapkit/replay')!]);

    // The CLI project, installed where no compiler is: PATH holds node, npm and sh only, so node-gyp
    // (the probe's addon, zstd-napi) fails and npm leaves those optional dependencies out.
    cli = join(tmp, 'cli');
    const bin = join(tmp, 'bare-bin');
    mkdirSync(cli);
    mkdirSync(bin);
    for (const [name, target] of [
      ['node', process.execPath],
      ['npm', join(dirname(process.execPath), 'npm')],
      ['sh', '/bin/sh'],
    ] as const)
      symlinkSync(target, join(bin, name));
    const dependencies: Record<string, string> = {};
    for (const [name, tgz] of tarballs) if (name !== '@scapkit/bpf-probe') dependencies[name] = `file:${tgz}`;
    writeFileSync(
      join(cli, 'package.json'),
      JSON.stringify({
        name: 'cli-consumer',
        private: true,
        dependencies,
        // As the recorder declares it: npm drops it when its install script fails.
        optionalDependencies: { '@scapkit/bpf-probe': `file:${tarballs.get('@scapkit/bpf-probe')}` },
      }),
    );
    await npm(cli, ['install'], { PATH: bin });
  }, SETUP_TIMEOUT);

  afterAll(() => {
    if (tmp) rmSync(tmp, { recursive: true, force: true });
  });

  it('every package packs with LICENSE, its published fields, no maps, caches or sources', () => {
    expect([...tarballs.keys()].sort()).toEqual(PUBLISHED.map((d) => `@scapkit/${d}`).sort());
    for (const [name, tgz] of tarballs) {
      const files = tarList(tgz);
      expect(files, name).toContain('LICENSE');
      expect(tarFile(tgz, 'LICENSE'), name).toMatch(/Apache License\s+Version 2\.0/);
      expect(
        files.filter((f) => NEVER_SHIPPED.test(f) && !f.endsWith('.d.ts')),
        name,
      ).toEqual([]);
      const pkg = JSON.parse(tarFile(tgz, 'package.json'));
      expect(pkg.repository?.url, name).toMatch(/^git\+https:\/\//);
      expect(pkg.homepage, name).toMatch(/^https:\/\//);
      expect(pkg.engines?.node, name).toBe('>=20.19');
      // workspace: and catalog: ranges are written as the versions they stand for.
      const ranges = Object.values({
        ...pkg.dependencies,
        ...pkg.optionalDependencies,
        ...pkg.peerDependencies,
      });
      expect(
        ranges.filter((r) => /^(workspace|catalog):/.test(String(r))),
        name,
      ).toEqual([]);
      if (pkg.types !== undefined) expect(files, name).toContain(pkg.types.replace(/^\.\//, ''));
      for (const [sub, target] of Object.entries<{ types: string; default: string }>(pkg.exports ?? {})) {
        expect(files, `${name} ${sub}`).toContain(target.default.replace(/^\.\//, ''));
        expect(files, `${name} ${sub}`).toContain(target.types.replace(/^\.\//, ''));
      }
      // A compiled file keeps no comment pointing at a map that is not there.
      const someJs = files.find((f) => /^dist\/[\w-]+\.js$/.test(f) && !f.startsWith('dist/bundle'));
      if (someJs) expect(tarFile(tgz, someJs), `${name} ${someJs}`).not.toMatch(/sourceMappingURL/);
      // Links in a shipped README lead somewhere: to a shipped file or to an absolute URL.
      const readme = tarFile(tgz, 'README.md');
      for (const [, target] of readme.matchAll(/\]\(([^)#\s]+)(?:#[^)]*)?\)/g)) {
        if (/^https?:\/\//.test(target!)) continue;
        expect(files, `${name} README links ${target}`).toContain(target);
      }
    }
    expect(
      Object.keys(JSON.parse(tarFile(tarballs.get('@scapkit/recorder')!, 'package.json')).dependencies),
    ).not.toContain('@scapkit/bpf-probe');
    // The probe ships its compiled BPF object (in the skeleton) and none of the BPF sources or toolchain
    // outputs: installing builds the addon only.
    const probe = tarList(tarballs.get('@scapkit/bpf-probe')!);
    expect(probe).toContain('dist/bpf/probe.skel.h');
    expect(probe.filter((f) => f.endsWith('.bpf.c'))).toEqual([]);
  });

  it('a library install pulls no @types/node into the project (zstd-napi is an optional peer)', () => {
    expect(existsSync(join(lib, 'node_modules/@types/node'))).toBe(false);
    expect(existsSync(join(lib, 'node_modules/zstd-napi'))).toBe(false);
  });

  it('an ES module consumer counts what sysdig counts, follows the process tree and filters', async () => {
    writeFileSync(join(lib, 'consumer.mjs'), ESM_CONSUMER);
    const { filter, nums } = sysdigMatches('cat_write', 'evt.type in (open');
    const r = await run(process.execPath, ['consumer.mjs', join(captures, 'cat_write.scap'), filter], {
      cwd: lib,
    });
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.types).toEqual(sysdigTypeCounts('cat_write'));
    expect(out.matches).toEqual(nums);
    // sysdig's proc.ppid and proc.name of cat (cat_write.state.txt: pid, ppid and name are fields 5-7).
    const state = readFileSync(join(captures, 'expected/cat_write.state.txt'), 'utf8').split('\n');
    const [, , , , pid, ppid] = state.map((l) => l.split('|')).find((f) => f[6] === 'cat') ?? [];
    expect(pid).toBeDefined();
    expect(out.processes[pid ?? '']).toEqual({ ppid: Number(ppid), comm: 'cat' });
  });

  it('a TypeScript consumer type-checks with strict, under NodeNext and under node10 resolution', async () => {
    const types = JSON.parse(readFileSync(requireHere.resolve('@types/node/package.json'), 'utf8')).version;
    await npm(lib, ['install', '--save-dev', `@types/node@${types}`]);
    writeFileSync(join(lib, 'consumer.ts'), TS_CONSUMER);
    const tsc = requireHere.resolve('typescript/bin/tsc');
    const base = { strict: true, noEmit: true, target: 'ES2022', lib: ['ES2022'], types: ['node'] };
    for (const [file, module, moduleResolution] of [
      ['tsconfig.nodenext.json', 'NodeNext', 'NodeNext'],
      ['tsconfig.node10.json', 'ES2022', 'node10'],
    ]) {
      writeFileSync(
        join(lib, file!),
        JSON.stringify({ compilerOptions: { ...base, module, moduleResolution }, files: ['consumer.ts'] }),
      );
      const r = await run(process.execPath, [tsc, '-p', file!], { cwd: lib });
      expect(r.stdout + r.stderr, file).toBe('');
      expect(r.code, file).toBe(0);
    }
  });

  it.skipIf(!existsSync(CHROMIUM))(
    'a browser consumer bundles with esbuild for the browser and counts the capture in Chromium',
    async () => {
      writeFileSync(join(lib, 'browser.mjs'), BROWSER_CONSUMER);
      const { build } = await import('esbuild');
      // platform 'browser': a node:* import anywhere in the graph cannot resolve and fails the build.
      const result = await build({
        entryPoints: [join(lib, 'browser.mjs')],
        bundle: true,
        format: 'esm',
        platform: 'browser',
        write: false,
        metafile: true,
        logLevel: 'silent',
        absWorkingDir: lib,
      });
      const inputs = Object.keys(result.metafile.inputs);
      expect(inputs.some((f) => f.includes('node_modules/@scapkit/replay/dist/bundle/'))).toBe(true);
      expect(inputs.some((f) => f.includes('node_modules/@scapkit/scap-format/dist/bundle/'))).toBe(true);
      const { filter, nums } = sysdigMatches('cat_write', 'proc.name=cat or');
      const browser = await chromium.launch({
        executablePath: CHROMIUM,
        args: ['--headless', '--no-sandbox'],
      });
      try {
        const page = await browser.newPage();
        await page.addScriptTag({ type: 'module', content: result.outputFiles.map((f) => f.text).join('') });
        await page.waitForFunction(() => 'countCapture' in globalThis);
        const bytes = [...readFileSync(join(captures, 'cat_write.scap'))];
        const counted = await page.evaluate(
          ([b, f]) =>
            (
              globalThis as unknown as { countCapture: (b: number[], f: string) => Promise<unknown> }
            ).countCapture(b, f),
          [bytes, filter] as const,
        );
        const events = Object.values(sysdigTypeCounts('cat_write')).reduce((a, b) => a + b, 0);
        expect(counted).toEqual({ events, matches: nums.length });
      } finally {
        await browser.close();
      }
    },
  );

  it('the CLI installs without a BPF toolchain: replay, info, export, query, detect and view work, record says what to install', async () => {
    expect(existsSync(join(cli, 'node_modules/@scapkit/recorder'))).toBe(true);
    expect(existsSync(join(cli, 'node_modules/@scapkit/bpf-probe'))).toBe(false);
    const scapkit = join(cli, 'node_modules/.bin/scapkit');
    const replay = await run(scapkit, ['replay', '-r', join(captures, 'connect_localhost.scap')], {
      cwd: cli,
    });
    expect(replay.code, replay.stderr).toBe(0);
    expect(replay.stdout).toBe(
      readFileSync(join(captures, 'expected/connect_localhost.default.txt'), 'utf8'),
    );
    const info = await run(scapkit, ['info', '--json', join(captures, 'cat_write.scap')], { cwd: cli });
    expect(info.code, info.stderr).toBe(0);
    const events = Object.values(sysdigTypeCounts('cat_write')).reduce((a, b) => a + b, 0);
    expect(JSON.parse(info.stdout).events).toBeGreaterThanOrEqual(events);
    // export (LZ4 chunks: zstd-napi did not build either), and the export replays as sysdig printed it.
    const trace = join(tmp, 'cl.scapkit');
    const exp = await run(
      scapkit,
      ['export', '-r', join(captures, 'connect_localhost.scap'), '-w', trace, '--format', 'scapkit'],
      { cwd: cli },
    );
    expect(exp.code, exp.stderr).toBe(0);
    const again = await run(scapkit, ['replay', '-r', trace], { cwd: cli });
    expect(again.stdout).toBe(replay.stdout);
    // query (DuckDB's prebuilt binding): as many events as sysdig prints.
    const sql = await run(
      scapkit,
      ['query', '--json', 'select count(*) as n from events', join(captures, 'cat_write.scap')],
      { cwd: cli },
    );
    expect(sql.code, sql.stderr).toBe(0);
    expect(Number(JSON.parse(sql.stdout.trim()).n)).toBe(events);
    const detect = await run(scapkit, ['detect', '-r', join(captures, 'cat_write.scap')], { cwd: cli });
    expect(detect.code, detect.stderr).toBe(0);
    expect(detect.stderr).toMatch(/^Events detected: \d+$/m); // Falco's summary line, on stderr
    // view: the server prints its URL and serves the page.
    const view = spawn(scapkit, ['view', '--no-open', join(captures, 'cat_write.scap')], { cwd: cli });
    try {
      const url = await new Promise<string>((resolve, reject) => {
        let out = '';
        view.stdout.on('data', (d) => {
          out += d;
          const m = /http:\/\/127\.0\.0\.1:\d+\/\S*/.exec(out);
          if (m) resolve(m[0]);
        });
        view.on('exit', (code) => reject(new Error(`scapkit view exited ${code}: ${out}`)));
      });
      const page = await fetch(url);
      expect(page.status).toBe(200);
      expect(await page.text()).toMatch(/<html/i);
    } finally {
      view.kill();
    }
    const record = await run(scapkit, ['record', '-w', join(tmp, 'r.scap'), '-M', '1'], { cwd: cli });
    expect(record.code).toBe(1);
    expect(record.stderr).toMatch(/@scapkit\/bpf-probe, which is not installed/);
    expect(record.stderr).toMatch(/libbpf-dev/);
    expect(record.stderr).not.toMatch(/\n\s+at /); // no stack trace
    expect(readdirSync(tmp)).not.toContain('r.scap');
  });
});
