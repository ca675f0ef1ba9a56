// containerIdFromCgroups against sysdig: the cgroups of threads recorded in real captures with the
// container.id sysdig 0.29.3 prints for them, plus the cgroup layouts falcosecurity/libs documents in its
// own tests for runtimes none of the captures contains (cri-o, containerd, podman).
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CAPTURES_DIR } from '../../../test/support/captures.mjs';
import { SYSDIG } from '../../../test/support/machine.mjs';
import { containerIdFromCgroupPath, containerIdFromCgroups, HOST_CONTAINER_ID } from '../src/containers.js';

const CAPTURES = CAPTURES_DIR;

const idOf = (cgroups: string[]) => containerIdFromCgroups(cgroups)?.id ?? HOST_CONTAINER_ID;

describe('containerIdFromCgroups on cgroups printed by sysdig', () => {
  // `sysdig -r X -p '%thread.cgroups|%container.id|%container.type'` (TZ=UTC), copied verbatim.
  const d1 = '697956520d891b5cb0e215093970c733549a3f745f52263c05b37f8a488994f3';
  const d2 = '59fd49aa4072a728b5a4112da2d3fa2752056db5e497bb5821bfc6a0d9019471';
  const golden: [capture: string, cgroups: string, id: string, type: string][] = [
    [
      'run_as_user_0_container.scap',
      `cpuset=/docker/${d1} blkio=/docker/${d1} memory=/docker/${d1} rdma=/ pids=/docker/${d1} devices=/docker/${d1} hugetlb=/docker/${d1} net_cls=/docker/${d1} net_prio=/docker/${d1} perf_event=/docker/${d1} freezer=/docker/${d1} cpu=/docker/${d1} cpuacct=/docker/${d1} name=systemd=/docker/${d1}`,
      '697956520d89',
      'docker',
    ],
    [
      '502Error.scap',
      `cpuset=/docker/${d2} freezer=/docker/${d2} pids=/docker/${d2} devices=/docker/${d2} blkio=/docker/${d2} memory=/docker/${d2} net_cls=/docker/${d2} net_prio=/docker/${d2} perf_event=/docker/${d2} hugetlb=/docker/${d2} cpu=/docker/${d2} cpuacct=/docker/${d2}`,
      '59fd49aa4072',
      'docker',
    ],
    [
      'run_as_user_0_container.scap',
      'cpuset=/ blkio=/system.slice/docker.service memory=/system.slice/docker.service rdma=/ pids=/system.slice/docker.service devices=/system.slice/docker.service hugetlb=/ net_cls=/ net_prio=/ perf_event=/ freezer=/ cpu=/system.slice/docker.service cpuacct=/system.slice/docker.service name=systemd=/system.slice/docker.service',
      'host',
      'host',
    ],
    [
      'sample.scap',
      'cpu=/system.slice/containerd.service memory=/system.slice/containerd.service cpuset=/system.slice/containerd.service',
      'host',
      'host',
    ],
    [
      '502Error.scap',
      'cpuset=/ cpu=/user.slice cpuacct=/user.slice blkio=/user.slice memory=/user/bencer/0 devices=/user.slice freezer=/user/bencer/0 net_cls=/ perf_event=/ net_prio=/ hugetlb=/ pids=/user.slice/user-1000.slice/user@1000.service',
      'host',
      'host',
    ],
  ];

  it.each(golden)('%s: %#', (_capture, cgroups, id, type) => {
    const found = containerIdFromCgroups(cgroups.split(' '));
    expect(found?.id ?? 'host').toBe(id);
    expect(found?.type ?? 'host').toBe(type);
  });

  // Every distinct cgroup set of every capture, with what the installed sysdig says about it.
  it.skipIf(!existsSync(SYSDIG) || !existsSync(CAPTURES))('agrees with sysdig on every capture', () => {
    let compared = 0;
    let containers = 0;
    for (const file of readdirSync(CAPTURES).filter((f) => f.endsWith('.scap'))) {
      let out: string;
      try {
        out = execFileSync(
          SYSDIG,
          ['-r', join(CAPTURES, file), '-p', '%thread.cgroups|%container.id|%container.type'],
          {
            env: { ...process.env, TZ: 'UTC' },
            encoding: 'utf8',
            maxBuffer: 256 << 20,
            stdio: ['ignore', 'pipe', 'ignore'],
          },
        );
      } catch {
        continue; // sysdig 0.29.3 refuses some files (pcapng options); nothing to compare there
      }
      for (const line of new Set(out.split('\n'))) {
        const [cgroups, id, type] = line.split('|');
        if (!cgroups || !id) continue;
        const found = containerIdFromCgroups(cgroups.split(' '));
        expect(found?.id ?? 'host', `${file}: ${cgroups}`).toBe(id);
        expect(found?.type ?? 'host', `${file}: ${cgroups}`).toBe(type);
        compared++;
        if (id !== 'host') containers++;
      }
    }
    expect(compared).toBeGreaterThan(40);
    expect(containers).toBeGreaterThan(10);
  });
});

