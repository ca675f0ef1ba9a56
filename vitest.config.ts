// One vitest run for the whole monorepo: a project per package. Workspace packages resolve to their
// TypeScript sources, so tests never depend on a stale build.
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const src = (p: string) => fileURLToPath(new URL(p, import.meta.url));
const alias = {
  '@scapkit/scap-format/node': src('./packages/scap-format/src/node/index.ts'),
  '@scapkit/scap-format': src('./packages/scap-format/src/index.ts'),
  '@scapkit/replay/node': src('./packages/replay/src/node/index.ts'),
  '@scapkit/replay': src('./packages/replay/src/index.ts'),
  '@scapkit/rules/node': src('./packages/rules/src/node/index.ts'),
  '@scapkit/rules': src('./packages/rules/src/index.ts'),
  '@scapkit/columnar/node': src('./packages/columnar/src/node/index.ts'),
  '@scapkit/columnar': src('./packages/columnar/src/index.ts'),
  '@scapkit/bpf-probe': src('./packages/bpf-probe/src/index.ts'),
  '@scapkit/viewer': src('./packages/viewer/src/server/index.ts'),
};

const project = (name: string, dir: string) => ({
  extends: true as const,
  test: { name, root: src(dir), include: ['test/**/*.test.ts', '*.test.ts', 'browser/*.test.ts'] },
});

export default defineConfig({
  resolve: { alias },
  test: {
    // Hang guards, not speed limits (no test asserts a duration): generous enough that a loaded 2-core box,
    // where CPU-heavy tests such as cutting a trace at every offset run 60 s and more, does not trip them.
    testTimeout: 300_000,
    hookTimeout: 300_000,
    projects: [
      project('scap-format', './packages/scap-format'),
      project('replay', './packages/replay'),
      project('rules', './packages/rules'),
      project('bpf-probe', './packages/bpf-probe'),
      project('columnar', './packages/columnar'),
      project('recorder', './packages/recorder'),
      project('examples', './examples'),
      project('viewer', './packages/viewer'),
      // test/packages.test.ts: the packed packages, installed by npm in fresh projects (issue #18).
      { extends: true as const, test: { name: 'packages', root: src('.'), include: ['test/*.test.ts'] } },
    ],
  },
});
