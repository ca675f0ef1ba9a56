// An esbuild plugin for bundles whose modules find files beside themselves through `import.meta.url` (a
// worker script, a native addon, the default rules file, the viewer's page): in a bundle, import.meta.url is
// the bundle's URL, so each occurrence in a bundled module is replaced by an expression for that module's
// original URL. Which expression is the caller's: relative to the bundle for a file that ships beside it,
// or looked up by package at run time (scripts/bundle-cli.mjs, whose bundle lands in other layouts than the
// repository's). The files themselves must ship: the packages keep their unbundled dist/ beside the bundles.
import { readFile } from 'node:fs/promises';
import { dirname, relative } from 'node:path';

/** A bundled file's path relative to `outDir`, as a URL path that starts with `./` or `../`. */
export function relativeUrlPath(outDir, file) {
  const rel = relative(outDir, file).split('\\').join('/');
  return rel.startsWith('.') ? rel : `./${rel}`;
}

/**
 * `moduleUrl(file)` returns the JavaScript expression that replaces `import.meta.url` in `file`.
 * `dynamicImport`, when given (`{ call, external }`), names a function that replaces `import(` where esbuild
 * leaves the import in place: a computed specifier (a user's chisel module), a Node built-in, or a package
 * the bundle keeps outside (`external`, esbuild's patterns); the others are bundled.
 */
export function keepModuleUrls({ moduleUrl, dynamicImport }) {
  const outside = (spec) =>
    spec.startsWith('node:') ||
    dynamicImport.external.some((p) =>
      p.endsWith('/*')
        ? spec.startsWith(p.slice(0, -1))
        : p.startsWith('*')
          ? spec.endsWith(p.slice(1))
          : spec === p,
    );
  return {
    name: 'keep-module-urls',
    setup(b) {
      b.onLoad({ filter: /\.(m?js|cjs)$/ }, async (args) => {
        const text = await readFile(args.path, 'utf8');
        const imports = /\bimport\((?:(['"])([^'"]*)\1)?/g;
        let kept = 0;
        const contents = text
          .replaceAll('import.meta.url', moduleUrl(args.path))
          .replace(imports, (m, q, spec) => {
            if (dynamicImport === undefined || (q !== undefined && !outside(spec))) return m;
            kept++;
            return `${dynamicImport.call}(${m.slice('import('.length)}`;
          });
        if (kept === 0 && !text.includes('import.meta.url')) return undefined;
        return { contents, loader: 'js', resolveDir: dirname(args.path) };
      });
    },
  };
}
