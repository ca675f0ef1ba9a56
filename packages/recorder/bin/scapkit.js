#!/usr/bin/env node
// The installed entry point: everything lives in the compiled CLI module, loaded after the heap flags below:
// the bundle dist/bundle/cli.cjs with its V8 code cache (scripts/bundle-cli.mjs; less start-up than ~100
// ES modules compiled from source, measured by bench/replay.bench.mjs) when it exists and is newer than
// every package's last `tsc -b`, else dist/cli.js.
//
// Heap sizing (issue #4, peak memory independent of the capture's length). V8 grows the young generation
// towards 16 MiB per semi-space as survivors add up, and lets old-generation garbage (each section's tables
// in a multi-section capture) pile up to a limit well above the live heap; peak RSS of a replay then grew
// with the file. These two flags are read whenever V8 resizes the heap, so setting them here works
// (--max-semi-space-size is read only when the heap is created; a shebang flag would not reach
// `node bin/scapkit.js`, a re-exec costs a Node start-up; and Node does not pass --semi-space-growth-factor
// on from its own command line): the young generation stays at its initial 1 MiB per semi-space, the old
// generation's limit is the live size + 10% (V8 adds at least 8 MiB). bench/replay.bench.mjs's last lines
// compare peak RSS on a capture and on one four times as long (packages/replay/docs/replay.md). Not for
// `record`, whose long-running live pipeline has not been measured with them.
//
// Node's built-ins come from process.getBuiltinModule, not `import`: an ES module's import of one builds
// its ES facade, which reads every export, and node:fs's include lazy getters (ReadStream, promises) that
// load Node's streams stack before anything needs it (9M of the 723M instructions of a start-up, callgrind).
const { isAscii } = process.getBuiltinModule('node:buffer');
const { readFileSync, statSync, writeFileSync } = process.getBuiltinModule('node:fs');
const Module = process.getBuiltinModule('node:module');
const { dirname } = process.getBuiltinModule('node:path');
const { fileURLToPath } = process.getBuiltinModule('node:url');
const { setFlagsFromString } = process.getBuiltinModule('node:v8');
const vm = process.getBuiltinModule('node:vm');

const heapFlags = process.argv[2] !== 'record';
if (heapFlags) {
  const flags = ['--semi-space-growth-factor=1', '--heap-growing-percent=10'];
  for (const f of flags) setFlagsFromString(f);
  // Starting a worker thread sets V8's flags back to their defaults: the pools set these again
  // (keepHeapFlags, scap-format/src/node/heap-flags.ts).
  globalThis[Symbol.for('scapkit.heapFlags')] = flags;
}

/** dist/bundle/cli.cjs if it was built after the last compile of every package (so never stale), else undefined. */
function bundle() {
  const at = (rel) => statSync(new URL(rel, import.meta.url), { throwIfNoEntry: false })?.mtimeMs;
  if (process.env.SCAPKIT_BUNDLE === '0') return undefined; // the unbundled graph (bench/replay.bench.mjs)
  const built = at('../dist/bundle/cli.cjs');
  if (built === undefined) return undefined;
  // In the repository each package's tsconfig.tsbuildinfo is rewritten when tsc -b recompiles it; an
  // installed package has none.
  for (const p of ['recorder', 'replay', 'scap-format', 'bpf-probe']) {
    if ((at(`../../${p}/tsconfig.tsbuildinfo`) ?? 0) > built) return undefined;
  }
  return fileURLToPath(new URL('../dist/bundle/cli.cjs', import.meta.url));
}

/**
 * Runs the CommonJS bundle through vm.Script with V8's code cache beside it (scripts/bundle-cli.mjs makes
 * both): the functions the cache holds are not compiled again. V8 refuses a cache made by another V8, for
 * another source or with other flags (`record` runs without the heap flags above, SCAPKIT_CODE_CACHE=0
 * skips it): the script then compiles as usual. Returns the module's exports and the script.
 */
function loadBundle(file) {
  let cachedData;
  if (process.env.SCAPKIT_CODE_CACHE !== '0' && heapFlags) {
    try {
      cachedData = readFileSync(`${file}.cache`);
    } catch {}
  }
  const script = new vm.Script(Module.wrap(source(file)), { filename: file, cachedData });
  // The bundle's import() of a user's chisel module comes here (scripts/bundle-cli.mjs, its banner).
  globalThis[Symbol.for('scapkit.import')] = (specifier) => import(specifier);
  const mod = { exports: {} };
  script
    .runInThisContext()
    .call(mod.exports, mod.exports, Module.createRequire(file), mod, file, dirname(file));
  return { exports: mod.exports, script };
}

/**
 * The bundle's text: scripts/bundle-cli.mjs writes it in ASCII, which reads as Latin-1 into a one-byte
 * string at the cost of a copy (UTF-8 had V8 decode it into a two-byte string: what callgrind measured,
 * scripts/bundle-cli.mjs's asciiOnly).
 */
function source(file) {
  const bytes = readFileSync(file);
  return isAscii(bytes) ? bytes.toString('latin1') : bytes.toString('utf8');
}

const file = bundle();
const loaded = file ? loadBundle(file) : undefined;
const { main } = loaded ? loaded.exports : await import('../dist/cli.js');

if (process.env.SCAPKIT_CODE_CACHE_WARMUP) {
  // scripts/bundle-cli.mjs: run each argument list, then write the code cache of what they compiled.
  if (!loaded)
    throw new Error('SCAPKIT_CODE_CACHE_WARMUP needs a current bundle (node scripts/bundle-cli.mjs)');
  for (const argv of JSON.parse(process.env.SCAPKIT_CODE_CACHE_WARMUP)) {
    const code = await main(argv);
    if (code !== 0) throw new Error(`warm-up: scapkit ${argv.join(' ')} exited ${code}`);
  }
  writeFileSync(`${file}.cache`, loaded.script.createCachedData());
} else {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (err) => {
      process.stderr.write(`scapkit: internal error: ${err?.stack ?? err}\n`);
      process.exitCode = 1;
    },
  );
}
