import { createReadStream, writeFileSync } from 'node:fs';
import { test } from 'vitest';
import { readSysdigCapture } from '@scapkit/scap-format';
import { loadChisel, runChisel } from '../src/chisels/index.js';
import { CAPTURES } from './support/replay-capture.js';

const caps = (process.env.CAPS ?? 'cat_write').split(',');
const chisels = (process.env.CHISELS ?? 'topscalls').split(',');
test('scratch', async () => {
  for (const cap of caps) {
    let all = '';
    for (const name of chisels) {
      const [n, ...args] = name.split(':');
      const c = await loadChisel(n!, args);
      const out: string[] = [];
      await runChisel(c, readSysdigCapture(createReadStream(`${CAPTURES}/${cap}.scap`)), { write: (l) => out.push(l) });
      all += `### -c ${n}\n${out.map((l) => `${l}\n`).join('')}`;
      writeFileSync(`/tmp/chk/${cap}.${n}.txt`, out.map((l) => `${l}\n`).join(''));
    }
    writeFileSync(`/tmp/chk/${cap}.chisels.txt`, all);
  }
}, 300000);
