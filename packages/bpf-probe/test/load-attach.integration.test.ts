// loadProbe(): the kernel verifies the programs on a worker thread while JavaScript goes on, and nothing
// is recorded until attach(). What `scapkit record` starts with. Real kernel.
import { execFileSync } from 'node:child_process';
import { type EventBatch, EventView } from '@scapkit/scap-format';
import { describe, expect, it } from 'vitest';
import { CAN_LOAD_PROBE } from '../../../test/support/machine.mjs';
import { loadProbe } from '../src/index.js';

const marker = `load-attach-${process.pid}`;

/** The successful execve exits of `sh -c ': MARKER-n'` in the batches (a PATH search fails first). */
function markedExecs(batches: EventBatch[], n: number): number {
  const v = new EventView();
  let found = 0;
  for (const b of batches) {
    for (let i = 0; i < b.count; i++) {
      v.at(b, i);
      const a = v.paramIndex('args');
      if (v.info?.name !== 'execve' || v.info.dir !== '<' || a < 0 || v.paramI64(0) !== 0) continue;
      if (new TextDecoder().decode(v.paramBytes(a)).includes(`${marker}-${n}`)) found++;
    }
  }
  return found;
}

describe.skipIf(!CAN_LOAD_PROBE)('bpf-probe: loadProbe, then attach', () => {
  it('the event loop runs during the load; nothing is recorded before attach, everything after', async () => {
    let ticks = 0;
    const timer = setInterval(() => ticks++, 1);
    const loaded = await loadProbe({ followForks: true, childrenOf: process.pid });
    clearInterval(timer);
    expect(ticks).toBeGreaterThan(0);
    execFileSync('sh', ['-c', `: ${marker}-1`]); // loaded, not attached
    const probe = loaded.attach();
    const batches: EventBatch[] = [];
    const reading = (async () => {
      for await (const b of probe) batches.push(b);
    })();
    execFileSync('sh', ['-c', `: ${marker}-2`]);
    await probe.close();
    await reading;
    expect(markedExecs(batches, 1)).toBe(0);
    expect(markedExecs(batches, 2)).toBe(1);
    expect(() => loaded.attach()).toThrow(/attached or discarded already/);
  });

  it('a discarded probe cannot be attached', async () => {
    const loaded = await loadProbe({ pids: [process.pid], excludePids: [1] });
    loaded.discard();
    expect(() => loaded.attach()).toThrow(/attached or discarded already/);
  });
});
