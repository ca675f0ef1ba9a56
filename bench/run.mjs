// `npm run bench [-- NAME ...]`: runs every bench/*.bench.mjs (or those named) one after another, each in
// its own process so one's memory does not colour the next. Each benchmark compares against its peer in
// the same run and prints ratios: these machines are noisy, absolute numbers are not comparable across runs.
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const dir = fileURLToPath(new URL('.', import.meta.url));
const wanted = process.argv.slice(2);
const all = readdirSync(dir)
  .filter((f) => f.endsWith('.bench.mjs'))
  .sort();
const chosen = wanted.length ? all.filter((f) => wanted.some((w) => f.startsWith(w))) : all;
if (chosen.length === 0) {
  console.error(`no benchmark matches ${wanted.join(', ')}; have: ${all.join(', ')}`);
  process.exit(2);
}
let failed = 0;
for (const f of chosen) {
  console.log(`\n=== ${f}`);
  const r = spawnSync(process.execPath, ['--expose-gc', f], { cwd: dir, stdio: 'inherit' });
  if (r.status !== 0) {
    failed++;
    console.log(`=== ${f} failed (exit ${r.status})`);
  }
}
process.exit(failed ? 1 : 0);
