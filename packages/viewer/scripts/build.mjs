// Builds the viewer's page into one self-contained file, packages/viewer/dist/web/index.html:
//   node packages/viewer/scripts/build.mjs [OUTDIR]      (setup.sh runs it after tsc -b)
// One file so that it works opened from disk (file:// loads neither ES modules nor worker scripts from
// files): the worker is bundled first and carried in the page as text (started from a blob: URL), the page
// script and the styles (uPlot's and ours) are inlined, and the Content-Security-Policy written into the
// page allows exactly those by their SHA-256 hashes. The server sends the same policy as a header.
// Workspace packages are bundled from their TypeScript sources (no stale dist/), and bundling for the
// browser platform proves the page pulls in nothing from Node: a `node:` import fails the build.
import { createHash } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { argv } from 'node:process';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const here = (p) => fileURLToPath(new URL(p, import.meta.url));
const require = createRequire(import.meta.url);
const SOURCES = {
  '@scapkit/scap-format': here('../../scap-format/src/index.ts'),
  '@scapkit/replay': here('../../replay/src/index.ts'),
};
const TARGET = ['es2022', 'chrome120', 'firefox120', 'safari16.4'];

const fromSource = {
  name: 'scapkit-from-source',
  setup(b) {
    b.onResolve({ filter: /^@scapkit\/(scap-format|replay)$/ }, (a) => ({ path: SOURCES[a.path] }));
    // replay loads user chisel modules with import('node:…') at call time, which the page never does;
    // a static `node:` import still fails the build.
    b.onResolve({ filter: /^node:/ }, (a) =>
      a.kind === 'dynamic-import' ? { path: a.path, external: true } : undefined,
    );
  },
};

async function bundle(entry, define = {}) {
  const r = await build({
    entryPoints: [here(entry)],
    bundle: true,
    write: false,
    format: 'iife',
    platform: 'browser',
    target: TARGET,
    minify: true,
    legalComments: 'none',
    jsx: 'automatic',
    jsxImportSource: 'preact',
    define,
    plugins: [fromSource],
    logLevel: 'warning',
  });
  // Inlined in a <script>: a `</script` inside a string would end it.
  return r.outputFiles[0].text.replaceAll('</script', '<\\/script');
}

const sha256 = (s) => `'sha256-${createHash('sha256').update(s, 'utf8').digest('base64')}'`;

/** Builds the page into `outdir` (default packages/viewer/dist/web); returns the page's path. */
export async function buildViewerPage(outdir = here('../dist/web')) {
  const worker = await bundle('../src/model/worker.ts');
  const script = await bundle('../src/web/main.tsx', { WORKER_SOURCE: JSON.stringify(worker) });
  const style =
    (await readFile(require.resolve('uplot/dist/uPlot.min.css'), 'utf8')) +
    (await readFile(here('../src/web/style.css'), 'utf8'));
  // connect-src 'self': the worker fetches the trace from the server that served the page (nothing from
  // disk needs it); worker-src blob:: the worker's code travels inside the page.
  const csp = [
    "default-src 'none'",
    `script-src ${sha256(script)}`,
    `style-src ${sha256(style)}`,
    'worker-src blob:',
    "connect-src 'self'",
    "img-src 'self' data:",
    "base-uri 'none'",
    "form-action 'none'",
  ].join('; ');
  const template = await readFile(here('../src/web/index.html'), 'utf8');
  const html = template
    .replace('content="CSP"', () => `content="${csp}"`)
    .replace('/* STYLE */', () => style)
    .replace('/* SCRIPT */', () => script);
  await mkdir(outdir, { recursive: true });
  const out = `${outdir}/index.html`;
  // Written beside, then renamed over: a server or test reading the page meanwhile gets the old or the new.
  await writeFile(`${out}.tmp`, html);
  await rename(`${out}.tmp`, out);
  return out;
}

if (argv[1] && fileURLToPath(import.meta.url) === argv[1]) {
  const out = await buildViewerPage(argv[2]);
  const kib = (await readFile(out)).length / 1024;
  process.stderr.write(`built ${out} (${kib.toFixed(0)} KiB)\n`);
}
