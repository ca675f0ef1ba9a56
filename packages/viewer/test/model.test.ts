// The worker's model outside the browser (the same code, fed a Blob in Node): pages of event lines taken
// from anywhere in a trace — after a state checkpoint, before it, backwards — are exactly the lines
// `scapkit replay` prints; a time range that starts after a checkpoint counts what replay counts; the
// fields of an event there are replay's.
import { readFile } from 'node:fs/promises';
import { beforeAll, describe, expect, it } from 'vitest';
import { CHECKPOINT_EVENTS, TraceSession } from '../src/model/session.js';
import { blobSource } from '../src/model/source.js';
import { capture, haveCaptures, lines, scapkitOut } from './support.js';

describe.skipIf(!haveCaptures)('the model of capture.scap (146,038 events, gzip)', () => {
  const trace = capture('capture.scap');
  let s: TraceSession;
  let replayLines: string[];

  beforeAll(async () => {
    s = await TraceSession.open(blobSource(new Blob([await readFile(trace)])), 'capture.scap', () => {});
    replayLines = lines(await scapkitOut(['replay', '-r', trace]));
  }, 120_000);

  it('keeps state checkpoints and lists every event replay prints', () => {
    expect(s.info.checkpoints).toBe(Math.floor(s.info.events / CHECKPOINT_EVENTS));
    expect(s.info.checkpoints).toBeGreaterThan(0);
    expect(s.firstModel().events).toBe(replayLines.length);
  });

  it('pages of lines anywhere, in any order, are replay lines', () => {
    const key = s.firstModel().key;
    // After the checkpoint, then before it (a restart), then across it, then backwards.
    for (const start of [120_000, 10, 99_000, 143_850, 5, 70_000, 0]) {
      const rows = s.rows(key, start, 60);
      expect(rows.map((r) => r.line)).toEqual(replayLines.slice(start, start + 60));
    }
  });

  it('a range after the checkpoint counts what replay counts between the same times', async () => {
    const t0 = BigInt(s.info.t0);
    const from = Math.round(s.info.duration * 0.8);
    const to = Math.round(s.info.duration * 0.9);
    const m = await s.model('proc.name!=sshd', from, to, () => {});
    const golden = lines(
      await scapkitOut([
        'replay',
        '-r',
        trace,
        `proc.name!=sshd and evt.rawtime>=${t0 + BigInt(from)} and evt.rawtime<=${t0 + BigInt(to)}`,
      ]),
    );
    expect(m.events).toBe(golden.length);
    expect(s.rows(m.key, 0, 20).map((r) => r.line)).toEqual(golden.slice(0, 20));
  });

  it("an event's fields after the checkpoint are replay's", async () => {
    const [row] = s.rows(s.firstModel().key, 130_000, 1);
    const names = ['proc.name', 'proc.pid', 'proc.cmdline', 'fd.name', 'thread.tid', 'user.name', 'evt.args'];
    const f = new Map(s.fields(row!.num).map((x) => [x.name, x.value]));
    const [json] = lines(
      await scapkitOut([
        'replay',
        '-r',
        trace,
        '-j',
        '-p',
        names.map((n) => `*%${n}`).join(' '),
        `evt.num=${row!.num}`,
      ]),
    );
    const want = JSON.parse(json!) as Record<string, unknown>;
    expect(names.map((n) => f.get(n))).toEqual(
      names.map((n) => (want[n] === null ? undefined : String(want[n]))),
    );
  });
});
