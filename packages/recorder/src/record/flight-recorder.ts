// The flight recorder (`record --capture-on-alert DIR`): the last BEFORE seconds of events kept in memory,
// and on an alert a self-contained scapkit trace DIR/<time>-<rule>.scap from BEFORE seconds before the
// alert to AFTER seconds after it. An alert that comes while a trace is still open extends that trace.
//
// Self-contained: the trace starts with the tables as they were at its first event. A second state engine
// follows the ring's tail: every batch that leaves the ring goes through it, so its snapshot() is always
// the state just before the ring's oldest event. Memory: the ring holds at most --buffer-mb of event bytes;
// under an event storm it keeps fewer than BEFORE seconds, and the trace says how many events inside the
// window were no longer in memory (`flightRecorderDropped` in its stats).
import { mkdir, unlink } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { StateEngine } from '@scapkit/replay';
import type { Alert } from '@scapkit/rules';
import { priorityName } from '@scapkit/rules';
import {
  batchEventTs,
  type CaptureMetadata,
  type ChunkCodec,
  copyBatch,
  type EventBatch,
  EventView,
  ScapkitWriter,
} from '@scapkit/scap-format';
import { createFileSink, defaultChunkCodec } from '@scapkit/scap-format/node';
import { RECORDER_VERSION } from '../version.js';

export interface FlightRecorderOptions {
  dir: string;
  beforeNs: bigint;
  afterNs: bigint;
  /** Most event bytes kept in memory. */
  bufferBytes: number;
  snaplen: number;
  codec?: ChunkCodec;
}

/** A batch in the ring, copied out of the probe's buffer, or a table snapshot (a rotated file's). */
type Entry =
  | { kind: 'events'; batch: EventBatch; bytes: number; lastTs: bigint }
  | { kind: 'metadata'; metadata: CaptureMetadata };

interface OpenCapture {
  path: string;
  writer: ScapkitWriter;
  endTs: bigint;
  alerts: object[];
  events: number;
  dropped: number;
}

/** The events of `b` at or before `ts`. */
function until(b: EventBatch, ts: bigint): EventBatch {
  let n = 0;
  while (n < b.count && batchEventTs(b, n) <= ts) n++;
  return n === b.count ? b : { data: b.data, offsets: b.offsets.subarray(0, n), count: n };
}

export class FlightRecorder {
  private readonly ring: Entry[] = [];
  private bytes = 0;
  private readonly lag = new StateEngine();
  private readonly view = new EventView();
  private newestTs = 0n;
  /** Events that left the ring early (memory), not yet older than BEFORE: a trace opened now lacks them. */
  private droppedInWindow: { ts: bigint; count: number }[] = [];
  private open: OpenCapture | undefined;
  private queue: Promise<void> = Promise.resolve();
  /** Traces written (closed). */
  readonly files: string[] = [];
  /** Events dropped from the ring for memory over the whole run. */
  droppedTotal = 0;
  failure: unknown;

  constructor(private readonly opts: FlightRecorderOptions) {}

  /** Refuses a DIR that cannot be written, before anything is recorded. */
  static async check(dir: string): Promise<void> {
    await mkdir(dir, { recursive: true, mode: 0o700 });
    const probe = join(dir, `.scapkit-write-test-${process.pid}`);
    const sink = await createFileSink(probe);
    await sink.close();
    await unlink(probe);
  }

  onMetadata(meta: CaptureMetadata): void {
    if (this.ring.length === 0) this.lag.reset(meta);
    else this.ring.push({ kind: 'metadata', metadata: meta });
    if (this.open) this.enqueue((w) => w.writeMetadata(meta));
  }

  /** A batch the recorder kept: into the ring (and the open trace). */
  onBatch(batch: EventBatch): void {
    if (batch.count === 0) return;
    const copy = copyBatch(batch);
    const lastTs = batchEventTs(copy, copy.count - 1);
    if (lastTs > this.newestTs) this.newestTs = lastTs;
    this.ring.push({ kind: 'events', batch: copy, bytes: copy.data.length, lastTs });
    this.bytes += copy.data.length;
    const o = this.open;
    if (o) {
      const part = until(copy, o.endTs);
      o.events += part.count;
      if (part.count > 0) this.enqueue((w) => w.writeBatch(part));
      if (part.count < copy.count) this.closeOpen();
    }
    this.evict();
  }

