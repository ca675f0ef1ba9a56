// @scapkit/columnar (browser-safe entry): the events table's schema, Arrow RecordBatches of a capture
// with state resolved, and the per-capture tables (processes, connections, files).

export {
  captureIdOf,
  DEFAULT_BATCH_SIZE,
  EventBatchBuilder,
  type EventBatchOptions,
  selectColumns,
  UNKNOWN_HOST,
} from './events.js';
export {
  type ColumnKind,
  EVENT_COLUMNS,
  type EventColumn,
  eventColumnsMarkdown,
  SCHEMA_VERSION,
  SCHEMA_VERSION_KEY,
} from './schema.js';
export { CaptureTables, TABLE_COLUMNS, type TableColumn, type TableName, tableBatch } from './tables.js';
export { rowFilter, type TimeRange, type ToArrowOptions, toArrow } from './to-arrow.js';
