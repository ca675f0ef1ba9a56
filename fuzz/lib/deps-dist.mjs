// @ts-check
// The readers, codecs and (when present) the replay pipeline, from the built packages (`pnpm exec tsc -b`).
// Replay is optional: the harness fuzzes what exists and says what it skipped.

const root = new URL('../../packages/', import.meta.url);

/** @returns {Promise<import('./oracle.mjs').Deps & import('./corpus.mjs').CorpusDeps & { replayMissing?: string, filterApi?: any, rulesApi?: any, rulesMissing?: string }>} */
export async function loadDistDeps() {
  const sf = await import(new URL('scap-format/dist/index.js', root).href);
  const node = await import(new URL('scap-format/dist/node/index.js', root).href);
  /** @type {any} */
  const deps = {
    readSysdigCapture: sf.readSysdigCapture,
    // The CLI's gunzip (Node's zlib), so the fuzzer meets what users run.
    gunzip: node.nodeGunzip,
    readScapkit: sf.readScapkit,
    EventView: sf.EventView,
    decodeParams: sf.decodeParams,
    ScapFormatError: sf.ScapFormatError,
    ScapTruncatedError: sf.ScapTruncatedError,
    ScapkitWriter: sf.ScapkitWriter,
    MemorySink: sf.MemorySink,
    createLz4Codec: sf.createLz4Codec,
    noneCodec: sf.noneCodec,
    recoverScapkit: sf.recoverScapkit,
    openCapture: sf.openCapture,
    IndexedScapkitReader: { open: node.openIndexedScapkitFile },
    nativeCodecs: node.installedNativeCodecs?.(),
    // Native zstd writes the zstd seeds and re-encodes mutated chunks; absent, the corpus has none.
    zstdCodec: node.nativeZstdCodec?.(),
  };
  try {
    const r = await import(new URL('replay/dist/index.js', root).href);
    if (r.Pipeline && r.PrintSink && r.createFieldRegistry && r.compileFilter) {
      deps.replay = {
        Pipeline: r.Pipeline,
        PrintSink: r.PrintSink,
        createFieldRegistry: r.createFieldRegistry,
        compileFilter: r.compileFilter,
      };
    } else
      deps.replayMissing =
        'packages/replay does not export Pipeline, PrintSink, createFieldRegistry and compileFilter';
    if (r.compileFilter && r.FilterSyntaxError && r.createFieldRegistry) {
      deps.filterApi = {
        compileFilter: r.compileFilter,
        createFieldRegistry: r.createFieldRegistry,
        Pipeline: r.Pipeline,
        FilterSyntaxError: r.FilterSyntaxError,
        UnknownFieldError: r.UnknownFieldError ?? r.FilterSyntaxError,
        OPERATORS: r.OPERATORS ?? [],
      };
    }
  } catch (e) {
    deps.replayMissing = `packages/replay/dist not loadable: ${e instanceof Error ? e.message : String(e)}`;
  }
  try {
    const rules = await import(new URL('rules/dist/index.js', root).href);
    if (rules.RulesEngine) deps.rulesApi = { RulesEngine: rules.RulesEngine };
  } catch (e) {
    deps.rulesMissing = `packages/rules/dist not loadable: ${e instanceof Error ? e.message : String(e)}`;
  }
  return deps;
}
