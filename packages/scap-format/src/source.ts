// What every capture source yields, whether a scapkit file, a sysdig/Falco .scap file or the live probe:
// one ordered stream of records, so the pipeline above cannot tell them apart.
import type { EventBatch } from './batch.js';
import type { CaptureMetadata } from './metadata.js';

export type CaptureFormat = 'scapkit' | 'sysdig' | 'live';

export interface CaptureHeader {
  format: CaptureFormat;
  /** Format version: "1.0" for scapkit v1, the section header's "major.minor" for sysdig files. */
  version: string;
  /** Whether the sysdig file was gzip-compressed. */
  gzip?: boolean;
  /** Free-form header fields (recorder version, snaplen, capture filter, start time, …). */
  [key: string]: unknown;
}

/** Drops and counts, per cause; written by the recorder, absent for sysdig files. */
export interface CaptureStats {
  /** Events the kernel produced (written + dropped). */
  eventsSeen: number;
  eventsWritten: number;
  /** Dropped events by cause (`ringbuf_full`, `filtered`, …) and by CPU. */
  drops: Record<string, number>;
  dropsByCpu?: number[];
  /** Events by type name. */
  eventsByType?: Record<string, number>;
  [key: string]: unknown;
}

/**
 * A point of a capture from which a reader can start with exact state (a scapkit v1.1 checkpoint record):
 * the tables as a replay of every event before it leaves them, and where that replay stands.
 */
export interface Checkpoint {
  /** File offset of the checkpoint record. */
  offset: number;
  /** Events in the capture before this point (so the next event is evt.num eventsBefore + 1). */
  eventsBefore: number;
  /** Latest timestamp of those events, ns since the epoch (0n before any event). */
  ts: bigint;
  /**
   * Timestamp of the capture's first event other than the container records it may start with: what
   * evt.reltime counts from (0n when no such event came before this point).
   */
  firstTs: bigint;
  /** Why the record cannot be used (a CRC mismatch …), or undefined when it is intact. */
  damage?: Error;
  /**
   * The tables at this point, decoded on each call (they can take many MB: decode only to start here).
   * Throws ScapFormatError when the record is damaged.
   */
  metadata(): CaptureMetadata;
}

export type CaptureRecord =
  | { kind: 'header'; header: CaptureHeader }
  /** Replaces every table (a new sysdig section, a new rotated file, the live snapshot). */
  | { kind: 'metadata'; metadata: CaptureMetadata }
  | { kind: 'events'; batch: EventBatch }
  /**
   * The state at this point. A consumer that read every event before it can ignore it (its tables are
   * already these); a stream that starts in the middle of a capture (a time range) yields one before its
   * first event, with `eventsBefore` above the events it yielded, and a consumer restores its state from it.
   */
  | { kind: 'checkpoint'; checkpoint: Checkpoint }
  | { kind: 'stats'; stats: CaptureStats };

/**
 * A capture opened for reading. Iterating yields the header first, then metadata and event batches in
 * file order, then stats when the file has them. A cut file yields every complete event and then throws
 * ScapTruncatedError; a contradiction throws ScapFormatError.
 */
export type CaptureStream = AsyncIterable<CaptureRecord>;
