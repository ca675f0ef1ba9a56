// The short fuzz run of `npm test`: a fixed number of deterministic mutations (seeded PRNG, the same cases
// on every machine) of the captures and of scapkit traces converted from them, through the full readers
// and, when @scapkit/replay is there, the replay pipeline and the filter compiler; and a replay of every
// input saved in test/regressions/ by `npm run fuzz`. The rule is the one of fuzz/run.mjs: only
// ScapFormatError and its subclasses come out (FilterSyntaxError / UnknownFieldError for filters), no
// case runs for seconds, and no case makes the ArrayBuffers grow past a fixed cap.
import { readdirSync, readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildCorpus, type Corpus } from '../../../fuzz/lib/corpus.mjs';
import { genFilter, runFilter } from '../../../fuzz/lib/filter.mjs';
import { type Case, genCase, runCase } from '../../../fuzz/lib/gen.mjs';
import type { Deps, Outcome } from '../../../fuzz/lib/oracle.mjs';
import {
  createLz4Codec,
  decodeParams,
  EventView,
  MemorySink,
  noneCodec,
  openCapture,
  readScapkit,
  readSysdigCapture,
  recoverScapkit,
  ScapFormatError,
  ScapkitWriter,
} from '../src/index.js';
import {
  installedNativeCodecs,
  nativeZstdCodec,
  nodeGunzip,
  openIndexedScapkitFile,
} from '../src/node/index.js';

/** Cases in the run; with the slim corpus they take well under 20 s on one core. */
const CASES = 2000;
const SEED = 20_261_124;
const MEMORY_CAP = 768 * 2 ** 20;
/**
 * A case that takes more CPU than this is a hang for the purpose of this test (the full fuzz uses a
 * watchdog). CPU time, not wall time: on a loaded machine a case waits for a core as long as it runs. The
 * heaviest honest case, a chunk bomb replayed to the 64 MiB limit (1.3M events), takes about 5 s.
 */
const SLOW_MS = 20_000;
const REGRESSIONS = new URL('./regressions/', import.meta.url).pathname;

interface Note {
  file: string;
  target: 'sysdig' | 'scapkit' | 'filter';
  format?: 'sysdig' | 'scapkit';
  opts: Case['opts'];
  differential?: boolean;
  /** 'open': the bug is not fixed yet (its test is expected to fail); 'fixed': it must pass. */
  status: 'open' | 'fixed';
  broke: string;
}

const zstdCodec = nativeZstdCodec();
const deps: Deps = {
  readSysdigCapture,
  gunzip: nodeGunzip,
  readScapkit,
  EventView,
  decodeParams: decodeParams as Deps['decodeParams'],
  ScapFormatError,
  nativeCodecs: installedNativeCodecs(),
  openCapture,
  recoverScapkit: recoverScapkit as Deps['recoverScapkit'],
  MemorySink,
  IndexedScapkitReader: { open: openIndexedScapkitFile } as unknown as Deps['IndexedScapkitReader'],
};
// The filter API of @scapkit/replay, when it provides one (it is built by a colleague, in parallel).
let filterApi: Parameters<typeof runFilter>[0] | undefined;
let registry: unknown;
let filterRecords: unknown[] = [];
let corpus: Corpus;

const notes: Note[] = readdirSync(REGRESSIONS)
  .filter((f) => f.endsWith('.json'))
  .sort()
  .map((f) => JSON.parse(readFileSync(REGRESSIONS + f, 'utf8')) as Note);
/** Inputs that hang or exhaust the heap while their bug is open: not replayed in-process. */
const heavy = (n: Note): boolean =>
  n.status === 'open' && (n.broke === 'hang' || n.broke.startsWith('worker-'));
/** Outcome of each saved regression input, run once before the tests look at them. */
const replayed = new Map<string, Outcome>();

async function run(c: Case, differential: boolean): Promise<Outcome> {
  if (c.target === 'filter') {
    if (!filterApi) return { status: 'ok', events: 0 };
    return runFilter(filterApi, registry, c.text ?? '', filterRecords);
  }
  return runCase(deps, c, { memoryCapBytes: MEMORY_CAP, differential });
}

