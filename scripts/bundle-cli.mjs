// Bundles the compiled CLI (packages/recorder/dist/cli.js, after `pnpm exec tsc -b`) with its workspace
// packages and yargs into one CommonJS file, packages/recorder/dist/bundle/cli.cjs, and records V8's code
// cache for it (cli.cjs.cache): start-up then reads two files instead of ~100 modules, and compiles
// nothing the warm-up below already compiled (issue #4; bench/replay.bench.mjs prints what each saves).
// Usage: node scripts/bundle-cli.mjs. The bin (packages/recorder/bin/scapkit.js) loads the bundle through
// vm.Script with the cache when both are there and newer than every package's build, else dist/cli.js.
//
// Why CommonJS: Node 20 has no code cache for ES modules (module.enableCompileCache() is Node 22), while a
// vm.Script takes and produces one. A dynamic import() that stays in the bundle (a user's chisel module,
// a Node built-in) is rewritten to call the bin's import() instead (see the banner).
//
// Native modules stay outside: lz4-napi, zstd-napi and @node-rs/crc32 are loaded with createRequire(import.meta.url), and
// the snapshot worker with new URL('./snapshot-worker.js', import.meta.url) (the worker runs the unbundled
// dist/record/snapshot-worker.js). So that these resolve as they do unbundled, every `import.meta.url` in a
// bundled module is rewritten to that module's original URL (scripts/module-urls.mjs): relative to the
// bundle for the recorder's own files, looked up by package name at run time for the others, because an
// installed recorder finds its dependencies beside it (npm install, pnpm) or nested under it (npm install
// -g), never where they were in the repository. @scapkit/bpf-probe stays outside too: it is an optional
// dependency, loaded when `record` starts (src/probe-package.ts says what to install when it is missing).
// esbuild: a root devDependency; ESBUILD=/path/to/esbuild/lib/main.js overrides where it is loaded from.
//
// `--no-code-cache` (the recorder's prepack) skips the warm-up: a cache only serves the Node that made it,
// so the published package ships the bundle without one (`files` leaves any cache out). With `--if-stale`
// (the prepack too) a bundle newer than every package's last `tsc -b` (what bin/scapkit.js checks) is kept
// as it is: packing then rewrites nothing that a running CLI reads.
//
// The code cache: V8 stores the bytecode of every function compiled so far, so a child process loads the
// fresh bundle, runs a few representative commands (a replay of each format, a filter, -p, -j, an export,
// info, a --from/--to started at a checkpoint) on a small trace from the repository, and writes
// script.createCachedData(). V8 refuses a cache
// made by another V8 version, for another source or with other V8 flags (the bin then compiles as usual
// and says nothing), so `record`, which runs without the heap flags the cache was made with, does without.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { readFile as readFileAsync, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { keepModuleUrls, relativeUrlPath } from './module-urls.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
let build;
try {
  ({ build } = await import(process.env.ESBUILD ? pathToFileURL(process.env.ESBUILD).href : 'esbuild'));
} catch (e) {
  console.error(
    `bundle-cli: cannot load esbuild (${e.message}): add it (pnpm add -D -w esbuild) or set ESBUILD`,
  );
  process.exit(1);
}
const distDir = join(root, 'packages/recorder/dist');
const outDir = join(distDir, 'bundle');
const outFile = join(outDir, 'cli.cjs');

const recorderDir = join(root, 'packages/recorder');

if (process.argv.includes('--if-stale')) {
  const mtime = (p) => statSync(p, { throwIfNoEntry: false })?.mtimeMs;
  const built = mtime(outFile);
  const stale = (p) => (mtime(join(root, 'packages', p, 'tsconfig.tsbuildinfo')) ?? 0) > built;
  if (built !== undefined && !['recorder', 'replay', 'scap-format', 'bpf-probe'].some(stale)) {
    console.log(`${relative(root, outFile)} is current`);
    process.exit(0);
  }
}

/** The package a bundled file belongs to: its name and directory. */
function packageOf(file) {
  const nm = file.lastIndexOf('/node_modules/');
  if (nm >= 0) {
    const parts = file.slice(nm + '/node_modules/'.length).split('/');
    const name = parts[0].startsWith('@') ? `${parts[0]}/${parts[1]}` : parts[0];
    return { name, dir: join(file.slice(0, nm), 'node_modules', name) };
  }
  for (let d = dirname(file); d !== root && d !== dirname(d); d = dirname(d)) {
    const pkg = join(d, 'package.json');
    if (existsSync(pkg)) return { name: JSON.parse(readFileSync(pkg, 'utf8')).name, dir: d };
  }
  return undefined;
}

/** The expression for a bundled module's own URL (see the header and the banner's __scapkitModuleUrl). */
function moduleUrl(file) {
  const rel = JSON.stringify(relativeUrlPath(outDir, file));
  const owner = packageOf(file);
  if (owner === undefined || owner.dir === recorderDir) return `new URL(${rel}, __scapkitBundleUrl).href`;
  const inPackage = JSON.stringify(relative(owner.dir, file).split('\\').join('/'));
  return `__scapkitModuleUrl(${JSON.stringify(owner.name)}, ${inPackage}, ${rel})`;
}

