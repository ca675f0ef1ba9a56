// The /proc snapshot: what a recorder stores at the start of each trace file. The package index re-exports
// this entry point.
export { readThreadCpuTimes, type ThreadCpuTimes } from './cpu-times.js';
export { ProcSnapshotError, type SnapshotIssue } from './errors.js';
export { openFlagsToPpm, PPM_O } from './open-flags.js';
export {
  type SnapshotOptions,
  type SnapshotReport,
  takeSnapshot,
  takeSnapshotWithReport,
} from './snapshot.js';
