// Types of build.mjs (a plain ES module, so that `pnpm build` runs it without compiling anything).

/** Bundles the page into `outdir` (default examples/browser/dist) and returns the folder. */
export function buildBrowserApp(outdir?: string): Promise<string>;
