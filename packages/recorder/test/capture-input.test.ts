// --from/--to through the CLI (the one input module every reading command uses): a range prints exactly
// the full replay's lines for the events inside it, on a sysdig capture (read from its start, said once)
// and on a scapkit trace (started at its checkpoint); bad times and reversed ranges are usage errors that
// show the accepted forms; a range outside the trace prints nothing and says so; export and -c take it.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { capturePath } from '../../../test/support/captures.mjs';
import { exportWithCheckpoints, repo, scapkit } from './support/cli.js';

const capture = capturePath('curl_google.scap');
const golden = join(repo, 'packages/scap-format/test/golden/checkpoint.scapkit');

/** evt.num → ts of every event the full replay prints (-D: internal events too, as -p prints them all). */
async function stamps(file: string): Promise<Map<string, bigint>> {
  const r = await scapkit(['replay', '-r', file, '-p', '%evt.num %evt.rawtime']);
  expect(r.code).toBe(0);
  return new Map(
    r.stdout
      .trim()
      .split('\n')
      .map((l) => l.split(' ') as [string, string])
      .map(([n, ts]) => [n, BigInt(ts)]),
  );
}

/** The lines of `text` (one event per line) whose event number is in range. */
function inRange(text: string, ts: Map<string, bigint>, from: bigint, to: bigint, json = false): string[] {
  return lines(text).filter((l) => {
    const num = json ? String(JSON.parse(l)['evt.num']) : /^\d+/.exec(l)![0];
    const t = ts.get(num)!;
    return t >= from && t <= to;
  });
}

const lines = (text: string) => text.split('\n').filter((l) => l !== '');

