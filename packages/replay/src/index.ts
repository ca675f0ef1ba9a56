// @scapkit/replay: state engine, filters, fields, formatters and the pipeline.

export { CaptureFilter, type FilteredRecord } from './capture-filter.js';
export * from './chisels/index.js';
export { ReplayContext } from './fields/context.js';
export { type ArgVisitor, infoPart, visitArgs } from './fields/evt.js';
export { createFieldRegistry, FieldArgumentError, FieldRegistry } from './fields/registry.js';
export * from './fields/types.js';
export * from './filter/index.js';
export {
  CompiledFormat,
  compileFormat,
  DEFAULT_FORMAT,
  FormatError,
  fieldJson,
  fieldText,
} from './output/format.js';
export { PrintSink, type PrintSinkOptions } from './output/sinks.js';
export { formatDateTime, formatTimeOfDay } from './output/time.js';
export {
  Pipeline,
  type PipelineOptions,
  type PipelineResult,
  type Sink,
  type TimeRange,
} from './pipeline.js';
export { createReplayPipeline, type ReplayOptions, replay } from './replay.js';
export { StateEngine } from './state/engine.js';
export { FdEntry, FdTable, fdTypeChar, fdTypeString } from './state/fd.js';
export { Thread } from './state/thread.js';
