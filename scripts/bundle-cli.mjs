// Bundles the compiled CLI (packages/recorder/dist/cli.js, after `pnpm exec tsc -b`) with its workspace
// packages and yargs into packages/recorder/dist/bundle/ (cli.js plus one chunk per lazily loaded command):
// start-up then reads a few files instead of ~100 (issue #4; bench/replay.bench.mjs prints what it saves).
// Usage: node scripts/bundle-cli.mjs. The bin uses dist/bundle/cli.js when it exists, else dist/cli.js.
//
// Native modules stay outside: lz4-napi, zstd-napi and the probe's .node addon are loaded with
// createRequire(import.meta.url), and the snapshot worker with new URL('./snapshot-worker.js',
// import.meta.url) (the worker runs the unbundled dist/record/snapshot-worker.js). So that these resolve
// as they do unbundled, every `import.meta.url` in a bundled module is rewritten to that module's original
// URL, expressed relative to the bundle. esbuild: a root devDependency; ESBUILD=/path/to/esbuild/lib/main.js
// overrides where it is loaded from.
import { readFile, rm } from 'node:fs/promises';
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

const keepModuleUrls = {
  name: 'keep-module-urls',
  setup(b) {
    b.onLoad({ filter: /\.(m?js|cjs)$/ }, async (args) => {
      const text = await readFile(args.path, 'utf8');
      if (!text.includes('import.meta.url')) return undefined;
      let rel = relative(outDir, args.path).split('\\').join('/');
      if (!rel.startsWith('.')) rel = `./${rel}`;
      return {
        contents: text.replaceAll('import.meta.url', `new URL(${JSON.stringify(rel)}, import.meta.url).href`),
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
  // One chunk per dynamically imported command module: a replay does not parse record's or yargs' code
  // (a single file, which does, saves ~10 ms less).
  splitting: true,
  outdir: outDir,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  external: ['lz4-napi', 'zstd-napi', 'zstd-napi/*', '*.node'],
  plugins: [keepModuleUrls],
  // CommonJS dependencies call require(); give each chunk one.
  banner: {
    js: "import { createRequire as __scapkitCreateRequire } from 'node:module'; const require = __scapkitCreateRequire(import.meta.url);",
  },
  logLevel: 'warning',
  metafile: true,
});
const inputs = Object.keys(result.metafile.inputs).length;
const outputs = Object.values(result.metafile.outputs);
const kib = outputs.reduce((n, o) => n + o.bytes, 0) / 1024;
console.log(`bundled ${inputs} modules into ${outDir}/ (${outputs.length} files, ${kib.toFixed(0)} KiB)`);
