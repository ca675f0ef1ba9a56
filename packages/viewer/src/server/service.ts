// The model on the server: `scapkit view` reads the trace here, through the native read path (native
// codecs, decode workers, read-ahead), not in the page. The first pass starts as the server starts; the
// page asks for what it shows (the overview, a page of event lines, an event's fields, an fd's bytes) and
// gets plain data back. A closed scapkit trace is read again through its chunk index for each later
// pass (nothing of it is kept in memory but counts and state snapshots); a sysdig capture or an unclosed
// trace, which have no index, keep their decoded batches.

import { stat } from 'node:fs/promises';
import { basename } from 'node:path';
import type { CaptureRecord, IndexedScapkitReader } from '@scapkit/scap-format';
import { ScapFormatError } from '@scapkit/scap-format';
import { openCaptureFile, openIndexedScapkitFile, sniffFile } from '@scapkit/scap-format/node';
import type { EventJudge } from '../model/alerts.js';
import type { Request } from '../model/protocol.js';
import { answer, errorOf } from '../model/requests.js';
import { type Progress, TraceSession } from '../model/session.js';
import { IndexedStore, MemoryStore, type TraceStore } from '../model/store.js';
import { overviewSegments, parallelFirstPass } from './parallel-pass.js';

/** One line of an answer: progress, then the result or the error. */
export type AnswerLine =
  | {
      progress: {
        phase: string;
        done: number;
        total: number;
        events?: number;
        partial?: Progress['partial'];
      };
    }
  | { result: unknown }
  | { error: ReturnType<typeof errorOf> };

export class ModelService {
  private session: TraceSession | undefined;
  private failure: unknown;
  private latest: Progress | undefined;
  private readonly listeners = new Set<(p: Progress) => void>();
  /** Settles when the first pass is done (or failed to start). */
  readonly ready: Promise<void>;

  constructor(trace: string, judge?: EventJudge) {
    this.ready = this.read(trace, judge).then(
      (s) => {
        this.session = s;
      },
      (e) => {
        this.failure = e;
      },
    );
  }

  private async read(trace: string, judge: EventJudge | undefined): Promise<TraceSession> {
    const size = (await stat(trace)).size;
    const report = (p: Progress) => {
      this.latest = p;
      for (const l of this.listeners) l(p);
    };
    const name = basename(trace);
    const indexed = (await sniffFile(trace)) === 'scapkit' ? await openIndexed(trace) : undefined;
    if (indexed) {
      // Segments are the chunks, read through the index the store reads again later.
      const store: TraceStore = new IndexedStore(indexed);
      let bytes = 0;
      const chunks = indexed.chunks;
      async function* records(): AsyncGenerator<CaptureRecord> {
        yield { kind: 'header', header: indexed!.header };
        let seg = 0;
        for await (const rec of indexed!.readAfterChunk(-1)) {
          if (rec.kind === 'events') {
            const c = chunks[seg++];
            if (c) bytes = c.offset + c.recordLength;
          }
          yield rec;
        }
      }
      const file = { name, size, bytes: () => bytes, reader: 'server' as const };
      const segments = overviewSegments(indexed, judge !== undefined);
      if (segments) {
        // On worker threads, a segment each; the serial pass when one fails (damage: it says where).
        const total = segments.reduce((n, s) => n + s.events, 0);
        try {
          const pass = await parallelFirstPass(trace, segments, (events) => {
            bytes = Math.round((size * events) / Math.max(1, total));
            report({ bytes, total: size, events });
          });
          bytes = size;
          return TraceSession.adopt(pass, indexed.header, store, file);
        } catch {
          bytes = 0;
        }
      }
      return TraceSession.open(records(), store, file, report, judge);
    }
    let bytes = 0;
    const records = openCaptureFile(trace, { onRead: (n) => (bytes += n) });
    const file = { name, size, bytes: () => bytes, reader: 'server' as const };
    return TraceSession.open(records, new MemoryStore(), file, report, judge);
  }

  /** Answers one request of the page, line by line through `send`. */
  async answer(req: Request, send: (line: AnswerLine) => void): Promise<void> {
    try {
      if (req.op === 'open') {
        const onProgress = (p: Progress) =>
          send({
            progress: {
              phase: 'reading',
              done: p.bytes,
              total: p.total,
              events: p.events,
              partial: p.partial,
            },
          });
        if (!this.session && this.failure === undefined) {
          if (this.latest) onProgress(this.latest);
          this.listeners.add(onProgress);
          try {
            await this.ready;
          } finally {
            this.listeners.delete(onProgress);
          }
        }
        const s = this.opened();
        return send({ result: { info: s.info, model: s.firstModel(), alerts: s.alerts } });
      }
      await this.ready;
      const s = this.opened();
      send({
        result: await answer(s, req, (phase, done) => send({ progress: { phase, done, total: 1 } })),
      });
    } catch (e) {
      send({ error: errorOf(e) });
    }
  }

  private opened(): TraceSession {
    if (this.session) return this.session;
    throw this.failure instanceof Error ? this.failure : new Error(String(this.failure));
  }

  async close(): Promise<void> {
    await this.ready;
    await this.session?.close();
  }
}

/** A closed scapkit trace by its index; undefined for one that was not closed (it is read as a stream). */
async function openIndexed(path: string): Promise<IndexedScapkitReader | undefined> {
  try {
    return await openIndexedScapkitFile(path);
  } catch (e) {
    if (e instanceof ScapFormatError) return undefined;
    throw e;
  }
}
