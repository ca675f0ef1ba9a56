// The sysdig reader's gunzip is injected: the web-standard DecompressionStream (its default, what a
// browser runs) and Node's zlib (what openCaptureFile passes) give the same records for every gzip capture,
// whole, read in odd sizes, cut anywhere and damaged.
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CAPTURES_DIR } from '../../../test/support/captures.mjs';
import { readSysdigCapture, ScapFormatError, ScapTruncatedError, webGunzip } from '../src/index.js';
import { nodeGunzip } from '../src/node/index.js';
import { collect, pieces } from './golden/synthetic.js';

const CAPTURES = `${CAPTURES_DIR}/`;
const gzipped = readdirSync(CAPTURES)
  .filter((f) => f.endsWith('.scap'))
  .map((f) => ({ name: f, bytes: new Uint8Array(readFileSync(CAPTURES + f)) }))
  .filter((c) => c.bytes[0] === 0x1f && c.bytes[1] === 0x8b && c.bytes.length < 4 << 20);

describe('web and Node gunzip read the same', () => {
  it('has gzip captures to read', () => expect(gzipped.length).toBeGreaterThan(3));
  for (const c of gzipped) {
    it(c.name, async () => {
      const web = await collect(readSysdigCapture(pieces(c.bytes, 7919), { gunzip: webGunzip }));
      const node = await collect(readSysdigCapture(pieces(c.bytes, 65536), { gunzip: nodeGunzip }));
      expect(web.error).toBeNull();
      expect(node).toEqual(web);
      for (const cut of [c.bytes.length >> 1, c.bytes.length - 9]) {
        const a = await collect(
          readSysdigCapture(pieces(c.bytes.subarray(0, cut), 4096), { gunzip: webGunzip }),
        );
        const b = await collect(
          readSysdigCapture(pieces(c.bytes.subarray(0, cut), 100_000), { gunzip: nodeGunzip }),
        );
        expect(a.error).toBeInstanceOf(ScapTruncatedError);
        expect(b.events).toEqual(a.events);
        expect((b.error as Error).constructor).toBe((a.error as Error).constructor);
      }
      const bad = c.bytes.slice();
      bad[40] = (bad[40]! ^ 0xff) & 0xff;
      const a = await collect(readSysdigCapture(pieces(bad), { gunzip: webGunzip }));
      const b = await collect(readSysdigCapture(pieces(bad), { gunzip: nodeGunzip }));
      expect(a.error).toBeInstanceOf(ScapFormatError);
      expect((b.error as Error).constructor).toBe((a.error as Error).constructor);
    });
  }
});
