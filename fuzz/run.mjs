#!/usr/bin/env node
// @ts-check
// `npm run fuzz -- --seconds N --target sysdig|scapkit|filter|rules|all [--workers K] [--seed S]`
//
// Mutation fuzzing of the sysdig and scapkit readers (and replay and the filter parser when
// @scapkit/replay provides them) from the built packages. Cases run in worker threads under a watchdog
// (a case that runs past --timeout-ms is a hang), resourceLimits and an ArrayBuffer cap (an allocation
// past --memory-mb is a failure). Only ScapFormatError and its subclasses (FilterSyntaxError /
// UnknownFieldError for filters) may come out. Failing cases are regenerated from their index,
// minimised, and saved under packages/scap-format/test/regressions/ with a note; the in-test fuzz
// replays them (and `--regressions` replays them here, under the watchdog). Exit code 1 when anything failed.
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { Worker } from 'node:worker_threads';
import { gunzipSync } from 'node:zlib';
import { buildCorpus } from './lib/corpus.mjs';
import { loadDistDeps } from './lib/deps-dist.mjs';
import { genFilter } from './lib/filter.mjs';
import { genCase } from './lib/gen.mjs';
import { minimise } from './lib/minimise.mjs';
import { fnv1a } from './lib/prng.mjs';
import { genRules, ruleSeeds } from './lib/rules.mjs';

const args = process.argv.slice(2);
/** @param {string} name @param {string} dflt */
const arg = (name, dflt) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 && i + 1 < args.length ? args[i + 1] : dflt;
};
if (args.includes('--help')) {
  process.stderr.write(
    'usage: node fuzz/run.mjs [--seconds 60] [--target all|sysdig|scapkit|filter|rules] [--workers 1] [--seed N]\n' +
      '       [--timeout-ms 10000] [--memory-mb 768] [--differential-every 20] [--no-save] [--max-inputs N]\n' +
      '       node fuzz/run.mjs --regressions   (replay the saved regression inputs under the watchdog)\n',
  );
  process.exit(2);
}
const seconds = Number(arg('seconds', '60'));
const target = arg('target', 'all');
const workers = Math.max(1, Number(arg('workers', '1')));
const runSeed = Number(arg('seed', String(Date.now() % 2147483647)));
const timeoutMs = Number(arg('timeout-ms', '10000'));
const memoryCapBytes = Number(arg('memory-mb', '768')) * 2 ** 20;
const differentialEvery = Number(arg('differential-every', '20'));
const maxInputs = Number(arg('max-inputs', 'Infinity'));
const save = !args.includes('--no-save');
if (!['all', 'sysdig', 'scapkit', 'filter', 'rules'].includes(target) || !(seconds > 0)) {
  process.stderr.write(`fuzz: bad --target ${target} or --seconds ${seconds}\n`);
  process.exit(2);
}
const REGRESSIONS = new URL('../packages/scap-format/test/regressions/', import.meta.url).pathname;
const log = (/** @type {string} */ s) => process.stderr.write(`[fuzz] ${s}\n`);

if (!existsSync(new URL('../packages/scap-format/dist/index.js', import.meta.url))) {
  log('packages are not built: run `pnpm exec tsc -b` (npm run fuzz does)');
  process.exit(1);
}
const deps = await loadDistDeps();
if (deps.replayMissing) log(`replay pass off: ${deps.replayMissing}`);
if (!deps.filterApi && (target === 'filter' || target === 'all'))
  log('filter fuzzing off: no compileFilter in @scapkit/replay');
if (target === 'filter' && !deps.filterApi) process.exit(1);
if (deps.rulesMissing && (target === 'rules' || target === 'all'))
  log(`rules fuzzing off: ${deps.rulesMissing}`);
if (target === 'rules' && !deps.rulesApi) process.exit(1);
const t0 = Date.now();
const corpus = await buildCorpus(deps);
log(
  `corpus: ${corpus.sysdig.length} sysdig, ${corpus.sysdigGz.length} gzip, ${corpus.scapkit.length} scapkit seeds ` +
    `(${((Date.now() - t0) / 1000).toFixed(1)} s); seed ${runSeed}, ${workers} worker(s), ${seconds} s, target ${target}`,
);
const registry = deps.filterApi?.createFieldRegistry();
const env = {
  lz4: deps.createLz4Codec(),
  zstd: deps.zstdCodec,
  replay: !!deps.replay,
  fields: registry?.list(),
  operators: deps.filterApi?.OPERATORS,
  genFilter: deps.filterApi ? genFilter : undefined,
  ruleSeeds: deps.rulesApi ? ruleSeeds() : undefined,
  genRules: deps.rulesApi ? genRules : undefined,
};

