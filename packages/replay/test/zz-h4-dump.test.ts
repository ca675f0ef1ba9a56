import { createReadStream } from 'node:fs';
import { EventView, readSysdigCapture } from '@scapkit/scap-format';
import { test } from 'vitest';
test('dump', async () => {
  for (const f of process.env.CAP!.split(',')) {
    const v = new EventView();
    let n = 0;
    for await (const r of readSysdigCapture(createReadStream(`/work/shared/captures/${f}.scap`))) {
      if (r.kind === 'events') for (let i = 0; i < r.batch.count; i++) { v.at(r.batch, i); n++; if (v.info?.name === 'container' || n <= 3) console.log(f, n, v.type, v.info?.name, 'flags', v.frameFlags, 'cpu', v.cpu, 'tid', v.tid, 'ts', v.ts, 'np', v.nparams); }
    }
  }
});
