import { createReadStream } from 'node:fs';
import { readSysdigCapture } from '@scapkit/scap-format';
import { test } from 'vitest';
test('dump', async () => {
  for await (const r of readSysdigCapture(createReadStream(`/work/shared/captures/502Error.scap`))) {
    if (r.kind === 'metadata') { console.log(JSON.stringify(r.metadata.fds.get(13700), (k, x) => typeof x === 'bigint' ? String(x) : x)); console.log(JSON.stringify(r.metadata.interfaces)); break; }
  }
});