const resourceLimits = { maxOldGenerationSizeMb: 1024, maxYoungGenerationSizeMb: 64 };
const progress = new SharedArrayBuffer(4 * (2 * workers + 1));

/** Runs single cases in an exec worker with the same watchdog (a minimisation candidate may hang too). */
class Executor {
  /** @type {Worker | undefined} */
  wk;
  id = 0;
  async start() {
    this.wk = new Worker(new URL('./worker.mjs', import.meta.url), {
      workerData: {
        mode: 'exec',
        corpus,
        memoryCapBytes,
        runSeed,
        worker: 0,
        target,
        progress,
        differentialEvery: 0,
        startIndex: 0,
      },
      resourceLimits,
    });
    await new Promise((resolve) => this.wk?.once('message', resolve));
  }
  /** @param {any} c @param {boolean} differential @returns {Promise<any>} */
  async run(c, differential) {
    if (!this.wk) await this.start();
    const wk = /** @type {Worker} */ (this.wk);
    const id = ++this.id;
    return new Promise((resolve) => {
      const done = (/** @type {any} */ out) => {
        clearTimeout(timer);
        wk.off('message', onMsg);
        wk.off('error', onErr);
        resolve(out);
      };
      const onMsg = (/** @type {any} */ m) => m.id === id && done(m.out);
      const onErr = (/** @type {any} */ e) => {
        this.wk = undefined;
        done({ status: 'fail', signature: `worker-${e.code ?? e.name}`, error: String(e) });
      };
      const timer = setTimeout(() => {
        this.wk = undefined;
        void wk.terminate();
        done({ status: 'fail', signature: 'hang', error: `no result after ${timeoutMs} ms` });
      }, timeoutMs);
      wk.on('message', onMsg);
      wk.once('error', onErr);
      wk.postMessage({ id, case: c, differential });
    });
  }
  stop() {
    void this.wk?.terminate();
  }
}

/**
 * `--regressions`: replays every saved regression input under the watchdog (the vitest replay skips open
 * hangs, which would hang it) and says which still fail. Exit code 1 when a note marked fixed fails.
 */
async function replayRegressions() {
  const ex = new Executor();
  let bad = 0;
  const files = existsSync(REGRESSIONS)
    ? readdirSync(REGRESSIONS)
        .filter((f) => f.endsWith('.json'))
        .sort()
    : [];
  for (const f of files) {
    const n = JSON.parse(readFileSync(REGRESSIONS + f, 'utf8'));
    const raw = readFileSync(REGRESSIONS + n.file);
    const data = n.file.endsWith('.gz') ? gunzipSync(raw) : raw;
    const c =
      n.target === 'filter' || n.target === 'rules'
        ? { target: n.target, text: data.toString('utf8'), seed: 'regression', ops: [], opts: n.opts }
        : {
            target: n.target,
            format: n.format ?? n.target,
            bytes: new Uint8Array(data),
            seed: 'regression',
            ops: [],
            opts: n.opts,
          };
    const t = Date.now();
    const out = await ex.run(c, n.differential === true);
    const failing = out.status === 'fail';
    if (failing && n.status !== 'open') bad++;
    process.stdout.write(
      `${n.file}: ${failing ? `FAILS (${out.signature})` : `passes (${out.status})`} in ${Date.now() - t} ms; note says ${n.status}: ${n.broke}\n`,
    );
  }
  ex.stop();
  process.exit(bad > 0 ? 1 : 0);
}
if (args.includes('--regressions')) await replayRegressions();

// ---- the fuzz workers under a watchdog -------------------------------------------------------------------

const slot = new Int32Array(progress);
/** @type {{ index: number, target: string, seed: string, ops: string[], opts: any, out: any, worker: number, differential?: boolean }[]} */
const failures = [];
const totals = { sysdig: 0, scapkit: 0, filter: 0, rules: 0, typed: 0, ok: 0 };
/** @type {(typeof totals)[]} */
const live = [];
/** @type {(Worker | undefined)[]} */
const pool = [];
const lastSeen = /** @type {{ index: number, at: number }[]} */ ([]);
let stopping = false;

