// Chisels: sysdig-style analyses over a capture (see docs/chisels.md). Load one with loadChisel, run it
// with runChisel (or a ChiselSink in a Pipeline of your own), list and describe them for -cl and -i.
export type {
  Chisel,
  ChiselArg,
  ChiselControl,
  ChiselDefinition,
  ChiselEndInfo,
  ChiselEnv,
  ChiselHandlers,
  ChiselOut,
} from './types.js';
export {
  ChiselError,
  type ChiselSummary,
  describeChisel,
  formatChiselList,
  type LoadChiselOptions,
  listChisels,
  loadChisel,
  resolveFieldName,
} from './loader.js';
export { ChiselSink, type RunChiselOptions, runChisel } from './sink.js';
export { type TableSpec, type ValueUnits, tableGenerator, GroupTable, printSortedTable } from './table.js';
export { luaFixed, extendString, formatBytes, formatTimeInterval } from './text.js';