describe('containerIdFromCgroupPath on the layouts libs documents', () => {
  // falcosecurity/libs userspace/libsinsp/test/container_engine/container_cgroup.ut.cpp
  const cases: [path: string, id: string, type: string][] = [
    [
      '/kubepods/besteffort/podac04f3f2-1f2c-11e9-b015-1ebee232acfa/605439acbd4fb18c145069289094b17f17e0cfa938f78012d4960bc797305f22',
      '605439acbd4f',
      'containerd',
    ],
    [
      '/kubepods/besteffort/pod63b3ebfc-2890-11e9-8154-16bf8ef8d9dc/crio-73bfe475650de66df8e2affdc98d440dcbe84f8df83b6f75a68a82eb7026136a',
      '73bfe475650d',
      'cri-o',
    ],
    [
      '/kubepods.slice/kubepods-besteffort.slice/kubepods-besteffort-pod63b3ebfc_2890_11e9_8154_16bf8ef8d9dc.slice/crio-17d8c9eacc629f9945f304d89e9708c0c619649a484a215b240628319548a09f.scope',
      '17d8c9eacc62',
      'cri-o',
    ],
    ['/docker/7951fb549ab99e0722a949b6c121634e1f3a36b5bacbe5392991e3b12251e6b8', '7951fb549ab9', 'docker'],
    [
      '/docker.slice/docker-7951fb549ab99e0722a949b6c121634e1f3a36b5bacbe5392991e3b12251e6b8.scope',
      '7951fb549ab9',
      'docker',
    ],
    [
      '/kubepods-burstable-podbd12dd3393227d950605a2444b13c27a.slice:cri-containerd:d52db56a9c80d536a91354c0951c061187ca46249e64865a12703003d8f42366',
      'd52db56a9c80',
      'containerd',
    ],
    // systemd containerd (CRI_CGROUP_LAYOUT `/cri-containerd-<id>.scope`) and podman (`/libpod-<id>.scope`)
    [
      '/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod4d2a6e1b_6bd0_4e2a_9f4a_1c3c9b3e0f11.slice/cri-containerd-0a5b3c9e1f7d2b4c6e8a0b2d4f6a8c0e2b4d6f8a0c2e4b6d8f0a2c4e6b8d0f2a.scope',
      '0a5b3c9e1f7d',
      'containerd',
    ],
    [
      '/machine.slice/libpod-3f7a0b1c2d3e4f5a6b7c8d9e0f1a2b3c4d5e6f7a8b9c0d1e2f3a4b5c6d7e8f9a.scope',
      '3f7a0b1c2d3e',
      'podman',
    ],
  ];

  it.each(cases)('%s', (path, id, type) => {
    const found = containerIdFromCgroupPath(path);
    expect(found?.id).toBe(id);
    expect(found?.type).toBe(type);
    expect(found?.fullId).toHaveLength(64);
    expect(found?.fullId.startsWith(id)).toBe(true);
  });

  it('finds the container of a process in a child group of its scope', () => {
    // A container that runs systemd: its processes sit below the container's own scope.
    const id = '7951fb549ab99e0722a949b6c121634e1f3a36b5bacbe5392991e3b12251e6b8';
    expect(containerIdFromCgroupPath(`/system.slice/docker-${id}.scope/init.scope`)?.id).toBe('7951fb549ab9');
  });

  it('reads raw /proc/PID/cgroup lines and cgroup v2 entries', () => {
    const id = '7951fb549ab99e0722a949b6c121634e1f3a36b5bacbe5392991e3b12251e6b8';
    expect(idOf(['12:pids:/', `4:memory:/docker/${id}`])).toBe('7951fb549ab9');
    expect(idOf([`0::/system.slice/docker-${id}.scope`])).toBe('7951fb549ab9');
    expect(idOf([`cpu=/system.slice/docker-${id}.scope`, 'memory=/'])).toBe('7951fb549ab9');
  });

  it('leaves host cgroups on the host', () => {
    const conmon = 'libpod-conmon-3f7a0b1c2d3e4f5a6b7c8d9e0f1a2b3c4d5e6f7a8b9c0d1e2f3a4b5c6d7e8f9a.scope';
    for (const path of [
      '/user.slice/user-1000.slice/user@1000.service/init.scope',
      '/',
      '/system.slice/docker.service',
      '/system.slice/containerd.service',
      `/machine.slice/${conmon}`, // podman's monitor runs beside the container, on the host
      // not 64 hex digits: one too few, one too many, a non-hex character
      '/docker/7951fb549ab99e0722a949b6c121634e1f3a36b5bacbe5392991e3b12251e6b',
      '/docker/7951fb549ab99e0722a949b6c121634e1f3a36b5bacbe5392991e3b12251e6b8a',
      '/docker/7951fb549ab99e0722a949b6c121634e1f3a36b5bacbe5392991e3b12251e6bz',
    ]) {
      expect(containerIdFromCgroupPath(path), path).toBeUndefined();
    }
    expect(containerIdFromCgroups([])).toBeUndefined();
    expect(containerIdFromCgroups(['name=systemd'])).toBeUndefined();
  });
});
