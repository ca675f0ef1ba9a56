// `npm run install-cli`: a `scapkit` command on PATH, outside this checkout.
//   npm run install-cli              packs every package (scripts/pack.mjs) and installs the tarballs with
//                                    `npm install -g`: what installing the published packages gives, and it
//                                    outlives the checkout. The probe's addon is compiled then (g++, libbpf-dev,
//                                    libelf-dev, zlib1g-dev, make, python3), its BPF object comes prebuilt.
//   npm run install-cli -- --link    links npm's global bin/scapkit to this checkout's bin/scapkit.js instead:
//                                    instant, and every later build of the checkout is what runs.
// npm's global prefix decides where (`npm prefix -g`, usually /usr/local: bin/scapkit). Prints where the
// command is and whether that directory is on PATH.
import { spawnSync } from 'node:child_process';
import { lstatSync, mkdirSync, mkdtempSync, readlinkSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { packWorkspace } from './pack.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const fail = (msg) => {
  console.error(`install-cli: ${msg}`);
  process.exit(1);
};

const prefix = spawnSync('npm', ['prefix', '-g'], { encoding: 'utf8' }).stdout.trim();
if (!prefix) fail('`npm prefix -g` printed nothing: is npm installed?');
const binDir = join(prefix, 'bin');
const command = join(binDir, 'scapkit');

if (process.argv.includes('--link')) {
  const target = join(root, 'packages/recorder/bin/scapkit.js');
  const existing = lstatSync(command, { throwIfNoEntry: false });
  if (existing && !existing.isSymbolicLink()) {
    fail(
      `${command} exists and is no link (an npm install -g?): \`npm uninstall -g @scapkit/recorder\` first`,
    );
  }
  if (existing) {
    const was = readlinkSync(command);
    if (was !== target) console.log(`install-cli: ${command} linked to ${was} before`);
    rmSync(command);
  }
  mkdirSync(binDir, { recursive: true });
  symlinkSync(target, command);
  console.log(`install-cli: ${command} -> ${target}`);
} else {
  const dir = mkdtempSync(join(tmpdir(), 'scapkit-pack-'));
  try {
    console.log('install-cli: packing (each package builds first)');
    const tarballs = [...packWorkspace(root, dir, () => {}).values()];
    console.log(`install-cli: npm install -g ${tarballs.length} packages into ${prefix}`);
    const r = spawnSync('npm', ['install', '-g', '--no-audit', '--no-fund', ...tarballs], {
      stdio: 'inherit',
    });
    if (r.status !== 0) fail(`npm install -g exited ${r.status}`);
  } catch (e) {
    fail(e.message);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  console.log(`install-cli: ${command}`);
}
if (!(process.env.PATH ?? '').split(delimiter).includes(binDir)) {
  console.log(`install-cli: ${binDir} is not on PATH: export PATH="${binDir}:$PATH"`);
}
