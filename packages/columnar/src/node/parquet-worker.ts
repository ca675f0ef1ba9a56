// The Parquet encoding thread of ParquetEncoder: the batches' buffers in, Parquet bytes out (transferred back).
import { parentPort } from 'node:worker_threads';
import type { BatchBuffers, ColumnSpec } from '../parquet-file.js';
import { encodeParquetBuffers, type ParquetOptions } from './parquet.js';

parentPort!.on(
  'message',
  (m: { id: number; specs: ColumnSpec[]; batches: BatchBuffers[]; opts: ParquetOptions }) => {
    try {
      const bytes = encodeParquetBuffers(m.specs, m.batches, m.opts);
      parentPort!.postMessage({ id: m.id, bytes }, [bytes.buffer as ArrayBuffer]);
    } catch (e) {
      parentPort!.postMessage({ id: m.id, error: e instanceof Error ? e.message : String(e) });
    }
  },
);
