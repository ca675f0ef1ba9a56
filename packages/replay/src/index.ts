// @scapkit/replay: state engine, filters, fields, formatters and the pipeline.

export { CaptureFilter, type FilteredRecord } from './capture-filter.js';
export { CheckpointClock } from './checkpoint-clock.js';
export * from './chisels/index.js';
export { ReplayContext } from './fields/context.js';
export { type ArgBytesVisitor, type ArgVisitor, infoPart, visitArgs, writeArgs } from './fields/evt.js';
export { withFd } from './fields/fd.js';
export { createFieldRegistry, FieldArgumentError, FieldRegistry } from './fields/registry.js';
export * from './fields/types.js';
export * from './filter/index.js';
export { formatEventList } from './output/event-list.js';
export { formatFieldList, formatFieldMarkdown } from './output/field-list.js';
export {
  type BufferOutput,
  CONTAINER_FORMAT,
  CompiledFormat,
  compileFormat,
  DEFAULT_FORMAT,
  FormatError,
  type FormatOptions,
  fieldJson,
  fieldText,
  KUBERNETES_FORMAT,
  namedFormat,
} from './output/format.js';
export { type LineBytesOutput, PrintSink, type PrintSinkOptions } from './output/sinks.js';
export { EventSummary } from './output/summary.js';
export {
  formatDateTime,
  formatTimeOfDay,
  OUTPUT_TIME_FORMATS,
  type OutputTimeFormat,
} from './output/time.js';
export {
  Pipeline,
  type PipelineOptions,
  type PipelineResult,
  type Sink,
  type TimeRange,
} from './pipeline.js';
export { type BufferFormat, renderBuffer } from './render/buffer.js';
export { ByteWriter } from './render/byte-writer.js';
export { ServiceNames } from './render/services.js';
export { createReplayPipeline, type ReplayOptions, replay } from './replay.js';
export { StateEngine } from './state/engine.js';
export { FdEntry, FdTable, fdTypeChar, fdTypeString } from './state/fd.js';
export { Thread } from './state/thread.js';
