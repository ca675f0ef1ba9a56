// @ts-check
// A fuzz worker thread. Mode "fuzz": generates and runs cases index after index, publishing the index it
// is on in shared memory (the main thread's watchdog reads it to name the case that hung) and posting
// failures and counts. Mode "exec": runs the cases the main thread sends (minimisation, regressions).
// It runs under resourceLimits and a memory cap on ArrayBuffers, so an allocation bomb ends as a failure.
import { parentPort, workerData } from 'node:worker_threads';
import { loadDistDeps } from './lib/deps-dist.mjs';
import { genFilter, runFilter } from './lib/filter.mjs';
import { genCase, runCase } from './lib/gen.mjs';
import { genRules, ruleSeeds, runRules } from './lib/rules.mjs';

const port = /** @type {import('node:worker_threads').MessagePort} */ (parentPort);
const { mode, runSeed, worker, target, corpus, memoryCapBytes, startIndex, progress, differentialEvery } =
  workerData;
const deps = await loadDistDeps();
const filterApi = deps.filterApi;
const registry = filterApi?.createFieldRegistry();
const fields = registry?.list();
const lz4 = deps.createLz4Codec();
const env = {
  lz4,
  zstd: deps.zstdCodec,
  replay: !!deps.replay,
  fields,
  operators: filterApi?.OPERATORS,
  genFilter: filterApi ? genFilter : undefined,
  ruleSeeds: deps.rulesApi ? ruleSeeds() : undefined,
  genRules: deps.rulesApi ? genRules : undefined,
};

/** Records of a small real capture, for filters to run over. */
let filterRecords = /** @type {any[] | undefined} */ (undefined);
async function recordsForFilters() {
  if (filterRecords) return filterRecords;
  const seed = /** @type {import('./lib/corpus.mjs').Corpus} */ (corpus).sysdig.find((s) =>
    s.name.startsWith('cat_write'),
  );
  const out = [];
  async function* one() {
    yield/** @type {Uint8Array} */ (seed?.bytes);
  }
  try {
    for await (const r of deps.readSysdigCapture(one())) out.push(r);
  } catch {}
  filterRecords = out;
  return out;
}

/** @param {import('./lib/gen.mjs').Case} c @param {boolean} differential */
async function run(c, differential) {
  if (c.target === 'rules') return runRules(deps.rulesApi, /** @type {string} */ (c.text));
  if (c.target === 'filter')
    return runFilter(filterApi, registry, /** @type {string} */ (c.text), await recordsForFilters());
  return runCase(deps, c, { memoryCapBytes, differential });
}

if (mode === 'fuzz') {
  const slot = new Int32Array(progress);
  const counts = { sysdig: 0, scapkit: 0, filter: 0, rules: 0, typed: 0, ok: 0 };
  let sinceReport = 0;
  for (let i = startIndex; ; i++) {
    Atomics.store(slot, worker * 2, i);
    if (Atomics.load(slot, slot.length - 1) === 1) break; // the main thread asks us to stop
    const c = genCase(runSeed, worker, i, corpus, target, env);
    const differential = differentialEvery > 0 && i % differentialEvery === 0;
    const out = await run(c, differential);
    counts[c.target]++;
    if (out.status === 'ok') counts.ok++;
    else if (out.status === 'typed') counts.typed++;
    else
      port.postMessage({
        type: 'fail',
        index: i,
        target: c.target,
        seed: c.seed,
        ops: c.ops,
        opts: c.opts,
        differential,
        out,
      });
    Atomics.store(slot, worker * 2 + 1, Atomics.load(slot, worker * 2 + 1) + 1);
    if (++sinceReport >= 100) {
      port.postMessage({ type: 'counts', counts: { ...counts } });
      sinceReport = 0;
    }
  }
  port.postMessage({ type: 'counts', counts: { ...counts }, final: true });
} else {
  port.on('message', async (msg) => {
    const out = await run(msg.case, msg.differential === true);
    port.postMessage({ id: msg.id, out });
  });
  port.postMessage({ ready: true });
}
