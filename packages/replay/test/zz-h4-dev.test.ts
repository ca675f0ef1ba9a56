import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { test } from 'vitest';
import { expected, records, replayCapture, STATE_FORMAT } from './support/replay-capture.js';
test('dev', async () => {
  const names = process.env.CAP!.split(',');
  for (const name of names) {
    for (const [kind, opts] of [['default.txt', {}], ['jsonl', { json: true }], ['state.txt', { format: STATE_FORMAT }]] as const) {
      const alt = `/tmp/h4/exp/${name}.${kind}`;
      const exp = existsSync(alt) ? readFileSync(alt, 'utf8') : expected(name, kind);
      if (exp === undefined) continue;
      const got = await replayCapture(name, opts);
      const json = kind === 'jsonl';
      const a = records(got, json), b = records(exp, json);
      let bad = 0;
      const diffs: string[] = [];
      for (let i = 0; i < Math.max(a.length, b.length); i++) if (a[i] !== b[i]) { bad++; if (diffs.length < 6) diffs.push(`- ${b[i]}\n+ ${a[i]}`); }
      console.log(`${name}.${kind}: ${b.length - bad}/${b.length} match (got ${a.length})\n${diffs.join('\n')}`);
      writeFileSync(`/tmp/h4/${name}.${kind}`, got);
    }
  }
});
