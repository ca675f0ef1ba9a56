// Lays records out in a file: the preamble, then records appended one after another, each chunk, metadata
// and checkpoint record noted for the footer, then the footer and the trailer. The writer and recover both
// write through it, so the index and the footer are built in one place.
import type { CaptureStats } from '../source.js';
import { FORMAT_MINOR, PREAMBLE_SIZE } from './constants.js';
import {
  type CheckpointIndexEntry,
  type ChunkIndexEntry,
  encodeFooterRecord,
  encodePreamble,
  encodeTrailerRecord,
} from './records.js';
import type { ByteSink } from './sink.js';

export class FileAssembler {
  bytesWritten = 0;
  /** Bytes up to the end of the last record written whole. */
  private committed = 0;
  readonly chunks: ChunkIndexEntry[] = [];
  readonly metadataOffsets: number[] = [];
  readonly checkpoints: CheckpointIndexEntry[] = [];
  private started = false;
  closed = false;

  constructor(
    private readonly sink: ByteSink,
    private readonly minor = FORMAT_MINOR,
  ) {}

  /** Appends bytes (one record, or its parts in order). */
  async write(...parts: Uint8Array[]): Promise<void> {
    if (this.closed) throw new Error('scapkit writer is closed');
    if (!this.started) {
      this.started = true;
      await this.put(encodePreamble(this.minor));
    }
    for (const p of parts) await this.put(p);
    this.committed = this.bytesWritten;
  }

  /** Appends a metadata record and notes its offset for the footer. */
  async writeMetadata(record: Uint8Array): Promise<void> {
    const at = this.positionAfterPreamble();
    await this.write(record);
    this.metadataOffsets.push(at);
  }

  /** Appends a checkpoint record and notes it in the checkpoint index. */
  async writeCheckpoint(
    entry: Omit<CheckpointIndexEntry, 'offset' | 'recordLength'>,
    record: Uint8Array,
  ): Promise<void> {
    const at = this.positionAfterPreamble();
    await this.write(record);
    this.checkpoints.push({ ...entry, offset: at, recordLength: record.length });
  }

  /** Appends a chunk record (given as its parts) and notes it in the chunk index. */
  async writeChunk(
    entry: Omit<ChunkIndexEntry, 'offset' | 'recordLength'>,
    ...parts: Uint8Array[]
  ): Promise<void> {
    const at = this.positionAfterPreamble();
    await this.write(...parts);
    this.chunks.push({ ...entry, offset: at, recordLength: this.bytesWritten - at });
  }

  /** Writes the footer and the trailer, then closes the sink. */
  async finish(stats: CaptureStats): Promise<void> {
    const footerOffset = this.positionAfterPreamble();
    const footer = encodeFooterRecord({
      chunks: this.chunks,
      metadataOffsets: this.metadataOffsets,
      checkpoints: this.checkpoints,
      stats,
    });
    await this.write(footer, encodeTrailerRecord(footerOffset, footer.length));
    this.closed = true;
    await this.sink.close();
  }

  /**
   * After a failed write (a full disk): cuts the file back to its last complete record, when the sink can,
   * and writes the footer and the trailer there. The chunks and records the index lists are exactly the
   * whole ones. Throws when the sink cannot cut or the footer does not fit either.
   */
  async finishAfterFailure(stats: CaptureStats): Promise<void> {
    if (!this.sink.truncate) throw new Error('the sink cannot be cut back');
    await this.sink.truncate(this.committed);
    this.bytesWritten = this.committed;
    this.closed = false;
    await this.finish(stats);
  }

  private positionAfterPreamble(): number {
    return this.started ? this.bytesWritten : this.bytesWritten + PREAMBLE_SIZE;
  }

  private async put(b: Uint8Array): Promise<void> {
    const r = this.sink.write(b);
    if (r) await r;
    this.bytesWritten += b.length;
  }
}