beforeAll(async () => {
  try {
    const r = await import('@scapkit/replay');
    deps.replay = {
      Pipeline: r.Pipeline,
      PrintSink: r.PrintSink,
      createFieldRegistry: r.createFieldRegistry,
      compileFilter: r.compileFilter,
    } as unknown as Deps['replay'];
    filterApi = {
      compileFilter: r.compileFilter,
      createFieldRegistry: r.createFieldRegistry,
      Pipeline: r.Pipeline,
      FilterSyntaxError: r.FilterSyntaxError,
      UnknownFieldError: r.UnknownFieldError,
      OPERATORS: r.OPERATORS,
    } as unknown as Parameters<typeof runFilter>[0];
    registry = r.createFieldRegistry();
  } catch {
    // no replay package yet: the readers alone are fuzzed
  }
  corpus = await buildCorpus(
    { readSysdigCapture, ScapkitWriter, MemorySink, createLz4Codec, noneCodec, zstdCodec },
    { small: true },
  );
  const cat = corpus.sysdig.find((s) => s.name.startsWith('cat_write'))!;
  filterRecords = [];
  try {
    for await (const r of readSysdigCapture(
      (async function* () {
        yield cat.bytes;
      })(),
    ))
      filterRecords.push(r);
  } catch {}
  for (const n of notes) {
    if (heavy(n)) continue; // replayed by `node fuzz/run.mjs --regressions`, under its watchdog
    const raw = readFileSync(REGRESSIONS + n.file);
    // Large crafted inputs are stored gzip-compressed.
    const data = n.file.endsWith('.gz') ? gunzipSync(raw) : raw;
    const c: Case =
      n.target === 'filter'
        ? { target: 'filter', text: data.toString('utf8'), seed: 'regression', ops: [], opts: n.opts }
        : {
            target: n.target,
            format: n.format ?? n.target,
            bytes: new Uint8Array(data),
            seed: 'regression',
            ops: [],
            opts: n.opts,
          };
    replayed.set(n.file, await run(c, n.differential === true));
  }
}, 600_000);

describe('regressions saved by npm run fuzz', () => {
  if (notes.length === 0) it.skip('none saved', () => {});
  for (const n of notes) {
    const title = `${n.file}: ${n.broke}`;
    if (heavy(n)) {
      // A hang would hang this run too (a synchronous loop: no test timeout can end it), a heap bomb
      // would take the test process down: `node fuzz/run.mjs --regressions` replays them in a worker
      // under its watchdog and heap limit.
      it.skip(title, () => {});
      continue;
    }
    // An open bug: the test fails until it is fixed (then mark the note "fixed").
    (n.status === 'open' ? it.fails : it)(title, () => {
      const out = replayed.get(n.file)!;
      expect(out.status, out.error).not.toBe('fail');
    });
  }
});

describe('deterministic fuzz', () => {
  it(`${CASES} mutated captures, traces and filters: only typed errors`, async () => {
    // Known open bugs (their saved inputs fail the same way) are tracked by the tests above, not here.
    const known = new Set([...replayed.values()].filter((o) => o.status === 'fail').map((o) => o.signature));
    const env = {
      lz4: createLz4Codec(),
      zstd: zstdCodec,
      replay: !!deps.replay,
      fields: filterApi ? (registry as { list(): readonly unknown[] }).list() : undefined,
      operators: (filterApi as { OPERATORS?: readonly unknown[] } | undefined)?.OPERATORS,
      genFilter: filterApi ? genFilter : undefined,
    };
    const counts = { sysdig: 0, scapkit: 0, filter: 0, ok: 0, typed: 0, known: 0 };
    const failures: string[] = [];
    for (let i = 0; i < CASES; i++) {
      const c = genCase(SEED, 0, i, corpus, 'all', env as Parameters<typeof genCase>[5]);
      const cpu0 = process.cpuUsage();
      const out = await run(c, i % 10 === 0);
      const cpu = process.cpuUsage(cpu0);
      const ms = (cpu.user + cpu.system) / 1000;
      counts[c.target]++;
      if (out.status === 'fail' && known.has(out.signature)) counts.known++;
      else if (out.status === 'fail' || ms > SLOW_MS) {
        failures.push(
          `case ${i} (${c.target}, ${c.seed}, ${c.ops.join('+')}, ${JSON.stringify(c.opts)}): ` +
            `${ms > SLOW_MS ? `slow (${ms.toFixed(0)} ms of CPU)` : out.signature} ${out.error ?? ''}`,
        );
      } else counts[out.status]++;
    }
    expect(failures).toEqual([]);
    expect(counts.sysdig + counts.scapkit + counts.filter).toBe(CASES);
    // The mutations reach past the first check: some inputs still read cleanly, most end in typed errors.
    expect(counts.ok).toBeGreaterThan(CASES / 20);
    expect(counts.typed).toBeGreaterThan(CASES / 4);
  }, 600_000);
});
