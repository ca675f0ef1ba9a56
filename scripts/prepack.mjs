// The `prepack` of every published package (pnpm pack and pnpm publish run it in the package's directory):
// builds what the tarball ships, so that a package packs the same from a clean clone as from a built tree.
//   1. tsc -b: the package and the packages it references;
//   2. dist/ made what a clean clone builds: compiled files whose source is gone (a module renamed or
//      removed since this tree's first build) are deleted, and the `//# sourceMappingURL` comments removed,
//      since the maps (and src/) do not ship (`files`) and a bundler or debugger would look for them;
//   3. the repository's LICENSE copied beside package.json (npm ships a LICENSE whatever `files` says);
//   4. the published entry points bundled: every `publishConfig.exports` entry that names
//      ./dist/bundle/NAME.js becomes one ES module built from the `exports` entry of the same subpath (which
//      the repository itself uses). Only the package's own modules are bundled: dependencies stay imports,
//      so the installer deduplicates them, and code shared by two entries lands in one chunk beside them
//      (one copy of each class, so instanceof holds across `.` and `./node`). Importing a bundle reads and
//      compiles one file instead of resolving ~100 (`npm run bench import` prints both). A module that the
//      package.json `browser` field swaps for another (./dist/X.js → ./dist/Y.js) stays a file of its own,
//      both forms bundled beside the entries as dist/bundle/X.js and Y.js, which the field must swap too:
//      the bundles serve Node and browsers alike, and the bundler of a browser consumer makes the swap.
//      Whitespace and comments are left out and the syntax shortened (names are kept, for stack traces
//      and error names): V8 parses every byte of a module when it is imported.
// A package's own steps follow in its prepack script (the probe's skeleton, the viewer's page, the CLI
// bundle). Usage, from a package directory: node ../../scripts/prepack.mjs
import { spawnSync } from 'node:child_process';
import {
  copyFileSync,
  existsSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { builtinModules, createRequire } from 'node:module';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { keepModuleUrls, relativeUrlPath } from './module-urls.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const dir = process.cwd();
const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
const fail = (msg) => {
  console.error(`prepack ${pkg.name}: ${msg}`);
  process.exit(1);
};

const tsc = createRequire(join(root, 'package.json')).resolve('typescript/bin/tsc');
const built = spawnSync(process.execPath, [tsc, '-b'], { cwd: dir, stdio: 'inherit' });
if (built.status !== 0) fail(`tsc -b exited ${built.status}`);

// What tsc emits for src/X.ts: dist/X.js, X.d.ts and their maps. dist/bundle is rewritten below; other
// files (the viewer's page, the probe's skeleton) are a package's own build's.
const COMPILED = /^(.*)\.(?:js|d\.ts)(?:\.map)?$/;
let pruned = 0;
for (const rel of readdirSync(join(dir, 'dist'), { recursive: true })) {
  const m = COMPILED.exec(rel);
  if (!m || rel.startsWith('bundle/')) continue;
  const file = join(dir, 'dist', rel);
  if (!['.ts', '.tsx', '.mts'].some((ext) => existsSync(join(dir, 'src', m[1] + ext)))) {
    rmSync(file);
    pruned++;
  } else if (!rel.endsWith('.map')) {
    const text = readFileSync(file, 'utf8');
    const stripped = text.replace(/\n\/\/# sourceMappingURL=\S+\s*$/, '\n');
    // Written beside, then renamed over: a test running the CLI from dist/ meanwhile reads a whole file.
    if (stripped !== text) {
      writeFileSync(`${file}.tmp`, stripped);
      renameSync(`${file}.tmp`, file);
    }
  }
}
if (pruned > 0) console.log(`prepack ${pkg.name}: removed ${pruned} compiled files whose source is gone`);

copyFileSync(join(root, 'LICENSE'), join(dir, 'LICENSE'));

// Dependencies built into the bundles instead of imported: each costs a fresh Node process more to load as
// its own modules than its code does (@msgpack/msgpack is a dozen CommonJS files for Node, which reads its
// `main`; fzstd and re2js one ES module each), ~20 ms of CPU together (`npm run bench import`). They stay
// declared dependencies: the unbundled dist/ that ships beside the bundles (worker scripts) imports them.
const INLINED = new Set(['@msgpack/msgpack', 'fzstd', 're2js']);
const packageName = (spec) =>
  spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0];

const BUNDLE = /^\.\/dist\/bundle\/([\w-]+)\.js$/;
const entryPoints = [];
for (const [subpath, target] of Object.entries(pkg.publishConfig?.exports ?? {})) {
  const m = BUNDLE.exec(target.default);
  if (!m) continue;
  const source = pkg.exports?.[subpath]?.default;
  if (source === undefined)
    fail(`publishConfig.exports['${subpath}'] has no exports['${subpath}'] to bundle`);
  if (target.types !== pkg.exports[subpath].types)
    fail(`exports['${subpath}'] and its published form differ in types`);
  entryPoints.push({ in: join(dir, source), out: m[1] });
}
// The browser field's swaps: the file imported (by its path) → its name in dist/bundle.
const swapped = new Map();
for (const [from, to] of Object.entries(pkg.browser ?? {})) {
  // ./src/ entries serve bundlers that build the workspace from its sources (the viewer's page).
  if (!from.startsWith('./dist/') || from.startsWith('./dist/bundle/')) continue;
  const [fromName, toName] = [basename(from, '.js'), basename(to, '.js')];
  if (pkg.browser[`./dist/bundle/${fromName}.js`] !== `./dist/bundle/${toName}.js`)
    fail(
      `browser swaps ${from} for ${to} but not ./dist/bundle/${fromName}.js for ./dist/bundle/${toName}.js`,
    );
  swapped.set(join(dir, from), fromName);
  entryPoints.push({ in: join(dir, from), out: fromName }, { in: join(dir, to), out: toName });
}
if (entryPoints.length > 0) {
  const outDir = join(dir, 'dist/bundle');
  rmSync(outDir, { recursive: true, force: true });
  const result = await build({
    entryPoints,
    outdir: outDir,
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'neutral',
    target: 'es2022',
    // node:* are Node's; a bare import stays one (a dependency, installed beside the package), except the
    // small pure-JS libraries of INLINED, built into the bundle from their ES module build.
    external: ['node:*'],
    mainFields: ['module', 'main'],
    conditions: ['import'],
    plugins: [
      {
        name: 'dependencies-outside',
        setup(b) {
          b.onResolve({ filter: /^\./ }, (args) => {
            const name =
              args.kind === 'entry-point' ? undefined : swapped.get(join(args.resolveDir, args.path));
            return name === undefined ? undefined : { path: `./${name}.js`, external: true };
          });
          b.onResolve({ filter: /^[^./]/ }, (args) =>
            args.path.startsWith('node:') || INLINED.has(packageName(args.path))
              ? undefined
              : { path: args.path, external: true },
          );
        },
      },
      keepModuleUrls({
        moduleUrl: (file) =>
          `new URL(${JSON.stringify(relativeUrlPath(outDir, file))}, import.meta.url).href`,
      }),
    ],
    minifyWhitespace: true,
    minifySyntax: true,
    metafile: true,
    logLevel: 'warning',
  });
  // A bare import the package does not declare would work here (pnpm links the workspace) and fail once
  // installed: refuse it now.
  const declared = new Set([
    ...Object.keys(pkg.dependencies ?? {}),
    ...Object.keys(pkg.optionalDependencies ?? {}),
    ...Object.keys(pkg.peerDependencies ?? {}),
  ]);
  const builtins = new Set(builtinModules);
  for (const input of Object.values(result.metafile.inputs)) {
    for (const { path, external } of input.imports) {
      if (!external || path.startsWith('node:') || path.startsWith('./')) continue;
      const name = packageName(path);
      if (builtins.has(name)) fail(`import '${path}': write it 'node:${path}'`);
      if (!declared.has(name)) fail(`imports '${path}', which package.json does not declare`);
    }
  }
  // The inlined libraries' licenses travel with their code.
  const inlined = new Map();
  for (const input of Object.keys(result.metafile.inputs)) {
    const at = input.lastIndexOf('node_modules/');
    if (at < 0) continue;
    const name = packageName(input.slice(at + 'node_modules/'.length));
    inlined.set(name, join(dir, input.slice(0, at + 'node_modules/'.length), name));
  }
  const notices = [...inlined].sort().map(([name, pkgDir]) => {
    const { version, license } = JSON.parse(readFileSync(join(pkgDir, 'package.json'), 'utf8'));
    const file = readdirSync(pkgDir).find((f) => /^licen[cs]e/i.test(f));
    if (!file) fail(`${name} is inlined and has no LICENSE file to ship with it`);
    return `## ${name} ${version} (${license})\n\n${readFileSync(join(pkgDir, file), 'utf8').trim()}\n`;
  });
  if (notices.length > 0) {
    writeFileSync(
      join(outDir, 'THIRD-PARTY-LICENSES.md'),
      `# Libraries built into these bundles\n\n${notices.join('\n')}`,
    );
  }
  const bytes = Object.values(result.metafile.outputs).reduce((n, o) => n + o.bytes, 0);
  console.log(
    `prepack ${pkg.name}: bundled ${entryPoints.map((e) => e.out).join(', ')} into dist/bundle (${(bytes / 1024).toFixed(0)} KiB)`,
  );
}
