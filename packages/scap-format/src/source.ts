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

export type CaptureRecord =
  | { kind: 'header'; header: CaptureHeader }
  /** Replaces every table (a new sysdig section, a new rotated file, the live snapshot). */
  | { kind: 'metadata'; metadata: CaptureMetadata }
  | { kind: 'events'; batch: EventBatch }
  | { kind: 'stats'; stats: CaptureStats };

/**
 * A capture opened for reading. Iterating yields the header first, then metadata and event batches in
 * file order, then stats when the file has them. A cut file yields every complete event and then throws
 * ScapTruncatedError; a contradiction throws ScapFormatError.
 */
export type CaptureStream = AsyncIterable<CaptureRecord>;
