// Every events column against `scapkit replay -p %field`, row by row, on every capture in
// ../shared/captures (sysdig and Falco captures recorded elsewhere); scapkit's own recordings are held to
// the same check in columns.integration.test.ts.
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'vitest';
import { CAPTURES_DIR as dir } from '../../../test/support/captures.mjs';
import { describeColumnsAgainstReplay } from './support/replay-columns.js';

const captures = existsSync(dir)
  ? readdirSync(dir)
      .filter((f) => f.endsWith('.scap'))
      .sort()
  : [];

if (captures.length === 0) describe.skip('../shared/captures is missing', () => it('skipped', () => {}));
for (const f of captures) describeColumnsAgainstReplay(f, () => join(dir, f));
