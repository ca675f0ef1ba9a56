// The Pipeline's state engine keeps each thread's enter event where it is in the batch until the batch
// ends (StateEngine.beginBatch/endBatch), then copies it out: a batch's bytes may be reused as soon as
// processBatch returns (the printer's reuseBatchBuffers). These replays overwrite every batch's bytes once
// processed and expect what replays of untouched batches print, and the same tables at the end (a
// snapshot holds each thread's last enter event): sysdig 0.29.3's layouts read many parameters from the
// enter event, and evt.latency is measured from it.
import { createReadStream } from 'node:fs';
import { type CaptureRecord, readSysdigCapture } from '@scapkit/scap-format';
import { describe, expect, it } from 'vitest';
import { createFieldRegistry } from '../src/fields/registry.js';
import { PrintSink } from '../src/output/sinks.js';
import { Pipeline } from '../src/pipeline.js';
import { CAPTURES } from './support/replay-capture.js';

const EVENTS_PER_BATCH = 7;
const FORMAT = '%evt.num %evt.latency %thread.tid %evt.type %evt.info %fd.name';

async function replay(name: string, scribble: boolean) {
  const registry = createFieldRegistry();
  const out: string[] = [];
  const sink = new PrintSink({ registry, format: FORMAT, write: (l) => out.push(l) });
  const p = new Pipeline({ sink, registry });
  let batches = 0;
  for await (const rec of readSysdigCapture(createReadStream(`${CAPTURES}/${name}.scap`))) {
    if (rec.kind !== 'events') {
      p.push(rec);
      continue;
    }
    // Batches of a few events (these captures are one batch each), each on its own copy of the bytes.
    const b = rec.batch;
    for (let i = 0; i < b.count; i += EVENTS_PER_BATCH) {
      const count = Math.min(EVENTS_PER_BATCH, b.count - i);
      const copy: CaptureRecord = {
        kind: 'events',
        batch: { data: b.data.slice(), offsets: b.offsets.slice(i, i + count), count },
      };
      p.push(copy);
      if (scribble) copy.batch.data.fill(0xa5);
      batches++;
    }
  }
  const threads = p.state.snapshot().threads.map((t) => [t.tid, t.lastEnterEvent, t.latency]);
  return { text: out.join('\n'), threads, batches };
}

describe('Pipeline: enter events outlive their batch', () => {
  for (const name of ['curl_google', 'connect_localhost', 'cat_write', 'single_ipv6_conn']) {
    it(name, async () => {
      const kept = await replay(name, false);
      const scribbled = await replay(name, true);
      expect(scribbled.batches).toBeGreaterThan(1);
      expect(kept.text).toMatch(/^\d+ [1-9]/m); // exits paired with their enter events
      expect(scribbled.text).toEqual(kept.text);
      expect(scribbled.threads).toEqual(kept.threads);
    }, 120_000);
  }
});
