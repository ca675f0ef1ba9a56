// `scapkit record --detect / --rules` on the live stream, with the real probe: alerts printed as they fire
// (stderr, or --alerts FILE as JSON lines), with or without -w; the flight recorder (--capture-on-alert):
// a self-contained trace around the alert, the alert in its metadata (scapkit info shows it), overlapping
// alerts in one file, events that left memory under a storm counted in it, and a directory that cannot be
// written refused before anything is recorded.
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CAN_LOAD_PROBE } from '../../../test/support/machine.mjs';
import { scapkit, tempDir } from './support/cli.js';

const tmp = tempDir('scapkit-record-rules-');
afterAll(() => tmp.cleanup());

// The recordings hold the whole box, where other tests run too: the rule watches a file only this test
// reads (a secret of its own), so what fires is what the test did.
const secret = join(tmp.dir, `secret-${process.pid}`);
writeFileSync(secret, 'x');
const SHADOW_RULE = `- rule: shadow read
  desc: d
  condition: evt.type in (open, openat) and evt.dir=< and fd.name="${secret}" and proc.name=cat
  output: "%proc.name read secret"
  priority: WARNING
`;
const rules = join(tmp.dir, 'shadow.yaml');
writeFileSync(rules, SHADOW_RULE);

/** `scapkit record FLAGS -- sh -c SCRIPT`, in rings that hold a few seconds of a busy box: the suite runs
 *  beside other work, and events the kernel drops while the recorder judges and buffers would take the
 *  test's own with them. */
const recordJudging = (flags: string[], script: string, timeoutMs = 120_000) =>
  scapkit(['record', '--buffer-size', '64M', ...flags, '--', 'sh', '-c', script], { timeoutMs });

describe.skipIf(!CAN_LOAD_PROBE)('record --detect / --rules', () => {
  it('prints the alerts of the default ruleset on stderr as they fire, without -w', async () => {
    const r = await recordJudging(['--detect'], 'cat /etc/shadow > /dev/null');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe(''); // judging live without -p/-j: no event lines
    expect(r.stderr).toMatch(
      /^\d\d:\d\d:\d\d\.\d{9}: Warning Sensitive file \/etc\/shadow opened for reading \(user=root process=cat /m,
    );
    expect(r.stderr).toMatch(/^ {2}alerts: [1-9]\d*$/m);
  }, 180_000);

  it('with -w and --alerts FILE: the trace as usual, the alerts as Falco JSON lines in the file', async () => {
    const trace = join(tmp.dir, 'with-w.scap');
    const alerts = join(tmp.dir, 'alerts.jsonl');
    const r = await recordJudging(
      ['-q', '-w', trace, '--rules', rules, '--alerts', alerts],
      `cat ${secret} > /dev/null`,
    );
    expect(r.code, r.stderr).toBe(0);
    const lines = readFileSync(alerts, 'utf8').trim().split('\n');
    const objs = lines.map((l) => JSON.parse(l));
    expect(objs.map((o) => o.rule)).toEqual(['shadow read']);
    expect(objs[0]).toMatchObject({
      priority: 'Warning',
      source: 'syscall',
      output: expect.stringMatching(/ cat read secret$/),
    });
    // the same rule on the trace written alongside finds the same event
    const d = await scapkit(['detect', '-r', trace, '--rules', rules, '--json']);
    expect(JSON.parse(d.stdout.trim()).time).toBe(objs[0].time);
  }, 180_000);

  it('--capture-on-alert: one self-contained trace for two overlapping alerts, with the alerts in it', async () => {
    const dir = join(tmp.dir, 'flight');
    const r = await recordJudging(
      ['--rules', rules, '--capture-on-alert', dir, '--before', '2s', '--after', '3s'],
      `sleep 1; cat ${secret} > /dev/null; cat ${secret} > /dev/null; sleep 1`,
    );
    expect(r.code, r.stderr).toBe(0);
    const files = readdirSync(dir).filter((f) => f.endsWith('.scap'));
    expect(files).toHaveLength(1);
    expect(files[0]).toMatch(/^\d{8}T\d{6}\.\d{9}Z-shadow-read\.scap$/);
    const trace = join(dir, files[0]!);
    const info = await scapkit(['info', trace, '--json']);
    const s = JSON.parse(info.stdout);
    expect(s.header.alert).toMatchObject({
      rule: 'shadow read',
      priority: 'Warning',
      output: 'cat read secret',
    });
    expect(s.stats.alerts.map((a: { rule: string }) => a.rule)).toEqual(['shadow read', 'shadow read']);
    expect((await scapkit(['info', trace])).stdout).toMatch(
      /^alerts:\n {2}\S+ UTC \(\d+\) {2}Warning {2}shadow read: cat read secret$/m,
    );
    // self-contained: read alone, the events know their processes, and the rule finds both reads again
    const d = await scapkit(['detect', '-r', trace, '--rules', rules]);
    expect(
      d.stdout
        .trim()
        .split('\n')
        .filter((l) => /Warning cat read secret$/.test(l)),
    ).toHaveLength(2);
  }, 180_000);

  it('under an event storm the memory buffer keeps what fits, and the trace counts what left it early', async () => {
    const dir = join(tmp.dir, 'storm');
    const r = await recordJudging(
      ['--rules', rules, '--capture-on-alert', dir, '--before', '60s', '--after', '0s', '--buffer-mb', '1'],
      `dd if=/dev/zero of=/dev/null bs=1 count=300000 2>/dev/null; cat ${secret} > /dev/null`,
      180_000,
    );
    expect(r.code, r.stderr).toBe(0);
    const [file] = readdirSync(dir).filter((f) => f.endsWith('.scap'));
    const s = JSON.parse((await scapkit(['info', join(dir, file!), '--json'])).stdout);
    expect(s.stats.flightRecorderDropped).toBeGreaterThan(0);
    expect(s.stats.drops.flight_recorder_memory).toBe(s.stats.flightRecorderDropped);
    expect(r.stderr).toMatch(/flight recorder: \d+ events left memory early/);
  }, 240_000);

  it('a --capture-on-alert directory that cannot be written is refused before anything is recorded', async () => {
    const notDir = join(tmp.dir, 'a-file');
    writeFileSync(notDir, 'x');
    const trace = join(tmp.dir, 'never.scap');
    const r = await scapkit([
      'record',
      '-w',
      trace,
      '--detect',
      '--capture-on-alert',
      join(notDir, 'sub'),
      '--',
      'true',
    ]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/--capture-on-alert .*a-file\/sub: cannot write there .*nothing was recorded/);
    expect(existsSync(trace)).toBe(false);
    const bad = await scapkit(['record', '--capture-on-alert', tmp.dir, '--', 'true']);
    expect(bad.code).toBe(2);
  });
});
