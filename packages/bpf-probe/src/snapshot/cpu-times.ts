// CPU time of every thread, from /proc/PID/task/TID/stat: what sysdig's procinfo events carry (user and
// system time in clock ticks, USER_HZ, as the kernel module's process list reports them). Read once a
// second by a recorder, so it reads only the stat files and allocates per thread, not per field.
import { ProcFs } from './procfs.js';

/** One reading: thread i is tid[i] of process pid[i], whose parent is ppid[i]. */
export interface ThreadCpuTimes {
  count: number;
  tid: Int32Array;
  pid: Int32Array;
  ppid: Int32Array;
  /** User and system CPU time, in clock ticks (USER_HZ, 100 a second on Linux). */
  utime: Float64Array;
  stime: Float64Array;
}

/** utime and stime of every thread now (threads that exit during the scan are skipped). */
export function readThreadCpuTimes(procRoot = '/proc'): ThreadCpuTimes {
  const fs = new ProcFs();
  const tid: number[] = [];
  const pid: number[] = [];
  const ppid: number[] = [];
  const utime: number[] = [];
  const stime: number[] = [];
  for (const name of fs.list(procRoot) ?? []) {
    const p = Number(name);
    if (!Number.isInteger(p) || p <= 0) continue;
    for (const tname of fs.list(`${procRoot}/${p}/task`) ?? []) {
      const text = fs.read(`${procRoot}/${p}/task/${tname}/stat`, 4096);
      if (text === undefined) continue;
      // comm may hold ')' or spaces: the fields start after the last ')'. f[0] is field 3 of proc(5):
      // f[1] ppid (4), f[11] utime (14), f[12] stime (15).
      const f = text.slice(text.lastIndexOf(')') + 2).split(' ', 13);
      if (f.length < 13) continue;
      tid.push(Number(tname));
      pid.push(p);
      ppid.push(Number(f[1]));
      utime.push(Number(f[11]));
      stime.push(Number(f[12]));
    }
  }
  return {
    count: tid.length,
    tid: Int32Array.from(tid),
    pid: Int32Array.from(pid),
    ppid: Int32Array.from(ppid),
    utime: Float64Array.from(utime),
    stime: Float64Array.from(stime),
  };
}
