// Chisels: sysdig-style analyses over a capture (see docs/chisels.md). Load one with loadChisel (a module by
// path with importChiselModule from @scapkit/replay/node), run it with runChisel (or a ChiselSink in a
// Pipeline of your own), list and describe them for -cl and -i.

export {
  ChiselError,
  type ChiselModuleImporter,
  type ChiselSummary,
  describeChisel,
  formatChiselList,
  isBuiltinChisel,
  isChiselDefinition,
  type LoadChiselOptions,
  listChisels,
  loadChisel,
  parseChiselCommandLine,
  resolveFieldName,
  splitChiselArgs,
} from './loader.js';
export {
  type ChiselRun,
  ChiselSink,
  type ChiselSpan,
  createChiselRun,
  type RunChiselOptions,
  runChisel,
} from './sink.js';
export {
  GroupTable,
  type GroupTablePart,
  printSortedTable,
  type TableSpec,
  tableGenerator,
  type ValueUnits,
} from './table.js';
export { extendString, formatBytes, formatTimeInterval, luaFixed } from './text.js';
export type {
  Chisel,
  ChiselArg,
  ChiselControl,
  ChiselDefinition,
  ChiselEndInfo,
  ChiselEnv,
  ChiselHandlers,
  ChiselOut,
  ChiselParts,
} from './types.js';
