// The one way a command opens the capture it reads (`replay`, `-c`, `export`, `info`, and the commands
// built on them): openCaptureFile underneath (native codecs, decoding ahead), a progress bar on a
// terminal, `--from/--to` through the checkpoints of a scapkit trace, and one set of end-of-input messages:
// a cut file (exit 3), events the recording dropped, a range no event falls in.
import { stat } from 'node:fs/promises';
import { formatDateTime, type TimeRange } from '@scapkit/replay';
import {
  type CaptureRecord,
  type CaptureStats,
  type CaptureStream,
  type IndexedScapkitReader,
  isContainerEvent,
  ScapFormatError,
  ScapTruncatedError,
} from '@scapkit/scap-format';
import {
  fileByteSource,
  openCaptureFile,
  openIndexedScapkitFile,
  sniffFile,
  WORKER_MIN_BYTES,
} from '@scapkit/scap-format/node';
import { EXIT, warn } from './exit.js';
import { Progress } from './progress.js';
import { parseTimeRange, resolveTimeRange, type TimeRangeArgs, type TimeRangeSpec } from './time-range.js';

export { TIME_FORMS, TIME_RANGE_OPTIONS, type TimeRangeArgs } from './time-range.js';

export interface InputOptions extends TimeRangeArgs {
  /** A progress bar on stderr (default: when stderr is a terminal and the file is over 8 MiB). */
  progress?: boolean;
  /**
   * The consumer keeps nothing of a batch once it asks for the next record (a printer): the readers then
   * reuse their buffers, so memory stays flat however long the capture.
   */
  reuseBatchBuffers?: boolean;
}

/** What a command says happened to the events when the input turns out cut, e.g. "were printed". */
export interface ReadOutcome {
  /** Completes "Every event complete before the cut …" (or the damage), once the reading stopped. */
  cut: () => string;
  /** The command shows the recording's drops itself (info): no note about them. */
  showsDrops?: boolean;
}

/** A capture opened for reading, with what the command needs around the records. */
export class CaptureInput {
  /** Events read so far. */
  events = 0;
  private stats: CaptureStats | undefined;
  private cut: ScapTruncatedError | undefined;
  private damage: ScapFormatError | undefined;
  /** Whether the records were read to their end (not stopped by the consumer). */
  private complete = false;
  private inRange = 0;
  private firstSeen: bigint | undefined;
  private lastSeen: bigint | undefined;

  private constructor(
    readonly path: string,
    /** 'scapkit' or 'sysdig'. */
    readonly format: string,
    /** The file's size in bytes. */
    readonly size: number,
    private readonly source: CaptureStream,
    /** Give it to the Pipeline: events outside it only update state. Undefined: the whole capture. */
    readonly timeRange: TimeRange | undefined,
    private readonly progress: Progress,
    private readonly reader: IndexedScapkitReader | undefined,
    /** Set when the range is known, before reading, to hold no event: nothing is read. */
    private readonly emptyRange: string | undefined,
  ) {}

  /**
   * Opens `path`. Throws UsageError for a --from/--to that is no time or comes after the other; errors
   * opening the file as they are (ENOENT …); a file that is no capture fails on the first read.
   */
  static async open(path: string, opts: InputOptions = {}): Promise<CaptureInput> {
    const spec = parseTimeRange(opts);
    const size = (await stat(path)).size;
    const progress = new Progress(
      path,
      size,
      opts.progress ?? (process.stderr.isTTY === true && size > 8 << 20),
    );
    const onRead = (n: number) => progress.add(n);
    const format = (await sniffFile(path)) ?? 'unknown';
    const workers = workersFromEnv();
    if (!spec) {
      const stream = openCaptureFile(path, { reuseBatchBuffers: opts.reuseBatchBuffers, onRead, workers });
      return new CaptureInput(path, format, size, stream, undefined, progress, undefined, undefined);
    }
    // A closed scapkit trace seeks through its footer; anything else is read from its start.
    const reader =
      format === 'scapkit'
        ? await openIndexedScapkitFile(path, { workers, reuseBatchBuffers: opts.reuseBatchBuffers }).catch(
            seekable,
          )
        : undefined;
    if (reader) {
      const first = await firstEventTs(reader);
      const range = resolveTimeRange(spec, first);
      let last = 0n;
      for (const c of reader.chunks) if (c.lastTs > last) last = c.lastTs;
      const outside =
        first === undefined || range.fromNs > last || range.toNs < first
          ? emptyRangeNote(path, spec, first, last)
          : undefined;
      const stream = reader.readFromCheckpoint(range.fromNs, range.toNs, {
        onNotice: (m) => warn(`${path}: ${m}`),
        // A short range decodes here: the pool's workers would start for a few chunks (SCAPKIT_WORKERS=1
        // keeps them, for comparisons).
        inlineUnder: workers === true ? 0 : WORKER_MIN_BYTES,
      });
      return new CaptureInput(path, format, size, stream, range, progress, reader, outside);
    }
    warn(
      `${path}: ${format === 'sysdig' ? 'a sysdig capture has' : 'an unclosed trace has'} no checkpoint ` +
        'index: reading it from the start to rebuild the state',
    );
    // Relative and time-of-day bounds need the first event: read up to it, then hand the records on (the
    // records held back keep their buffers, so none is reused meanwhile).
    const needsFirst = [spec.from, spec.to].some((b) => b !== undefined && b.kind !== 'epoch');
    const source = openCaptureFile(path, {
      reuseBatchBuffers: opts.reuseBatchBuffers && !needsFirst,
      onRead,
      workers,
    });
    const { head, first, rest } = needsFirst
      ? await readUntilFirstEvent(source)
      : { head: [], first: undefined, rest: source };
    const range = resolveTimeRange(spec, first);
    const stream: CaptureStream = {
      async *[Symbol.asyncIterator]() {
        yield* head;
        if (rest) yield* rest;
      },
    };
    return new CaptureInput(path, format, size, stream, range, progress, undefined, undefined);
  }