  /** An alert: a new trace from the ring, or the open one extended. */
  onAlert(alert: Alert): void {
    const record = {
      rule: alert.rule.name,
      priority: priorityName(alert.rule.priority),
      time: alert.ts,
      output: alert.output,
      evtNum: alert.num,
    };
    const end = alert.ts + this.opts.afterNs;
    if (this.open) {
      if (end > this.open.endTs) this.open.endTs = end;
      this.open.alerts.push(record);
      return;
    }
    const path = join(this.opts.dir, `${fileTime(alert.ts)}-${slug(alert.rule.name)}.scap`);
    const dropped = this.droppedInWindow.reduce((n, d) => n + d.count, 0);
    const o: OpenCapture = {
      path,
      writer: undefined as unknown as ScapkitWriter,
      endTs: end,
      alerts: [record],
      events: 0,
      dropped,
    };
    this.open = o;
    const snapshot = this.lag.snapshot();
    const entries = [...this.ring];
    this.queue = this.queue.then(async () => {
      const sink = await createFileSink(path);
      o.writer = new ScapkitWriter(
        sink,
        {
          machine: snapshot.machine,
          recorderVersion: RECORDER_VERSION,
          snaplen: this.opts.snaplen,
          filter: '',
          startTs: entries.length > 0 ? firstTs(entries) : alert.ts,
          hostname: snapshot.machine?.hostname ?? hostname(),
          alert: record,
        },
        { codec: this.opts.codec ?? defaultChunkCodec() },
      );
      await o.writer.writeMetadata(snapshot);
      for (const e of entries) {
        if (e.kind === 'metadata') await o.writer.writeMetadata(e.metadata);
        else {
          const part = until(e.batch, o.endTs);
          o.events += part.count;
          if (part.count > 0) await o.writer.writeBatch(part);
        }
      }
    });
    this.queue.catch((e) => {
      this.failure ??= e;
    });
  }

  /** Closes the open trace (the end of the recording). */
  async close(): Promise<void> {
    if (this.open) this.closeOpen();
    await this.queue.catch(() => undefined);
  }

  private enqueue(op: (w: ScapkitWriter) => Promise<void>): void {
    const o = this.open;
    if (!o) return;
    this.queue = this.queue.then(() => op(o.writer));
    this.queue.catch((e) => {
      this.failure ??= e;
    });
  }

  private closeOpen(): void {
    const o = this.open;
    if (!o) return;
    this.open = undefined;
    this.queue = this.queue.then(async () => {
      await o.writer.close({
        eventsSeen: o.events + o.dropped,
        eventsWritten: o.events,
        drops: o.dropped > 0 ? { flight_recorder_memory: o.dropped } : {},
        alerts: o.alerts,
        flightRecorderDropped: o.dropped,
      });
      this.files.push(o.path);
    });
    this.queue.catch((e) => {
      this.failure ??= e;
    });
  }

  /** Older than BEFORE, or over the memory budget: out of the ring, through the lagging state engine. */
  private evict(): void {
    const horizon = this.newestTs - this.opts.beforeNs;
    for (let e = this.ring[0]; e && this.ring.length > 1; e = this.ring[0]) {
      const old = e.kind === 'metadata' || e.lastTs < horizon;
      if (!old && this.bytes <= this.opts.bufferBytes) break;
      this.ring.shift();
      if (e.kind === 'metadata') {
        this.lag.reset(e.metadata);
        continue;
      }
      this.bytes -= e.bytes;
      if (!old) {
        this.droppedTotal += e.batch.count;
        this.droppedInWindow.push({ ts: e.lastTs, count: e.batch.count });
      }
      const v = this.view;
      for (let i = 0; i < e.batch.count; i++) {
        v.at(e.batch, i);
        this.lag.process(v);
      }
    }
    while ((this.droppedInWindow[0]?.ts ?? horizon) < horizon) this.droppedInWindow.shift();
  }
}

function firstTs(entries: Entry[]): bigint {
  for (const e of entries) if (e.kind === 'events') return batchEventTs(e.batch, 0);
  return 0n;
}

/** `20240501T120000.123456789Z`: the alert's time in a file name (UTC, sorts in time order). */
function fileTime(ns: bigint): string {
  const sec = ns / 1000000000n;
  const d = new Date(Number(sec) * 1000).toISOString().replace(/[-:]/g, '').slice(0, 15);
  return `${d}.${String(ns % 1000000000n).padStart(9, '0')}Z`;
}

function slug(rule: string): string {
  return (
    rule
      .replace(/[^A-Za-z0-9]+/g, '-')
      .replace(/^-|-$/g, '')
      .slice(0, 60) || 'rule'
  );
}