describe('--from/--to', () => {
  it('on a sysdig capture: exactly the full replay lines in range, read from its start (said once)', async () => {
    const ts = await stamps(capture);
    const sorted = [...ts.values()].sort((a, b) => (a < b ? -1 : 1));
    const from = sorted[Math.floor(sorted.length * 0.4)]!;
    const to = sorted[Math.floor(sorted.length * 0.6)]!;
    const full = await scapkit(['replay', '-r', capture]);
    const part = await scapkit(['replay', '-r', capture, '--from', String(from), '--to', String(to)]);
    expect(part.code).toBe(0);
    const want = inRange(full.stdout, ts, from, to);
    expect(want.length).toBeGreaterThan(10);
    expect(lines(part.stdout)).toEqual(want);
    expect(part.stderr.trim().split('\n')).toEqual([
      expect.stringMatching(/a sysdig capture has no checkpoint index: reading it from the start/),
    ]);
    // The same range relative to the first event (evt.reltime's origin, which may be a hidden event), -j.
    const rel0 = await scapkit(['replay', '-r', capture, '-n', '1000', '-p', '%evt.rawtime %evt.reltime']);
    const [raw, reltime] = lines(rel0.stdout)[0]!
      .split(' ')
      .map((x) => BigInt(x)) as [bigint, bigint];
    const first = raw - reltime;
    const rel = (ns: bigint) => `+${ns / 1000n}us`;
    const j = await scapkit([
      'replay',
      '-r',
      capture,
      '-j',
      '--from',
      rel(from - first),
      '--to',
      rel(to - first),
    ]);
    const fullJ = await scapkit(['replay', '-r', capture, '-j']);
    const lo = first + ((from - first) / 1000n) * 1000n;
    const hi = first + ((to - first) / 1000n) * 1000n;
    expect(lines(j.stdout)).toEqual(inRange(fullJ.stdout, ts, lo, hi, true));
  });

  it('on a scapkit trace: from the checkpoint before it, with the event numbers of the full replay', async () => {
    const ts = await stamps(golden);
    const from = 1732406400000020000n;
    const to = 1732406400000030000n;
    const part = await scapkit([
      'replay',
      '-r',
      golden,
      '-p',
      '%evt.num %evt.rawtime %evt.type',
      '--from',
      String(from),
      '--to',
      String(to),
    ]);
    const full = await scapkit(['replay', '-r', golden, '-p', '%evt.num %evt.rawtime %evt.type']);
    expect(lines(part.stdout)).toEqual(inRange(full.stdout, ts, from, to));
    expect(part.stderr).not.toMatch(/no checkpoint|damaged/); // it had one to start from
  });

  it('export --format scapkit writes checkpoints; a range of it replays from one, state fields included', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'scapkit-cp-'));
    const trace = join(dir, 'curl.scapkit');
    const e = await exportWithCheckpoints(capture, trace, 0.5);
    expect(e.code).toBe(0);
    const info = JSON.parse((await scapkit(['info', '--json', trace])).stdout);
    expect(info.checkpoints.length).toBeGreaterThanOrEqual(4);
    const state =
      '%evt.num|%evt.rawtime|%proc.name|%proc.pid|%proc.ppid|%thread.tid|%proc.cwd|%fd.num|%fd.name|%fd.sip|%evt.reltime';
    const ts = await stamps(trace);
    const full = await scapkit(['replay', '-r', trace, '-p', state]);
    // Just after the last checkpoint before the bulk of the shown events, to a bit past their middle.
    const shown = [...ts.values()].sort((a, b) => (a < b ? -1 : 1));
    const mid = shown[shown.length >> 1]!;
    const cp = (info.checkpoints as { ts: string }[]).filter((c) => BigInt(c.ts) < mid).at(-1)!;
    const from = BigInt(cp.ts) + 1n;
    const to = mid + 100_000_000n;
    const part = await scapkit([
      'replay',
      '-r',
      trace,
      '-p',
      state,
      '--from',
      String(from),
      '--to',
      String(to),
    ]);
    expect(part.stderr).toBe('');
    const want = inRange(full.stdout, ts, from, to);
    expect(want.length).toBeGreaterThan(10);
    expect(lines(part.stdout)).toEqual(want);
    // An export of that range starts from the tables as they were: it replays the same state.
    const cut = join(dir, 'cut.scapkit');
    await scapkit([
      'export',
      '-r',
      trace,
      '-w',
      cut,
      '--format',
      'scapkit',
      '--from',
      String(from),
      '--to',
      String(to),
    ]);
    const noNum = (l: string) => l.split('|').slice(1, -1).join('|');
    const again = await scapkit(['replay', '-r', cut, '-p', state]);
    expect(lines(again.stdout).map(noNum)).toEqual(want.map(noNum));
  });

  it('a damaged checkpoint: the one before it (here none: the start), said once, and the same events', async () => {
    const damaged = join(repo, 'packages/scap-format/test/golden/checkpoint-damaged.scapkit');
    const args = [
      '-p',
      '%evt.num %evt.rawtime',
      '--from',
      '1732406400000020000',
      '--to',
      '1732406400000030000',
    ];
    const r = await scapkit(['replay', '-r', damaged, ...args]);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(
      /checkpoint-damaged\.scapkit: the checkpoint at byte 1799 is damaged \(checkpoint CRC32C mismatch.*\): replaying from the start of the trace\n/,
    );
    expect(r.stderr.match(/is damaged/g)).toHaveLength(1);
    expect(r.stdout).toBe((await scapkit(['replay', '-r', golden, ...args])).stdout);
  });

  it('a damaged chunk: every event before it, a message that says so, exit 3, with or without workers', async () => {
    const bad = join(repo, 'packages/scap-format/test/golden/bad-crc.scapkit');
    for (const workers of ['0', '1']) {
      const r = await scapkit(['replay', '-r', bad, '-p', '%evt.num'], { env: { SCAPKIT_WORKERS: workers } });
      expect(r.code).toBe(3);
      // The 17 events of the first chunk (the sixth is framed state-only: never printed).
      expect(lines(r.stdout)).toEqual([
        '1',
        '2',
        '3',
        '4',
        '5',
        ...Array.from({ length: 11 }, (_, i) => String(i + 7)),
      ]);
      expect(r.stderr).toMatch(
        /bad-crc\.scapkit is damaged: chunk CRC32C mismatch.*Every event before the damage was printed \(17 events\); 'scapkit recover'/,
      );
    }
    // A range read through the index (no checkpoint: from the start, decoded here into reused buffers):
    // the same events before the damage, and exit 3.
    const ranged = await scapkit(['replay', '-r', bad, '-p', '%evt.num', '--from', '+0ns', '--to', '+1s']);
    expect(ranged.code).toBe(3);
    expect(lines(ranged.stdout)).toHaveLength(16);
    expect(ranged.stderr).toMatch(/bad-crc\.scapkit is damaged: chunk CRC32C mismatch.*\(17 events\)/);
    // Not a capture at all is another matter: nothing read, exit 1.
    const junk = join(mkdtempSync(join(tmpdir(), 'scapkit-junk-')), 'junk.scap');
    writeFileSync(junk, 'hello, this is no capture');
    expect((await scapkit(['replay', '-r', junk])).code).toBe(1);
  });

  it('a time that is none, or --from after --to: usage error (exit 2) showing the accepted forms', async () => {
    const bad = await scapkit(['replay', '-r', capture, '--from', 'noon']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--from 'noon' is not a time\. Give a time as sysdig prints it .*'\+30s'/);
    expect(bad.stdout).toBe('');
    const rev = await scapkit(['replay', '-r', capture, '--from', '+2s', '--to', '+1s']);
    expect(rev.code).toBe(2);
    expect(rev.stderr).toMatch(/--from '\+2s' comes after --to '\+1s'/);
  });

  it('a range outside the trace: no events, one line that says where the trace is', async () => {
    for (const file of [capture, golden]) {
      const r = await scapkit(['replay', '-r', file, '--from', '1000', '--to', '2000']);
      expect(r.code).toBe(0);
      expect(r.stdout).toBe('');
      expect(r.stderr).toMatch(/no event of .* falls .* spans? /);
    }
  });

  it('export --format jsonl and -c take the range', async () => {
    const ts = await stamps(capture);
    const sorted = [...ts.values()].sort((a, b) => (a < b ? -1 : 1));
    const from = sorted[Math.floor(sorted.length * 0.2)]!;
    const to = sorted[Math.floor(sorted.length * 0.3)]!;
    const out = join(mkdtempSync(join(tmpdir(), 'scapkit-range-')), 'part.jsonl');
    const e = await scapkit([
      'export',
      '-r',
      capture,
      '-w',
      out,
      '--format',
      'jsonl',
      '--from',
      String(from),
      '--to',
      String(to),
    ]);
    expect(e.code).toBe(0);
    const fullJ = await scapkit(['replay', '-r', capture, '-j']);
    expect(lines(readFileSync(out, 'utf8'))).toEqual(inRange(fullJ.stdout, ts, from, to, true));
    // A chisel over the range counts only its events: topscalls' counts add up to the range's syscalls.
    const c = await scapkit([
      'replay',
      '-r',
      capture,
      '-c',
      'topscalls',
      '--from',
      String(from),
      '--to',
      String(to),
    ]);
    expect(c.code).toBe(0);
    const whole = await scapkit(['replay', '-r', capture, '-c', 'topscalls']);
    expect(c.stdout).not.toBe(whole.stdout);
    expect(c.stdout).toMatch(/# Calls/);
  });
});