const external = [
  'lz4-napi',
  '@node-rs/crc32',
  'zstd-napi',
  'zstd-napi/*',
  '*.node',
  '@scapkit/columnar',
  '@scapkit/columnar/*',
  '@scapkit/bpf-probe',
];
await rm(outDir, { recursive: true, force: true });
const result = await build({
  entryPoints: [join(distDir, 'cli.js')],
  bundle: true,
  outfile: outFile,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  // @scapkit/columnar (export --format parquet, query) stays its own ES modules, loaded with require() when
  // one of those commands runs: Arrow, parquet-wasm (its .wasm beside its file) and DuckDB (a native
  // binding) add nothing to the bundle every other command loads.
  external,
  plugins: [keepModuleUrls({ moduleUrl, dynamicImport: { call: '__scapkitImport', external } })],
  // import() cannot run inside a vm.Script whose code came from a cache (Node 20 loses the script's import
  // callback, ERR_VM_DYNAMIC_IMPORT_CALLBACK_MISSING): the bin lends its own, an ES module's.
  banner: {
    js: [
      "const __scapkitBundleUrl = require('node:url').pathToFileURL(__filename);",
      "const __scapkitImport = globalThis[Symbol.for('scapkit.import')] ?? ((s) => Promise.reject(new Error('cannot import ' + s + ': load this bundle through bin/scapkit.js')));",
      // A file of package `name` as Node finds the package from here (the nearest node_modules/name up the
      // tree), else where it was when bundled (the repository, where pnpm keeps some packages out of reach).
      'const __scapkitPackageDirs = new Map();',
      'const __scapkitModuleUrl = (name, file, bundled) => {',
      '  const { existsSync } = require("node:fs"), { dirname, join } = require("node:path");',
      '  let dir = __scapkitPackageDirs.get(name);',
      '  for (let d = __dirname; dir === undefined; d = dirname(d)) {',
      '    if (existsSync(join(d, "node_modules", name, "package.json"))) dir = join(d, "node_modules", name);',
      '    else if (dirname(d) === d) dir = null;',
      '  }',
      '  __scapkitPackageDirs.set(name, dir);',
      '  return dir ? require("node:url").pathToFileURL(join(dir, file)).href : new URL(bundled, __scapkitBundleUrl).href;',
      '};',
    ].join('\n'),
  },
  logLevel: 'warning',
  metafile: true,
});
asciiOnly(outFile);
const inputs = Object.keys(result.metafile.inputs).length;
const kib = Object.values(result.metafile.outputs).reduce((n, o) => n + o.bytes, 0) / 1024;
if (process.argv.includes('--no-code-cache')) {
  console.log(
    `bundled ${inputs} modules into ${relative(root, outFile)} (${kib.toFixed(0)} KiB; no code cache)`,
  );
  process.exit(0);
}

// The warm-up: one child, the bin in its warm-up mode (SCAPKIT_CODE_CACHE_WARMUP: a JSON list of argument
// lists, run one after the other; then the cache is written next to the bundle).
const bin = join(root, 'packages/recorder/bin/scapkit.js');
const trace = join(root, 'packages/scap-format/test/golden/basic-lz4.scapkit');
const tmp = mkdtempSync(join(tmpdir(), 'scapkit-bundle-'));
try {
  const scap = join(tmp, 'warm.scap');
  const ranged = join(tmp, 'warm-checkpoints.scapkit');
  const runs = [
    ['replay', '-r', trace],
    ['export', '-r', trace, '-w', scap],
    ['replay', '-r', scap],
    ['replay', '-r', scap, 'proc.name=cat and evt.type=connect'],
    ['replay', '-r', scap, '-p', '%evt.num %proc.name %fd.name', 'fd.type=file'],
    ['replay', '-r', scap, '-j'],
    ['info', scap],
    // --from/--to through checkpoints: a zstd scapkit copy with a checkpoint every 10 µs of its 40 µs.
    ['export', '-r', trace, '-w', ranged, '--format', 'scapkit', '--checkpoint-seconds', '0.00001'],
    ['replay', '-r', ranged, '--from', '+25us', '--to', '+35us', 'evt.type=read and proc.name=cat'],
  ];
  const r = spawnSync(process.execPath, [bin], {
    env: { ...process.env, SCAPKIT_CODE_CACHE_WARMUP: JSON.stringify(runs), TZ: 'UTC' },
    stdio: ['ignore', 'ignore', 'pipe'],
    encoding: 'utf8',
  });
  const cache = `${outFile}.cache`;
  if (r.status !== 0 || !existsSync(cache)) {
    // The bundle still works without its cache: say so, do not fail the set-up.
    console.warn(`bundle-cli: no code cache (the warm-up exited ${r.status}): ${r.stderr.trim()}`);
  }
  const cacheKib = existsSync(cache) ? (await readFileAsync(cache)).length / 1024 : 0;
  console.log(
    `bundled ${inputs} modules into ${relative(root, outFile)} (${kib.toFixed(0)} KiB; code cache ${cacheKib.toFixed(0)} KiB)`,
  );
} finally {
  rmSync(tmp, { recursive: true, force: true });
}

/**
 * Escapes what esbuild leaves outside ASCII (its `charset: 'ascii'` escapes strings and identifiers, not
 * comments or regular expression literals) as \uXXXX, one per UTF-16 unit: the same text in a comment,
 * the same pattern in a regular expression (with or without the u flag). The bin then reads the bundle as
 * Latin-1, a one-byte string copied as it is, where UTF-8 made V8 decode 2.6 MB into a two-byte string
 * (~8 ms of every start-up: callgrind, 61M instructions). An escape after a backslash would change meaning:
 * the bundle fails instead.
 */
function asciiOnly(file) {
  const text = readFileSync(file, 'utf8');
  const out = text.replace(/[^\x00-\x7f]/g, (ch, at) => {
    if (text[at - 1] === '\\')
      throw new Error(`bundle-cli: cannot escape '${ch}' after a backslash at ${at}`);
    return `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`;
  });
  if (out !== text) writeFileSync(file, out);
}