/** @param {number} w @param {number} startIndex */
function spawn(w, startIndex) {
  live[w] = { sysdig: 0, scapkit: 0, filter: 0, rules: 0, typed: 0, ok: 0 };
  Atomics.store(slot, w * 2, startIndex);
  lastSeen[w] = { index: startIndex, at: Date.now() };
  const wk = new Worker(new URL('./worker.mjs', import.meta.url), {
    workerData: {
      mode: 'fuzz',
      runSeed,
      worker: w,
      target,
      corpus,
      memoryCapBytes,
      startIndex,
      progress,
      differentialEvery,
    },
    resourceLimits,
  });
  pool[w] = wk;
  wk.on('message', (m) => {
    if (m.type === 'counts') live[w] = m.counts;
    else if (m.type === 'fail') {
      failures.push({ ...m, worker: w });
      log(
        `FAIL #${failures.length} worker ${w} index ${m.index} (${m.target}, ${m.seed}, ${m.ops.join('+')}): ${m.out.signature}`,
      );
    }
  });
  wk.on('error', (e) => {
    // resourceLimits exceeded (ERR_WORKER_OUT_OF_MEMORY) or an error thrown outside the per-case catch
    const index = Atomics.load(slot, w * 2);
    const c = genCase(runSeed, w, index, corpus, target, env);
    failures.push({
      index,
      target: c.target,
      seed: c.seed,
      ops: c.ops,
      opts: c.opts,
      worker: w,
      out: {
        status: 'fail',
        events: 0,
        signature: `worker-${/** @type {any} */ (e).code ?? e.name}`,
        error: String(e),
      },
    });
    log(`FAIL #${failures.length} worker ${w} index ${index}: worker died: ${e.message}`);
    retire(w);
    if (!stopping) spawn(w, index + 1);
  });
  wk.on('exit', () => {
    if (pool[w] === wk) pool[w] = undefined;
  });
}

/** Adds a worker's counts to the totals before it is replaced. @param {number} w */
function retire(w) {
  for (const k of Object.keys(totals))
    totals[/** @type {keyof typeof totals} */ (k)] += live[w][/** @type {keyof typeof totals} */ (k)];
  live[w] = { sysdig: 0, scapkit: 0, filter: 0, rules: 0, typed: 0, ok: 0 };
}

const sum = () => {
  const s = { ...totals };
  for (const l of live)
    for (const k of Object.keys(s))
      s[/** @type {keyof typeof s} */ (k)] += l[/** @type {keyof typeof s} */ (k)];
  return s;
};

for (let w = 0; w < workers; w++) spawn(w, 0);
const started = Date.now();
let lastReport = started;
await new Promise((resolve) => {
  const timer = setInterval(() => {
    const now = Date.now();
    for (let w = 0; w < workers; w++) {
      const wk = pool[w];
      if (!wk) continue;
      const index = Atomics.load(slot, w * 2);
      if (index !== lastSeen[w].index) lastSeen[w] = { index, at: now };
      else if (now - lastSeen[w].at > timeoutMs) {
        // A hang: the case at `index` is still running. Its counts so far are lost with the worker; the
        // shared counter (slot w*2+1) is not, so the totals stay exact.
        const c = genCase(runSeed, w, index, corpus, target, env);
        failures.push({
          index,
          target: c.target,
          seed: c.seed,
          ops: c.ops,
          opts: c.opts,
          worker: w,
          out: { status: 'fail', events: 0, signature: 'hang', error: `no result after ${timeoutMs} ms` },
        });
        log(
          `FAIL #${failures.length} worker ${w} index ${index} (${c.target}, ${c.seed}, ${c.ops.join('+')}): hang`,
        );
        pool[w] = undefined;
        void wk.terminate();
        retire(w);
        spawn(w, index + 1);
      }
    }
    const done =
      Atomics.load(slot, 1) +
      (workers > 1
        ? [...Array(workers).keys()].slice(1).reduce((a, w) => a + Atomics.load(slot, w * 2 + 1), 0)
        : 0);
    if (now - lastReport >= 30_000) {
      lastReport = now;
      log(
        `${done} inputs, ${failures.length} failures, ${(done / ((now - started) / 1000)).toFixed(0)} inputs/s`,
      );
    }
    if (now - started >= seconds * 1000 || done >= maxInputs) {
      clearInterval(timer);
      resolve(undefined);
    }
  }, 100);
});
stopping = true;
Atomics.store(slot, slot.length - 1, 1);
// Let workers finish their case and post final counts; one stuck in a hang is ended at the time limit.
await Promise.all(
  pool.map(
    (wk) =>
      wk &&
      new Promise((resolve) => {
        const t = setTimeout(() => {
          void wk.terminate();
          resolve(undefined);
        }, timeoutMs + 1000);
        wk.once('exit', () => {
          clearTimeout(t);
          resolve(undefined);
        });
      }),
  ),
);
const elapsed = (Date.now() - started) / 1000;
let inputs = 0;
for (let w = 0; w < workers; w++) inputs += Atomics.load(slot, w * 2 + 1);
const counts = sum();

