// The trace files of a recording: one file, or a series rotated by size (-C), time (-G) or event count
// (-e), named as sysdig names them, the oldest removed beyond -W. Each file starts with the tables as they
// are at its first event, so it reads alone, and ends with its own statistics.
import { unlink } from 'node:fs/promises';
import { hostname } from 'node:os';
import type { CaptureMetadata, CaptureStats, ChunkCodec, EventBatch } from '@scapkit/scap-format';
import { ScapkitWriter } from '@scapkit/scap-format';
import { createFileSink, type FileSink } from '@scapkit/scap-format/node';
import { RECORDER_VERSION } from '../version.js';
import { fileName, namingFor, type RotationNaming } from './file-names.js';

export interface TraceFilesOptions {
  /** -w: the trace file (base name when rotating). */
  path: string;
  /** -C: start a new file each time the current one reaches this many megabytes (10^6 bytes). */
  sizeMb?: number;
  /** -G: start a new file every this many seconds. */
  periodSeconds?: number;
  /** -e: start a new file every this many events. */
  eventsPerFile?: number;
  /** -W: keep only the newest N files. */
  keepFiles?: number;
  snaplen: number;
  /** The capture filter as typed, stored in each file's header. */
  filter: string;
  codec: ChunkCodec;
}

interface OpenTrace {
  path: string;
  sink: FileSink;
  writer: ScapkitWriter;
  /** -G: when this file is due to be replaced. */
  rotateAtMs: number;
  /** Events handed to this file's writer. */
  events: number;
  checkpoints: number;
}

export class TraceFiles {
  /** Every file written, oldest first (files removed by -W are no longer listed). */
  readonly files: string[] = [];
  private current: OpenTrace | undefined;
  private readonly naming: RotationNaming;
  private seq = 0;
  private lastRotateAtMs: number | undefined;
  private bytesClosed = 0;
  private eventsClosed = 0;

  constructor(private readonly opts: TraceFilesOptions) {
    this.naming = namingFor(opts.path, opts.sizeMb, opts.periodSeconds, opts.eventsPerFile);
  }

  /** The file being written. */
  get currentPath(): string | undefined {
    return this.current?.path;
  }

  /** Bytes written so far, every file. */
  get bytesWritten(): number {
    return this.bytesClosed + (this.current?.writer.bytesWritten ?? 0);
  }

  /** Events in chunks on disk, every file (after a write error: what the files really hold). */
  get eventsOnDisk(): number {
    return this.eventsClosed + (this.current?.writer.eventsWritten ?? 0);
  }

  /** Events handed to the current file. */
  get eventsInCurrent(): number {
    return this.current?.events ?? 0;
  }

  /** Events the current file takes before -e starts a new one (Infinity without -e). */
  room(): number {
    const n = this.opts.eventsPerFile;
    return n ? Math.max(0, n - this.eventsInCurrent) : Number.POSITIVE_INFINITY;
  }

  /**
   * Whether the current file is due to be replaced: -C size reached, -e count reached, or (when `period`)
   * the -G period over.
   */
  due(nowMs: number, period: boolean): boolean {
    const c = this.current;
    if (!c) return false;
    if (this.opts.sizeMb && c.writer.bytesWritten >= this.opts.sizeMb * 1e6) return true;
    if (this.opts.eventsPerFile && c.events >= this.opts.eventsPerFile) return true;
    return period && nowMs >= c.rotateAtMs;
  }

  /** Creates the next file, starting with the tables `meta`. */
  async open(meta: CaptureMetadata): Promise<void> {
    const start = new Date();
    // -G deadlines follow one schedule from the first file, so the time a snapshot takes does not add up.
    const period = (this.opts.periodSeconds ?? 0) * 1000;
    let rotateAtMs = period ? (this.lastRotateAtMs ?? start.getTime()) + period : Number.POSITIVE_INFINITY;
    if (rotateAtMs <= start.getTime()) rotateAtMs = start.getTime() + period; // more than a period late
    const path = fileName(this.naming, this.seq++, start);
    const sink = await createFileSink(path);
    const writer = new ScapkitWriter(
      sink,
      {
        machine: meta.machine,
        recorderVersion: RECORDER_VERSION,
        snaplen: this.opts.snaplen,
        filter: this.opts.filter,
        startTs: BigInt(start.getTime()) * 1_000_000n,
        hostname: meta.machine?.hostname ?? hostname(),
      },
      { codec: this.opts.codec },
    );
    this.current = { path, sink, writer, rotateAtMs, events: 0, checkpoints: 0 };
    this.lastRotateAtMs = rotateAtMs;
    this.files.push(path);
    await writer.writeMetadata(meta);
    if (this.opts.keepFiles && this.files.length > this.opts.keepFiles) {
      const old = this.files.splice(0, this.files.length - this.opts.keepFiles);
      await Promise.all(old.map((f) => unlink(f).catch(() => undefined)));
    }
  }

  /** Writes a batch into the current file (the caller splits batches at -e boundaries: see room()). */
  async write(batch: EventBatch): Promise<void> {
    const c = this.current;
    if (!c) throw new Error('TraceFiles.write: no file is open');
    c.events += batch.count;
    await c.writer.writeBatch(batch);
  }

  /** Writes a metadata record into the current file: the tables from here on (a capture filter's state
   *  record). */
  async writeMetadata(meta: CaptureMetadata): Promise<void> {
    await this.current!.writer.writeMetadata(meta);
  }

  /** Writes a checkpoint into the current file: `meta` must be the tables a reader has at this point. */
  async checkpoint(meta: CaptureMetadata): Promise<void> {
    const c = this.current;
    if (!c) return;
    await c.writer.checkpoint(meta);
    c.checkpoints++;
  }

  /** Checkpoints in the current file. */
  get checkpointsInCurrent(): number {
    return this.current?.checkpoints ?? 0;
  }

  /** Writes the pending chunk when it is older than `maxAgeMs`, so a crash loses at most about that. */
  async flushIfOlderThan(maxAgeMs: number, nowMs: number): Promise<void> {
    await this.current?.writer.flushIfOlderThan(maxAgeMs, nowMs);
  }

  /** Files closed with their footer after a write error (see close()). */
  readonly closedAfterError: string[] = [];

  /**
   * Closes the current file with its statistics (footer): `stats(n)` for a file holding n events (and the
   * error, when the write failed). After a
   * write error (a full disk) the file is still closed after its last complete chunk, with statistics that
   * count what the error lost, when the footer fits once the partial chunk is cut away; the error is thrown
   * either way.
   */
  async close(stats: (eventsInFile: number, error?: unknown) => CaptureStats): Promise<void> {
    const c = this.current;
    if (!c) return;
    // `stats` is computed while the file is still the current one: eventsOnDisk counts its chunks.
    try {
      await c.writer.close(stats(c.events));
    } catch (e) {
      if (await c.writer.closeAfterFailure(stats(c.writer.eventsWritten, e)))
        this.closedAfterError.push(c.path);
      throw e;
    } finally {
      this.current = undefined;
      // After a write error the file keeps only its complete chunks: count what is really there.
      this.bytesClosed += c.writer.bytesWritten;
      this.eventsClosed += c.writer.eventsWritten;
    }
  }
}
