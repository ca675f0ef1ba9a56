// The messages between the page and the model worker. Each request carries an id; the worker answers it
// once (result or error) and may send progress for it before. A newer request of the same kind makes an
// older one pointless: the worker ends that one with 'superseded'.
import type { Alert } from './alerts.js';
import type { EventRow, FieldValueText, IoStream, Model, TraceInfo } from './types.js';

/**
 * What to open: a file dropped on the page (read by the model worker), or the trace the `scapkit view`
 * server was started on (read there; the page knows only its name).
 */
export type TraceSource = { kind: 'file'; file: File } | { kind: 'served'; name: string };

export type Request =
  | { op: 'open'; source: TraceSource }
  | { op: 'model'; filter: string; from: number; to: number }
  | { op: 'rows'; key: string; start: number; count: number }
  | { op: 'rowOf'; key: string; num: number }
  | { op: 'find'; key: string; text: string; start: number; dir: 1 | -1 }
  | { op: 'fields'; num: number }
  /** The I/O of the fd event `num` is about, or of every fd the events of `filter` are about. */
  | { op: 'follow'; target: FollowTarget; from: number; to: number };

export type FollowTarget = { num: number } | { filter: string; name: string };

export interface Results {
  /** `alerts`: what the first pass's rules raised (the server's --rules/--detect). */
  open: { info: TraceInfo; model: Model; alerts: Alert[] };
  model: Model;
  rows: EventRow[];
  rowOf: number;
  find: number;
  fields: FieldValueText[];
  follow: IoStream;
}

export type RequestMessage = Request & { id: number };

/** Why a request failed; `filter` errors point at a position in the filter text. */
export type RequestError =
  | { kind: 'filter'; message: string; reason: string; position: number }
  | { kind: 'superseded' }
  | { kind: 'error'; message: string };

export type WorkerMessage =
  | {
      id: number;
      progress: {
        phase: string;
        done: number;
        total: number;
        events?: number;
        /** While the first pass reads: the overview so far. */
        partial?: { model: Model; slotNs: number; t0: string };
      };
    }
  | { id: number; result: unknown }
  | { id: number; error: RequestError };
