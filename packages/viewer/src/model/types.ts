// The model as the page sees it: plain data the worker posts (structured clone), no classes. Times are ns
// relative to the trace's first event (doubles: exact for 104 days), except where a string says absolute.
import type { TableId, Units } from './specs.js';

export interface TraceInfo {
  name: string;
  /** "scapkit 1.0", "sysdig 1.2 (gzip)". */
  format: string;
  bytes: number;
  /** Events read (evt.num of the last event). */
  events: number;
  /** Absolute ns of the first event, as a decimal string (bigint), "0" when there is none. */
  t0: string;
  /** ns from the first event to the last. */
  duration: number;
  /** Width of a timeline slot, ns. */
  slotNs: number;
  hostname: string;
  /** The reader stopped here: a cut or damaged file. Everything before it is shown. */
  problem?: ReadProblem;
  /** State snapshots the first pass kept (a later pass starts at the last one before what it needs). */
  checkpoints: number;
  /**
   * Where the trace was read and decoded: the `scapkit view` server (native codecs, decode workers), or in
   * the page a reader worker beside the model's, or the model's own.
   */
  reader: 'server' | 'worker' | 'model worker';
  /** Where later passes read the events: the file again through its chunk index, or batches kept. */
  store: 'index' | 'memory';
}

export interface ReadProblem {
  kind: 'truncated' | 'format' | 'other';
  message: string;
  /** Byte offset in the file (or in the decompressed stream of a gzip capture); -1 when unknown. */
  offset: number;
}

export interface TileValue {
  id: string;
  value: number;
  /** Per slot over the whole trace (only in whole-trace models). */
  series?: Float64Array;
}

export interface TableData {
  id: TableId;
  title: string;
  keyTitles: string[];
  keys: string[];
  columns: { title: string; units?: Units; text: boolean }[];
  /** Each row: key texts then column values (numbers, or text for 'first' columns). */
  rows: (string | number)[][];
  /** Rows there were before the cut to the largest ones. */
  totalRows: number;
  /** The table's own filter (drilling into a row adds the key conditions to it). */
  filter: string;
  sortBy: number;
}

export interface ProcessNode {
  pid: number;
  ppid: number;
  name: string;
  cmdline: string;
  /** When the capture saw it start (clone) or first saw it; -1 when it was there before the first event. */
  start: number;
  /** Last successful execve, -1 when none. */
  exec: number;
  /** procexit, -1 when still alive at the end. */
  exit: number;
}

/** A model: what every view shows for one filter and one time range. */
export interface Model {
  key: string;
  filter: string;
  from: number;
  to: number;
  /** Events shown (as `scapkit replay` prints them) that pass the filter in the range. */
  events: number;
  tiles: TileValue[];
  tables: TableData[];
  /** Events per slot and category (whole-trace models only): categories × slots, category-major. */
  timeline?: { categories: string[]; slots: number; counts: Float64Array[] };
  /** Whole-trace models only. */
  processes?: ProcessNode[];
}

export interface EventRow {
  /** Row index in the model's event list. */
  row: number;
  num: number;
  /** The default line of `sysdig -r`. */
  line: string;
}

export interface FieldValueText {
  name: string;
  value: string;
}

export interface IoChunk {
  num: number;
  /** ns relative to the first event. */
  ts: number;
  dir: 'read' | 'write';
  proc: string;
  /** What the call returned (bytes moved), which may exceed the captured data (snaplen). */
  res: number;
  data: Uint8Array;
}

export interface IoStream {
  /** fd.name, proc.name and pid of the followed fd. */
  name: string;
  proc: string;
  pid: number;
  fd: number;
  filter: string;
  chunks: IoChunk[];
}