  /**
   * Feeds every record to `consume` until it returns true (stop), then finish(outcome). Returns the exit
   * code (3 for a file cut short or damaged after its header, after every event before the cut or damage).
   */
  async read(
    consume: (rec: CaptureRecord) => boolean | undefined | Promise<boolean | undefined>,
    outcome: ReadOutcome,
  ): Promise<number> {
    try {
      for await (const rec of this.records()) {
        const r = consume(rec);
        if (r instanceof Promise ? await r : r) break;
      }
    } finally {
      await this.close();
    }
    return this.finish(outcome);
  }

  /**
   * The records, for a consumer that pulls them (a writer). A file cut short, or damaged after its header
   * (a chunk that fails its CRC …), ends them early and finish() says so; any other error is thrown (a file
   * that is no capture at all, a worker that failed).
   */
  async *records(): AsyncGenerator<CaptureRecord> {
    if (this.emptyRange) return;
    let sawHeader = false;
    try {
      for await (const rec of this.source) {
        if (rec.kind === 'header') sawHeader = true;
        else if (rec.kind === 'events') this.observe(rec);
        else if (rec.kind === 'stats') this.stats = rec.stats;
        yield rec;
      }
      this.complete = true;
    } catch (e) {
      if (e instanceof ScapTruncatedError) this.cut = e;
      else if (e instanceof ScapFormatError && sawHeader) this.damage = e;
      else throw e;
    }
  }

  /**
   * The events were read by someone else (segment-replay.ts's workers) from this input's file, which was
   * whole up to `damage`: finish() then says what it would have said had they been read here.
   */
  readElsewhere(outcome: { events: number; stats: CaptureStats; damage: ScapFormatError | undefined }): void {
    this.events = outcome.events;
    this.stats = outcome.stats;
    if (outcome.damage instanceof ScapTruncatedError) this.cut = outcome.damage;
    else if (outcome.damage) this.damage = outcome.damage;
    else this.complete = true;
  }

  /**
   * Says on stderr what the user needs to know once reading stopped: a file cut short (exit code 3;
   * every complete event was read), events the recording dropped, a range no event falls in. Returns the
   * exit code.
   */
  finish(outcome: ReadOutcome): number {
    this.progress.end();
    if (this.emptyRange) {
      warn(this.emptyRange);
      return EXIT.OK;
    }
    if (this.cut) {
      warn(
        `${this.path} is cut short: ${this.cut.message}. Every event complete before the cut ${outcome.cut()}; ` +
          `'scapkit recover' rewrites a scapkit trace whole.`,
      );
    }
    if (this.damage) {
      warn(
        `${this.path} is damaged: ${this.damage.message}. Every event before the damage ${outcome.cut()}; ` +
          `'scapkit recover' keeps every intact part of a scapkit trace.`,
      );
    }
    if (this.complete || this.cut || this.damage) this.afterRange();
    if (!outcome.showsDrops) this.afterDrops();
    return this.cut || this.damage ? EXIT.DATA_LOST : EXIT.OK;
  }

  /** Where the input turned out cut, once records() met the end of a cut file. */
  get truncation(): ScapTruncatedError | undefined {
    return this.cut;
  }

  /** Where the input turned out damaged (after its header), once records() met the damage. */
  get damaged(): ScapFormatError | undefined {
    return this.damage;
  }

  /** Releases the file (read() does it; a consumer of records() calls it). */
  async close(): Promise<void> {
    this.progress.end();
    await this.reader?.close();
  }

  private observe(rec: Extract<CaptureRecord, { kind: 'events' }>): void {
    const b = rec.batch;
    this.events += b.count;
    // Only a range read from the start needs this (through the index, the span was known before reading):
    // the trace's span, and whether any event fell in range.
    if (!this.timeRange || this.reader || b.count === 0) return;
    const dv = new DataView(b.data.buffer, b.data.byteOffset, b.data.byteLength);
    const { fromNs, toNs } = this.timeRange;
    for (const off of b.offsets.subarray(0, b.count)) {
      const ts = dv.getBigUint64(off, true);
      if (ts >= fromNs && ts <= toNs) this.inRange++;
      if (this.firstSeen === undefined || ts < this.firstSeen) this.firstSeen = ts;
      if (this.lastSeen === undefined || ts > this.lastSeen) this.lastSeen = ts;
    }
  }

