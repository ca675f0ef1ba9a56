// The snapshot's parsers on inputs whose expected output comes from elsewhere: cgroup lists as sysdig
// stored them in real captures (sample.scap was recorded on a cgroup v2 host, 502Error.scap on a v1 one),
// and open flags whose PPM_O_* encoding is libs' (driver/ppm_events_public.h), written out here.
import { constants } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { openFlagsToPpm } from '../src/snapshot/open-flags.js';
import { parseCgroups, parseStat, splitNul } from '../src/snapshot/threads.js';

describe('parseCgroups', () => {
  it('maps the v2 line to the controllers sysdig stores on a v2 host', () => {
    // sysdig -r sample.scap -p '%thread.cgroups': `cpu=/system.slice/containerd.service memory=… cpuset=…`
    const { cgroups } = parseCgroups('0::/system.slice/containerd.service\n', 2);
    expect(cgroups.join(' ')).toBe(
      'cpu=/system.slice/containerd.service memory=/system.slice/containerd.service cpuset=/system.slice/containerd.service',
    );
  });

  it('splits v1 hierarchies by controller and ignores the v2 line on a hybrid host', () => {
    // 502Error.scap stores `… cpu=/user.slice cpuacct=/user.slice …`: one entry per controller of `cpu,cpuacct`.
    const text =
      '12:pids:/user.slice/user-1000.slice\n4:cpu,cpuacct:/user.slice\n1:name=systemd:/user.slice\n0::/\n';
    const parsed = parseCgroups(text, 1);
    expect(parsed.cgroups).toEqual([
      'pids=/user.slice/user-1000.slice',
      'cpu=/user.slice',
      'cpuacct=/user.slice',
      'name=systemd=/user.slice',
    ]);
    expect(parsed.unified).toBe('/');
  });

  it('keeps colons inside the path', () => {
    const id = 'd52db56a9c80d536a91354c0951c061187ca46249e64865a12703003d8f42366';
    const { cgroups } = parseCgroups(`3:memory:/kubepods-burstable-pod1.slice:cri-containerd:${id}\n`, 1);
    expect(cgroups).toEqual([`memory=/kubepods-burstable-pod1.slice:cri-containerd:${id}`]);
  });
});

describe('parseStat', () => {
  it('takes the comm between the first ( and the last ), spaces and parentheses included', () => {
    const s = parseStat('42 (a) b (c)) S 1 42 42 34816 42 4194560 100 0 7 0 0 0 0 0 20 0 1 0 5 0 0\n');
    expect(s).toMatchObject({
      comm: 'a) b (c)',
      ppid: 1,
      pgid: 42,
      sid: 42,
      tty: 34816,
      pfMinor: 100,
      pfMajor: 7,
    });
  });
});

describe('splitNul', () => {
  it('splits cmdline and environ, with or without the final NUL', () => {
    expect(splitNul('a\0b c\0')).toEqual(['a', 'b c']);
    expect(splitNul('nginx: worker process')).toEqual(['nginx: worker process']);
    expect(splitNul('')).toEqual([]);
  });
});

describe('openFlagsToPpm', () => {
  // PPM_O_* (driver/ppm_events_public.h)
  const RDONLY = 1 << 0;
  const WRONLY = 1 << 1;
  const RDWR = RDONLY | WRONLY;
  const DIRECTORY = 1 << 10;
  const CLOEXEC = 1 << 12;
  const TMPFILE = 1 << 13;
  const O_CLOEXEC = 0o2000000;
  const O_LARGEFILE = 0o100000; // x86_64: forced on every file by the kernel

  it('maps access modes and drops the forced O_LARGEFILE', () => {
    expect(openFlagsToPpm(constants.O_RDONLY | O_LARGEFILE)).toBe(RDONLY);
    expect(openFlagsToPpm(constants.O_WRONLY | O_CLOEXEC)).toBe(WRONLY | CLOEXEC);
    expect(openFlagsToPpm(constants.O_RDWR)).toBe(RDWR);
  });

  it('tells O_TMPFILE from O_DIRECTORY', () => {
    expect(openFlagsToPpm(constants.O_RDONLY | constants.O_DIRECTORY)).toBe(RDONLY | DIRECTORY);
    const O_TMPFILE = 0o20000000 | constants.O_DIRECTORY;
    expect(openFlagsToPpm(constants.O_RDWR | O_TMPFILE)).toBe(RDWR | TMPFILE | DIRECTORY);
  });
});
