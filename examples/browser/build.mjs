// Bundles the browser example with esbuild into examples/browser/dist/ (app.js + index.html):
//   pnpm --filter @scapkit/examples build      (or: node examples/browser/build.mjs [OUTDIR])
// @scapkit/scap-format is bundled from its TypeScript sources, so the page needs no `tsc -b` first and
// never picks up a stale dist/. Bundling for the browser platform also proves the core entry pulls in
// nothing from Node: a `node:` import would fail the build. The browser test calls buildBrowserApp().
import { copyFile, mkdir } from 'node:fs/promises';
import { argv } from 'node:process';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const here = (p) => fileURLToPath(new URL(p, import.meta.url));
const CORE_SOURCE = here('../../packages/scap-format/src/index.ts');

/** Builds the page into `outdir` (default examples/browser/dist); returns the folder. */
export async function buildBrowserApp(outdir = here('./dist')) {
  await mkdir(outdir, { recursive: true });
  await build({
    entryPoints: [here('./app.ts')],
    outfile: `${outdir}/app.js`,
    bundle: true,
    format: 'esm',
    platform: 'browser',
    // DecompressionStream (gzip captures) is in every browser of 2023 and later; so is ES2022.
    target: ['es2022', 'chrome120', 'firefox120', 'safari16.4'],
    sourcemap: true,
    logLevel: 'warning',
    plugins: [
      {
        name: 'scapkit-core-from-source',
        setup(b) {
          b.onResolve({ filter: /^@scapkit\/scap-format$/ }, () => ({ path: CORE_SOURCE }));
        },
      },
    ],
  });
  await copyFile(here('./index.html'), `${outdir}/index.html`);
  return outdir;
}

if (argv[1] && fileURLToPath(import.meta.url) === argv[1]) {
  const out = await buildBrowserApp(argv[2]);
  process.stderr.write(`built ${out}/index.html and app.js\n`);
}
