// A short, seeded run of the rules-file fuzzer (fuzz/lib/rules.mjs; `npm run fuzz -- --target rules` runs
// it for as long as asked, under a watchdog and a memory cap): damaged rules files only ever give a load
// result with Falco's typed errors, never an exception.
import { describe, expect, it } from 'vitest';
import { Rng } from '../../../fuzz/lib/prng.mjs';
import { genRules, ruleSeeds, runRules } from '../../../fuzz/lib/rules.mjs';
import { RulesEngine } from '../src/index.js';

describe('mutated rules files', () => {
  it('300 of them: each loads or fails with a typed error', () => {
    const seeds = ruleSeeds();
    const failures: string[] = [];
    let typed = 0;
    for (let i = 0; i < 300; i++) {
      const text = genRules(new Rng(20261207, 0, i), seeds);
      const out = runRules({ RulesEngine }, text);
      if (out.status === 'fail') failures.push(`case ${i}: ${out.error}`);
      if (out.status === 'typed') typed++;
    }
    expect(failures).toEqual([]);
    // the mutations reach the loader's checks, not only the YAML parser
    expect(typed).toBeGreaterThan(0);
  });
});
