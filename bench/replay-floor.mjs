// bench/replay.bench.mjs's floor: the least a replay in Node can do with a gzip sysdig capture: read it,
// gunzip it (node:zlib, streaming), walk every block and event header and count the connect events (types
// 22/23). No state, no parameters, no output. Usage: node bench/replay-floor.mjs FILE
import { createReadStream } from 'node:fs';
import { createGunzip } from 'node:zlib';

let carry = null,
  events = 0,
  hits = 0;
const gz = createReadStream(process.argv[2]).pipe(createGunzip({ chunkSize: 256 * 1024 }));
for await (const chunk of gz) {
  const buf = carry ? Buffer.concat([carry, chunk]) : chunk;
  const dv = new DataView(buf.buffer, buf.byteOffset, buf.length);
  let off = 0;
  while (off + 8 <= buf.length) {
    const bt = dv.getUint32(off, true),
      len = dv.getUint32(off + 4, true);
    if (off + len > buf.length) break;
    if (bt === 0x204 || bt === 0x216 || bt === 0x208 || bt === 0x217) {
      const p = off + 8 + 2 + (bt === 0x208 || bt === 0x217 ? 4 : 0);
      const type = dv.getUint16(p + 20, true);
      events++;
      if (type === 22 || type === 23) hits++;
    }
    off += len;
  }
  carry = off < buf.length ? buf.subarray(off) : null;
}
console.log(events, hits);
