// Golden test of the fields beyond the shared reference formats: for three captures, three wide -p formats
// (evt.*, process/user/group, fd/container; test/golden/formats.txt) must print exactly what sysdig
// 0.29.3 printed (test/golden/*.gz, see test/golden/README.md).
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { replayCapture } from './support/replay-capture.js';

const GOLDEN = fileURLToPath(new URL('./golden/', import.meta.url));
const FORMATS = readFileSync(`${GOLDEN}formats.txt`, 'utf8')
  .split('\n')
  .filter((l) => l !== '');

describe('fields match sysdig 0.29.3', () => {
  for (const capture of ['cat_write', 'curl_google', 'single_ipv6_conn']) {
    FORMATS.forEach((format, i) => {
      it(`${capture}: format ${i + 1}`, async () => {
        const want = gunzipSync(readFileSync(`${GOLDEN}${capture}.fields${i + 1}.txt.gz`)).toString('utf8');
        const got = await replayCapture(capture, { format });
        const a = got.split('\n');
        const b = want.split('\n');
        const diffs: string[] = [];
        for (let k = 0; k < Math.max(a.length, b.length) && diffs.length < 5; k++) {
          if (a[k] !== b[k]) diffs.push(`line ${k + 1}\n  sysdig:  ${b[k]}\n  scapkit: ${a[k]}`);
        }
        expect(diffs).toEqual([]);
      });
    });
  }
});
