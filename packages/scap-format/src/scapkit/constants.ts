// Layout constants of the scapkit trace file, format v1 (packages/scap-format/docs/FORMAT.md describes
// the format in full). Every offset and size a reader or writer uses is named here once.

/** First 8 bytes of a file: a high-bit byte and CR LF catch 7-bit and newline-mangling transfers. */
export const MAGIC = new Uint8Array([0x89, 0x53, 0x43, 0x41, 0x50, 0x4b, 0x0d, 0x0a]); // \x89 S C A P K \r \n
export const FORMAT_MAJOR = 1;
/** 1.1 added CHECKPOINT records and the footer's checkpoint index; a 1.0 reader skips both. */
export const FORMAT_MINOR = 1;
/** magic[8] | major u16 | minor u16 | flags u32 (reserved, 0; readers of the same major ignore it). */
export const PREAMBLE_SIZE = 16;

/** Every record: type u8 | body length u32 | body. Readers skip types they do not know. */
export const RECORD_HEADER_SIZE = 5;

export const RecordType = {
  /** crc32c u32 | msgpack map of header fields. Always the first record. */
  HEADER: 0x01,
  /** codec u8 | reserved u8[3] | raw length u32 | crc32c u32 (of the stored payload) | payload. */
  METADATA: 0x02,
  /** CHUNK_HEADER_SIZE bytes of chunk header | the stored (compressed) framed events. */
  CHUNK: 0x03,
  /** crc32c u32 | index entry size u16 | reserved u16 | chunk count u32 | metadata count u32 | entries | stats. */
  FOOTER: 0x04,
  /** footer offset u64 | footer record length u32 | MAGIC. Always the last record. */
  TRAILER: 0x05,
  /**
   * CHECKPOINT_HEADER_SIZE bytes of checkpoint header | the stored tables (v1.1): the state a replay of the
   * events before it has built, so a reader can start there.
   */
  CHECKPOINT: 0x06,
} as const;

/**
 * codec u8 | flags u8 | reserved u16 | event count u32 | raw length u32 | stored length u32 |
 * first (earliest) ts u64 | last (latest) ts u64 | crc32c u32 over the 32 bytes before it and the body.
 */
export const CHUNK_HEADER_SIZE = 36;
export const METADATA_HEADER_SIZE = 12;
/**
 * codec u8 | flags u8 | reserved u16 | raw length u32 | events before u64 | ts u64 | first ts u64 |
 * crc32c u32 over the 32 bytes before it and the stored payload.
 */
export const CHECKPOINT_HEADER_SIZE = 36;
export const HEADER_CRC_SIZE = 4;
/** Fixed part of the footer body, before the chunk entries. */
export const FOOTER_FIXED_SIZE = 16;
/** offset u64 | first ts u64 | last ts u64 | event count u32 | record length u32. */
export const CHUNK_ENTRY_SIZE = 32;
export const TRAILER_BODY_SIZE = 20;
/** The trailer record, type and length included: the last bytes of a closed file. */
export const TRAILER_SIZE = RECORD_HEADER_SIZE + TRAILER_BODY_SIZE;

/** Smallest framed event: 4-byte frame and 26-byte header. Bounds an event count by the raw length. */
export const MIN_FRAMED_EVENT = 30;

/** Limits a reader enforces on untrusted input; each can be lowered (or raised) by the caller. */
export interface ScapkitLimits {
  /** Largest decompressed chunk (default 64 MiB). */
  maxChunkRawBytes: number;
  /** Largest metadata, footer or unknown record (default 256 MiB). */
  maxRecordBytes: number;
  /**
   * Largest decompressed metadata (default 64 MiB). A real box's tables take a few MB; the decoded model
   * takes many times its msgpack size in heap, so this (with the entry bounds of metadata-wire.ts) keeps
   * what one metadata record can make the reader allocate well under 1 GiB.
   */
  maxMetadataRawBytes: number;
  /** Largest header record (default 1 MiB). */
  maxHeaderBytes: number;
}

export const DEFAULT_LIMITS: ScapkitLimits = {
  maxChunkRawBytes: 64 << 20,
  maxRecordBytes: 256 << 20,
  maxMetadataRawBytes: 64 << 20,
  maxHeaderBytes: 1 << 20,
};

/** Default raw size a writer fills a chunk to before compressing it. */
export const DEFAULT_CHUNK_BYTES = 1 << 20;

/**
 * A writer's checkpoints come every so many seconds of events and also every this many raw event bytes
 * since the last one, whichever comes first, so that a time range costs what it holds on a busy trace
 * too: replaying it starts with up to one interval of state-only replay before it. By time alone (10 s)
 * a 25 s recording of 7.6M events had 3 checkpoints, and a range of 1% of it first replayed 2.5-10 s of
 * events (bench/replay.bench.mjs: 0.14-0.23x the full replay). 32 MiB is about 32 chunks and 0.5M
 * events: replaying half of that costs a few tens of milliseconds, while a checkpoint (the whole box's
 * tables, ~10 KB compressed from ~150 KB) adds 0.2% to the file and a few milliseconds to the writer.
 */
export const CHECKPOINT_EVENT_BYTES = 32 << 20;

/**
 * THE rule for when a writer's next checkpoint is due: `intervalNs` of time since the last one (or since
 * the first event), or `eventBytes` of raw events written since (CHECKPOINT_EVENT_BYTES by default),
 * whichever comes first. `scapkit export` counts event time (CheckpointClock), a live recorder its own
 * clock; both ask this.
 */
export function checkpointDue(
  sinceNs: number,
  bytesSince: number,
  intervalNs: number,
  eventBytes = CHECKPOINT_EVENT_BYTES,
): boolean {
  return sinceNs >= intervalNs || bytesSince >= eventBytes;
}
