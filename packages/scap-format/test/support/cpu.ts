// CPU time of this test process's main thread, for the tests that guard against runaway work (a loop that
// does not end, a decompression bomb): unlike the wall clock it does not grow when other processes keep
// the machine's cores busy, and unlike process.cpuUsage() it leaves out V8's helper threads (concurrent
// GC and compilation), whose share depends on what earlier tests left on the heap.
import { readFileSync } from 'node:fs';

const schedstat = `/proc/${process.pid}/task/${process.pid}/schedstat`;

export function cpuMs(): number {
  try {
    // Linux: nanoseconds this thread has run, first field of its schedstat.
    return Number(readFileSync(schedstat, 'utf8').split(' ')[0]) / 1e6;
  } catch {
    const u = process.cpuUsage();
    return (u.user + u.system) / 1000;
  }
}
