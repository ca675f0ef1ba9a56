// Where a pass after the first gets the trace's records. The first pass reads the trace once, front to back,
// and cuts it into segments: its event batches, numbered in order (a chunk of a scapkit trace, a block of a
// sysdig capture). A later pass starts after a segment — at a state snapshot the first pass took there —
// and asks the store for what follows: the metadata records and batches from there on.
//
// A closed scapkit trace needs nothing kept: its footer indexes the chunks, so the store reads and decodes
// them again from the file when asked (IndexedStore; in Node with the native codecs and decode workers).
// Anything else — a sysdig capture, an unclosed trace, a file dropped on the page — has no index: the store
// keeps the decoded batches it was given (MemoryStore).
import type { CaptureMetadata, EventBatch, IndexedScapkitReader } from '@scapkit/scap-format';

export type StoredRecord =
  | { kind: 'metadata'; metadata: CaptureMetadata }
  /** Segment `seg`'s events. */
  | { kind: 'events'; batch: EventBatch; seg: number };

export interface TraceStore {
  /** What the status line says about it. */
  readonly kind: 'index' | 'memory';
  /**
   * Called by the first pass with each record in order (segments numbered from 0 as they come); a store
   * that reads the file again ignores them.
   */
  keep(rec: StoredRecord): void;
  /** The records after segment `seg` (-1: from the start), up to the end or `toNs` (ns since the epoch). */
  after(seg: number, toNs?: bigint): AsyncIterable<StoredRecord>;
  close(): Promise<void>;
}

/** Keeps every decoded batch (the trace has no index to read it again by). */
export class MemoryStore implements TraceStore {
  readonly kind = 'memory';
  private readonly records: StoredRecord[] = [];
  /** Index in `records` of each segment's batch. */
  private readonly at: number[] = [];

  keep(rec: StoredRecord): void {
    if (rec.kind === 'events') this.at[rec.seg] = this.records.length;
    this.records.push(rec);
  }

  async *after(seg: number): AsyncGenerator<StoredRecord> {
    const from = seg < 0 ? 0 : (this.at[seg] ?? this.records.length) + 1;
    for (const rec of this.records.slice(from)) yield rec;
  }

  async close(): Promise<void> {}
}

/**
 * A closed scapkit trace read again through its chunk index: segment i is chunk i (the first pass reads the
 * chunks in order through the same index, so they are numbered alike).
 */
export class IndexedStore implements TraceStore {
  readonly kind = 'index';
  constructor(private readonly reader: IndexedScapkitReader) {}

  keep(): void {}

  async *after(seg: number, toNs?: bigint): AsyncGenerator<StoredRecord> {
    let next = seg + 1;
    for await (const rec of this.reader.readAfterChunk(seg, toNs)) {
      if (rec.kind === 'metadata') yield rec;
      else if (rec.kind === 'events') yield { kind: 'events', batch: rec.batch, seg: next++ };
    }
  }

  async close(): Promise<void> {
    await this.reader.close();
  }
}
