// A time range replayed from a checkpoint prints exactly what the full replay prints for the events in
// that range, state fields included. Each of the ten shared captures is written as a scapkit trace with a
// checkpoint every fortieth of its span (CheckpointClock: a state engine following the events written, as
// `scapkit export` does), then ranges are read through the footer from the last checkpoint before them:
// just after a checkpoint, between two, before the first, across several, with a filter and without.
import { createReadStream } from 'node:fs';
import {
  blobSource,
  type CaptureRecord,
  IndexedScapkitReader,
  MemorySink,
  noneCodec,
  readScapkit,
  readSysdigCapture,
  ScapkitWriter,
} from '@scapkit/scap-format';
import { describe, expect, it } from 'vitest';
import { CheckpointClock, createFieldRegistry, Pipeline, PrintSink, type TimeRange } from '../src/index.js';
import { CAPTURES, records, STATE_FORMAT, WITH_EXPECTED } from './support/replay-capture.js';

/** The capture as a scapkit trace with a checkpoint every `intervalNs` of event time, and their offsets. */
async function withCheckpoints(name: string, parts = 40): Promise<Uint8Array> {
  const recs: CaptureRecord[] = [];
  for await (const r of readSysdigCapture(createReadStream(`${CAPTURES}/${name}.scap`))) recs.push(r);
  // The span of the bulk of the events (a capture may start with records stamped long before).
  const times: bigint[] = [];
  for (const r of recs) {
    if (r.kind !== 'events') continue;
    const dv = new DataView(r.batch.data.buffer, r.batch.data.byteOffset, r.batch.data.byteLength);
    for (let i = 0; i < r.batch.count; i++) times.push(dv.getBigUint64(r.batch.offsets[i]!, true));
  }
  times.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const lo = times[Math.floor(times.length * 0.05)] ?? 0n;
  const hi = times[Math.floor(times.length * 0.95)] ?? 0n;
  const clock = new CheckpointClock(hi > lo ? (hi - lo) / BigInt(parts) + 1n : 1n);
  const sink = new MemorySink();
  // Small chunks and batches, so checkpoints fall between many chunks.
  const w = new ScapkitWriter(sink, {}, { codec: noneCodec, chunkBytes: 4096 });
  for (const r of recs) {
    if (r.kind === 'metadata') await w.writeMetadata(r.metadata);
    if (r.kind !== 'events') {
      clock.push(r);
      continue;
    }
    for (let i = 0; i < r.batch.count; i += 16) {
      const n = Math.min(16, r.batch.count - i);
      const part = {
        kind: 'events' as const,
        batch: { data: r.batch.data, offsets: r.batch.offsets.subarray(i, i + n), count: n },
      };
      await w.writeBatch(part.batch);
      clock.push(part);
      const tables = clock.due();
      if (tables) await w.checkpoint(tables);
    }
  }
  await w.close();
  return sink.bytes();
}

async function print(stream: AsyncIterable<CaptureRecord>, opts: { filter?: string; timeRange?: TimeRange }) {
  const registry = createFieldRegistry();
  const out: string[] = [];
  const p = new Pipeline({
    sink: new PrintSink({
      registry,
      format: `${STATE_FORMAT}|%proc.nchilds|%evt.rawtime|%evt.reltime`,
      write: (l) => out.push(l),
    }),
    filter: opts.filter,
    registry,
    timeRange: opts.timeRange,
  });
  for await (const r of stream) p.push(r);
  return records(out.join('\n'), false);
}

const tsOf = (line: string) => BigInt(line.split('|').at(-2)!);

describe('a range read from the checkpoint before it prints what the full replay prints for it', () => {
  for (const name of WITH_EXPECTED) {
    it(name, async () => {
      // Events come in bursts: a finer clock until there are a few checkpoints to start from.
      let reader!: IndexedScapkitReader;
      let bytes!: Uint8Array;
      for (let parts = 40; parts <= 40_000; parts *= 10) {
        bytes = await withCheckpoints(name, parts);
        reader = await IndexedScapkitReader.open(blobSource(new Blob([bytes])));
        if (reader.checkpoints.length >= 3) break;
      }
      // At most eight checkpoints to start from, spread over the capture (a range each costs a replay).
      const step = Math.max(1, Math.floor(reader.checkpoints.length / 8));
      const cps = reader.checkpoints.filter((_, i) => i % step === 0);
      // Two captures are procinfo records at two instants and a handful of syscalls: one checkpoint.
      const few = ['empty', 'connect_localhost', 'syscall'].includes(name);
      expect(reader.checkpoints.length).toBeGreaterThanOrEqual(few ? (name === 'empty' ? 0 : 1) : 3);
      const all = async function* () {
        yield* readScapkit(
          (async function* () {
            yield bytes;
          })(),
        );
      };
      for (const filter of [
        undefined,
        'evt.type in (open, openat, read, write, close, execve, clone, connect)',
      ]) {
        const full = await print(all(), { filter });
        if (full.length === 0) continue;
        const times = full.map(tsOf);
        const span = times.at(-1)! - times[0]!;
        const cuts: [string, bigint][] = [
          ['before the first checkpoint', times[0]!],
          ...cps.map(
            (c) => [`just after the checkpoint after event ${c.eventsBefore}`, c.ts + 1n] as [string, bigint],
          ),
          ...cps
            .slice(1)
            .map(
              (c, i) =>
                [`between checkpoints ${i} and ${i + 1}`, (cps[i]!.ts + c.ts) / 2n] as [string, bigint],
            ),
        ];
        for (const [where, from] of cuts) {
          for (const width of [span / 20n, span / 3n]) {
            const timeRange = { fromNs: from, toNs: from + width };
            const notes: string[] = [];
            const got = await print(
              reader.readFromCheckpoint(timeRange.fromNs, timeRange.toNs, { onNotice: (m) => notes.push(m) }),
              { filter, timeRange },
            );
            const want = full.filter((l) => tsOf(l) >= timeRange.fromNs && tsOf(l) <= timeRange.toNs);
            expect(got, `${name} ${where} +${width} ${filter ?? ''}`).toEqual(want);
            expect(notes).toEqual([]);
          }
        }
      }
      await reader.close();
    });
  }

  it('the read starts at the checkpoint: it yields far fewer events than the whole', async () => {
    const bytes = await withCheckpoints('502Error', 16);
    const reader = await IndexedScapkitReader.open(blobSource(new Blob([bytes])));
    const last = reader.checkpoints.at(-1)!;
    let events = 0;
    let from = -1;
    for await (const r of reader.readFromCheckpoint(last.ts + 1n, last.ts + 2n)) {
      if (r.kind === 'checkpoint') from = r.checkpoint.eventsBefore;
      if (r.kind === 'events') events += r.batch.count;
    }
    expect(from).toBe(last.eventsBefore);
    const total = reader.chunks.reduce((n, c) => n + c.eventCount, 0);
    expect(events).toBeLessThan(total / 4);
    await reader.close();
  });
});
