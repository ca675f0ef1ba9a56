// The scapkit trace format v1: writer, stream reader, recover, and the record layer they share.
export {
  CHECKPOINT_EVENT_BYTES,
  CHUNK_HEADER_SIZE,
  checkpointDue,
  DEFAULT_CHUNK_BYTES,
  DEFAULT_LIMITS,
  FORMAT_MAJOR,
  FORMAT_MINOR,
  MAGIC as SCAPKIT_MAGIC,
  PREAMBLE_SIZE,
  RecordType,
  type ScapkitLimits,
  TRAILER_SIZE,
} from './constants.js';
export {
  blobSource,
  type CheckpointReadOptions,
  IndexedScapkitReader,
  joinSegments,
  noCoreFree,
  type RandomAccessSource,
  type TraceSegment,
} from './indexed-reader.js';
export { readScapkit, type ScapkitReadOptions } from './reader.js';
export {
  type CheckpointHeader,
  type CheckpointIndexEntry,
  type ChunkHeader,
  type ChunkIndexEntry,
  decodeChunk,
  type Footer,
  parseChunkHeader,
  parseFooterBody,
  parseHeaderBody,
  parseMetadataBody,
  parsePreamble,
  parseTrailer,
  type ScapkitHeaderFields,
} from './records.js';
export { type RecoverResult, recoverScapkit } from './recover.js';
export { type ByteSink, MemorySink } from './sink.js';
export { ScapkitWriter, type ScapkitWriterOptions } from './writer.js';
