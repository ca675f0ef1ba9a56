// Where the `regex` operator's engine (RE2JS, re2js's port of RE2) comes from. Here, for Node: loaded the
// first time a filter uses `regex`, with a synchronous require, so that importing @scapkit/replay does not
// compile re2js's ~270 KB (a third of the package's code, ~13 ms of a cold import: `npm run bench import`).
// A browser cannot load a module synchronously: bundlers for the browser take regex-engine.browser.ts
// instead, which imports it statically (the package.json `browser` field swaps the files). What `regex`
// means is value-tests.ts's, whichever file supplies the engine.
import type { RE2JS } from 're2js';

let engine: typeof RE2JS | undefined;

/** The RE2JS class, loaded on the first call. */
export function regexEngine(): typeof RE2JS {
  if (engine === undefined) {
    const nodeModule = globalThis.process?.getBuiltinModule?.('node:module');
    if (nodeModule === undefined) {
      throw new Error(
        "the 'regex' operator needs re2js, which this build loads with Node's require: bundle " +
          "@scapkit/replay for a browser with a bundler that honours package.json's 'browser' field",
      );
    }
    const re2js = nodeModule.createRequire(import.meta.url)('re2js') as typeof import('re2js');
    engine = re2js.RE2JS;
  }
  return engine;
}
