// The package's main entry (toArrow, the schema, the tables) must run in a browser: esbuild bundles it for
// the browser platform, and no module of its graph (replay's and scap-format's included) may import
// node:* statically. (replay's chisel loader imports node:path dynamically, only when asked to load a
// chisel from a file, which a browser never does.)
import { join } from 'node:path';
import { build } from 'esbuild';
import { expect, it } from 'vitest';
import { repo } from './support/replay-columns.js';

it('bundles for a browser: no node:* module in the main entry', async () => {
  const r = await build({
    entryPoints: [join(repo, 'packages/columnar/src/index.ts')],
    bundle: true,
    platform: 'browser',
    format: 'esm',
    write: false,
    logLevel: 'silent',
    alias: {
      '@scapkit/replay': join(repo, 'packages/replay/src/index.ts'),
      '@scapkit/scap-format': join(repo, 'packages/scap-format/src/index.ts'),
    },
    metafile: true,
    external: ['node:*'],
  });
  const inputs = Object.keys(r.metafile.inputs);
  expect(inputs.some((i) => i.includes('packages/columnar/src/to-arrow.ts'))).toBe(true);
  const statics = Object.entries(r.metafile.inputs).flatMap(([file, m]) =>
    m.imports
      .filter((i) => i.path.startsWith('node:') && i.kind !== 'dynamic-import')
      .map((i) => `${file} → ${i.path}`),
  );
  expect(statics).toEqual([]);
  expect(inputs.filter((i) => i.includes('/src/node/'))).toEqual([]);
});
