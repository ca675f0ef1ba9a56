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
// Native modules stay outside: lz4-napi, zstd-napi and the probe's .node addon are loaded with
// createRequire(import.meta.url), and the snapshot worker with new URL('./snapshot-worker.js',
// import.meta.url) (the worker runs the unbundled dist/record/snapshot-worker.js). So that these resolve
// as they do unbundled, every `import.meta.url` in a bundled module is rewritten to that module's original
// URL, expressed relative to the bundle's own file. esbuild: a root devDependency; ESBUILD=/path/to/
// esbuild/lib/main.js overrides where it is loaded from.
//
// The code cache: V8 stores the bytecode of every function compiled so far, so a child process loads the
// fresh bundle, runs a few representative commands (a replay of each format, a filter, -p, -j, an export,
// info) on a small trace from the repository, and writes script.createCachedData(). V8 refuses a cache
// made by another V8 version, for another source or with other V8 flags (the bin then compiles as usual
// and says nothing), so `record`, which runs without the heap flags the cache was made with, does without.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { readFile as readFileAsync, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

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

const keepModuleUrls = {
  name: 'keep-module-urls',
  setup(b) {
    b.onLoad({ filter: /\.(m?js|cjs)$/ }, async (args) => {
      const text = await readFileAsync(args.path, 'utf8');
      // import() that esbuild leaves in place: of a computed specifier (a user's chisel module) or of a Node
      // built-in; the others (relative paths, packages) are bundled.
      const dynamic = /\bimport\((?!['"](?!node:))/g;
      if (!text.includes('import.meta.url') && !dynamic.test(text)) return undefined;
      let rel = relative(outDir, args.path).split('\\').join('/');
      if (!rel.startsWith('.')) rel = `./${rel}`;
      return {
        contents: text
          .replaceAll('import.meta.url', `new URL(${JSON.stringify(rel)}, __scapkitBundleUrl).href`)
          .replace(dynamic, '__scapkitImport('),
        loader: 'js',
        resolveDir: dirname(args.path),
      };
    });
  },
};

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
  external: ['lz4-napi', 'zstd-napi', 'zstd-napi/*', '*.node', '@scapkit/columnar', '@scapkit/columnar/*'],
  plugins: [keepModuleUrls],
  // import() cannot run inside a vm.Script whose code came from a cache (Node 20 loses the script's import
  // callback, ERR_VM_DYNAMIC_IMPORT_CALLBACK_MISSING): the bin lends its own, an ES module's.
  banner: {
    js: [
      "const __scapkitBundleUrl = require('node:url').pathToFileURL(__filename);",
      "const __scapkitImport = globalThis[Symbol.for('scapkit.import')] ?? ((s) => Promise.reject(new Error('cannot import ' + s + ': load this bundle through bin/scapkit.js')));",
    ].join('\n'),
  },
  logLevel: 'warning',
  metafile: true,
});
const inputs = Object.keys(result.metafile.inputs).length;
const kib = Object.values(result.metafile.outputs).reduce((n, o) => n + o.bytes, 0) / 1024;

// The warm-up: one child, the bin in its warm-up mode (SCAPKIT_CODE_CACHE_WARMUP: a JSON list of argument
// lists, run one after the other; then the cache is written next to the bundle).
const bin = join(root, 'packages/recorder/bin/scapkit.js');
const trace = join(root, 'packages/scap-format/test/golden/basic-lz4.scapkit');
const tmp = mkdtempSync(join(tmpdir(), 'scapkit-bundle-'));
try {
  const scap = join(tmp, 'warm.scap');
  const runs = [
    ['replay', '-r', trace],
    ['export', '-r', trace, '-w', scap],
    ['replay', '-r', scap],
    ['replay', '-r', scap, 'proc.name=cat and evt.type=connect'],
    ['replay', '-r', scap, '-p', '%evt.num %proc.name %fd.name', 'fd.type=file'],
    ['replay', '-r', scap, '-j'],
    ['info', scap],
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
