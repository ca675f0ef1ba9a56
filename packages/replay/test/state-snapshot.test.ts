// StateEngine.snapshot() on every shared capture: a fresh engine reset to the snapshot continues exactly
// as the engine that took it (support/snapshot-check.ts), at cut points spread over each capture and right
// after the events that leave state pending. The same check runs on a capture scapkit records in
// state-snapshot.integration.test.ts.
import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CAPTURES } from './support/replay-capture.js';
import { checkCuts, pickCuts } from './support/snapshot-check.js';

const captures = readdirSync(CAPTURES)
  .filter((f) => f.endsWith('.scap'))
  .sort();

describe('StateEngine.snapshot(): a restored engine continues exactly', () => {
  for (const file of captures) {
    it(file, async () => {
      const path = `${CAPTURES}/${file}`;
      const r = await checkCuts(path, await pickCuts(path));
      expect(r.mismatches).toEqual([]);
      if (file !== 'empty.scap') expect(r.compared).toBeGreaterThan(r.events);
    }, 600_000);
  }
});