// ---- minimise and save -------------------------------------------------------------------------------------

const unique = new Map();
for (const f of failures) if (!unique.has(f.out.signature)) unique.set(f.out.signature, f);
const saved = [];
/** @type {string[]} */
const notReproduced = [];
if (save && unique.size > 0) {
  mkdirSync(REGRESSIONS, { recursive: true });
  const ex = new Executor();
  for (const f of [...unique.values()].slice(0, 10)) {
    const c = genCase(runSeed, f.worker, f.index, corpus, target, env);
    const sig = f.out.signature;
    const isText = c.target === 'filter' || c.target === 'rules';
    /** @param {any} candidate */
    const stillFails = async (candidate) => {
      const out = await ex.run(
        isText ? { ...c, text: candidate } : { ...c, bytes: candidate },
        f.differential === true,
      );
      return out.status === 'fail' && out.signature === sig;
    };
    const original = isText ? c.text : c.bytes;
    let result = original;
    let tries = 0;
    if (await stillFails(original)) {
      // hangs cost the full timeout per try: fewer of them
      ({ result, tries } = await minimise(original, stillFails, {
        maxTries: sig === 'hang' ? 20 : 300,
        deadline: Date.now() + 30_000,
      }));
    } else {
      // It depended on what ran before it in the worker (memory still held, timing): not a regression
      // input anyone could replay. Reported, not saved.
      log(`failure ${sig} does not reproduce alone (index ${f.index}): not saved`);
      notReproduced.push(sig);
      continue;
    }
    const name = `${c.target}-${fnv1a(new TextEncoder().encode(sig))}`;
    const file = `${name}.${isText ? 'txt' : 'bin'}`;
    writeFileSync(
      REGRESSIONS + file,
      isText ? /** @type {string} */ (result) : /** @type {Uint8Array} */ (result),
    );
    const note = {
      file,
      target: c.target,
      format: c.format,
      opts: c.opts,
      differential: f.differential === true,
      status: 'open',
      broke: sig,
      error: f.out.error,
      found: {
        runSeed,
        worker: f.worker,
        index: f.index,
        seed: c.seed,
        ops: c.ops,
        date: new Date().toISOString(),
      },
      size: { original: original?.length, minimised: result?.length, tries },
    };
    writeFileSync(`${REGRESSIONS}${name}.json`, `${JSON.stringify(note, null, 2)}\n`);
    saved.push(file);
    log(`saved ${file} (${original?.length} → ${result?.length} bytes, ${tries} tries)`);
  }
  ex.stop();
}

// ---- report -------------------------------------------------------------------------------------------------

const report = {
  command: `node fuzz/run.mjs ${args.join(' ')}`.trim(),
  seed: runSeed,
  target,
  workers,
  seconds: Number(elapsed.toFixed(1)),
  inputs,
  perTarget: { sysdig: counts.sysdig, scapkit: counts.scapkit, filter: counts.filter, rules: counts.rules },
  outcomes: { ok: counts.ok, typedError: counts.typed },
  failures: failures.length,
  uniqueFailures: [...unique.keys()],
  inputsPerSecond: Number((inputs / elapsed).toFixed(1)),
  replay: deps.replay ? 'on' : `off (${deps.replayMissing})`,
  saved,
  notReproducedAlone: notReproduced,
};
process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
process.exit(failures.length > 0 ? 1 : 0);
