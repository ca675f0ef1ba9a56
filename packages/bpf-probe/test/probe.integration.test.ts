// The probe as a whole: drop accounting with a tiny ring, the recorder never records itself, the
// syscall filter, batching, ordering, and load errors.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { EventView } from '@scapkit/scap-format';
import { describe, expect, it } from 'vitest';
import { CAN_LOAD_PROBE } from '../../../test/support/machine.mjs';
import { openProbe, ProbeLoadError } from '../src/index.js';
import { capture } from './support/capture.js';

describe.runIf(CAN_LOAD_PROBE)('probe', () => {
  it('counts drops when a tiny ring overflows, and seen = delivered + dropped', async () => {
    const n = 200_000;
    const c = await capture('storm', String(n), { bufferBytesPerCpu: 4096 });
    const delivered = c.batches.reduce((a, b) => a + b.count, 0);
    expect(c.stats.dropsBuffer).toBeGreaterThan(0);
    expect(c.stats.delivered).toBe(delivered);
    expect(c.stats.seen).toBe(delivered + c.stats.dropsBuffer + c.stats.dropsOther);
    expect(c.stats.seen).toBeGreaterThanOrEqual(n);
    expect(c.stats.perCpu.reduce((a, s) => a + s.dropsBuffer, 0)).toBe(c.stats.dropsBuffer);
  });

  it('loses nothing with the default ring, delivers large batches in time order', async () => {
    const n = 50_000;
    const c = await capture('storm', String(n));
    const getppid = c.events.filter((e) => e.name === 'syscall' && e.params.nativeID === 110);
    expect(getppid).toHaveLength(n);
    expect(c.stats.dropsBuffer + c.stats.dropsOther).toBe(0);
    expect(c.stats.seen).toBe(c.stats.delivered);
    // One call per batch, never one per event. How many events a drain finds depends on how fast this
    // machine makes syscalls (887 at most on a slow VM), so the bound is on the mean, with a wide margin:
    // only a per-event hand-over (or syscalls slower than 100 µs each) brings it under 10.
    const delivered = c.batches.reduce((a, b) => a + b.count, 0);
    expect(delivered / c.batches.length).toBeGreaterThan(10);
    for (let i = 1; i < c.events.length; i++) expect(c.events[i]!.ts >= c.events[i - 1]!.ts).toBe(true);
  });

  it('never records its own process', async () => {
    const probe = openProbe({});
    const tids = new Set<number>();
    const view = new EventView();
    const reading = (async () => {
      for await (const b of probe) for (let i = 0; i < b.count; i++) tids.add(view.at(b, i).tid);
    })();
    // Plenty of syscalls of our own meanwhile: file reads, timers, the reader thread's own work.
    const own = new Set<number>();
    for (let k = 0; k < 20; k++) {
      for (const t of readdirSync(`/proc/${process.pid}/task`)) own.add(Number(t));
      await new Promise((r) => setTimeout(r, 10));
    }
    await probe.close();
    await reading;
    expect(tids.size).toBeGreaterThan(0); // the rest of the machine was recorded
    expect([...own].filter((t) => tids.has(t))).toEqual([]);
  });

  it('records only the syscalls asked for', async () => {
    const c = await capture('fds', '/tmp', { syscalls: ['dup2', 'getppid'] });
    // procexit and signaldeliver are not syscalls: the syscall filter leaves them on.
    const allowed = new Set(['dup2', 'syscall', 'procexit', 'signaldeliver']);
    expect(c.events.filter((e) => !allowed.has(e.name)).map((e) => e.name)).toEqual([]);
    expect(c.events.filter((e) => e.name === 'dup2')).toHaveLength(1);
    expect(c.events.filter((e) => e.name === 'syscall').map((e) => e.params.nativeID)).toEqual([110]);
    expect(c.events.some((e) => e.name === 'dup' || e.name === 'close')).toBe(false);
  });

  it('leaves the enter events out when asked, keeping the exits', async () => {
    const c = await capture('open', '/tmp', { enterEvents: false });
    expect(
      c.events.filter((e) => e.dir === '>' && e.name !== 'procexit' && e.name !== 'signaldeliver'),
    ).toEqual([]);
    expect(c.events.filter((e) => e.name === 'open' && e.dir === '<')).toHaveLength(2);
  });

  it('records context switches and page faults when asked', async () => {
    const c = await capture('exec', undefined, { schedSwitch: true, pageFaults: true });
    const switches = c.events.filter((e) => e.name === 'switch');
    const faults = c.events.filter((e) => e.name === 'page_fault');
    expect(switches.length).toBeGreaterThan(0);
    expect(switches.every((e) => e.tid === c.pid && typeof e.params.next === 'number')).toBe(true);
    expect(faults.length).toBeGreaterThan(0); // a new image faults its pages in
    const PPM_PF_USER_FAULT = 1 << 4;
    expect(faults.every((e) => ((e.params.error as number) & PPM_PF_USER_FAULT) !== 0)).toBe(true);
    expect(faults.every((e) => (e.params.addr as bigint) > 0n)).toBe(true);
  });

  const dist = fileURLToPath(new URL('../dist/index.js', import.meta.url));
  it.runIf(existsSync(dist))('lets the process exit when unref()ed, and a break ends the capture', () => {
    const script = `
      import { openProbe } from ${JSON.stringify(dist)};
      const p = openProbe({});
      let n = 0;
      for await (const b of p) { n += b.count; if (n > 100) break; }
      const q = openProbe({});
      q.unref();
      (async () => { for await (const b of q) n += b.count; })();
      setTimeout(() => console.log('done', n > 100), 100);`;
    const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { timeout: 120_000 });
    expect(r.stderr.toString()).toBe('');
    expect(r.stdout.toString().trim()).toBe('done true');
    expect(r.status).toBe(0);
  });

  it.runIf(existsSync(dist))('tells an unprivileged user it needs root or CAP_BPF + CAP_PERFMON', () => {
    const script = `
      import { openProbe } from ${JSON.stringify(dist)};
      try { openProbe({}); console.log('loaded?'); } catch (e) { console.log(JSON.stringify([e.name, e.reason, e.message])); }`;
    const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], {
      uid: 65534,
      gid: 65534,
      timeout: 120_000,
    });
    const [name, reason, message] = JSON.parse(r.stdout.toString());
    expect([name, reason]).toEqual(['ProbeLoadError', 'not-root']);
    expect(message).toMatch(/run as root or grant CAP_BPF and CAP_PERFMON/);
  });

  it('rejects bad options before loading anything', () => {
    expect(() => openProbe({ snaplen: 70000 })).toThrow(TypeError);
    expect(() => openProbe({ syscalls: ['nosuchcall'] })).toThrow(/nosuchcall/);
    expect(() => openProbe({ pids: [] })).toThrow(TypeError);
  });

  it('closes idempotently and reports stats after close', async () => {
    const probe = openProbe({});
    probe.unref();
    probe.ref();
    const a = probe.close();
    expect(probe.close()).toBe(a);
    await a;
    const s = probe.stats();
    expect(s.perCpu.length).toBeGreaterThan(0);
    expect(s.seen).toBe(s.delivered + s.dropsBuffer + s.dropsOther);
    expect(s.droppedUnconsumed).toBe(0);
  });
});

describe('ProbeLoadError', () => {
  it('carries a reason and a message that says what to do', () => {
    const e = ProbeLoadError.fromNative(
      Object.assign(new Error('load: Permission denied: run as root or grant CAP_BPF and CAP_PERFMON'), {
        reason: 'not-root',
      }),
    );
    expect(e).toBeInstanceOf(ProbeLoadError);
    expect(e.reason).toBe('not-root');
    expect(e.message).toMatch(/CAP_BPF/);
    expect(ProbeLoadError.fromNative(new Error('x')).reason).toBe('other');
  });
});
