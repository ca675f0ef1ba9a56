// The probe as a whole: drop accounting with a tiny ring, the recorder never records itself, the
// syscall filter, batching, ordering, and load errors.
import { readdirSync } from 'node:fs';
import { EventView } from '@scapkit/scap-format';
import { describe, expect, it } from 'vitest';
import { openProbe, ProbeLoadError } from '../src/index.js';
import { capture, isRoot } from './support/capture.js';

describe.runIf(isRoot)('probe', () => {
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
    expect(Math.max(...c.batches.map((b) => b.count))).toBeGreaterThan(1000);
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