  private afterRange(): void {
    if (!this.timeRange || this.inRange > 0 || this.reader) return;
    warn(
      `no event of ${this.path} falls between ${formatDateTime(this.timeRange.fromNs)} and ` +
        `${formatDateTime(this.timeRange.toNs)}` +
        (this.firstSeen !== undefined && this.lastSeen !== undefined
          ? ` (it spans ${formatDateTime(this.firstSeen)} to ${formatDateTime(this.lastSeen)})`
          : ' (it holds no event)'),
    );
  }

  private afterDrops(): void {
    const drops = Object.entries(this.stats?.drops ?? {}).filter(([, n]) => typeof n === 'number' && n > 0);
    const total = drops.reduce((s, [, n]) => s + (n as number), 0);
    if (total === 0) return;
    warn(
      `the recording of ${this.path} dropped ${total} events (${drops.map(([k, n]) => `${k}: ${n}`).join(', ')}): ` +
        'they are missing from this trace, and from what was read here',
    );
  }
}

/**
 * The bytes of `path` for a command that reads records itself (recover), with the progress bar and the
 * format its first bytes announce.
 */
export async function openInputBytes(
  path: string,
  opts: { progress?: boolean } = {},
): Promise<{ format: 'scapkit' | 'sysdig' | undefined; bytes: AsyncIterable<Uint8Array>; done(): void }> {
  const size = (await stat(path)).size;
  const progress = new Progress(
    path,
    size,
    opts.progress ?? (process.stderr.isTTY === true && size > 8 << 20),
  );
  const format = await sniffFile(path);
  return {
    format,
    bytes: fileByteSource(path, { onRead: (n) => progress.add(n) }),
    done: () => progress.end(),
  };
}

/**
 * SCAPKIT_WORKERS=1 decodes a scapkit trace on worker threads whatever its size, 0 never; unset, from
 * 16 MiB on (openCaptureFile's rule). For comparisons (the bench, tests that the output is the same).
 */
function workersFromEnv(): boolean | undefined {
  const v = process.env.SCAPKIT_WORKERS;
  return v === '1' ? true : v === '0' ? false : undefined;
}

/** Opens `path` for a command (see CaptureInput.open). */
export function openInput(path: string, opts: InputOptions = {}): Promise<CaptureInput> {
  return CaptureInput.open(path, opts);
}

/** An unclosed or damaged trace cannot seek: it is read as a stream instead (which reports any damage). */
function seekable(e: unknown): undefined {
  if (e instanceof ScapFormatError) return undefined;
  throw e;
}

/** The timestamp of a trace's first event after its leading container records (evt.reltime's origin). */
async function firstEventTs(reader: IndexedScapkitReader): Promise<bigint | undefined> {
  // The first chunk (rarely more), decoded here: not on a pool started for it, and without the metadata
  // record before it (decoding that cost more than the chunk: ~60 ms of a --from/--to's CPU).
  for (let i = 0; i < reader.chunks.length; i++) {
    const b = await reader.chunkEvents(i);
    const dv = new DataView(b.data.buffer, b.data.byteOffset, b.data.byteLength);
    for (const off of b.offsets.subarray(0, b.count)) {
      if (!isContainerEvent(dv.getUint16(off + 20, true))) return dv.getBigUint64(off, true);
    }
  }
  return undefined;
}

/** Reads records up to the first event that is no leading container record. */
async function readUntilFirstEvent(source: CaptureStream): Promise<{
  head: CaptureRecord[];
  first: bigint | undefined;
  rest: AsyncIterable<CaptureRecord> | undefined;
}> {
  const it = source[Symbol.asyncIterator]();
  const head: CaptureRecord[] = [];
  for (;;) {
    let r: IteratorResult<CaptureRecord>;
    try {
      r = await it.next();
    } catch (e) {
      // A cut or damaged file: replay what came before, then the same error where it happened.
      return { head, first: undefined, rest: failing(e) };
    }
    if (r.done) return { head, first: undefined, rest: undefined };
    head.push(r.value);
    if (r.value.kind !== 'events') continue;
    const b = r.value.batch;
    const dv = new DataView(b.data.buffer, b.data.byteOffset, b.data.byteLength);
    for (const off of b.offsets.subarray(0, b.count)) {
      if (!isContainerEvent(dv.getUint16(off + 20, true))) {
        return { head, first: dv.getBigUint64(off, true), rest: { [Symbol.asyncIterator]: () => it } };
      }
    }
  }
}

async function* failing(e: unknown): AsyncGenerator<CaptureRecord> {
  yield* [];
  throw e;
}

function emptyRangeNote(path: string, spec: TimeRangeSpec, first: bigint | undefined, last: bigint): string {
  const range = `--from ${spec.fromText ?? '(start)'} --to ${spec.toText ?? '(end)'}`;
  return first === undefined
    ? `${path} holds no event: nothing in ${range}`
    : `no event of ${path} falls in ${range}: it spans ${formatDateTime(first)} to ${formatDateTime(last)}`;
}
