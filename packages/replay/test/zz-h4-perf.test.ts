import { createReadStream } from 'node:fs';
import { readSysdigCapture } from '@scapkit/scap-format';
import { test } from 'vitest';
import { compileFilter } from '../src/filter/index.js';
import { createFieldRegistry } from '../src/fields/registry.js';
import { Pipeline } from '../src/pipeline.js';
import { PrintSink } from '../src/output/sinks.js';
test('perf', async () => {
  const reg = createFieldRegistry();
  for (const mode of ['nofilter-count', 'filter-miss', 'default-print']) {
    let n = 0;
    const f = compileFilter('proc.name=nonexistent and fd.name contains zzz', reg);
    const sink = mode === 'default-print' ? new PrintSink({ registry: reg, write: () => { n++; } }) : { event() { n++; } };
    const p = new Pipeline({ sink, filter: mode === 'filter-miss' ? (c) => f.match(c) : undefined });
    const t0 = performance.now();
    const r = await p.run(readSysdigCapture(createReadStream('/work/shared/captures/capture.scap')));
    console.log(mode, r.events, n, Math.round(performance.now() - t0), 'ms');
  }
});
