// procexit's reaper_tid (a subreaper ancestor, a live thread of the group, 0 without children) and
// execve's flags (PPM_EXE_WRITABLE for the owner or a capable caller, PPM_EXE_FROM_MEMFD, the overlayfs
// layer).
import { EXECVE_FLAGS } from '@scapkit/scap-format';
import { describe, expect, it } from 'vitest';
import { CAN_LOAD_PROBE } from '../../../test/support/machine.mjs';
import { bits, capture, type DecodedEvent, scratchDir } from './support/capture.js';

const exits = (events: DecodedEvent[], tid: number) =>
  events.filter((e) => e.name === 'procexit' && e.tid === tid);

describe.runIf(CAN_LOAD_PROBE)('procexit reaper and execve flags', () => {
  it('records who inherits the children of an exiting thread', async () => {
    // Children are other processes: record every process (few syscalls), then pick by tid.
    const { events, out } = await capture('reaper', undefined, { pids: undefined, syscalls: ['wait4'] });
    // A child that ends while its own child lives: the helper, a child subreaper, inherits it.
    expect(exits(events, out.a as number).map((e) => e.params.reaper_tid)).toEqual([out.pid]);
    // A thread that ends with a live child: the group's live (main) thread inherits it.
    expect(exits(events, out.thread as number).map((e) => e.params.reaper_tid)).toEqual([out.pid]);
    // Without children there is no reaper to name.
    expect(exits(events, out.g as number).map((e) => e.params.reaper_tid)).toEqual([0]);
    expect(exits(events, out.tchild as number).map((e) => e.params.reaper_tid)).toEqual([0]);
  });

  it('records PPM_EXE_WRITABLE and PPM_EXE_FROM_MEMFD on execve', async () => {
    const { events, out } = await capture('memexec', undefined, {
      pids: undefined,
      syscalls: ['execve', 'execveat'],
    });
    // A successful execveat is recorded as an execve exit (the dispatcher sees the execve number then),
    // so the new image's exec event is looked up by thread under either name.
    const exec = (_name: string, tid: number) =>
      events.find(
        (e) =>
          (e.name === 'execve' || e.name === 'execveat') &&
          e.dir === '<' &&
          e.tid === tid &&
          e.params.res === 0,
      );
    expect(out.st).toBe(0); // the nobody child ran /bin/true
    // root owns the memfd: writable, and from a memfd
    expect(exec('execveat', out.memfd as number)?.params.flags).toBe(
      bits(EXECVE_FLAGS, 'EXE_WRITABLE', 'EXE_FROM_MEMFD'),
    );
    // root holds CAP_FOWNER: writable
    expect(exec('execve', out.root as number)?.params.flags).toBe(bits(EXECVE_FLAGS, 'EXE_WRITABLE'));
    // nobody neither owns nor may write /bin/true
    expect(exec('execve', out.nobody as number)?.params.flags).toBe(0);
    expect(exec('execveat', out.at as number)?.params.flags).toBe(bits(EXECVE_FLAGS, 'EXE_WRITABLE'));
  });

  it('records the overlayfs layer of the executable (PPM_EXE_UPPER_LAYER / PPM_EXE_LOWER_LAYER)', async () => {
    const { events, out } = await capture('ovl', scratchDir(), {
      pids: undefined,
      syscalls: ['execve'],
    });
    const flags = (tid: number) =>
      events.find((e) => e.name === 'execve' && e.dir === '<' && e.tid === tid && e.params.res === 0)?.params
        .flags;
    // root: writable everywhere; the layer bit only on the overlay
    expect(flags(out.lower as number)).toBe(bits(EXECVE_FLAGS, 'EXE_WRITABLE', 'EXE_LOWER_LAYER'));
    expect(flags(out.upper as number)).toBe(bits(EXECVE_FLAGS, 'EXE_WRITABLE', 'EXE_UPPER_LAYER'));
    expect(flags(out.plain as number)).toBe(bits(EXECVE_FLAGS, 'EXE_WRITABLE'));
  });
});
