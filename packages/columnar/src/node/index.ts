// @scapkit/columnar/node: Parquet export in a hive layout and SQL over traces and exports (embedded DuckDB).
export {
  type CaptureExportResult,
  type ExportTable,
  OutputDirNotEmptyError,
  ParquetExporter,
  type ParquetExportOptions,
  partitionValue,
  TABLES,
} from './export.js';
export { encodeParquet, encodeParquetWasm, type ParquetOptions } from './parquet.js';
export { isExportDir, QueryError, type QueryInputs, type QueryResult, QuerySession } from './query.js';
