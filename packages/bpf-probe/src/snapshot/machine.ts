// The machine block of a snapshot (sysdig's scap_machine_info plus kernel and arch), from procRoot so a
// recorder in a container that mounts the host's /proc describes the host.
import { hostname, machine, release } from 'node:os';
import type { MachineInfo } from '@scapkit/scap-format';
import type { ProcFs } from './procfs.js';

export function readMachineInfo(fs: ProcFs, procRoot: string): MachineInfo {
  const stat = fs.read(`${procRoot}/stat`, 1 << 20, true) ?? '';
  const meminfo = fs.read(`${procRoot}/meminfo`, 1 << 16, true) ?? '';
  const pidMax = Number(fs.read(`${procRoot}/sys/kernel/pid_max`)?.trim());
  return {
    hostname: fs.read(`${procRoot}/sys/kernel/hostname`)?.trim() || hostname(),
    kernel: fs.read(`${procRoot}/sys/kernel/osrelease`)?.trim() || release(),
    arch: machine(),
    // Online CPUs (sysconf(_SC_NPROCESSORS_ONLN), what libscap uses): one `cpuN` line each in /proc/stat.
    numCpus: stat.match(/^cpu\d+ /gm)?.length ?? 0,
    memoryBytes: Number(/^MemTotal:\s+(\d+) kB/m.exec(meminfo)?.[1] ?? 0) * 1024,
    bootTs: bootTimeNs(fs, procRoot, stat),
    maxPid: Number.isFinite(pidMax) ? pidMax : undefined,
  };
}

/**
 * Boot time in ns since the epoch: now minus the uptime (CLOCK_BOOTTIME, 10 ms resolution in
 * /proc/uptime), which is how libscap computes it; /proc/stat's btime (whole seconds) when uptime is not
 * readable.
 */
function bootTimeNs(fs: ProcFs, procRoot: string, stat: string): bigint {
  const uptime = fs.read(`${procRoot}/uptime`);
  const [, secs, centis] = (uptime && /^(\d+)\.(\d{2})/.exec(uptime)) || [];
  if (secs && centis) {
    const uptimeNs = BigInt(secs) * 1_000_000_000n + BigInt(centis) * 10_000_000n;
    return BigInt(Date.now()) * 1_000_000n - uptimeNs;
  }
  const btime = /^btime (\d+)/m.exec(stat)?.[1];
  return btime ? BigInt(btime) * 1_000_000_000n : 0n;
}
