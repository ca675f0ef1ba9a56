// `npm run pack [-- DIR]`: packs every published package of the workspace into DIR (default packed/ at the
// root) with pnpm, whose `prepack` builds each one (scripts/prepack.mjs) and which writes `workspace:` and
// `catalog:` ranges as the versions they stand for. Prints the tarballs. scripts/install-cli.mjs and the
// packaging test (test/packages.test.ts) install what it writes.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The published packages, each after those it depends on. */
export const PUBLISHED = ['scap-format', 'replay', 'rules', 'columnar', 'viewer', 'bpf-probe', 'recorder'];

/**
 * Packs the packages `dirs` (by default every published one) of the workspace at `root` into `outDir`;
 * returns package name → tarball path. `log` receives pnpm's output (the prepack builds); by default it
 * goes to stderr.
 */
export function packWorkspace(root, outDir, log = (text) => process.stderr.write(text), dirs = PUBLISHED) {
  mkdirSync(outDir, { recursive: true });
  const tarballs = new Map();
  for (const dir of dirs) {
    const cwd = join(root, 'packages', dir);
    const { name, version } = JSON.parse(readFileSync(join(cwd, 'package.json'), 'utf8'));
    const r = spawnSync('pnpm', ['pack', '--pack-destination', outDir], { cwd, encoding: 'utf8' });
    log(r.stdout + r.stderr);
    if (r.status !== 0) throw new Error(`pnpm pack of ${name} exited ${r.status}:\n${r.stderr || r.stdout}`);
    tarballs.set(name, join(outDir, `${name.replace('@', '').replace('/', '-')}-${version}.tgz`));
  }
  return tarballs;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const root = fileURLToPath(new URL('..', import.meta.url));
  const out = resolve(process.argv[2] ?? join(root, 'packed'));
  try {
    for (const file of packWorkspace(root, out, () => {}).values()) console.log(file);
  } catch (e) {
    console.error(`pack: ${e.message}`);
    process.exit(1);
  }
}
